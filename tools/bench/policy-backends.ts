/**
 * The two ways the benchmark runs a policy pack over recorded resources:
 *
 *   engine      the offline policy runner (tools/policy-runner): the pack started as a process
 *               serving the analyzer gRPC protocol, fed Analyze per resource and one AnalyzeStack,
 *               as `pulumi preview --policy-pack` and `npm run plan` do. Any Node pack.
 *   in-process  the policies of policies/pack.ts called directly with the arguments the SDK's
 *               analyzer server builds (tools/policy-runner/in-process.ts): resource policies on each
 *               custom resource's inputs, stack policies once on everything's inputs + outputs. Gives
 *               the time of each policy.
 */
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { PolicySession } from "../policy-runner";
import type { RecordedResource } from "../synth/mock-run";
import { REPO_ROOT } from "../synth/stack-config";

export type BackendKind = "engine" | "in-process";

export interface PolicyRunInput {
  stack: string;
  project: string;
  resources: readonly RecordedResource[];
  /** Stack config (namespace:key -> value), as ConfigureStack sends it. */
  stackConfig: Record<string, string>;
  estimatedMonthlyUsd?: number;
}

export interface PolicyRunTiming {
  findings: number;
  /** Findings per policy name. */
  findingsByPolicy: Record<string, number>;
  /** Milliseconds per policy (in-process only; the engine path times the whole exchange). */
  perPolicyMs?: Record<string, number>;
  /** Wall time of the Analyze calls and of AnalyzeStack (engine only). */
  analyzeMs?: number;
  analyzeStackMs?: number;
}

export interface PolicyBackend {
  kind: BackendKind;
  description: string;
  /** How many policies the pack runs. */
  policies: number;
  /** Time to get ready (start the pack process, or load the pack module). */
  startMs: number;
  evaluate(input: PolicyRunInput): Promise<PolicyRunTiming>;
  close(): Promise<void>;
}

/** A pack to run: its directory and, optionally, a --policy-pack-config file. */
export interface PackChoice {
  dir: string;
  configFile?: string;
}

export const PACK_DIR = path.join(REPO_ROOT, "policies");
export const COST_POLICY = "estimated-cost-within-budget";

function countByPolicy(findings: { policy: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of findings) counts[finding.policy] = (counts[finding.policy] ?? 0) + 1;
  return counts;
}

const shown = (file: string) => path.relative(REPO_ROOT, file);

async function startEngine(pack: PackChoice): Promise<PolicyBackend> {
  const started = performance.now();
  const session = await PolicySession.start(pack.dir, { startTimeoutMs: 180_000 });
  const { policies } = await session.describe();
  const startMs = performance.now() - started;
  return {
    kind: "engine",
    description: `${shown(pack.dir)} over gRPC (tools/policy-runner${pack.configFile ? `, ${shown(pack.configFile)}` : ""})`,
    policies: policies.length,
    startMs,
    async evaluate(input) {
      const result = await session.evaluate({ ...input, configFile: pack.configFile });
      return {
        findings: result.findings.length,
        findingsByPolicy: countByPolicy(result.findings),
        ...result.timings,
      };
    },
    close: () => session.close(),
  };
}

type Level = "advisory" | "mandatory" | "remediate" | "disabled";

/** --policy-pack-config format -> per-policy {enforcementLevel, ...knobs}, as the in-process runner takes it. */
export function inProcessConfigs(
  file: Record<string, unknown>,
  policyNames: string[],
  estimatedMonthlyUsd: number | undefined,
): Record<string, Record<string, unknown> & { enforcementLevel?: Level }> {
  const levelOf = (entry: unknown): Level | undefined =>
    typeof entry === "string"
      ? (entry as Level)
      : ((entry as { enforcementLevel?: Level } | undefined)?.enforcementLevel ?? undefined);
  const all = levelOf(file.all);
  const configs: Record<string, Record<string, unknown> & { enforcementLevel?: Level }> = {};
  for (const name of policyNames) {
    const entry = file[name];
    const knobs = entry && typeof entry === "object" ? { ...(entry as Record<string, unknown>) } : {};
    delete knobs.enforcementLevel;
    const level = levelOf(entry) ?? all;
    configs[name] = { ...knobs, ...(level ? { enforcementLevel: level } : {}) };
  }
  if (
    estimatedMonthlyUsd !== undefined &&
    configs[COST_POLICY] &&
    !("estimatedMonthlyUsd" in configs[COST_POLICY])
  ) {
    configs[COST_POLICY].estimatedMonthlyUsd = Math.round(estimatedMonthlyUsd * 100) / 100;
  }
  return configs;
}

async function startInProcess(configFile: string | undefined): Promise<PolicyBackend> {
  const started = performance.now();
  const { fromRecorded, runPolicy } = await import("../policy-runner/in-process");
  const { policies } = await import("../../policies/pack");
  const startMs = performance.now() - started;
  const file = configFile ? (JSON.parse(fs.readFileSync(configFile, "utf8")) as Record<string, unknown>) : {};

  return {
    kind: "in-process",
    description: `policies/pack.ts in this process (tools/policy-runner/in-process.ts${configFile ? `, ${shown(configFile)}` : ""})`,
    policies: policies.length,
    startMs,
    async evaluate(input) {
      const configs = inProcessConfigs(
        file,
        policies.map((p) => p.name),
        input.estimatedMonthlyUsd,
      );
      const withInputs = fromRecorded(input.resources, (r) => r.inputs);
      const analyzed = input.resources.filter((r) => r.custom).map((r) => withInputs.get(r.urn)!);
      const stackWide = [...fromRecorded(input.resources, (r) => ({ ...r.inputs, ...r.outputs })).values()];
      const perPolicyMs: Record<string, number> = {};
      let findings = 0;
      const findingsByPolicy: Record<string, number> = {};
      for (const policy of policies) {
        const isStack = "validateStack" in policy && typeof policy.validateStack === "function";
        const t0 = performance.now();
        const result = await runPolicy(policy, isStack ? stackWide : analyzed, configs[policy.name]);
        perPolicyMs[policy.name] = performance.now() - t0;
        findings += result.findings.length;
        if (result.findings.length > 0) findingsByPolicy[policy.name] = result.findings.length;
      }
      return { findings, findingsByPolicy, perPolicyMs };
    },
    close: async () => undefined,
  };
}

/** Starts `pack` the requested way; in-process runs only this repository's pack (policies/). */
export async function startPolicyBackend(kind: BackendKind, pack: PackChoice): Promise<PolicyBackend> {
  if (kind === "engine") return startEngine(pack);
  if (path.resolve(pack.dir) !== PACK_DIR)
    throw new Error(`the in-process runner runs policies/ only, not ${shown(pack.dir)}`);
  return startInProcess(pack.configFile);
}
