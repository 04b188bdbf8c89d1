/**
 * The first screen of the plan's text report: what the stack runs (environment, Region, the
 * pipelines with tier, engine, trigger and monthly cost), what it costs against its budget, whether
 * it passes (policy and deploy-rule verdicts with counts) and where the files went. The cost figures
 * are the ledger's (decisions/cost/ledger.ts), the same numbers the cost section and the JSON
 * report print, so the pipeline rows and the shared line add up to the total shown.
 */
import * as path from "path";
import { stackConfigFromEntries } from "../../infra/config";
import type { PipelineTrigger } from "../../decisions/pipeline";
import { CostLedger, costLedger } from "../../decisions/cost/ledger";
import { ENGINE_LABELS, formatUsd } from "../../decisions/cost/report";
import type { PlanReport } from "../plan/plan";
import { costEstimateOf } from "./json-report";
import { repoRelative } from "./locations";
import type { PolicyReport } from "./model";

/** Pipelines listed one by one on the first screen; the rest share one line. */
export const SUMMARY_PIPELINE_ROWS = 12;

export interface SummaryPipeline {
  name: string;
  slaTier: string;
  engine: string;
  trigger: string;
  /** Monthly cost in cents, from the cost ledger; null without a cost estimate. */
  cents: number | null;
}

export interface Summary {
  stack: string;
  stackFile: string;
  /** The platform's environment; null for another program (--program), which has none. */
  environment: string | null;
  /** The stack's Region (another program's `aws:region`); null when its config sets none. */
  region: string | null;
  /** The platform's pipelines; empty for another program. */
  pipelines: SummaryPipeline[];
  /** null when the program exports no cost estimate; budgetCents null when it states no budget. */
  cost: { ledger: CostLedger; budgetCents: number | null } | null;
  policies: PolicyReport | null;
  deployRules: PlanReport["deployRules"];
  totals: PlanReport["totals"];
  /** Files written with --out (absolute or as given); empty without. */
  files: string[];
}

/** The ledger's total in USD (whole cents), the figure every report and the policy pack see. */
export function monthlyTotalUsd(plan: Pick<PlanReport, "stackOutputs">): number | undefined {
  const estimate = costEstimateOf(plan);
  return estimate ? costLedger(estimate).totalCents / 100 : undefined;
}

export function describeTrigger(trigger: PipelineTrigger): string {
  switch (trigger.type) {
    case "schedule":
      return `schedule ${trigger.expression}${trigger.timezone ? ` ${trigger.timezone}` : ""}`;
    case "s3Upload":
      return `S3 upload ${trigger.prefix}*${trigger.suffix}`;
    default:
      return "on demand";
  }
}

export function buildSummary(
  plan: Pick<
    PlanReport,
    "stack" | "stackFile" | "config" | "root" | "stackOutputs" | "deployRules" | "totals"
  >,
  policies: PolicyReport | null,
  files: string[] = [],
): Summary {
  // This repository's stacks: the plan synthesized this config, so it is valid. Another program
  // (root set) has its own config, of which only the AWS Region means something here.
  const config = plan.root === undefined ? stackConfigFromEntries(plan.config) : undefined;
  const estimate = costEstimateOf(plan);
  const ledger = estimate ? costLedger(estimate) : null;
  const centsOf = new Map(ledger?.pipelines.map((row) => [row.name, row.cents]));
  return {
    stack: plan.stack,
    // Relative to this repository (absolute outside it), so another program's folder shows too.
    stackFile: repoRelative(plan.stackFile),
    environment: config?.environment ?? null,
    region: config?.region ?? plan.config["aws:region"] ?? null,
    pipelines: (config?.pipelines ?? []).map((pipeline) => ({
      name: pipeline.name,
      slaTier: pipeline.slaTier,
      engine: ENGINE_LABELS[pipeline.engine as keyof typeof ENGINE_LABELS] ?? pipeline.engine,
      trigger: describeTrigger(pipeline.trigger),
      cents: centsOf.get(pipeline.name) ?? null,
    })),
    cost: ledger ? { ledger, budgetCents: config ? Math.round(config.budget.monthlyUsd * 100) : null } : null,
    policies,
    deployRules: plan.deployRules,
    totals: plan.totals,
    files,
  };
}

const usd = (cents: number | null): string => (cents === null ? "-" : formatUsd(cents / 100));
const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`;

function columns(rows: string[][], rightAligned: number[]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) =>
        rightAligned.includes(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join("  ")
      .trimEnd(),
  );
}

function pipelineLines(summary: Summary): string[] {
  if (summary.environment === null) {
    return ["Pipelines: not a batch-data-platform stack (its components are listed with the resources)"];
  }
  if (summary.pipelines.length === 0) return ["Pipelines: none"];
  const shown = summary.pipelines.slice(0, SUMMARY_PIPELINE_ROWS);
  const rest = summary.pipelines.slice(SUMMARY_PIPELINE_ROWS);
  const rows = [
    ["Pipeline", "Tier", "Engine", "Trigger", "Monthly"],
    ...shown.map((p) => [p.name, p.slaTier, p.engine, p.trigger, usd(p.cents)]),
  ];
  if (rest.length > 0) {
    const restCents = summary.cost ? rest.reduce((total, p) => total + (p.cents ?? 0), 0) : null;
    rows.push([
      `... ${plural(rest.length, "more pipeline")}`,
      "",
      "",
      "(cost estimate below)",
      usd(restCents),
    ]);
  }
  if (summary.cost) {
    const { ledger } = summary.cost;
    rows.push(["All pipelines", "", "", "", usd(ledger.pipelinesCents)]);
    rows.push(["Shared components", "", "", "", usd(ledger.sharedCents)]);
  }
  return [`Pipelines (${summary.pipelines.length})`, ...columns(rows, [4]).map((line) => `  ${line}`)];
}

function costLine(summary: Summary): string {
  if (!summary.cost) return "Monthly cost: not available (the program exports no cost estimate)";
  const { ledger, budgetCents } = summary.cost;
  const sum =
    `Monthly cost: ${usd(ledger.totalCents)} = pipelines ${usd(ledger.pipelinesCents)} + shared ${usd(ledger.sharedCents)} ` +
    "(network, storage, KMS, monitoring, warehouse)";
  if (budgetCents === null) return `${sum}, no budget stated`;
  const share = budgetCents > 0 ? ` (${Math.round((ledger.totalCents / budgetCents) * 100)}%)` : "";
  const verdict = ledger.totalCents > budgetCents ? "OVER the" : "within the";
  return `${sum}, ${verdict} ${usd(budgetCents)} budget${share}`;
}

function policyLine(policies: PolicyReport | null): string {
  if (!policies) return "Policy check: skipped (--no-policies)";
  const { mandatory, advisory, exemptions, policies: count } = policies.summary;
  const verdict = policies.failed ? "FAILED" : "passed";
  return (
    `Policy check: ${verdict}: ${mandatory} mandatory, ${plural(advisory, "advisory finding")}, ` +
    `${plural(exemptions, "exemption")} (${count} ${count === 1 ? "policy" : "policies"}, --fail-on ${policies.failOn})`
  );
}

function deployLine(report: PlanReport["deployRules"]): string {
  const { errors, warnings, rules } = report.summary;
  const verdict = report.rejected ? "AWS would REJECT this stack" : "passed";
  return `Deploy rules: ${verdict}: ${plural(errors, "error")}, ${plural(warnings, "warning")} (${plural(rules, "rule")})`;
}

/** Where the files went: their directory once, then their names. */
function filesLine(files: string[]): string {
  if (files.length === 0) return "Files: none written (--out DIR writes the reports and the diagrams)";
  const dirs = [...new Set(files.map((file) => path.dirname(file)))];
  if (dirs.length > 1) return `Files: ${files.join(", ")}`;
  return `Files in ${dirs[0]}: ${files.map((file) => path.basename(file)).join(", ")}`;
}

function stackLine(summary: Summary): string {
  const region = `Region ${summary.region ?? "not set (aws:region)"}`;
  return summary.environment === null ? region : `environment ${summary.environment}, ${region}`;
}

/** The first screen: what runs, what it costs, whether it passes, where the files are. */
export function formatSummaryText(summary: Summary): string {
  const { totals } = summary;
  const lines = [
    `Stack ${summary.stack}: ${stackLine(summary)} (${summary.stackFile}); offline plan under mocks, no AWS calls`,
    "",
    ...pipelineLines(summary),
    "",
    costLine(summary),
    policyLine(summary.policies),
    deployLine(summary.deployRules),
    `Resources: ${totals.resources} in ${totals.components} components (${totals.declared} declared, ` +
      `${totals.createdByRemoteComponents} created by awsx components); listed after the details below`,
    filesLine(summary.files),
  ];
  return `${lines.join("\n")}\n`;
}
