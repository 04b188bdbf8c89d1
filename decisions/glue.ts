import { SlaTier } from "./sla-tier";

/** Glue version for new Spark ETL jobs (Spark 3.5, Python 3.11). */
export const GLUE_VERSION = "5.0";

/** Spark worker types a batch ETL job may use, with their DPUs per worker. */
export const GLUE_WORKER_DPUS = {
  "G.1X": 1,
  "G.2X": 2,
  "G.4X": 4,
  "G.8X": 8,
} as const;
export type GlueWorkerType = keyof typeof GLUE_WORKER_DPUS;
export const GLUE_WORKER_TYPES = Object.keys(GLUE_WORKER_DPUS) as GlueWorkerType[];

/** AWS runs FLEX only for glueetl jobs on Glue 3.0+ with G.1X or G.2X workers. */
export const FLEX_WORKER_TYPES: readonly GlueWorkerType[] = ["G.1X", "G.2X"];

export type GlueExecutionClass = "FLEX" | "STANDARD";

/**
 * Flexible pipelines run on spare capacity (FLEX, about a third cheaper per DPU-hour) when the
 * worker type allows it; standard and critical pipelines need the start-time guarantee of STANDARD.
 */
export function glueExecutionClass(tier: SlaTier, workerType: GlueWorkerType): GlueExecutionClass {
  return tier === "flexible" && FLEX_WORKER_TYPES.includes(workerType) ? "FLEX" : "STANDARD";
}

/** Why a worker type cannot serve a tier, or undefined. Flexible pipelines must be able to use FLEX. */
export function glueWorkerTypeError(tier: SlaTier, workerType: GlueWorkerType): string | undefined {
  if (tier === "flexible" && !FLEX_WORKER_TYPES.includes(workerType)) {
    return `flexible pipelines run with the FLEX execution class, which allows only ${FLEX_WORKER_TYPES.join(" or ")}`;
  }
  return undefined;
}
