/**
 * `npm run bench -- [--sizes 10,100,1000] [--json] [--runner auto|engine|in-process] [--stack dev]`
 *
 * How synthesis and the policy check grow with the number of pipelines: for each size, the base
 * stack's config (Pulumi.dev.yaml) with its pipelines replicated to that many (generate.ts) is
 * synthesized under mocks, then the policy pack judges the recorded resources with the stack's
 * policy config. Prints a table (or JSON with --json) to stdout; progress goes to stderr.
 * Not part of the test run.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { performance } from "perf_hooks";
import * as v8 from "v8";
import { PROJECT } from "../../infra/config";
import { CliOutput, defineCli, parseCommandLine, processOutput } from "../cli/args";
import { synthesizePlatform } from "../synth/program";
import { REPO_ROOT, toRuntimeConfig } from "../synth/stack-config";
import { configWithPipelines, readRawStackConfig } from "./generate";
import { BackendKind, PolicyBackend, startPolicyBackend } from "./policy-backends";

const RUNNERS = ["auto", "engine", "in-process"] as const satisfies readonly BackendKind[];

export const BENCH_CLI = defineCli({
  command: "npm run bench --",
  summary: "Times synthesis and the policy check for the base stack with its pipelines replicated.",
  flags: {
    sizes: {
      type: "numbers",
      integer: true,
      min: 1,
      default: [10, 100, 1000],
      description: "how many pipelines each run has",
    },
    json: { type: "boolean", description: "print the report as JSON instead of a table" },
    runner: { type: "string", choices: RUNNERS, default: "auto", description: "how the policy pack runs" },
    stack: {
      type: "string",
      valueName: "NAME",
      default: "dev",
      description: "the base stack: Pulumi.NAME.yaml",
    },
    "heap-mb": {
      type: "number",
      integer: true,
      min: 256,
      description: "heap limit in MB (default: enough for the largest size)",
    },
  },
});

/** Set in the re-run with a larger heap, so it does not re-run itself again. */
const CHILD_ENV = "BDP_BENCH_HEAP_CHILD";

/**
 * Heap the largest size needs: synthesis under mocks keeps every resource's inputs, outputs and
 * Outputs alive (about 4 GB at 1,000 pipelines, Node's default limit on most machines).
 */
export function heapMbFor(pipelines: number): number {
  return Math.max(4096, 2048 + 10 * pipelines);
}

export interface BenchRow {
  pipelines: number;
  /** Cloud (custom) resources, the ones Analyze is called for. */
  resources: number;
  /** Everything registered: custom resources, components, providers, the stack. */
  registered: number;
  synthMs: number;
  policyMs: number;
  policyMsPerResource: number;
  totalMs: number;
  findings: number;
  findingsByPolicy: Record<string, number>;
  /** Largest heap in use while synthesizing and judging this size (sampled every 100 ms). */
  peakHeapMb: number;
  /** The slowest policies of this size (in-process runs only). */
  slowestPolicies?: { policy: string; ms: number }[];
}

export interface BenchReport {
  baseStack: string;
  policyRunner: { kind: string; description: string; startMs: number };
  node: string;
  rows: BenchRow[];
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function benchSize(
  size: number,
  base: Record<string, unknown>,
  stack: string,
  backend: PolicyBackend,
  log: (line: string) => void,
): Promise<BenchRow> {
  const config = toRuntimeConfig(configWithPipelines(base, PROJECT, size), PROJECT);
  let peak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 100);
  try {
    return await measure(size, config, stack, backend, log, () =>
      Math.max(peak, process.memoryUsage().heapUsed),
    );
  } finally {
    clearInterval(sampler);
  }
}

async function measure(
  size: number,
  config: Record<string, string>,
  stack: string,
  backend: PolicyBackend,
  log: (line: string) => void,
  peakHeap: () => number,
): Promise<BenchRow> {
  log(`[${size} pipelines] synthesizing under mocks...`);
  const synthStart = performance.now();
  const { resources, stackOutputs } = await synthesizePlatform(config, stack);
  const synthMs = performance.now() - synthStart;
  const custom = resources.filter((resource) => resource.custom).length;
  log(`[${size} pipelines] ${custom} resources in ${round(synthMs / 1000, 2)} s; running the policy pack...`);

  const estimate = (stackOutputs.costEstimate as { total?: unknown } | undefined)?.total;
  const policyStart = performance.now();
  const timing = await backend.evaluate({
    stack,
    project: PROJECT,
    resources,
    stackConfig: config,
    estimatedMonthlyUsd: typeof estimate === "number" ? estimate : undefined,
  });
  const policyMs = performance.now() - policyStart;
  log(`[${size} pipelines] policies in ${round(policyMs / 1000, 2)} s, ${timing.findings} findings`);

  const slowest = timing.perPolicyMs
    ? Object.entries(timing.perPolicyMs)
        .sort(([, a], [, b]) => b - a)
        .slice(0, 3)
        .map(([policy, ms]) => ({ policy, ms: round(ms) }))
    : undefined;
  return {
    pipelines: size,
    resources: custom,
    registered: resources.length,
    synthMs: round(synthMs),
    policyMs: round(policyMs),
    policyMsPerResource: round(policyMs / Math.max(1, custom), 3),
    totalMs: round(synthMs + policyMs),
    findings: timing.findings,
    findingsByPolicy: timing.findingsByPolicy,
    peakHeapMb: Math.round(peakHeap() / 1024 / 1024),
    ...(slowest ? { slowestPolicies: slowest } : {}),
  };
}

export function formatTable(report: BenchReport): string {
  const header = [
    "pipelines",
    "resources",
    "synth ms",
    "policy ms",
    "policy ms/resource",
    "total ms",
    "findings",
    "peak heap MB",
  ];
  const rows = report.rows.map((row) => [
    String(row.pipelines),
    String(row.resources),
    row.synthMs.toFixed(0),
    row.policyMs.toFixed(0),
    row.policyMsPerResource.toFixed(3),
    row.totalMs.toFixed(0),
    String(row.findings),
    String(row.peakHeapMb),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padStart(widths[column])).join("  ");
  const lines = [
    `Base stack: Pulumi.${report.baseStack}.yaml, pipelines replicated; ${report.node}`,
    `Policy check: ${report.policyRunner.description}; ready in ${report.policyRunner.startMs.toFixed(0)} ms (not in the table)`,
    "",
    line(header),
    line(widths.map((width) => "-".repeat(width))),
    ...rows.map(line),
  ];
  const largest = report.rows.at(-1);
  const withFindings = Object.entries(largest?.findingsByPolicy ?? {});
  if (largest && withFindings.length > 0) {
    const list = withFindings.map(([policy, count]) => `${policy} ${count}`).join(", ");
    lines.push("", `Findings at ${largest.pipelines} pipelines: ${list}`);
  }
  const slowest = report.rows.at(-1)?.slowestPolicies;
  if (slowest && slowest.length > 0) {
    const largest = report.rows.at(-1)!.pipelines;
    lines.push(
      "",
      `Slowest policies at ${largest} pipelines: ${slowest.map((s) => `${s.policy} ${s.ms} ms`).join(", ")}`,
    );
  }
  return lines.join("\n");
}

export async function main(argv: string[], output: CliOutput = processOutput): Promise<number> {
  const commandLine = parseCommandLine(BENCH_CLI, argv, output);
  if (!commandLine.run) return commandLine.exitCode;
  const { sizes, json, runner: kind, stack } = commandLine.options;
  const log = (line: string) => output.stderr(`${line}\n`);
  const heapMb = commandLine.options["heap-mb"] ?? heapMbFor(Math.max(...sizes));
  const limitMb = v8.getHeapStatistics().heap_size_limit / 1024 / 1024;
  if (limitMb < heapMb && !process.env[CHILD_ENV]) {
    log(
      `heap limit ${Math.round(limitMb)} MB < ${heapMb} MB wanted: re-running with --max-old-space-size=${heapMb}`,
    );
    // NODE_OPTIONS also reaches the policy pack process the runner starts.
    const nodeOptions = [process.env.NODE_OPTIONS, `--max-old-space-size=${heapMb}`]
      .filter(Boolean)
      .join(" ");
    const child = spawnSync(
      process.execPath,
      ["-r", path.join(__dirname, "..", "compile", "register.js"), __filename, ...argv],
      {
        cwd: REPO_ROOT,
        stdio: "inherit",
        env: { ...process.env, NODE_OPTIONS: nodeOptions, [CHILD_ENV]: "1" },
      },
    );
    if (child.error) throw child.error;
    return child.status ?? 1;
  }

  const base = readRawStackConfig(stack);
  const configFile = path.join(REPO_ROOT, "policies", "config", `${stack}.json`);
  log(`starting the policy check (${kind})...`);
  const backend = await startPolicyBackend(kind, configFile, log);
  const rows: BenchRow[] = [];
  try {
    for (const size of sizes) rows.push(await benchSize(size, base, stack, backend, log));
  } finally {
    await backend.close();
  }
  const report: BenchReport = {
    baseStack: stack,
    policyRunner: { kind: backend.kind, description: backend.description, startMs: round(backend.startMs) },
    node: `node ${process.version}`,
    rows,
  };
  output.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatTable(report)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
