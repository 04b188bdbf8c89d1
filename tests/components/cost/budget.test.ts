import { strict as assert } from "assert";
import {
  Budget,
  BudgetArgs,
  budgetLimitAmount,
  validateBudgetArgs,
  environmentMonitorSpecification,
  environmentTagFilterValue,
} from "../../../components/cost/budget";
import { Synthesized, synthesizeComponents } from "../../support/synth";
import { invalidArgsError } from "../../support/problems";

const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:bdp-unit-alerts";
const EMAILS = ["finance@example.com", "data@example.com"];

function synthesizeBudget(overrides: Partial<BudgetArgs> = {}): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    new Budget(
      "cost",
      {
        environment: "unit",
        monthlyLimitUsd: 400,
        alertTopicArn: TOPIC_ARN,
        emails: EMAILS,
        anomalyThresholdUsd: 25,
        ...overrides,
      },
      opts,
    );
  });
}

const elevenAddresses = Array.from({ length: 11 }, (_, i) => `a${i}@example.com`);

describe("Budget component", () => {
  let result: Synthesized;
  before(async () => {
    result = await synthesizeBudget();
  });

  it("declares a monthly COST budget in USD with a two-decimal limit", () => {
    const budget = result.one("aws:budgets/budget:Budget");
    assert.equal(budget.inputs.name, "bdp-unit-monthly");
    assert.equal(budget.inputs.budgetType, "COST");
    assert.equal(budget.inputs.timeUnit, "MONTHLY");
    assert.equal(budget.inputs.limitAmount, "400.00");
    assert.equal(budget.inputs.limitUnit, "USD");
    assert.equal(result.componentOf(budget), "bdp:cost:Budget");
  });

  it("counts only the costs tagged with the environment", () => {
    const budget = result.one("aws:budgets/budget:Budget");
    assert.deepEqual(budget.inputs.costFilters, [{ name: "TagKeyValue", values: ["user:environment$unit"] }]);
  });

  it("notifies at 80% actual and 100% forecasted spend, to the topic and the addresses", () => {
    const notifications = result.one("aws:budgets/budget:Budget").inputs.notifications;
    assert.deepEqual(
      notifications.map((n: any) => [n.notificationType, n.comparisonOperator, n.threshold, n.thresholdType]),
      [
        ["ACTUAL", "GREATER_THAN", 80, "PERCENTAGE"],
        ["FORECASTED", "GREATER_THAN", 100, "PERCENTAGE"],
      ],
    );
    for (const notification of notifications) {
      assert.deepEqual(notification.subscriberSnsTopicArns, [TOPIC_ARN]);
      assert.deepEqual(notification.subscriberEmailAddresses, EMAILS);
    }
  });

  it("watches the environment's costs for anomalies with a tag monitor", () => {
    const monitor = result.one("aws:costexplorer/anomalyMonitor:AnomalyMonitor");
    assert.equal(monitor.inputs.monitorType, "CUSTOM");
    assert.equal(monitor.inputs.monitorDimension, undefined);
    assert.deepEqual(JSON.parse(monitor.inputs.monitorSpecification), {
      Tags: { Key: "environment", Values: ["unit"], MatchOptions: ["EQUALS"] },
    });
  });

  it("alerts the topic immediately about anomalies of at least the threshold", () => {
    const monitor = result.one("aws:costexplorer/anomalyMonitor:AnomalyMonitor");
    const subscription = result.one("aws:costexplorer/anomalySubscription:AnomalySubscription");
    assert.equal(subscription.inputs.frequency, "IMMEDIATE");
    assert.deepEqual(subscription.inputs.subscribers, [{ type: "SNS", address: TOPIC_ARN }]);
    assert.deepEqual(subscription.inputs.monitorArnLists, [monitor.outputs.arn]);
    assert.deepEqual(subscription.inputs.thresholdExpression, {
      dimension: {
        key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
        matchOptions: ["GREATER_THAN_OR_EQUAL"],
        values: ["25"],
      },
    });
  });

  it("activates the environment and cost-center cost allocation tags only when asked, before the budget", async () => {
    assert.equal(result.ofType("aws:costexplorer/costAllocationTag:CostAllocationTag").length, 0);
    const activated = await synthesizeBudget({ activateCostAllocationTags: true });
    const tags = activated.ofType("aws:costexplorer/costAllocationTag:CostAllocationTag");
    assert.deepEqual(
      tags.map((tag) => [tag.inputs.tagKey, tag.inputs.status]),
      [
        ["environment", "Active"],
        ["cost-center", "Active"],
      ],
    );
    for (const dependent of ["aws:budgets/budget:Budget", "aws:costexplorer/anomalyMonitor:AnomalyMonitor"]) {
      for (const tag of tags)
        assert.ok(activated.one(dependent).options.dependsOn.includes(tag.urn), dependent);
    }
  });

  it("refuses limits and subscriber lists AWS would reject, in one error", async () => {
    await assert.rejects(
      synthesizeBudget({ emails: elevenAddresses, monthlyLimitUsd: -5 }),
      invalidArgsError(
        "bdp:cost:Budget cost",
        /emails: a budget notification takes at most 10 e-mail addresses/,
        /monthlyLimitUsd: must be greater than 0 \(USD\)/,
      ),
    );
  });

  it("validateBudgetArgs names each field AWS would reject", () => {
    const valid = { monthlyLimitUsd: 100, anomalyThresholdUsd: 20, emails: ["a@example.com"] };
    assert.deepEqual(validateBudgetArgs(valid), []);
    assert.deepEqual(validateBudgetArgs({ ...valid, emails: elevenAddresses.slice(0, 10) }), []);
    assert.deepEqual(
      validateBudgetArgs({
        monthlyLimitUsd: 0,
        anomalyThresholdUsd: Number.NaN,
        emails: elevenAddresses,
      }).map((problem) => problem.path[0]),
      ["monthlyLimitUsd", "anomalyThresholdUsd", "emails"],
    );
  });

  it("formats amounts, tag filters and monitor specifications", () => {
    assert.equal(budgetLimitAmount(1250), "1250.00");
    assert.equal(budgetLimitAmount(99.5), "99.50");
    assert.equal(environmentTagFilterValue("prod"), "user:environment$prod");
    assert.equal(JSON.parse(environmentMonitorSpecification("prod")).Tags.Values[0], "prod");
  });
});
