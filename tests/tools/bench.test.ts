/**
 * The benchmark's parts that can be checked quickly: measuring a process tree, the report's
 * figures and target checks, and the chart.
 */
import { strict as assert } from "assert";
import {
  BenchReport,
  benchChart,
  checkTargets,
  formatMarkdown,
  median,
  resourcesOf,
  summarize,
  TARGETS,
} from "../../tools/bench/bench";
import { chartSvg, tickStep } from "../../tools/bench/chart";
import {
  benchAccount,
  configWithPipelines,
  inOwnAccount,
  readRawStackConfig,
} from "../../tools/bench/generate";
import { PROJECT } from "../../infra/config";
import { batchComputePlan } from "../../decisions/batch";
import { SlaTier } from "../../decisions/sla-tier";
import { sharedAccountError } from "../../tools/plan/accounts";
import { toRuntimeConfig } from "../../tools/synth/stack-config";
import { childrenCpuMs, measureCommand, statusKb } from "../../tools/bench/measure";

function summary(wallMs: number, peakTreeRssMb = 500) {
  return summarize([
    {
      exitCode: 0,
      wallMs,
      cpuMs: wallMs * 1.5,
      peakTreeRssMb,
      peakProcessRssMb: peakTreeRssMb / 2,
      stdout: "",
      stderr: "",
    },
  ]);
}

function report(largestWallMs: number, largestPeakMb: number): Omit<BenchReport, "targets"> {
  return {
    date: "2026-11-27T10:00:00.000Z",
    machine: {
      cpus: 2,
      cpuModel: "Test CPU",
      memoryGb: 8,
      node: "v20.0.0",
      os: "Linux 6",
      loadAverage: [0.5, 0.4, 0.3],
    },
    baseStack: "dev",
    runs: 3,
    prod: summary(3_200, 400),
    sizes: [
      { pipelines: 10, resources: 295, synthesis: summary(2_000), plan: summary(3_000) },
      { pipelines: 100, resources: 1_767, synthesis: summary(4_000), plan: summary(6_000) },
      {
        pipelines: 1000,
        resources: 21_000,
        synthesis: summary(30_000),
        plan: summary(largestWallMs, largestPeakMb),
      },
    ],
    comparison: {
      pipelines: 100,
      resources: 1_767,
      runner: "analyzer protocol (gRPC)",
      packs: [
        { pack: "policies", policies: 36, analyzeMsPerResource: 0.5, msPerResource: 0.9, findings: 1 },
        {
          pack: "tools/bench/awsguard-pack",
          policies: 26,
          analyzeMsPerResource: 0.6,
          msPerResource: 1.1,
          findings: 5,
        },
      ],
    },
  };
}

describe("bench", () => {
  it("takes medians and reads the plan's resource count", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    const s = summarize(
      [1_000, 3_000, 2_000].map((wallMs) => ({
        exitCode: 0,
        wallMs,
        cpuMs: wallMs,
        peakTreeRssMb: wallMs / 10,
        peakProcessRssMb: 1,
        stdout: "",
        stderr: "",
      })),
    );
    assert.deepEqual([s.wallMs, s.cpuMs, s.peakTreeRssMb, s.runs.length], [2_000, 2_000, 200, 3]);
    assert.equal(
      resourcesOf("...\nTotals: 1767 resources in 516 components\n    5  aws:s3/bucket:Bucket\n"),
      1767,
    );
    assert.equal(
      resourcesOf("Totals: 291 resources in 47 components (259 declared, 32 created by awsx components)\n"),
      259,
    );
    assert.throws(() => resourcesOf("no totals here"), /no 'Totals:' line/);
  });

  it("checks every target against the medians", () => {
    const good = checkTargets(report(50_000, 1_900));
    assert.deepEqual(
      good.map((t) => [t.target, t.met]),
      [
        ["npm run plan -- --stack prod", true],
        ["1000 pipelines, synthesis and policies", true],
        ["1000 pipelines, peak memory (plan + pack)", true],
        ["time for 1000 / time for 100 pipelines", true],
        ["per-resource evaluation (Analyze), 36 policies vs @pulumi/awsguard's 26", true],
        [
          "whole evaluation per resource (Analyze and AnalyzeStack), 36 policies vs @pulumi/awsguard's 26",
          true,
        ],
      ],
    );
    const bad = checkTargets(report(70_000, 2_500));
    assert.deepEqual(
      bad.filter((t) => !t.met).map((t) => t.value),
      ["70.0 s", "2500 MB", "11.7"],
    );
    assert.equal(TARGETS.growthRatio, 11);
  });

  it("writes a Markdown table with the machine and the unmet targets in bold", () => {
    const partial = report(70_000, 1_900);
    const text = formatMarkdown({ ...partial, targets: checkTargets(partial) });
    assert.match(
      text,
      /^Machine: 2 CPUs \(Test CPU\), 8 GB, node v20\.0\.0, Linux 6; load average 0\.5 0\.4 0\.3/,
    );
    assert.match(text, /\| 1000 pipelines \| 21000 \| 70\.0 \| 105\.0 \| 30\.0 \| 1900 \| 950 \|/);
    assert.match(
      text,
      /\| 1000 pipelines, synthesis and policies \| <= 60\.0 s wall \| 70\.0 s \| \*\*no\*\* \|/,
    );
    assert.match(
      text,
      /- policies: 36 policies, Analyze 0\.5 ms per resource, whole evaluation 0\.9 ms per resource, 1 findings/,
    );
  });

  it("draws time and memory against pipelines, with the targets", () => {
    const partial = report(50_000, 1_900);
    const svg = benchChart({ ...partial, targets: checkTargets(partial) });
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal((svg.match(/<polyline /g) ?? []).length, 4);
    assert.equal((svg.match(/<circle /g) ?? []).length, 12);
    assert.match(svg, /<title>synthesis and policies: 1,000 pipelines, 50 s<\/title>/);
    assert.match(svg, /target at 1,000 pipelines/);
    assert.match(svg, /2 CPUs \(Test CPU\)/);
    assert.match(
      chartSvg(
        [
          { title: "a<b", unit: "s", series: [] },
          { title: "c&d", unit: "MB", series: [] },
        ],
        [1],
        ["x"],
      ),
      /a&lt;b \(s\).*c&amp;d \(MB\)/s,
    );
    assert.deepEqual([0.7, 7, 60, 2_300, 2_048].map(tickStep), [0.2, 2, 20, 500, 500]);
  });

  it("reads CPU time and memory from /proc lines", () => {
    // pid (comm with spaces) state ppid ... utime stime cutime cstime: 250 and 130 ticks for children.
    const stat = "42 (sh -c x) S 1 42 42 0 -1 4194560 100 200 0 0 5 6 250 130 20 0 1 0 100 1000 50";
    assert.equal(childrenCpuMs(stat), 3_800);
    assert.equal(statusKb("Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n", "VmRSS"), 102_400);
    assert.equal(statusKb("Name:\tnode\n", "VmRSS"), 0);
  });

  it("measures a command and the process it starts: CPU of both, memory of both together", async function () {
    if (process.platform !== "linux") this.skip();
    this.timeout(30_000);
    // Each process keeps about 60 MB and spins until it has used 300 ms of CPU (not of wall time,
    // which a busy machine would fill with waiting); the parent waits for its child.
    const work =
      "const keep = Buffer.alloc(60 * 1024 * 1024, 1); const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; while (cpu() < 300);";
    const script = `${work} require("child_process").spawnSync(process.execPath, ["-e", ${JSON.stringify(work)}]); console.log("done", keep.length);`;
    const m = await measureCommand(process.execPath, ["-e", script], { sampleMs: 20 });
    assert.equal(m.exitCode, 0, m.stderr);
    assert.match(m.stdout, /^done 62914560/);
    assert.ok(m.cpuMs >= 500, `CPU ${m.cpuMs} ms`);
    assert.ok(m.wallMs >= 600, `wall ${m.wallMs} ms`);
    assert.ok(m.peakProcessRssMb >= 60, `largest process ${m.peakProcessRssMb} MB`);
    assert.ok(m.peakTreeRssMb >= 120, `tree ${m.peakTreeRssMb} MB`);
  });

  it("gives a generated stack an account of its own, so the plan accepts it beside dev and prod", () => {
    const dev = readRawStackConfig("dev");
    const generated = configWithPipelines(inOwnAccount(dev, PROJECT, benchAccount(100)), PROJECT, 100);
    const configs = {
      dev: toRuntimeConfig(dev, PROJECT),
      prod: toRuntimeConfig(readRawStackConfig("prod"), PROJECT),
      "bench-100": toRuntimeConfig(generated, PROJECT),
    };
    assert.equal(benchAccount(100), "900000000100");
    assert.equal(sharedAccountError("bench-100", configs), undefined);
    const text = JSON.stringify(generated);
    assert.ok(!text.includes("111122223333"), "the dev account is still named");
    assert.match(text, /arn:aws:iam::900000000100:role\/bdp-dev-deployer/);
    // Without the move, the plan refuses the generated stack.
    configs["bench-100"] = toRuntimeConfig(configWithPipelines(dev, PROJECT, 100), PROJECT);
    assert.match(
      sharedAccountError("bench-100", configs) ?? "",
      /account 111122223333 is also the account of Pulumi\.dev\.yaml/,
    );
    assert.throws(() => inOwnAccount(dev, PROJECT, "12345"), /an AWS account ID has 12 digits, not 12345/);
  });

  it("generates stacks within AWS Batch's hard quotas, the other engines filling the rest", () => {
    const dev = readRawStackConfig("dev");
    const pipelinesOf = (count: number) =>
      configWithPipelines(dev, PROJECT, count)[`${PROJECT}:pipelines`] as {
        name: string;
        engine: string;
        slaTier: SlaTier;
      }[];
    const small = pipelinesOf(100);
    assert.equal(small.length, 100);
    // Below the quotas every template replicates in turn.
    const templates = dev[`${PROJECT}:pipelines`] as { engine: string }[];
    assert.deepEqual(
      small.map((p) => p.engine),
      Array.from({ length: 100 }, (_, index) => templates[index % templates.length].engine),
    );
    const large = pipelinesOf(1000);
    assert.equal(large.length, 1000);
    assert.equal(new Set(large.map((p) => p.name)).size, 1000);
    const batch = large.filter((p) => p.engine === "batch");
    const environments = batch.reduce((sum, p) => sum + batchComputePlan(p.slaTier).environments.length, 0);
    assert.ok(batch.length > 0 && batch.length <= 50, `${batch.length} job queues`);
    assert.ok(environments <= 50 && environments > 45, `${environments} compute environments`);
    assert.deepEqual(
      [...new Set(large.map((p) => p.engine))].sort(),
      [...new Set(small.map((p) => p.engine))].sort(),
    );
  });
});
