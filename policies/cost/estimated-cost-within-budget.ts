/**
 * estimated-cost-within-budget: the stack's estimated monthly cost stays within its budget.
 *
 * Where the estimate comes from (in this order):
 *   1. the knob `estimatedMonthlyUsd`: the runner (CI, `npm run plan`) computes the estimate with
 *      decisions/cost (the dated price table) and writes it into the policy config it passes with
 *      `--policy-pack-config`;
 *   2. otherwise the sum of the `estimated-monthly-usd` tag (knob `estimateTagKey`) over the
 *      stack's resources, for programs that tag resources with their own estimate.
 * Without either, the policy reports advisory "cannot judge" rather than passing silently.
 * The budget is the smallest COST budget of the stack, converted to a monthly amount.
 */
import { integer, text } from "../lib/config";
import { stackPolicy, StackResource } from "../lib/define";
import { STACK_SUBJECT } from "../lib/report";
import { ownTags, tagValue } from "../lib/tags";
import { T } from "../lib/types";
import { get, readNumber, readString } from "../lib/values";

export interface EstimateConfig {
  estimatedMonthlyUsd: number | undefined;
  estimateTagKey: string;
  maxBudgetUtilizationPercent: number;
}

const PER_MONTH: Record<string, number> = { MONTHLY: 1, QUARTERLY: 1 / 3, ANNUALLY: 1 / 12 };

export const estimatedCostWithinBudget = stackPolicy<EstimateConfig>({
  name: "estimated-cost-within-budget",
  description:
    "The stack's estimated monthly cost (policy config estimatedMonthlyUsd, written by the runner from the " +
    "cost estimator, or the sum of resource tags estimated-monthly-usd) is at most maxBudgetUtilizationPercent " +
    "of its smallest monthly COST budget.",
  remediationSteps:
    "Lower the estimate (Spot/Graviton/FLEX capacity, fewer or smaller workers, shorter retention) or raise the " +
    "budget's limitAmount deliberately. Run `npm run plan` to see the estimate per component.",
  severity: "high",
  enforcementLevel: "advisory",
  tags: ["cost"],
  types: [T.budget],
  knobs: {
    estimatedMonthlyUsd: {
      type: "number",
      minimum: 0,
      description: "Estimated monthly cost in USD, set by the runner",
    },
    estimateTagKey: text(
      "Resource tag holding a per-resource monthly estimate in USD",
      "estimated-monthly-usd",
    ),
    maxBudgetUtilizationPercent: integer("Highest allowed estimate as percent of the budget", 100, 1),
  },
  defaults: {
    estimatedMonthlyUsd: undefined,
    estimateTagKey: "estimated-monthly-usd",
    maxBudgetUtilizationPercent: 100,
  },
  check: (ctx) => {
    // The budget: smallest monthly COST budget in USD.
    let budget: { res: StackResource; monthly: number } | undefined;
    for (const b of ctx.subjects(T.budget)) {
      const type = readString(get(b.props, "budgetType"));
      if (type.state === "ok" && type.value.toUpperCase() !== "COST") continue;
      const limit = readNumber(get(b.props, "limitAmount"));
      const unit = readString(get(b.props, "limitUnit"));
      const time = readString(get(b.props, "timeUnit"));
      if (ctx.report.unclear(b, "limitAmount", limit) || limit.state === "absent") continue;
      if (unit.state === "ok" && unit.value.toUpperCase() !== "USD") {
        ctx.report.cannotJudge(b, "the budget", `limitUnit ${unit.value} is not USD`);
        continue;
      }
      const factor = time.state === "ok" ? PER_MONTH[time.value.toUpperCase()] : 1;
      if (factor === undefined) {
        ctx.report.cannotJudge(
          b,
          "the budget",
          `timeUnit ${time.state === "ok" ? time.value : "?"} is not monthly, quarterly or annual`,
        );
        continue;
      }
      const monthly = limit.value * factor;
      if (!budget || monthly < budget.monthly) budget = { res: b, monthly };
    }
    if (!budget) {
      ctx.report.cannotJudge(
        STACK_SUBJECT,
        "the estimated cost against the budget",
        "the stack declares no known COST budget",
        "Declare an aws.budgets.Budget of type COST with a monthly USD limit to have it judged.",
      );
      return;
    }

    let estimate = ctx.config.estimatedMonthlyUsd;
    let source = "policy config estimatedMonthlyUsd";
    if (typeof estimate !== "number" || !Number.isFinite(estimate)) {
      let sum = 0;
      let tagged = 0;
      for (const r of ctx.resources) {
        const v = tagValue(ownTags(r.props).tags, ctx.config.estimateTagKey);
        const n = readNumber(v);
        if (n.state === "ok" && n.value >= 0) {
          sum += n.value;
          tagged++;
        }
      }
      if (tagged === 0) {
        ctx.report.cannotJudge(
          STACK_SUBJECT,
          "the estimated monthly cost",
          `no estimate: set policy config estimatedMonthlyUsd or tag resources with ${ctx.config.estimateTagKey}`,
        );
        return;
      }
      estimate = sum;
      source = `sum of ${tagged} ${ctx.config.estimateTagKey} tag(s)`;
    }
    const allowed = (budget.monthly * ctx.config.maxBudgetUtilizationPercent) / 100;
    if (estimate > allowed) {
      ctx.report.violation(
        budget.res,
        `estimated monthly cost $${estimate.toFixed(2)} (${source}) exceeds ${ctx.config.maxBudgetUtilizationPercent}% of the budget ($${allowed.toFixed(2)} of $${budget.monthly.toFixed(2)} per month)`,
        "reduce the stack's cost (Spot/Graviton/FLEX, fewer workers, shorter retention) or raise the budget's limitAmount deliberately",
      );
    }
  },
});
