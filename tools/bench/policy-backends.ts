/**
 * The two ways the benchmark runs the policy pack over recorded resources:
 *
 *   engine      the offline policy runner (tools/policy-runner): the pack started as a process
 *               serving the analyzer gRPC protocol, fed Analyze per resource and one AnalyzeStack,
 *               as `pulumi preview --policy-pack` does. Imported dynamically: used when present.
 *   in-process  the policies of policies/pack.ts called directly with the arguments the SDK's
 *               analyzer server builds (tools/policy-runner/in-process.ts): resource policies on each
 *               custom resource's inputs, stack policies once on everything's inputs + outputs.
 */
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import type { RecordedResource } from "../synth/mock-run";
import { REPO_ROOT } from "../synth/stack-config";

export type BackendKind = "auto" | "engine" | "in-process";

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
}

export interface PolicyBackend {
  kind: "engine" | "in-process";
  description: string;
  /** Time to get ready (start the pack process, or load the pack module). */
  startMs: number;
  evaluate(input: PolicyRunInput): Promise<PolicyRunTiming>;
  close(): Promise<void>;
}

export const PACK_DIR = path.join(REPO_ROOT, "policies");
export const COST_POLICY = "estimated-cost-within-budget";

/** The parts of tools/policy-runner the benchmark uses (checked at run time; the module may change). */
interface RunnerModule {
  PolicySession: {
    start(packDir: string, options?: { startTimeoutMs?: number }): Promise<RunnerSession>;
  };
}
interface RunnerSession {
  evaluate(options: {
    stack: string;
    project: string;
    resources: readonly RecordedResource[];
    configFile?: string;
    estimatedMonthlyUsd?: number;
    stackConfig?: Record<string, string>;
  }): Promise<{ findings: { policy: string }[] }>;
  close(): Promise<void>;
}

function countByPolicy(findings: { policy: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of findings) counts[finding.policy] = (counts[finding.policy] ?? 0) + 1;
  return counts;
}

async function loadRunner(): Promise<RunnerModule | undefined> {
  const modulePath = path.join(__dirname, "..", "policy-runner");
  if (!fs.existsSync(modulePath)) return undefined;
  const loaded = (await import(modulePath)) as Partial<RunnerModule>;
  return typeof loaded.PolicySession?.start === "function" ? (loaded as RunnerModule) : undefined;
}

async function startEngine(configFile: string): Promise<PolicyBackend | undefined> {
  const runner = await loadRunner();
  if (!runner) return undefined;
  const started = performance.now();
  const session = await runner.PolicySession.start(PACK_DIR, { startTimeoutMs: 180_000 });
  const startMs = performance.now() - started;
  return {
    kind: "engine",
    description: `policy pack process over gRPC (tools/policy-runner, ${path.relative(REPO_ROOT, configFile)})`,
    startMs,
    async evaluate(input) {
      const result = await session.evaluate({ ...input, configFile });
      return { findings: result.findings.length, findingsByPolicy: countByPolicy(result.findings) };
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

async function startInProcess(configFile: string): Promise<PolicyBackend> {
  const started = performance.now();
  const { fromRecorded, runPolicy } = await import("../policy-runner/in-process");
  const { policies } = await import("../../policies/pack");
  const startMs = performance.now() - started;
  const file = JSON.parse(fs.readFileSync(configFile, "utf8")) as Record<string, unknown>;

  return {
    kind: "in-process",
    description: `policies/pack.ts in this process (tools/policy-runner/in-process.ts, ${path.relative(REPO_ROOT, configFile)})`,
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

/** The requested backend; "auto" prefers the engine path and falls back to in-process. */
export async function startPolicyBackend(
  kind: BackendKind,
  configFile: string,
  log: (line: string) => void,
): Promise<PolicyBackend> {
  if (kind !== "in-process") {
    try {
      const engine = await startEngine(configFile);
      if (engine) return engine;
      if (kind === "engine")
        throw new Error("tools/policy-runner is not available (no PolicySession export)");
      log("tools/policy-runner not available: running the policies in-process");
    } catch (error) {
      if (kind === "engine") throw error;
      log(`policy runner failed to start (${(error as Error).message.split("\n")[0]}): running in-process`);
    }
  }
  return startInProcess(configFile);
}
