/** Cost: the monthly COST budget with a forecast notification to the alert topic and an actual one by e-mail. */
import { T } from "../../../policies/lib/types";
import { Res, res } from "../harness";
import { ALERTS_ARN, Area, areaOf, Env } from "./env";

/** The estimate the runner writes into the cost policy's config; within the $400 budget. */
export const ESTIMATED_MONTHLY_USD = 250;

export interface CostArea extends Area {
  budget: Res;
}

export function cost(env: Env): CostArea {
  const budget = res(
    T.budget,
    "bdp-dev-budget",
    {
      name: "bdp-dev-monthly",
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: "400",
      limitUnit: "USD",
      notifications: [
        {
          comparisonOperator: "GREATER_THAN",
          threshold: 80,
          thresholdType: "PERCENTAGE",
          notificationType: "FORECASTED",
          subscriberSnsTopicArns: [ALERTS_ARN],
        },
        {
          comparisonOperator: "GREATER_THAN",
          threshold: 100,
          thresholdType: "PERCENTAGE",
          notificationType: "ACTUAL",
          subscriberEmailAddresses: ["dev@example.com"],
        },
      ],
    },
    { provider: env.provider },
  );
  return areaOf({ budget });
}
