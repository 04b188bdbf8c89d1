/** Plain-text rendering of a cost estimate, for a CLI or a pull-request comment in a code block. */
import type { ComponentCosts, CostEstimate, Engine, Saving } from "./estimate";

const ENGINE_LABELS: Record<Engine, string> = {
  glue: "Glue",
  emr: "EMR on EC2",
  emrServerless: "EMR Serverless",
  batch: "AWS Batch (Fargate)",
};

type Align = "left" | "right";

/** A readable multi-line report: per pipeline, per component, total, baseline, saving and the cost advisor. */
export function formatCostReport(estimate: CostEstimate): string {
  const lines: string[] = [];
  lines.push(
    `Monthly cost estimate: ${estimate.region}, ${estimate.currency}, price table of ${estimate.priceTableDate}`,
  );
  lines.push(
    `Spot priced at ${formatPercent(estimate.spotPriceFraction * 100, 0)} of on-demand. Baseline: the same workload ` +
      "on on-demand x86, Glue STANDARD at its maximum workers, Fargate on-demand x86, EMR Serverless x86 " +
      "and a provisioned warehouse that never pauses.",
  );
  lines.push("");

  if (estimate.pipelines.length === 0) {
    lines.push("Pipelines: none");
  } else {
    lines.push(
      ...table(
        ["Pipeline", "Tier", "Engine", "Monthly", "Baseline", "Saving", "Saving %"],
        ["left", "left", "left", "right", "right", "right", "right"],
        estimate.pipelines.map((p) => [
          p.name,
          p.slaTier,
          ENGINE_LABELS[p.engine],
          formatUsd(p.total),
          formatUsd(p.baselineTotal),
          formatUsd(p.saving),
          formatPercent(p.savingPercent, 1),
        ]),
      ),
    );
  }
  lines.push("");

  const rows = componentRows(estimate.components, estimate.baselineComponents).map(
    ([label, cost, baseline]) => [label, formatUsd(cost), formatUsd(baseline), formatUsd(baseline - cost)],
  );
  rows.push([
    "Total",
    formatUsd(estimate.total),
    formatUsd(estimate.baselineTotal),
    formatUsd(estimate.saving),
  ]);
  const componentTable = table(
    ["Component", "Monthly", "Baseline", "Saving"],
    ["left", "right", "right", "right"],
    rows,
  );
  // A rule above the total row.
  const rule = "-".repeat(componentTable[0].length);
  lines.push(...componentTable.slice(0, -1), rule, componentTable[componentTable.length - 1]);
  lines.push("");
  lines.push(
    `Saving vs baseline: ${formatUsd(estimate.saving)} per month (${formatPercent(estimate.savingPercent, 1)})`,
  );
  lines.push("", ...adviceLines(estimate.advice));
  return lines.join("\n") + "\n";
}

/** The cost advisor's savings, largest first: amount and change, then what it trades and how it was priced. */
function adviceLines(advice: readonly Saving[]): string[] {
  if (advice.length === 0) return ["Cost advisor: no further saving found in this workload"];
  const amounts = advice.map((saving) => `${saving.upTo ? "up to " : ""}${formatUsd(saving.monthlyUsd)}`);
  const width = Math.max(...amounts.map((amount) => amount.length));
  const indent = " ".repeat(width + 4);
  return [
    "Cost advisor: savings still open, per month (same workload and price table)",
    ...advice.flatMap((saving, index) => [
      `  ${amounts[index].padStart(width)}  ${saving.change}`,
      `${indent}trades: ${saving.trade}`,
      `${indent}basis: ${saving.basis}`,
    ]),
  ];
}

function componentRows(actual: ComponentCosts, baseline: ComponentCosts): [string, number, number][] {
  return [
    ["Compute: Glue", actual.compute.glue, baseline.compute.glue],
    ["Compute: EMR on EC2", actual.compute.emr, baseline.compute.emr],
    ["Compute: EMR Serverless", actual.compute.emrServerless, baseline.compute.emrServerless],
    ["Compute: AWS Batch (Fargate)", actual.compute.batch, baseline.compute.batch],
    ["Network (NAT gateways, interface endpoints)", actual.network, baseline.network],
    ["Storage (S3)", actual.storage, baseline.storage],
    ["Security (KMS)", actual.security, baseline.security],
    ["Monitoring (CloudWatch)", actual.monitoring, baseline.monitoring],
    ["Orchestration (Step Functions)", actual.orchestration, baseline.orchestration],
    ["Warehouse (Redshift)", actual.warehouse, baseline.warehouse],
  ];
}

function table(headers: string[], align: Align[], rows: string[][]): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => row[column].length)),
  );
  const render = (cells: string[]): string =>
    cells
      .map((cell, column) =>
        align[column] === "right" ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join("  ")
      .trimEnd();
  return [render(headers), ...rows.map(render)];
}

/** "$1,234.56"; negative amounts as "-$1.00". Rounded to cents. */
export function formatUsd(amount: number): string {
  const cents = Math.round(Math.abs(amount) * 100);
  const sign = amount < 0 && cents > 0 ? "-" : "";
  const dollars = Math.floor(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}$${dollars}.${String(cents % 100).padStart(2, "0")}`;
}

function formatPercent(value: number, digits: number): string {
  return `${value.toFixed(digits)}%`;
}
