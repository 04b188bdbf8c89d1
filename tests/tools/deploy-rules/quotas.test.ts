import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { Network } from "../../../components/network/network";
import { Quota, QUOTA_TABLE_DATE, QUOTAS } from "../../../tools/deploy-rules/quota-table";
import { QUOTA_RULES } from "../../../tools/deploy-rules/quotas";
import { runRules, summarize, TRUST } from "./support";

const times = (count: number, make: (index: number) => void) => {
  for (let index = 0; index < count; index++) make(index);
};

describe("deploy rules: quotas", () => {
  it("has a dated table whose every quota names its AWS documentation page", () => {
    assert.match(QUOTA_TABLE_DATE, /^\d{4}-\d{2}-\d{2}$/);
    for (const quota of Object.values(QUOTAS) as Quota[]) {
      assert.match(quota.source, /^https:\/\/docs\.aws\.amazon\.com\//, quota.id);
      assert.ok(quota.defaultValue > 0, quota.id);
      if (quota.quotaCode) assert.match(quota.quotaCode, /^L-[0-9A-F]{8}$/, quota.id);
    }
  });

  it("rejects more Batch job queues than the hard quota of 50, and more than 3 environments on a queue", async () => {
    const { findings, synthesized } = await runRules(QUOTA_RULES, ({ resource: opts }) => {
      const environments = [0, 1, 2, 3].map(
        (index) =>
          new aws.batch.ComputeEnvironment(
            `ce-${index}`,
            { type: "MANAGED", computeResources: { type: "FARGATE", maxVcpus: 4, subnets: ["subnet-1"] } },
            opts,
          ),
      );
      times(51, (index) => {
        new aws.batch.JobQueue(
          `queue-${index}`,
          {
            state: "ENABLED",
            priority: 1,
            computeEnvironmentOrders: (index === 0 ? environments : environments.slice(0, 1)).map(
              (environment, order) => ({ order, computeEnvironment: environment.arn }),
            ),
          },
          opts,
        );
      });
    });
    assert.deepEqual(summarize(findings, synthesized), [
      "error default-quotas (stack)",
      "error default-quotas queue-0",
    ]);
    assert.match(
      findings[0].message,
      /the stack uses 51 job queues; .*"Maximum number of job queues" \(Service Quotas batch\/L-4CEA37AD\) is 50 .*cannot be raised/,
    );
    assert.equal(findings[0].fix, "Declare at most 50 job queues.");
    assert.match(findings[1].message, /job queue "queue-0" uses 4 compute environments on one job queue/);
  });

  it("warns, naming the quota to raise, about more rules on one event bus than the default 300", async () => {
    const { findings, synthesized } = await runRules(QUOTA_RULES, ({ resource: opts }) => {
      const bus = new aws.cloudwatch.EventBus("pipeline", {}, opts);
      times(301, (index) => {
        new aws.cloudwatch.EventRule(`rule-${index}`, { scheduleExpression: "rate(1 day)" }, opts);
      });
      // Rules on another bus count against that bus's quota.
      times(5, (index) => {
        new aws.cloudwatch.EventRule(
          `bus-rule-${index}`,
          { eventBusName: bus.name, eventPattern: "{}" },
          opts,
        );
      });
    });
    assert.deepEqual(summarize(findings, synthesized), ["warning default-quotas (stack)"]);
    assert.match(findings[0].message, /event bus "default" uses 301 rules on one event bus/);
    assert.match(
      findings[0].fix,
      /Request an increase of "Number of rules" \(Service Quotas events\/L-244521F2\) to at least 301/,
    );
  });

  it("rejects a sixth target on one EventBridge rule and a sixth action for one alarm state", async () => {
    const { findings, synthesized } = await runRules(QUOTA_RULES, ({ resource: opts }) => {
      const rule = new aws.cloudwatch.EventRule("fan-out", { scheduleExpression: "rate(1 day)" }, opts);
      const topics = [0, 1, 2, 3, 4, 5].map((index) => new aws.sns.Topic(`topic-${index}`, {}, opts));
      for (const [index, topic] of topics.entries()) {
        new aws.cloudwatch.EventTarget(`target-${index}`, { rule: rule.name, arn: topic.arn }, opts);
      }
      new aws.cloudwatch.MetricAlarm(
        "noisy",
        {
          comparisonOperator: "GreaterThanThreshold",
          evaluationPeriods: 1,
          threshold: 0,
          metricName: "Errors",
          namespace: "AWS/Lambda",
          period: 60,
          statistic: "Sum",
          alarmActions: topics.map((topic) => topic.arn),
          okActions: topics.slice(0, 5).map((topic) => topic.arn),
        },
        opts,
      );
    });
    assert.deepEqual(summarize(findings, synthesized).sort(), [
      "error default-quotas fan-out",
      "error default-quotas noisy",
    ]);
  });

  it("warns when one NAT gateway per AZ takes more Elastic IPs than the default 5", async () => {
    const { findings, synthesized } = await runRules(
      QUOTA_RULES,
      ({ component: opts }) => {
        new Network(
          "net",
          { mode: "new", cidrBlock: "10.0.0.0/16", availabilityZones: 6, natGateways: "onePerAz" },
          opts,
        );
      },
      "us-east-1",
    );
    assert.deepEqual(summarize(findings, synthesized), ["warning default-quotas (stack)"]);
    assert.match(
      findings[0].message,
      /uses 6 Elastic IP addresses \(one per NAT gateway\).*ec2\/L-0263D0A3\) is 5/,
    );
  });

  it("rejects a role whose inline policies exceed IAM's 10,240 characters, white space not counted", async () => {
    const statements = (count: number) =>
      JSON.stringify(
        {
          Version: "2012-10-17",
          Statement: Array.from({ length: count }, (_, index) => ({
            Sid: `Read${index}`,
            Effect: "Allow",
            Action: ["s3:GetObject"],
            Resource: `arn:aws:s3:::bucket-number-${index}/*`,
          })),
        },
        null,
        2,
      );
    const { findings, synthesized } = await runRules(QUOTA_RULES, ({ resource: opts }) => {
      const large = new aws.iam.Role("large", { assumeRolePolicy: TRUST }, opts);
      new aws.iam.RolePolicy("large-a", { role: large.id, policy: statements(60) }, opts);
      new aws.iam.RolePolicy("large-b", { role: large.id, policy: statements(60) }, opts);
      // 14,700 characters pretty-printed, 9,468 once white space is removed.
      const spacious = new aws.iam.Role("spacious", { assumeRolePolicy: TRUST }, opts);
      new aws.iam.RolePolicy("spacious", { role: spacious.id, policy: statements(90) }, opts);
    });
    assert.deepEqual(summarize(findings, synthesized), ["error default-quotas large"]);
    assert.match(findings[0].message, /role "large" uses \d+ characters of inline policy on one role/);
  });
});
