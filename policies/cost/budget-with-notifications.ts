/**
 * budget-with-notifications: every stack declares an AWS cost budget that notifies people before
 * money is spent, not after the bill arrives.
 */
import { flag, integer } from "../lib/config";
import { stackPolicy } from "../lib/define";
import { STACK_SUBJECT } from "../lib/report";
import { T } from "../lib/types";
import { get, readArray, readNumber, readString } from "../lib/values";

export interface BudgetConfig {
  minNotifications: number;
  requireForecastedNotification: boolean;
}

export const budgetWithNotifications = stackPolicy<BudgetConfig>({
  name: "budget-with-notifications",
  description:
    "The stack declares at least one aws.budgets.Budget of type COST with a positive limitAmount and at least " +
    "minNotifications notifications, each with a subscriber (e-mail or SNS topic).",
  remediationSteps:
    'Declare new aws.budgets.Budget({ budgetType: "COST", timeUnit: "MONTHLY", limitAmount, limitUnit: "USD", ' +
    'notifications: [{ comparisonOperator: "GREATER_THAN", threshold: 80, thresholdType: "PERCENTAGE", ' +
    'notificationType: "FORECASTED", subscriberSnsTopicArns: [alerts.arn] }] }).',
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["cost"],
  types: [T.budget],
  knobs: {
    minNotifications: integer("Least number of notifications per budget", 1, 1),
    requireForecastedNotification: flag(
      "Require a FORECASTED notification (warns before the money is spent)",
      false,
    ),
  },
  defaults: { minNotifications: 1, requireForecastedNotification: false },
  check: (ctx) => {
    const all = ctx.ofType(T.budget);
    const cost = all.filter((b) => {
      const t = readString(get(b.props, "budgetType"));
      return t.state !== "ok" || t.value.toUpperCase() === "COST";
    });
    if (cost.length === 0) {
      ctx.report.violation(
        STACK_SUBJECT,
        "declares no AWS cost budget (aws.budgets.Budget with budgetType COST)",
        "add an aws.budgets.Budget of type COST with a monthly limitAmount and notifications to the alert topic or e-mail",
      );
      return;
    }
    for (const b of ctx.subjects(T.budget).filter((x) => cost.includes(x))) {
      const type = readString(get(b.props, "budgetType"));
      if (ctx.report.unclear(b, "budgetType", type)) continue;
      const limit = readNumber(get(b.props, "limitAmount"));
      const planned = readArray(get(b.props, "plannedLimits"));
      if (!ctx.report.unclear(b, "limitAmount", limit)) {
        if (
          (limit.state === "absent" && planned.state !== "ok") ||
          (limit.state === "ok" && limit.value <= 0)
        ) {
          ctx.report.violation(
            b,
            "budget has no positive limitAmount",
            "set limitAmount (and limitUnit USD) to the environment's monthly budget",
          );
        }
      }
      const notes = readArray(get(b.props, "notifications"));
      if (ctx.report.unclear(b, "notifications", notes)) continue;
      const list = notes.state === "ok" ? notes.value : [];
      if (list.length < ctx.config.minNotifications) {
        ctx.report.violation(
          b,
          `budget has ${list.length} notification(s), fewer than ${ctx.config.minNotifications}`,
          "add notifications (e.g. 80% FORECASTED and 100% ACTUAL) with subscriberSnsTopicArns or subscriberEmailAddresses",
        );
        continue;
      }
      list.forEach((n, i) => {
        const emails = readArray(get(n, "subscriberEmailAddresses"));
        const topics = readArray(get(n, "subscriberSnsTopicArns"));
        if (emails.state === "unknown" || topics.state === "unknown") return;
        const count =
          (emails.state === "ok" ? emails.value.length : 0) +
          (topics.state === "ok" ? topics.value.length : 0);
        if (count === 0) {
          ctx.report.violation(
            b,
            `notification ${i} has no subscriber`,
            "set subscriberSnsTopicArns (alert topic) or subscriberEmailAddresses on every notification",
          );
        }
      });
      if (ctx.config.requireForecastedNotification) {
        const forecasted = list.some((n) => {
          const t = readString(get(n, "notificationType"));
          return t.state !== "ok" || t.value.toUpperCase() === "FORECASTED";
        });
        if (!forecasted) {
          ctx.report.violation(
            b,
            "budget has no FORECASTED notification",
            'add a notification with notificationType "FORECASTED" (e.g. at 100%)',
          );
        }
      }
    }
  },
});
