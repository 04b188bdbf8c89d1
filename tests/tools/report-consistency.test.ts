/**
 * One set of numbers: for dev, prod and a generated stack with many pipelines, every total in the
 * text, JSON and SARIF reports is the sum of the rows printed with it, and every cost line belongs
 * to exactly one pipeline or shared component.
 */
import { strict as assert } from "assert";
import * as path from "path";
import type * as sarif from "sarif";
import { PROJECT } from "../../infra/config";
import { configWithPipelines, readRawStackConfig } from "../../tools/bench/generate";
import { renderText } from "../../tools/plan/cli";
import { PlanReport, planConfig, runPlan } from "../../tools/plan/plan";
import { PolicySession } from "../../tools/policy-runner";
import { buildJsonReport, JsonReport } from "../../tools/reports/json-report";
import { buildPolicyReport, PolicyReport } from "../../tools/reports/model";
import { buildSarif } from "../../tools/reports/sarif";
import {
  buildSummary,
  formatSummaryText,
  monthlyTotalUsd,
  SUMMARY_PIPELINE_ROWS,
} from "../../tools/reports/summary";
import { SHARED_COMPONENTS } from "../../decisions/cost/ledger";
import { stackFilePath, toRuntimeConfig } from "../../tools/synth/stack-config";
import { planReportProblems, ROOT } from "./support";

/** "$1,234.56" -> 123456 cents. */
function cents(amount: string): number {
  const match = /^(-?)\$([\d,]+)\.(\d\d)$/.exec(amount);
  assert.ok(match, `not an amount: ${amount}`);
  return (match[1] ? -1 : 1) * (Number(match[2].replace(/,/g, "")) * 100 + Number(match[3]));
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const AMOUNT = /-?\$[\d,]+\.\d\d/g;

/** The lines of `text` from the one matching `start` up to (not including) the first blank one. */
function block(text: string, start: RegExp): string[] {
  const lines = text.split("\n");
  const from = lines.findIndex((line) => start.test(line));
  assert.ok(from >= 0, `no line matching ${start}`);
  const to = lines.findIndex((line, index) => index > from && line.trim() === "");
  return lines.slice(from, to < 0 ? undefined : to);
}

/** The amounts on a line, as cents. */
const amounts = (line: string) => (line.match(AMOUNT) ?? []).map(cents);

interface Stack {
  plan: PlanReport;
  policies: PolicyReport;
  text: string;
  json: JsonReport;
  log: sarif.Log;
}

function checkText({ plan, text, policies }: Stack): void {
  // Summary: the pipeline rows (and the "more" row) add up to "All pipelines"; that plus the shared
  // line is the monthly cost, which is the cost section's total.
  const summary = block(text, /^Pipelines \(\d+\)$/);
  const rows = summary.slice(2);
  const all = rows.find((line) => line.trimStart().startsWith("All pipelines"))!;
  const shared = rows.find((line) => line.trimStart().startsWith("Shared components"))!;
  const pipelineRows = rows.slice(0, rows.indexOf(all));
  const pipelineCount = (JSON.parse(plan.config[`${PROJECT}:pipelines`]) as unknown[]).length;
  assert.equal(
    pipelineRows.filter((line) => !line.includes("more pipeline")).length,
    Math.min(SUMMARY_PIPELINE_ROWS, pipelineCount),
  );
  const pipelineCents = sum(pipelineRows.map((line) => amounts(line).at(-1)!));
  assert.equal(pipelineCents, amounts(all)[0], summary.join("\n"));
  const costLine = text.split("\n").find((line) => line.startsWith("Monthly cost: "))!;
  const [total, pipelinesPart, sharedPart] = amounts(costLine);
  assert.equal(pipelinesPart, pipelineCents);
  assert.equal(sharedPart, amounts(shared)[0]);
  assert.equal(total, pipelinesPart + sharedPart, costLine);

  // Cost section: each column of the pipeline table sums to its subtotal row, the shared rows to
  // theirs, and the total is the two subtotals.
  const pipelineTable = block(text, /^Pipeline {2,}Tier/);
  const subtotal = amounts(pipelineTable.at(-1)!);
  const body = pipelineTable.slice(1, -2).map(amounts);
  for (let column = 0; column < subtotal.length; column++) {
    assert.equal(sum(body.map((row) => row[column])), subtotal[column], `column ${column}`);
  }
  for (const row of body) assert.equal(row[0] + row[1], row[2], "compute + Step Functions = monthly");
  const sharedTable = block(text, /^Shared component/);
  const sharedSubtotal = amounts(sharedTable.at(-1)!);
  assert.equal(sum(sharedTable.slice(1, -2).map((line) => amounts(line)[0])), sharedSubtotal[0]);
  const totalLine = text.split("\n").find((line) => line.startsWith("Total: "))!;
  assert.deepEqual(amounts(totalLine), [total, subtotal[2], sharedSubtotal[0]]);

  // Policy and deploy verdicts: the summary's counts are the detail sections' counts.
  const policyLine = text.split("\n").find((line) => line.startsWith("Policy check: "))!;
  const count = (title: string) => {
    const match = new RegExp(`^${title} \\((\\d+)\\)$`, "m").exec(text);
    return match ? Number(match[1]) : 0;
  };
  assert.match(
    policyLine,
    new RegExp(`${count("Mandatory findings")} mandatory, ${count("Advisory findings")} advisory`),
  );
  assert.equal(policies.summary.mandatory, count("Mandatory findings"));
  assert.match(policyLine, new RegExp(`${count("Exemptions applied")} exemption`));

  // Listing: every group's count is its rows; the totals are the rows, the groups, the types.
  const listing = text.slice(text.indexOf("Resources of stack"));
  const lines = listing.split("\n");
  let listed = 0;
  let groups = 0;
  for (let index = 0; index < lines.length; index++) {
    const header = /\((\d+) resources?\)$/.exec(lines[index]);
    if (!header || lines[index].startsWith(" ")) continue;
    groups++;
    let rowsOfGroup = 0;
    while (lines[index + 1 + rowsOfGroup]?.startsWith("    ")) rowsOfGroup++;
    assert.equal(rowsOfGroup, Number(header[1]), lines[index]);
    listed += rowsOfGroup;
  }
  const totals = /^Totals: (\d+) resources in (\d+) components \((\d+) declared, (\d+) created by awsx/m.exec(
    listing,
  );
  assert.ok(totals, listing.slice(-500));
  assert.deepEqual(totals.slice(1).map(Number), [
    listed,
    groups,
    listed - Number(totals[4]),
    Number(totals[4]),
  ]);
  const byType = listing.slice(listing.indexOf("Totals:")).split("\n").slice(1);
  assert.equal(sum(byType.map((line) => Number(/^ +(\d+) {2}/.exec(line)?.[1] ?? 0))), listed);
  const resourcesLine = text.split("\n").find((line) => line.startsWith("Resources: "))!;
  assert.match(
    resourcesLine,
    new RegExp(
      `^Resources: ${listed} in ${groups} components \\(${totals[3]} declared, ${totals[4]} created`,
    ),
  );
}

function checkJson({ plan, json }: Stack): void {
  assert.deepEqual(planReportProblems(json), []);
  const rows = json.components.flatMap((group) => group.resources);
  assert.equal(json.totals.resources, rows.length);
  assert.equal(json.totals.components, json.components.length);
  assert.equal(json.totals.createdByRemoteComponents, rows.filter((row) => row.createdBy).length);
  assert.equal(sum(Object.values(json.totals.byType)), rows.length);

  // Every cost line has exactly one owner: a pipeline of the stack or a shared component, each
  // pipeline owning its compute and orchestration lines, each shared component one line.
  const ledger = json.costLedger!;
  const pipelines: { name: string }[] = JSON.parse(plan.config[`${PROJECT}:pipelines`]);
  const owners = new Set([
    ...pipelines.map((p) => `pipeline:${p.name}`),
    ...SHARED_COMPONENTS.map((c) => `shared:${c}`),
  ]);
  const keys = ledger.lines.map((line) => `${line.owner.kind}:${line.owner.name}/${line.item}`);
  assert.equal(new Set(keys).size, keys.length, "a cost line listed twice");
  for (const line of ledger.lines)
    assert.ok(owners.has(`${line.owner.kind}:${line.owner.name}`), line.owner.name);
  assert.equal(ledger.lines.length, pipelines.length * 2 + SHARED_COMPONENTS.length);
  assert.equal(sum(ledger.lines.map((line) => line.cents)), ledger.totalCents);
  assert.equal(sum(ledger.pipelines.map((row) => row.cents)), ledger.pipelinesCents);
  assert.equal(sum(ledger.shared.map((row) => row.cents)), ledger.sharedCents);
  assert.equal(ledger.pipelinesCents + ledger.sharedCents, ledger.totalCents);
  // Rounding each line to cents moves the total by at most half a cent a line.
  assert.ok(Math.abs(json.costEstimate!.total * 100 - ledger.totalCents) <= ledger.lines.length / 2);

  // Only state machines bill state transitions: an EventBridge-run Batch pipeline owns no
  // Step Functions cost (its rule is part of that pipeline, not of orchestration).
  const runBy = json.stackOutputs.pipelines as Record<string, { orchestration: string }>;
  for (const row of ledger.pipelines) {
    if (runBy[row.name].orchestration !== "stepFunctions") assert.equal(row.orchestrationCents, 0, row.name);
  }
  assert.ok(ledger.pipelines.some((row) => runBy[row.name].orchestration === "eventBridgeBatch"));
}

function checkSarif({ policies, json, log }: Stack): void {
  const [policyRun, deployRun] = log.runs;
  const results = policyRun.results ?? [];
  const open = results.filter((result) => !result.suppressions?.length);
  assert.equal(
    open.filter((result) => result.properties?.enforcementLevel === "mandatory").length,
    policies.summary.mandatory,
  );
  assert.equal(
    open.filter((result) => result.properties?.enforcementLevel === "advisory").length,
    policies.summary.advisory,
  );
  assert.equal(results.length - open.length, policies.summary.exemptions);
  const deploy = deployRun.results ?? [];
  assert.equal(deploy.filter((result) => result.level === "error").length, json.deployRules.summary.errors);
  assert.equal(
    deploy.filter((result) => result.level === "warning").length,
    json.deployRules.summary.warnings,
  );
  assert.equal(policyRun.properties?.estimatedMonthlyUsd, json.costLedger!.totalCents / 100);
}

const policyConfig = (stack: string) => path.join(ROOT, "policies", "config", `${stack}.json`);

describe("reports: one set of numbers", function () {
  this.timeout(300_000);
  const stacks: Record<string, Stack> = {};
  let session: PolicySession;

  async function judge(plan: PlanReport, configFile: string): Promise<Stack> {
    const result = await session.evaluate({
      stack: plan.stack,
      project: PROJECT,
      resources: plan.resources,
      configFile,
      estimatedMonthlyUsd: monthlyTotalUsd(plan),
    });
    const policies = buildPolicyReport(plan, result, "mandatory");
    return {
      plan,
      policies,
      text: renderText(plan, policies, []),
      json: buildJsonReport(plan, PROJECT, policies),
      log: buildSarif(plan, policies, plan.deployRules),
    };
  }

  before(async () => {
    session = await PolicySession.start(path.join(ROOT, "policies"));
    for (const stack of ["dev", "prod"])
      stacks[stack] = await judge(await runPlan(stack), policyConfig(stack));
    // 20 pipelines (more than the summary lists one by one) and a budget they exceed, so the
    // budget policy has something to say.
    const raw = configWithPipelines(readRawStackConfig("dev"), PROJECT, SUMMARY_PIPELINE_ROWS + 8);
    raw[`${PROJECT}:budget`] = { monthlyUsd: 20, anomalyAlertUsd: 5 };
    const generated = await planConfig("generated", toRuntimeConfig(raw, PROJECT), stackFilePath("dev"));
    stacks.generated = await judge(generated, policyConfig("dev"));
  });

  after(async () => {
    await session?.close();
  });

  for (const name of ["dev", "prod", "generated"]) {
    describe(name, () => {
      it("text: summary, cost section and listing rows sum to their totals", () => checkText(stacks[name]));
      it("JSON: rows sum to totals and every cost line has one owner", () => checkJson(stacks[name]));
      it("SARIF: results match the policy and deploy-rule counts and the cost total", () =>
        checkSarif(stacks[name]));
    });
  }

  it("the generated stack is over its budget and says so on the first screen", () => {
    const { text, policies } = stacks.generated;
    assert.match(text, /^Monthly cost: \$[\d,.]+ = .*, OVER the \$20\.00 budget/m);
    assert.ok(policies.findings.some((finding) => finding.policy === "estimated-cost-within-budget"));
    assert.match(text, /^ {2}\.\.\. 8 more pipelines/m);
  });

  it("the first screen says what runs, what it costs and whether it passes", () => {
    const first = stacks.prod.text.split("\n").slice(0, 25).join("\n");
    assert.match(first, /^Stack prod: environment prod, Region eu-west-1 \(Pulumi\.prod\.yaml\)/);
    assert.match(first, /^ {2}Pipeline +Tier +Engine +Trigger +Monthly$/m);
    assert.match(first, /^Monthly cost: \$[\d,.]+ = pipelines .* budget \(\d+%\)$/m);
    assert.match(first, /^Policy check: passed: 0 mandatory, 0 advisory findings/m);
    assert.match(first, /^Deploy rules: passed: 0 errors, 0 warnings/m);
    assert.match(first, /^Resources: \d+ in \d+ components/m);
    assert.match(first, /^Files: none written/m);
    const written = formatSummaryText(
      buildSummary(stacks.prod.plan, stacks.prod.policies, ["/out/report.txt", "/out/architecture-prod.svg"]),
    );
    assert.match(written, /^Files in \/out: report\.txt, architecture-prod\.svg$/m);
  });
});
