import assert from "node:assert/strict";

import { estimateMonthlyCost, formatCostReport, formatUsd } from "../../../decisions/cost/estimate";
import { pipeline, workload } from "./helpers";

describe("cost report", () => {
  const estimate = estimateMonthlyCost(
    workload(
      [
        pipeline(
          { engine: "glue", workerType: "G.1X", numberOfWorkers: 2, executionClass: "FLEX" },
          { name: "ingest-orders", slaTier: "flexible", runsPerMonth: 30, expectedRuntimeMinutes: 30 },
        ),
        pipeline(
          { engine: "batch", vcpu: 2, memoryGb: 4, architecture: "ARM64", spot: false },
          { name: "score-customers", slaTier: "critical", runsPerMonth: 120, expectedRuntimeMinutes: 15 },
        ),
      ],
      {
        fixed: {
          natGateways: 1,
          natGbProcessedPerMonth: 100,
          kmsKeys: 3,
          warehouse: { kind: "provisioned", nodeType: "ra3.xlplus", nodes: 2 },
        },
      },
    ),
  );
  const report = formatCostReport(estimate);
  const lines = report.split("\n");

  it("states region, currency, price table date, Spot fraction and what the baseline is", () => {
    assert.match(lines[0], /^Monthly cost estimate: us-east-1, USD, price table of 2026-11-27$/);
    assert.match(report, /Spot priced at 35% of on-demand/);
    assert.match(report, /Baseline: the same workload on on-demand x86/);
  });

  it("has a row per pipeline with tier, engine, compute, Step Functions, total, baseline and saving", () => {
    // Glue: $8.70 vs $13.20, saving $4.50 = 34.1%
    const glue = lines.find((line) => line.startsWith("ingest-orders"));
    assert.ok(glue, report);
    assert.match(
      glue,
      /^ingest-orders\s+flexible\s+Glue\s+\$8\.70\s+\$0\.00\s+\$8\.70\s+\$13\.20\s+\$4\.50\s+34\.1%$/,
    );
    // Batch ARM64: $2.37 vs $2.9622 -> $2.96, saving $0.59 of $2.96 = 19.9% (from the printed cents)
    const batch = lines.find((line) => line.startsWith("score-customers"));
    assert.ok(batch, report);
    assert.match(
      batch,
      /^score-customers\s+critical\s+AWS Batch \(Fargate\)\s+\$2\.37\s+\$0\.00\s+\$2\.37\s+\$2\.96\s+\$0\.59\s+19\.9%$/,
    );
    assert.match(report, /^Pipelines\s+\$11\.07\s+\$0\.00\s+\$11\.07\s+\$16\.16\s+\$5\.09\s+31\.5%$/m);
  });

  it("has a row per shared component, and a total that is the sum of the rows", () => {
    // 730 h x $0.045 + 100 GB x $0.045 = $37.35
    assert.match(
      report,
      /^Network \(NAT gateways, interface endpoints\)\s+\$37\.35\s+\$37\.35\s+\$0\.00\s+0\.0%$/m,
    );
    assert.match(report, /^Security \(KMS\)\s+\$3\.00\s+\$3\.00\s+\$0\.00\s+0\.0%$/m);
    // 2 x 730 h x $1.086 = $1,585.56
    assert.match(report, /^Warehouse \(Redshift\)\s+\$1,585\.56\s+\$1,585\.56\s+\$0\.00\s+0\.0%$/m);
    assert.match(report, /^Shared\s+\$1,625\.91\s+\$1,625\.91\s+\$0\.00\s+0\.0%$/m);
    // total $11.07 + $1,625.91 = $1,636.98; baseline $16.16 + $1,625.91 = $1,642.07; saving $5.09
    assert.match(report, /^Total: \$1,636\.98 per month = pipelines \$11\.07 \+ shared \$1,625\.91$/m);
    // 5.09 / 1,642.07 = 0.31%
    assert.match(report, /^Saving vs baseline \(\$1,642\.07\): \$5\.09 per month \(0\.3%\)$/m);
  });

  it("aligns the tables and rules off the subtotals", () => {
    for (const [header, subtotal, rows] of [
      ["Pipeline", "Pipelines", 2],
      ["Shared component", "Shared", 5],
    ] as const) {
      const start = lines.findIndex((line) => line.startsWith(header));
      const end = lines.findIndex((line, index) => index > start && line.startsWith(`${subtotal} `));
      const block = lines.slice(start, end + 1);
      assert.equal(block.length, rows + 3, block.join("\n")); // header, rows, rule, subtotal
      assert.match(block[block.length - 2], /^-+$/);
      assert.equal(block[block.length - 2].length, Math.max(...block.map((line) => line.length)));
    }
  });

  it("says so when there are no pipelines", () => {
    assert.match(formatCostReport(estimateMonthlyCost(workload([]))), /^Pipelines: none$/m);
  });

  it("formats dollars with thousands separators, cents and a sign", () => {
    assert.equal(formatUsd(0), "$0.00");
    assert.equal(formatUsd(8.7), "$8.70");
    assert.equal(formatUsd(1234.5), "$1,234.50");
    assert.equal(formatUsd(1234567.891), "$1,234,567.89");
    assert.equal(formatUsd(-1), "-$1.00");
    assert.equal(formatUsd(-0.001), "$0.00");
  });
});
