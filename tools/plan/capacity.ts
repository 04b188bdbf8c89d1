/**
 * How many pipelines one plan process can hold. The plan keeps every recorded resource in memory,
 * and V8 ends a process that outgrows its heap with a fatal error (exit 134, no report). So a stack
 * too large for the heap gets a clear error before the synthesis starts instead.
 *
 * Measured with `npm run bench` (docs/bench/results.json): the plan process's resident memory was
 * 567 MB at 100 pipelines and 1,668 MB at 1,000, about 1.2 MB per pipeline over 450 MB; the
 * estimate below adds a quarter for safety.
 */
import * as v8 from "v8";
import { PROJECT } from "../../infra/config";

const BASE_MB = 450;
const MB_PER_PIPELINE = 1.5;
/** Part of the heap limit the plan may plan to use (V8 needs room to collect garbage). */
const USABLE_SHARE = 0.9;

/** The heap limit of this process, in MB (Node's default, or --max-old-space-size). */
export function heapLimitMb(): number {
  return v8.getHeapStatistics().heap_size_limit / 1024 / 1024;
}

/** The most pipelines a plan process with `limitMb` of heap can synthesize. */
export function maxPipelines(limitMb: number): number {
  return Math.max(0, Math.floor((limitMb * USABLE_SHARE - BASE_MB) / MB_PER_PIPELINE));
}

/** Why a stack of `pipelines` pipelines is too large for a heap of `limitMb`, if it is. */
export function stackSizeError(pipelines: number, limitMb: number): string | undefined {
  const most = maxPipelines(limitMb);
  if (pipelines <= most) return undefined;
  const neededMb = Math.ceil((BASE_MB + pipelines * MB_PER_PIPELINE) / USABLE_SHARE);
  return (
    `${PROJECT}:pipelines: ${pipelines} pipelines are more than one plan can hold in Node's heap ` +
    `(${Math.round(limitMb)} MB here: at most ${most} pipelines). Split the stack, or raise the heap ` +
    `to about ${neededMb} MB: NODE_OPTIONS=--max-old-space-size=${neededMb} npm run plan -- ...`
  );
}

/** How many pipelines a stack's flat config declares (0 when the key is missing or not a list). */
export function pipelineCount(config: Record<string, string>): number {
  try {
    const pipelines: unknown = JSON.parse(config[`${PROJECT}:pipelines`] ?? "[]");
    return Array.isArray(pipelines) ? pipelines.length : 0;
  } catch {
    return 0;
  }
}
