/** Plain-text rendering of a cost estimate, for a CLI or a pull-request comment in a code block. */
import type { CostEstimate, Engine, Saving } from "./estimate";
import { costLedger, SHARED_COMPONENT_LABELS } from "./ledger";

export const ENGINE_LABELS: Record<Engine, string> = {
  glue: "Glue",
  emr: "EMR on EC2",
  emrServerless: "EMR Serverless",
  batch: "AWS Batch (Fargate)",
};

type Align = "left" | "right";

/**
 * A readable multi-line report: per pipeline (compute, Step Functions, total, baseline, saving), the
 * shared components, and the total as the sum of those rows (./ledger: every line rounded to cents
 * once), then the cost advisor.
 */
export function formatCostReport(estimate: CostEstimate): string {
  const ledger = costLedger(estimate);
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

  if (ledger.pipelines.length === 0) {
    lines.push("Pipelines: none");
  } else {
    const rows = ledger.pipelines.map((p) => [
      p.name,
      p.slaTier,
      ENGINE_LABELS[p.engine],
      formatCents(p.computeCents),
      formatCents(p.orchestrationCents),
      ...costColumns(p.cents, p.baselineCents),
    ]);
    const baseline = sum(ledger.pipelines.map((p) => p.baselineCents));
    const subtotal = [
      "Pipelines",
      "",
      "",
      formatCents(sum(ledger.pipelines.map((p) => p.computeCents))),
      formatCents(sum(ledger.pipelines.map((p) => p.orchestrationCents))),
      ...costColumns(ledger.pipelinesCents, baseline),
    ];
    lines.push(
      ...ruledTable(
        [
          "Pipeline",
          "Tier",
          "Engine",
          "Compute",
          "Step Functions",
          "Monthly",
          "Baseline",
          "Saving",
          "Saving %",
        ],
        ["left", "left", "left", "right", "right", "right", "right", "right", "right"],
        rows,
        subtotal,
      ),
    );
  }
  lines.push("");

  const sharedBaseline = sum(ledger.shared.map((row) => row.baselineCents));
  lines.push(
    ...ruledTable(
      ["Shared component", "Monthly", "Baseline", "Saving", "Saving %"],
      ["left", "right", "right", "right", "right"],
      ledger.shared.map((row) => [
        SHARED_COMPONENT_LABELS[row.component],
        ...costColumns(row.cents, row.baselineCents),
      ]),
      ["Shared", ...costColumns(ledger.sharedCents, sharedBaseline)],
    ),
  );
  lines.push("");
  const [total, baseline, saving, percent] = costColumns(ledger.totalCents, ledger.baselineTotalCents);
  lines.push(
    `Total: ${total} per month = pipelines ${formatCents(ledger.pipelinesCents)} + shared ${formatCents(ledger.sharedCents)}`,
  );
  lines.push(`Saving vs baseline (${baseline}): ${saving} per month (${percent})`);
  lines.push("", ...adviceLines(estimate.advice));
  return lines.join("\n") + "\n";
}

/** Monthly, baseline, saving and saving %, from cents. */
function costColumns(cents: number, baselineCents: number): string[] {
  const saving = baselineCents - cents;
  return [
    formatCents(cents),
    formatCents(baselineCents),
    formatCents(saving),
    formatPercent(baselineCents > 0 ? (saving / baselineCents) * 100 : 0, 1),
  ];
}

/** A table whose last row (a subtotal) sits below a rule. */
function ruledTable(headers: string[], align: Align[], rows: string[][], totalRow: string[]): string[] {
  const rendered = table(headers, align, [...rows, totalRow]);
  const rule = "-".repeat(Math.max(...rendered.map((line) => line.length)));
  return [...rendered.slice(0, -1), rule, rendered[rendered.length - 1]];
}

function formatCents(cents: number): string {
  return formatUsd(cents / 100);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
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
