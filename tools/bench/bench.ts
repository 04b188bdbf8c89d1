/**
 * `npm run bench -- [--sizes 10,100,300,1000] [--runs 3] [--out docs/bench] [--json] ...`
 *
 * How `npm run plan` grows with the number of pipelines, measured the way a user runs it:
 *   - `npm run plan -- --stack prod` (synthesis, every policy, cost, reports), `--runs` times;
 *   - for each size, the base stack (Pulumi.dev.yaml) with its pipelines replicated to that many
 *     (generate.ts), written as Pulumi.bench-N.yaml for the run and removed afterwards, planned with
 *     `--no-policies` (synthesis) and with the policy check (the base stack's policy config);
 *   - per-resource policy evaluation of this pack and of @pulumi/awsguard (tools/bench/awsguard-pack)
 *     on the same resources, through the analyzer protocol as the plan runs packs.
 * Every plan runs as its own process with Node's default heap; wall time, CPU time (user + system
 * of the plan and the policy pack) and memory (measure.ts) are the medians of the runs.
 *
 * Writes results.json (everything, machine-readable), chart.svg (time and memory against
 * pipelines) and results.md (the table for the README) to --out, and prints the table (or the JSON
 * with --json). Linux only (it reads /proc). Not part of the tests.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import * as v8 from "v8";
import { stringify } from "yaml";
import { PROJECT } from "../../infra/config";
import { CliOutput, defineCli, parseCommandLine, processOutput } from "../cli/args";
import { monthlyTotalUsd } from "../reports/summary";
import { synthesizePlatform } from "../synth/program";
import { REPO_ROOT, stackFilePath, toRuntimeConfig } from "../synth/stack-config";
import { chartSvg } from "./chart";
import { benchAccount, configWithPipelines, inOwnAccount, readRawStackConfig } from "./generate";
import { assertMeasurable, Measurement, measureCommand } from "./measure";
import { PACK_DIR, PackChoice, PolicyBackend, startPolicyBackend } from "./policy-backends";

const RUNNERS = ["auto", "engine", "in-process"] as const;

export const BENCH_CLI = defineCli({
  command: "npm run bench --",
  summary:
    "Times npm run plan for prod and for the base stack with its pipelines replicated, and compares per-resource policy evaluation with @pulumi/awsguard.",
  flags: {
    sizes: {
      type: "numbers",
      integer: true,
      min: 1,
      default: [10, 100, 300, 1000],
      description: "how many pipelines each generated stack has",
    },
    runs: {
      type: "number",
      integer: true,
      min: 1,
      default: 3,
      description: "runs of each measurement (the report gives medians)",
    },
    json: { type: "boolean", description: "print the report as JSON instead of a table" },
    runner: {
      type: "string",
      choices: RUNNERS,
      default: "auto",
      description:
        "how the per-resource comparison runs this pack: engine (gRPC, with @pulumi/awsguard) or in-process (time per policy)",
    },
    stack: {
      type: "string",
      valueName: "NAME",
      default: "dev",
      description: "the base stack: Pulumi.NAME.yaml",
    },
    compare: {
      type: "number",
      integer: true,
      min: 1,
      default: 100,
      description: "pipelines of the stack the per-resource comparison runs on",
    },
    out: {
      type: "string",
      valueName: "DIR",
      default: "docs/bench",
      description: "where results.json, chart.svg and results.md go",
    },
    "heap-mb": {
      type: "number",
      integer: true,
      min: 256,
      description: "heap limit of the bench's own process, which synthesizes the comparison stack",
    },
  },
});

/** Set in the re-run with a larger heap, so it does not re-run itself again. */
const CHILD_ENV = "BDP_BENCH_HEAP_CHILD";
/** @pulumi/awsguard's policies as a pack (the yardstick for per-resource evaluation). */
const AWSGUARD_PACK_DIR = path.join(__dirname, "awsguard-pack");
/** Generated stacks are named bench-<pipelines>; gitignored, and removed after the run. */
const BENCH_STACK_PREFIX = "bench-";

/** The targets of issue 14, checked against the medians. */
export const TARGETS = {
  prodWallMs: 5_000,
  largestWallMs: 60_000,
  peakMemoryMb: 2_048,
  growthRatio: 11,
} as const;

export interface Summary {
  /** Medians over the runs. */
  wallMs: number;
  cpuMs: number;
  peakTreeRssMb: number;
  peakProcessRssMb: number;
  /** Every run, for the record. */
  runs: { wallMs: number; cpuMs: number; peakTreeRssMb: number; peakProcessRssMb: number }[];
}

export interface SizeResult {
  pipelines: number;
  /** Cloud (custom) resources of the stack, as the plan counts them. */
  resources: number;
  /** `npm run plan -- --no-policies`. */
  synthesis: Summary;
  /** `npm run plan` with the policy check. */
  plan: Summary;
}

export interface PackComparison {
  pack: string;
  policies: number;
  /** Median milliseconds of the Analyze calls (every resource policy on each resource), per resource. */
  analyzeMsPerResource?: number;
  /** Median milliseconds of a whole evaluation (Analyze per resource and AnalyzeStack), per resource. */
  msPerResource: number;
  findings: number;
  slowestPolicies?: { policy: string; ms: number }[];
}

export interface TargetCheck {
  target: string;
  limit: string;
  value: string;
  met: boolean;
}

export interface BenchReport {
  date: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    os: string;
    loadAverage: number[];
  };
  baseStack: string;
  runs: number;
  prod: Summary;
  sizes: SizeResult[];
  comparison: { pipelines: number; resources: number; runner: string; packs: PackComparison[] };
  targets: TargetCheck[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

export function summarize(measurements: readonly Measurement[]): Summary {
  const runs = measurements.map((m) => ({
    wallMs: round(m.wallMs),
    cpuMs: round(m.cpuMs),
    peakTreeRssMb: m.peakTreeRssMb,
    peakProcessRssMb: m.peakProcessRssMb,
  }));
  return {
    wallMs: median(runs.map((r) => r.wallMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    peakTreeRssMb: median(runs.map((r) => r.peakTreeRssMb)),
    peakProcessRssMb: median(runs.map((r) => r.peakProcessRssMb)),
    runs,
  };
}

/** Runs `npm run plan -- <args>` `runs` times; fails with its stderr when a run exits unexpectedly. */
async function timePlan(
  args: string[],
  runs: number,
  expectExit: number[],
  log: (line: string) => void,
): Promise<{ summary: Summary; stdout: string }> {
  const measurements: Measurement[] = [];
  for (let run = 1; run <= runs; run++) {
    const m = await measureCommand("npm", ["run", "-s", "plan", "--", ...args], { cwd: REPO_ROOT });
    if (m.exitCode === null || !expectExit.includes(m.exitCode)) {
      throw new Error(
        `npm run plan -- ${args.join(" ")} exited with ${m.exitCode}:\n${m.stderr.trim().split("\n").slice(-15).join("\n")}`,
      );
    }
    log(
      `  ${args.join(" ")}: ${(m.wallMs / 1000).toFixed(1)} s wall, ${(m.cpuMs / 1000).toFixed(1)} s CPU, ` +
        `${m.peakTreeRssMb} MB (run ${run}/${runs})`,
    );
    measurements.push(m);
  }
  return { summary: summarize(measurements), stdout: measurements[0].stdout };
}

/**
 * The resources the program declares, from the totals line the plan's text report ends its
 * listing with (which also counts what awsx components create, estimated from their inputs).
 */
export function resourcesOf(planText: string): number {
  const match =
    /^Totals: (\d+) resources in \d+ components(?: \((\d+) declared, \d+ created by awsx components\))?$/m.exec(
      planText,
    );
  if (!match) throw new Error("the plan printed no 'Totals:' line");
  return Number(match[2] ?? match[1]);
}

function benchStackName(pipelines: number): string {
  return `${BENCH_STACK_PREFIX}${pipelines}`;
}

function removeBenchStacks(): void {
  for (const file of fs.readdirSync(REPO_ROOT)) {
    if (file.startsWith(`Pulumi.${BENCH_STACK_PREFIX}`) && file.endsWith(".yaml"))
      fs.rmSync(path.join(REPO_ROOT, file));
  }
}

async function benchSize(
  pipelines: number,
  base: Record<string, unknown>,
  configFile: string,
  runs: number,
  log: (line: string) => void,
): Promise<SizeResult> {
  const stack = benchStackName(pipelines);
  fs.writeFileSync(
    stackFilePath(stack),
    stringify({
      config: configWithPipelines(inOwnAccount(base, PROJECT, benchAccount(pipelines)), PROJECT, pipelines),
    }),
  );
  try {
    log(`[${pipelines} pipelines]`);
    const synthesis = await timePlan(["--stack", stack, "--no-policies"], runs, [0], log);
    const plan = await timePlan(
      ["--stack", stack, "--policy-config", configFile, "--fail-on", "none"],
      runs,
      [0],
      log,
    );
    return {
      pipelines,
      resources: resourcesOf(synthesis.stdout),
      synthesis: synthesis.summary,
      plan: plan.summary,
    };
  } finally {
    fs.rmSync(stackFilePath(stack), { force: true });
  }
}

/** Median evaluation time per resource of each pack on the same synthesized stack (after a warm-up run). */
async function comparePacks(
  pipelines: number,
  base: Record<string, unknown>,
  baseStack: string,
  configFile: string,
  runner: "engine" | "in-process",
  runs: number,
  log: (line: string) => void,
): Promise<BenchReport["comparison"]> {
  log(`[per-resource policy evaluation on ${pipelines} pipelines, ${runner}]`);
  const config = toRuntimeConfig(configWithPipelines(base, PROJECT, pipelines), PROJECT);
  const { resources, stackOutputs } = await synthesizePlatform(config, baseStack);
  const custom = resources.filter((r) => r.custom).length;
  const input = {
    stack: baseStack,
    project: PROJECT,
    resources,
    stackConfig: config,
    estimatedMonthlyUsd: monthlyTotalUsd({ stackOutputs }),
  };
  // This pack with the base stack's policy config; @pulumi/awsguard with its defaults (all advisory).
  const packs: PackChoice[] = [{ dir: PACK_DIR, configFile }];
  if (runner === "engine") packs.push({ dir: AWSGUARD_PACK_DIR });
  const backends: PolicyBackend[] = [];
  try {
    for (const pack of packs) backends.push(await startPolicyBackend(runner, pack));
    // A warm-up evaluation each, then the packs take turns, so that a change in the machine's load
    // during the comparison falls on both alike.
    const last = await Promise.all(backends.map((backend) => backend.evaluate(input)));
    const times: number[][] = backends.map(() => []);
    const analyzeTimes: number[][] = backends.map(() => []);
    for (let run = 0; run < runs; run++) {
      for (const [index, backend] of backends.entries()) {
        const started = performance.now();
        last[index] = await backend.evaluate(input);
        times[index].push(performance.now() - started);
        if (last[index].analyzeMs !== undefined) analyzeTimes[index].push(last[index].analyzeMs!);
      }
    }
    const results = backends.map((backend, index): PackComparison => {
      const slowest = last[index].perPolicyMs
        ? Object.entries(last[index].perPolicyMs!)
            .sort(([, a], [, b]) => b - a)
            .slice(0, 3)
            .map(([policy, ms]) => ({ policy, ms: round(ms, 1) }))
        : undefined;
      const result: PackComparison = {
        pack: path.relative(REPO_ROOT, packs[index].dir),
        policies: backend.policies,
        ...(analyzeTimes[index].length > 0
          ? { analyzeMsPerResource: round(median(analyzeTimes[index]) / custom, 3) }
          : {}),
        msPerResource: round(median(times[index]) / custom, 3),
        findings: last[index].findings,
        ...(slowest ? { slowestPolicies: slowest } : {}),
      };
      log(
        `  ${result.pack}: ${result.policies} policies, ${result.msPerResource} ms per resource` +
          (result.analyzeMsPerResource !== undefined ? ` (Analyze ${result.analyzeMsPerResource} ms)` : ""),
      );
      return result;
    });
    return {
      pipelines,
      resources: custom,
      runner: runner === "engine" ? "analyzer protocol (gRPC)" : "in-process",
      packs: results,
    };
  } finally {
    for (const backend of backends) await backend.close();
  }
}

export function checkTargets(report: Omit<BenchReport, "targets">): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  checks.push({
    target: "npm run plan -- --stack prod",
    limit: `<= ${seconds(TARGETS.prodWallMs)} wall`,
    value: seconds(report.prod.wallMs),
    met: report.prod.wallMs <= TARGETS.prodWallMs,
  });
  const largest = report.sizes.at(-1);
  if (largest) {
    checks.push(
      {
        target: `${largest.pipelines} pipelines, synthesis and policies`,
        limit: `<= ${seconds(TARGETS.largestWallMs)} wall`,
        value: seconds(largest.plan.wallMs),
        met: largest.plan.wallMs <= TARGETS.largestWallMs,
      },
      {
        target: `${largest.pipelines} pipelines, peak memory (plan + pack)`,
        limit: `<= ${TARGETS.peakMemoryMb} MB`,
        value: `${largest.plan.peakTreeRssMb} MB`,
        met: largest.plan.peakTreeRssMb <= TARGETS.peakMemoryMb,
      },
    );
  }
  const small = report.sizes.find((s) => s.pipelines === 100);
  if (largest && small && largest !== small) {
    const ratio = largest.plan.wallMs / small.plan.wallMs;
    checks.push({
      target: `time for ${largest.pipelines} / time for 100 pipelines`,
      limit: `<= ${TARGETS.growthRatio}`,
      value: ratio.toFixed(1),
      met: ratio <= TARGETS.growthRatio,
    });
  }
  const [ours, awsguard] = report.comparison.packs;
  if (ours && awsguard) {
    const versus = `${ours.policies} policies vs @pulumi/awsguard's ${awsguard.policies}`;
    if (ours.analyzeMsPerResource !== undefined && awsguard.analyzeMsPerResource !== undefined) {
      checks.push({
        target: `per-resource evaluation (Analyze), ${versus}`,
        limit: `<= ${awsguard.analyzeMsPerResource} ms`,
        value: `${ours.analyzeMsPerResource} ms`,
        met: ours.analyzeMsPerResource <= awsguard.analyzeMsPerResource,
      });
    }
    checks.push({
      target: `whole evaluation per resource (Analyze and AnalyzeStack), ${versus}`,
      limit: `<= ${awsguard.msPerResource} ms`,
      value: `${ours.msPerResource} ms`,
      met: ours.msPerResource <= awsguard.msPerResource,
    });
  }
  return checks;
}

function machine(): BenchReport["machine"] {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => round(l, 2)),
  };
}

function machineLine(report: BenchReport): string {
  const m = report.machine;
  return (
    `${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB, node ${m.node}, ${m.os}; ` +
    `load average ${m.loadAverage.join(" ")} at the end; ${report.date.slice(0, 10)}, medians of ${report.runs} runs`
  );
}

/** The report as a Markdown table (results.md, and what the README shows). */
export function formatMarkdown(report: BenchReport): string {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const lines = [
    `Machine: ${machineLine(report)}.`,
    "",
    "| stack | resources | plan wall s | plan CPU s | synthesis wall s | peak memory MB (plan + pack) | largest process MB |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| prod | | ${s(report.prod.wallMs)} | ${s(report.prod.cpuMs)} | | ${report.prod.peakTreeRssMb} | ${report.prod.peakProcessRssMb} |`,
    ...report.sizes.map(
      (size) =>
        `| ${size.pipelines} pipelines | ${size.resources} | ${s(size.plan.wallMs)} | ${s(size.plan.cpuMs)} | ` +
        `${s(size.synthesis.wallMs)} | ${size.plan.peakTreeRssMb} | ${size.plan.peakProcessRssMb} |`,
    ),
    "",
    `Per-resource policy evaluation (${report.comparison.runner}, ${report.comparison.pipelines} pipelines, ${report.comparison.resources} resources):`,
    "",
    ...report.comparison.packs.map(
      (p) =>
        `- ${p.pack}: ${p.policies} policies, ` +
        (p.analyzeMsPerResource !== undefined ? `Analyze ${p.analyzeMsPerResource} ms per resource, ` : "") +
        `whole evaluation ${p.msPerResource} ms per resource, ${p.findings} findings`,
    ),
    "",
    "| target | limit | measured | met |",
    "| --- | --- | --- | --- |",
    ...report.targets.map((t) => `| ${t.target} | ${t.limit} | ${t.value} | ${t.met ? "yes" : "**no**"} |`),
  ];
  return `${lines.join("\n")}\n`;
}

export function formatTable(report: BenchReport): string {
  return formatMarkdown(report).replace(/\*\*/g, "");
}

export function benchChart(report: BenchReport): string {
  const xs = report.sizes.map((s) => s.pipelines);
  const seconds = (pick: (size: SizeResult) => number) =>
    report.sizes.map((size): [number, number] => [size.pipelines, round(pick(size) / 1000, 1)]);
  const megabytes = (pick: (size: SizeResult) => number) =>
    report.sizes.map((size): [number, number] => [size.pipelines, pick(size)]);
  return chartSvg(
    [
      {
        title: "npm run plan, wall time",
        unit: "s",
        series: [
          { label: "synthesis and policies", points: seconds((s) => s.plan.wallMs), color: "#1f77b4" },
          {
            label: "synthesis (--no-policies)",
            points: seconds((s) => s.synthesis.wallMs),
            color: "#ff7f0e",
            dashed: true,
          },
        ],
        limit: { value: TARGETS.largestWallMs / 1000, label: "target at 1,000 pipelines" },
      },
      {
        title: "peak memory",
        unit: "MB",
        series: [
          { label: "plan + policy pack", points: megabytes((s) => s.plan.peakTreeRssMb), color: "#2ca02c" },
          {
            label: "largest process",
            points: megabytes((s) => s.plan.peakProcessRssMb),
            color: "#9467bd",
            dashed: true,
          },
        ],
        limit: { value: TARGETS.peakMemoryMb, label: "target" },
      },
    ],
    xs,
    [`Base stack Pulumi.${report.baseStack}.yaml with its pipelines replicated.`, `${machineLine(report)}.`],
  );
}

export async function main(argv: string[], output: CliOutput = processOutput): Promise<number> {
  const commandLine = parseCommandLine(BENCH_CLI, argv, output);
  if (!commandLine.run) return commandLine.exitCode;
  const options = commandLine.options;
  const log = (line: string) => output.stderr(`${line}\n`);
  const heapMb = options["heap-mb"];
  if (
    heapMb !== undefined &&
    v8.getHeapStatistics().heap_size_limit / 1024 / 1024 < heapMb &&
    !process.env[CHILD_ENV]
  ) {
    log(`re-running with --max-old-space-size=${heapMb}`);
    const child = spawnSync(
      process.execPath,
      [
        `--max-old-space-size=${heapMb}`,
        "-r",
        path.join(__dirname, "..", "compile", "register.js"),
        __filename,
        ...argv,
      ],
      { cwd: REPO_ROOT, stdio: "inherit", env: { ...process.env, [CHILD_ENV]: "1" } },
    );
    if (child.error) throw child.error;
    return child.status ?? 1;
  }
  assertMeasurable();

  const base = readRawStackConfig(options.stack);
  const configFile = path.join("policies", "config", `${options.stack}.json`);
  const runner = options.runner === "in-process" ? "in-process" : "engine";
  removeBenchStacks();
  log("[prod]");
  const prod = (await timePlan(["--stack", "prod"], options.runs, [0, 1], log)).summary;
  const sizes: SizeResult[] = [];
  for (const pipelines of [...options.sizes].sort((a, b) => a - b)) {
    sizes.push(await benchSize(pipelines, base, configFile, options.runs, log));
  }
  const comparison = await comparePacks(
    options.compare,
    base,
    options.stack,
    path.join(REPO_ROOT, configFile),
    runner,
    options.runs,
    log,
  );
  const partial = {
    date: new Date().toISOString(),
    machine: machine(),
    baseStack: options.stack,
    runs: options.runs,
    prod,
    sizes,
    comparison,
  };
  const report: BenchReport = { ...partial, targets: checkTargets(partial) };

  const outDir = path.resolve(REPO_ROOT, options.out);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "results.json"), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, "chart.svg"), benchChart(report));
  fs.writeFileSync(path.join(outDir, "results.md"), formatMarkdown(report));
  log(`wrote results.json, chart.svg and results.md to ${path.relative(process.cwd(), outDir) || "."}`);
  output.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatTable(report));
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
      removeBenchStacks();
      process.exit(1);
    },
  );
}
