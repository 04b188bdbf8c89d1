/**
 * The machine-readable plan report (`npm run plan -- --format json`). Stable: object keys sorted,
 * arrays of records sorted, repository paths relative, no timestamps; two runs over the same tree
 * give identical bytes. The shape is documented by schemas/plan-report.schema.json (draft-07) and
 * versioned by `schemaVersion` (bumped on any incompatible change).
 */
import type { CostEstimate } from "../../decisions/cost/estimate";
import type { ComponentGroup, PlanReport } from "../plan/plan";
import type { DeployRulesReport } from "./deploy-rules";
import { repoRelative } from "./locations";
import type { PolicyReport } from "./model";
import { stableStringify } from "./stable-json";

export const REPORT_SCHEMA_VERSION = 2;
export const REPORT_KIND = "bdp-plan-report";

export interface JsonReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: typeof REPORT_KIND;
  stack: string;
  project: string;
  /** Pulumi.<stack>.yaml, relative to the repository root. */
  stackFile: string;
  components: ComponentGroup[];
  totals: PlanReport["totals"];
  /** The monthly cost estimate (decisions/cost), or null when the program exports none. */
  costEstimate: CostEstimate | null;
  /** The program's other stack outputs. */
  stackOutputs: Record<string, unknown>;
  /** The policy check, or null with --no-policies. */
  policies: PolicyReport | null;
  /** The deploy rules (what AWS would reject); added in schemaVersion 2. */
  deployRules: DeployRulesReport;
}

const byTypeAndName = (a: { type: string; name: string }, b: { type: string; name: string }) =>
  a.type.localeCompare(b.type) || a.name.localeCompare(b.name);

export function costEstimateOf(plan: Pick<PlanReport, "stackOutputs">): CostEstimate | null {
  const estimate = plan.stackOutputs.costEstimate as CostEstimate | undefined;
  return estimate && typeof estimate === "object" && typeof estimate.total === "number" ? estimate : null;
}

export function buildJsonReport(
  plan: PlanReport,
  project: string,
  policies: PolicyReport | null,
): JsonReport {
  const { costEstimate: _estimate, ...stackOutputs } = plan.stackOutputs;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: REPORT_KIND,
    stack: plan.stack,
    project,
    stackFile: repoRelative(plan.stackFile),
    components: plan.components
      .map((group) => ({ ...group, resources: [...group.resources].sort(byTypeAndName) }))
      .sort(byTypeAndName),
    totals: plan.totals,
    costEstimate: costEstimateOf(plan),
    stackOutputs,
    policies,
    deployRules: plan.deployRules,
  };
}

export function formatJsonReport(report: JsonReport): string {
  return stableStringify(report);
}
