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

  it("has a row per pipeline with tier, engine, cost, baseline and saving", () => {
    // Glue: $8.70 vs $13.20, saving $4.50 = 34.1%
    const glue = lines.find((line) => line.startsWith("ingest-orders"));
    assert.ok(glue, report);
    assert.match(glue, /^ingest-orders\s+flexible\s+Glue\s+\$8\.70\s+\$13\.20\s+\$4\.50\s+34\.1%$/);
    // Batch ARM64: $2.37 vs $2.9622 -> $2.96, saving $0.5922 -> $0.59 = 20.0%
    const batch = lines.find((line) => line.startsWith("score-customers"));
    assert.ok(batch, report);
    assert.match(
      batch,
      /^score-customers\s+critical\s+AWS Batch \(Fargate\)\s+\$2\.37\s+\$2\.96\s+\$0\.59\s+20\.0%$/,
    );
  });

  it("has a row per component and a total with baseline and saving", () => {
    assert.match(report, /^Compute: Glue\s+\$8\.70\s+\$13\.20\s+\$4\.50$/m);
    assert.match(report, /^Compute: EMR on EC2\s+\$0\.00\s+\$0\.00\s+\$0\.00$/m);
    // 730 h x $0.045 + 100 GB x $0.045 = $37.35
    assert.match(report, /^Network \(NAT gateways, interface endpoints\)\s+\$37\.35\s+\$37\.35\s+\$0\.00$/m);
    assert.match(report, /^Security \(KMS\)\s+\$3\.00\s+\$3\.00\s+\$0\.00$/m);
    // 2 x 730 h x $1.086 = $1,585.56
    assert.match(report, /^Warehouse \(Redshift\)\s+\$1,585\.56\s+\$1,585\.56\s+\$0\.00$/m);
    // total $8.70 + $2.37 + $37.35 + $3 + $1,585.56 = $1,636.98
    // baseline $13.20 + $2.9622 + $37.35 + $3 + $1,585.56 = $1,642.0722; saving $5.0922
    assert.match(report, /^Total\s+\$1,636\.98\s+\$1,642\.07\s+\$5\.09$/m);
    // 5.0922 / 1,642.0722 = 0.31%
    assert.match(report, /^Saving vs baseline: \$5\.09 per month \(0\.3%\)$/m);
  });

  it("aligns the component table and rules off the total", () => {
    const start = lines.findIndex((line) => line.startsWith("Component"));
    const end = lines.findIndex((line) => line.startsWith("Total"));
    const block = lines.slice(start, end + 1);
    assert.equal(block.length, 13); // header, 10 components, rule, total
    assert.ok(new Set(block.map((line) => line.length)).size === 1, block.join("\n"));
    assert.match(block[block.length - 2], /^-+$/);
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
