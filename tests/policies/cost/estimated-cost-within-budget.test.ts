/** estimated-cost-within-budget (policies/cost/estimated-cost-within-budget.ts) on a compliant stack of cost, emr. */
import { EMR_CLUSTER, stackWith } from "../builders";
import { cannotJudge, CLEAN, drop, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("estimated-cost-within-budget", () => stackWith("cost", "emr"), [
  { name: "passes an estimate of $250 against a $400 budget", expect: CLEAN },
  {
    name: "fails an estimate above the budget",
    config: { estimatedMonthlyUsd: 900 },
    expect: violation("bdp-dev-budget", "$900.00", "exceeds"),
  },
  {
    name: "knob maxBudgetUtilizationPercent keeps headroom",
    config: { estimatedMonthlyUsd: 350, maxBudgetUtilizationPercent: 80 },
    expect: violation("bdp-dev-budget", "80%"),
  },
  {
    name: "sums estimated-monthly-usd tags when no estimate is configured",
    stack: (s) =>
      s.all.map((r) =>
        r.name === EMR_CLUSTER
          ? { ...r, props: { ...r.props, tags: { ...r.props.tags, "estimated-monthly-usd": "512.5" } } }
          : r,
      ),
    config: { estimatedMonthlyUsd: undefined },
    expect: violation("bdp-dev-budget", "$512.50", "tag"),
  },
  {
    name: "converts an annual budget to a monthly amount",
    stack: mutate("bdp-dev-budget", (p) => {
      p.timeUnit = "ANNUALLY";
      p.limitAmount = "2400";
    }),
    expect: violation("bdp-dev-budget", "$200.00 per month"),
  },
  {
    name: "cannot judge a stack without a budget, and says to declare one",
    stack: drop("bdp-dev-budget"),
    expect: cannotJudge("stack", "no known COST budget). Declare an aws.budgets.Budget of type COST"),
  },
  {
    name: "cannot judge without any estimate",
    config: { estimatedMonthlyUsd: undefined },
    expect: cannotJudge("stack", "no estimate"),
  },
  {
    name: "cannot judge an unknown limit",
    stack: mutate("bdp-dev-budget", (p) => {
      p.limitAmount = UNKNOWN.string;
    }),
    expect: cannotJudge("bdp-dev-budget", "limitAmount"),
  },
]);
