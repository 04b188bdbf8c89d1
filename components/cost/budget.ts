import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { TAG_KEYS } from "../shared/tags";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import { assertValidArgs } from "../shared/args";

/** Notify when actual spend passes this share of the monthly limit. */
export const ACTUAL_THRESHOLD_PERCENT = 80;
/** Notify when the month's forecast passes the limit: before the money is spent. */
export const FORECASTED_THRESHOLD_PERCENT = 100;
/**
 * A budget notification takes one SNS subscriber and at most 10 e-mail subscribers.
 * Source: https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_NotificationWithSubscribers.html
 */
export const MAX_BUDGET_EMAILS = 10;

export interface BudgetArgs {
  /** Short environment name; costs are those tagged `environment=<env>`. */
  environment: string;
  /** Monthly limit in USD. */
  monthlyLimitUsd: number;
  /** The alert topic (AlertTopic.topicArn): budget notifications and cost anomalies go there. */
  alertTopicArn: pulumi.Input<string>;
  /** Budget notifications also go to these addresses directly (they arrive even without SNS). */
  emails: string[];
  /** Smallest total impact in USD of a cost anomaly worth an alert. */
  anomalyThresholdUsd: number;
  /**
   * Activate the stack's cost allocation tags (COST_ALLOCATION_TAG_KEYS). Budget filters and anomaly
   * monitors only see activated tags. Activation is account-wide, so only the one stack that owns
   * the account's billing settings should; see COST_ALLOCATION_TAG_KEYS for when it can succeed.
   */
  activateCostAllocationTags?: boolean;
}

/**
 * The tag keys the platform's costs are split by: `environment` (the budget and the anomaly
 * monitor filter on it) and `cost-center` (reports). Billing rules for activating them:
 * - only a standalone account or an organization's management account manages cost allocation
 *   tags (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/custom-tags.html);
 * - a user-defined key can be activated only once it appears in billing data, up to 24 hours after
 *   resources carrying it were created
 *   (https://www.pulumi.com/registry/packages/aws/api-docs/costexplorer/costallocationtag/), so on
 *   the first deploy into a fresh account the activation fails; deploy again the next day.
 */
export const COST_ALLOCATION_TAG_KEYS = [TAG_KEYS.environment, TAG_KEYS.costCenter] as const;

/** Why an amount in USD (a budget limit or an anomaly threshold) is not one worth alerting on, or undefined. */
export function usdAmountError(usd: number): string | undefined {
  return Number.isFinite(usd) && usd > 0 ? undefined : "must be greater than 0 (USD)";
}

/** Why the budget notifications cannot go to these addresses directly, or undefined. */
export function budgetEmailsError(emails: readonly string[]): string | undefined {
  return emails.length > MAX_BUDGET_EMAILS
    ? `a budget notification takes at most ${MAX_BUDGET_EMAILS} e-mail addresses (AWS Budgets limit)`
    : undefined;
}

/** Every problem with a budget's args: positive amounts, and no more addresses than a notification takes. */
export function validateBudgetArgs(
  args: Pick<BudgetArgs, "monthlyLimitUsd" | "anomalyThresholdUsd" | "emails">,
): ArgsProblem[] {
  return [
    ...problemAt(["monthlyLimitUsd"], usdAmountError(args.monthlyLimitUsd), args.monthlyLimitUsd),
    ...problemAt(["anomalyThresholdUsd"], usdAmountError(args.anomalyThresholdUsd), args.anomalyThresholdUsd),
    ...problemAt(["emails"], budgetEmailsError(args.emails), args.emails.length),
  ];
}

/** Amount as AWS Budgets expects it: a decimal string with two digits after the point. */
export function budgetLimitAmount(usd: number): string {
  const problem = usdAmountError(usd);
  if (problem) throw new Error(`budget limit ${problem}, got ${usd}`);
  return usd.toFixed(2);
}

/** Cost filter value for a user-defined tag: `user:<key>$<value>`. */
export function environmentTagFilterValue(environment: string): string {
  return `user:${TAG_KEYS.environment}$${environment}`;
}

/** Cost Explorer expression selecting the environment's costs by tag (anomaly monitor). */
export function environmentMonitorSpecification(environment: string): string {
  return JSON.stringify({
    Tags: { Key: TAG_KEYS.environment, Values: [environment], MatchOptions: ["EQUALS"] },
  });
}

/**
 * The environment's AWS cost controls: a monthly COST budget on the costs tagged with the
 * environment, notifying at 80% of actual spend and at 100% of forecasted spend (alert topic and
 * e-mail); and Cost Anomaly Detection on the same costs, alerting the topic immediately about
 * anomalies with a total impact of at least `anomalyThresholdUsd`. A custom tag monitor, not the
 * account's single AWS-services monitor, so dev and prod in one account each get their own.
 */
export class Budget extends pulumi.ComponentResource {
  readonly budget: aws.budgets.Budget;
  readonly anomalyMonitor: aws.costexplorer.AnomalyMonitor;
  readonly anomalySubscription: aws.costexplorer.AnomalySubscription;
  /** The activated cost allocation tags (none unless activateCostAllocationTags). */
  readonly costAllocationTags: aws.costexplorer.CostAllocationTag[];

  constructor(name: string, args: BudgetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:cost:Budget", name, {}, opts);
    assertValidArgs("bdp:cost:Budget", name, validateBudgetArgs(args));
    const tags = { [TAG_KEYS.component]: "cost" };
    // Budget filters and anomaly monitors only see activated tags, so both wait for the activation.
    this.costAllocationTags = args.activateCostAllocationTags
      ? COST_ALLOCATION_TAG_KEYS.map(
          (tagKey) =>
            new aws.costexplorer.CostAllocationTag(
              `${name}-${tagKey}-tag`,
              { tagKey, status: "Active" },
              { parent: this },
            ),
        )
      : [];
    const dependsOn: pulumi.Resource[] = this.costAllocationTags;
    this.budget = this.declareBudget(name, args, tags, dependsOn);
    this.anomalyMonitor = new aws.costexplorer.AnomalyMonitor(
      `${name}-anomaly-monitor`,
      {
        name: `bdp-${args.environment}-costs`,
        monitorType: "CUSTOM",
        monitorSpecification: environmentMonitorSpecification(args.environment),
        tags,
      },
      { parent: this, dependsOn },
    );
    this.anomalySubscription = this.declareAnomalySubscription(name, args, tags);

    this.registerOutputs({
      budgetName: this.budget.name,
      anomalyMonitorArn: this.anomalyMonitor.arn,
    });
  }

  /** The monthly COST budget on the environment's tag: 80% of actual and 100% of forecasted spend notify. */
  private declareBudget(
    name: string,
    args: BudgetArgs,
    tags: Record<string, string>,
    dependsOn: pulumi.Resource[],
  ): aws.budgets.Budget {
    const subscribers = {
      subscriberSnsTopicArns: [args.alertTopicArn],
      subscriberEmailAddresses: args.emails,
    };
    return new aws.budgets.Budget(
      `${name}-budget`,
      {
        name: `bdp-${args.environment}-monthly`,
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: budgetLimitAmount(args.monthlyLimitUsd),
        limitUnit: "USD",
        costFilters: [{ name: "TagKeyValue", values: [environmentTagFilterValue(args.environment)] }],
        notifications: [
          {
            notificationType: "ACTUAL",
            comparisonOperator: "GREATER_THAN",
            threshold: ACTUAL_THRESHOLD_PERCENT,
            thresholdType: "PERCENTAGE",
            ...subscribers,
          },
          {
            notificationType: "FORECASTED",
            comparisonOperator: "GREATER_THAN",
            threshold: FORECASTED_THRESHOLD_PERCENT,
            thresholdType: "PERCENTAGE",
            ...subscribers,
          },
        ],
        tags,
      },
      { parent: this, dependsOn },
    );
  }

  /** IMMEDIATE alerts can only go to SNS; the topic fans out to the e-mail subscriptions. */
  private declareAnomalySubscription(
    name: string,
    args: BudgetArgs,
    tags: Record<string, string>,
  ): aws.costexplorer.AnomalySubscription {
    return new aws.costexplorer.AnomalySubscription(
      `${name}-anomaly-subscription`,
      {
        name: `bdp-${args.environment}-cost-anomalies`,
        frequency: "IMMEDIATE",
        monitorArnLists: [this.anomalyMonitor.arn],
        subscribers: [{ type: "SNS", address: args.alertTopicArn }],
        thresholdExpression: {
          dimension: {
            key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
            matchOptions: ["GREATER_THAN_OR_EQUAL"],
            values: [String(args.anomalyThresholdUsd)],
          },
        },
        tags,
      },
      { parent: this },
    );
  }
}
