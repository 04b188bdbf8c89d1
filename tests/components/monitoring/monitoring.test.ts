import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  AlertTopic,
  ALERT_PUBLISHERS,
  validateAlertTopicArgs,
} from "../../../components/monitoring/alert-topic";
import {
  crawlerFailureRules,
  FailureEvents,
  stateMachineFailureRules,
  validateFailureEventsArgs,
} from "../../../components/monitoring/failure-events";
import {
  PipelineAlarms,
  PipelineRunFacts,
  stateMachineAlarms,
  validatePipelineAlarmsArgs,
} from "../../../components/monitoring/pipeline-alarms";
import { triggerAlarms, triggerWidget } from "../../../components/monitoring/trigger-alarms";
import { TriggerSignals } from "../../../components/triggers/target";
import { formatPath, formatArgsProblem } from "../../../decisions/problems";
import { Dashboard, DashboardRowFacts, stateMachineRow } from "../../../components/monitoring/dashboard";
import {
  glueEngineWidgets,
  glueJobAlarms,
  glueJobFailureRules,
  glueJobRow,
} from "../../../engines/glue/monitoring";
import { batchJobFailureRules } from "../../../engines/batch/monitoring";
import { emrClusterFailureRules, emrEngineWidgets, emrIdleAlarm } from "../../../engines/emr/monitoring";
import {
  emrServerlessEngineWidgets,
  emrServerlessFailureRules,
} from "../../../engines/emr-serverless/monitoring";
import { encryptedLogGroup, validateEncryptedLogGroupArgs } from "../../../components/shared/log-group";
import { FAILURE_ALERT_RETRY_POLICY, nearTimeoutThresholdMs } from "../../../decisions/alarms";
import { RecordedResource } from "../../../tools/synth/mock-run";
import { matches } from "../../support/event-pattern";
import { actionsOf, invalidActions } from "../../support/iam";
import { Synthesized, synthesizeComponents } from "../../support/synth";
import { patternProblem, SAMPLE_EVENTS, transform } from "./events";

const ACCOUNT = "123456789012";
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/alerts-key-key-id`;
const TOPIC_ARN = `arn:aws:sns:eu-west-1:${ACCOUNT}:bdp-unit-alerts`;
const DLQ_ARN = `arn:aws:sqs:eu-west-1:${ACCOUNT}:bdp-unit-alert-dlq`;
const QUEUE_ARN = `arn:aws:batch:eu-west-1:${ACCOUNT}:job-queue/bdp-unit-jobs`;
const SALES_SM = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:bdp-unit-sales`;
const CLICKS_SM = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:bdp-unit-clicks`;
const WEEKLY_SM = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:bdp-unit-weekly`;
const APPLICATION = "00f1982r1uukb925";
const SALES_SCHEDULE: TriggerSignals = {
  kind: "schedule",
  scheduleGroupName: "bdp-unit-sales",
  deadLetterQueueName: "bdp-unit-sales-dlq",
};
const NIGHTLY_SCHEDULE: TriggerSignals = {
  kind: "schedule",
  scheduleGroupName: "bdp-unit-nightly",
  deadLetterQueueName: "bdp-unit-nightly-dlq",
};
const EXPORT_UPLOADS: TriggerSignals = {
  kind: "upload",
  ruleName: "bdp-unit-export-uploads",
  deadLetterQueueName: "bdp-unit-export-dlq",
};
const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
/** The helper alarms under a composite alarm: they notify nobody. */
const CONFIRMING = /-did-not-run-(window|run-started)$/;

const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

function synthesizeMonitoring(): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    const alerts = new AlertTopic(
      "alerts",
      { environment: "unit", emails: ["oncall@example.com", "data@example.com"] },
      opts,
    );
    const failures = new FailureEvents(
      "failures",
      {
        environment: "unit",
        alertTopicArn: alerts.topicArn,
        deadLetterQueueArn: alerts.deadLetterQueueArn,
        rules: [
          ...glueJobFailureRules("unit", ["bdp-unit-sales", pulumi.output("bdp-unit-orders")]),
          ...crawlerFailureRules("unit", ["bdp-unit-sales-curated"]),
          ...batchJobFailureRules("unit", [QUEUE_ARN]),
          ...emrClusterFailureRules("unit", "bdp-unit-"),
          ...emrServerlessFailureRules("unit", [APPLICATION]),
          ...stateMachineFailureRules("unit", [SALES_SM, CLICKS_SM]),
        ],
      },
      opts,
    );
    const common = { environment: "unit", alertTopicArn: alerts.topicArn };
    const scheduled = (
      pipeline: string,
      scheduleExpression: string,
      expectedRuntimeMinutes: number,
      timeoutMinutes: number,
    ): PipelineRunFacts => ({ pipeline, scheduleExpression, expectedRuntimeMinutes, timeoutMinutes });
    const sales = scheduled("sales", "cron(0 2 * * ? *)", 30, 60);
    const orders = scheduled("orders", "rate(6 hours)", 20, 45);
    const clicks: PipelineRunFacts = { pipeline: "clicks", expectedRuntimeMinutes: 90, timeoutMinutes: 240 };
    const exportRun: PipelineRunFacts = { pipeline: "export", expectedRuntimeMinutes: 5, timeoutMinutes: 20 };
    const nightly = scheduled("nightly", "cron(0 1 * * ? *)", 10, 30);
    const weekly = scheduled("weekly", "cron(0 4 ? * MON *)", 30, 120);
    const salesRun = stateMachineAlarms(sales, SALES_SM);
    const alarmed = [
      new PipelineAlarms(
        "sales-alarms",
        {
          ...common,
          pipeline: "sales",
          slaTier: "critical",
          alarms: [...salesRun, ...triggerAlarms(sales, SALES_SCHEDULE, salesRun)],
        },
        opts,
      ),
      // A Batch job Scheduler submits: no run metrics, so the schedule's attempts back did-not-run.
      new PipelineAlarms(
        "nightly-alarms",
        {
          ...common,
          pipeline: "nightly",
          slaTier: "standard",
          alarms: triggerAlarms(nightly, NIGHTLY_SCHEDULE, []),
        },
        opts,
      ),
      new PipelineAlarms(
        "weekly-alarms",
        { ...common, pipeline: "weekly", slaTier: "flexible", alarms: stateMachineAlarms(weekly, WEEKLY_SM) },
        opts,
      ),
    ];
    new PipelineAlarms(
      "orders-alarms",
      {
        ...common,
        pipeline: "orders",
        slaTier: "standard",
        alarms: glueJobAlarms(orders, "bdp-unit-orders"),
      },
      opts,
    );
    new PipelineAlarms(
      "export-alarms",
      {
        ...common,
        pipeline: "export",
        slaTier: "flexible",
        alarms: triggerAlarms(exportRun, EXPORT_UPLOADS, []),
      },
      opts,
    );
    new PipelineAlarms(
      "clicks-alarms",
      {
        ...common,
        pipeline: "clicks",
        slaTier: "standard",
        alarms: [
          ...stateMachineAlarms(clicks, CLICKS_SM),
          emrIdleAlarm("clicks", { clusterId: "j-2AXXXXXXGAPLF", idleTimeoutMinutes: 60 }),
        ],
      },
      opts,
    );
    const row = (
      name: string,
      slaTier: DashboardRowFacts["slaTier"],
      facts: PipelineRunFacts,
    ): DashboardRowFacts => ({
      name,
      slaTier,
      expectedRuntimeMinutes: facts.expectedRuntimeMinutes,
      timeoutMinutes: facts.timeoutMinutes,
    });
    new Dashboard(
      "dashboard",
      {
        environment: "unit",
        pipelines: [
          {
            name: "sales",
            slaTier: "critical",
            widgets: stateMachineRow(row("sales", "critical", sales), SALES_SM),
            triggerWidgets: [triggerWidget(row("sales", "critical", sales), SALES_SCHEDULE)],
          },
          {
            name: "orders",
            slaTier: "standard",
            widgets: glueJobRow(row("orders", "standard", orders), "bdp-unit-orders"),
          },
          {
            name: "export",
            slaTier: "flexible",
            widgets: [],
            triggerWidgets: [triggerWidget(row("export", "flexible", exportRun), EXPORT_UPLOADS)],
          },
          {
            name: "clicks",
            slaTier: "standard",
            widgets: stateMachineRow(row("clicks", "standard", clicks), CLICKS_SM),
          },
        ],
        engineWidgets: [
          ...glueEngineWidgets(["bdp-unit-sales", "bdp-unit-orders"]),
          ...emrEngineWidgets(),
          ...emrServerlessEngineWidgets([APPLICATION]),
        ],
        failureRuleNames: failures.ruleNames(),
        deadLetterQueueName: alerts.deadLetterQueue.name,
        alarmArns: alarmed.flatMap((pipeline) => pipeline.alarmArns()),
      },
      opts,
    );
    const provider = (opts.providers as Record<string, pulumi.ProviderResource>).aws;
    encryptedLogGroup(
      "states-logs",
      { logGroupName: "/aws/vendedlogs/states/bdp-unit-sales", retentionInDays: 30, kmsKeyArn: KEY_ARN },
      { provider },
    );
  });
}

describe("monitoring components", () => {
  let result: Synthesized;
  before(async () => {
    result = await synthesizeMonitoring();
  });

  describe("AlertTopic", () => {
    it("encrypts the topic with its own rotating key", () => {
      const key = result.one("aws:kms/key:Key", "alerts-key");
      assert.equal(key.inputs.enableKeyRotation, true);
      const topic = result.one("aws:sns/topic:Topic");
      assert.equal(topic.inputs.kmsMasterKeyId, KEY_ARN);
      assert.equal(topic.inputs.name, "bdp-unit-alerts");
      assert.equal(result.componentOf(topic), "bdp:monitoring:AlertTopic");
    });

    it("lets the account administer the key and the alert publishers of this account use it", async () => {
      const policy = result.json(result.one("aws:kms/key:Key", "alerts-key"), "policy");
      assert.deepEqual(await invalidActions(actionsOf(policy)), []);
      assert.ok(!actionsOf(policy).includes("kms:*"));
      const [root, publishers] = policy.Statement;
      assert.equal(root.Principal.AWS, `arn:aws:iam::${ACCOUNT}:root`);
      assert.ok(root.Action.includes("kms:PutKeyPolicy"));
      assert.deepEqual(publishers.Principal.Service, [...ALERT_PUBLISHERS]);
      assert.deepEqual(publishers.Principal.Service, [
        "events.amazonaws.com",
        "cloudwatch.amazonaws.com",
        "budgets.amazonaws.com",
        "costalerts.amazonaws.com",
      ]);
      assert.deepEqual(publishers.Action, ["kms:Decrypt", "kms:GenerateDataKey"]);
      assert.deepEqual(publishers.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
    });

    it("lets only the alert publishers of this account publish, and only over TLS", async () => {
      const policy = result.json(result.one("aws:sns/topicPolicy:TopicPolicy"), "policy");
      assert.deepEqual(await invalidActions(actionsOf(policy)), []);
      const [allow, deny] = policy.Statement;
      assert.equal(allow.Effect, "Allow");
      assert.deepEqual(allow.Principal.Service, [...ALERT_PUBLISHERS]);
      assert.deepEqual(allow.Action, ["sns:Publish"]);
      assert.deepEqual(allow.Resource, [TOPIC_ARN]);
      assert.deepEqual(allow.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
      assert.equal(deny.Effect, "Deny");
      assert.equal(deny.Principal, "*");
      assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": false } });
      assert.equal(result.one("aws:sns/topicPolicy:TopicPolicy").inputs.arn, TOPIC_ARN);
    });

    it("subscribes every address by e-mail", () => {
      const subscriptions = result.ofType("aws:sns/topicSubscription:TopicSubscription");
      assert.deepEqual(
        subscriptions.map((s) => [s.inputs.protocol, s.inputs.endpoint, s.inputs.topic]).sort(),
        [
          ["email", "data@example.com", TOPIC_ARN],
          ["email", "oncall@example.com", TOPIC_ARN],
        ],
      );
    });

    it("keeps undeliverable alerts 14 days in an encrypted queue only this environment's rules can use", async () => {
      const queue = result.one("aws:sqs/queue:Queue");
      assert.equal(queue.inputs.sqsManagedSseEnabled, true);
      assert.equal(queue.inputs.messageRetentionSeconds, 1_209_600);
      const policy = result.json(result.one("aws:sqs/queuePolicy:QueuePolicy"), "policy");
      assert.deepEqual(await invalidActions(actionsOf(policy)), []);
      const [allow, deny] = policy.Statement;
      assert.deepEqual(allow.Principal, { Service: "events.amazonaws.com" });
      assert.deepEqual(allow.Action, ["sqs:SendMessage"]);
      assert.deepEqual(allow.Resource, [DLQ_ARN]);
      assert.deepEqual(allow.Condition, {
        ArnLike: { "aws:SourceArn": `arn:aws:events:eu-west-1:${ACCOUNT}:rule/bdp-unit-*` },
      });
      assert.equal(deny.Effect, "Deny");
    });

    it("alarms when alerts pile up in the dead-letter queue", () => {
      const alarm = result.one(ALARM, "alerts-dlq-alarm");
      assert.equal(alarm.inputs.namespace, "AWS/SQS");
      assert.deepEqual(alarm.inputs.dimensions, { QueueName: "bdp-unit-alert-dlq" });
      assert.deepEqual(alarm.inputs.alarmActions, [TOPIC_ARN]);
    });

    it("requires an address, in one error naming the field", async () => {
      assert.deepEqual(validateAlertTopicArgs({ emails: ["a@example.com"] }), []);
      assert.deepEqual(validateAlertTopicArgs({ emails: [] }).map(formatArgsProblem), [
        "emails: at least one address receives alerts",
      ]);
      await assert.rejects(
        synthesizeComponents((opts) => new AlertTopic("a", { environment: "unit", emails: [] }, opts)),
        /bdp:monitoring:AlertTopic a: invalid arguments \(1 problem\):\n {2}- emails: at least one address/,
      );
    });
  });

  describe("FailureEvents", () => {
    const rule = (suffix: string) => result.one(RULE, `failures-${suffix}`);
    const pattern = (suffix: string) => result.json(rule(suffix), "eventPattern");

    it("declares one rule per failure kind, named with the environment prefix", () => {
      assert.deepEqual(
        result
          .ofType(RULE)
          .map((r) => r.inputs.name)
          .sort(),
        [
          "bdp-unit-batch-job-failed",
          "bdp-unit-emr-cluster-failed",
          "bdp-unit-emr-serverless-job-failed",
          "bdp-unit-glue-crawler-failed",
          "bdp-unit-glue-job-failed",
          "bdp-unit-pipeline-failed",
        ],
      );
      for (const r of result.ofType(RULE)) {
        assert.equal(r.inputs.state, "ENABLED");
        assert.equal(patternProblem(result.json(r, "eventPattern")), undefined, r.name);
      }
    });

    it("matches Glue job failures, timeouts and errors of this environment's jobs only", () => {
      assert.deepEqual(pattern("glue-job-failed"), {
        source: ["aws.glue"],
        "detail-type": ["Glue Job State Change"],
        detail: { jobName: ["bdp-unit-sales", "bdp-unit-orders"], state: ["FAILED", "TIMEOUT", "ERROR"] },
      });
      const p = pattern("glue-job-failed");
      assert.ok(matches(p, SAMPLE_EVENTS.glueJob("bdp-unit-orders", "TIMEOUT")));
      assert.ok(!matches(p, SAMPLE_EVENTS.glueJob("bdp-unit-orders", "SUCCEEDED")));
      assert.ok(!matches(p, SAMPLE_EVENTS.glueJob("bdp-prod-orders")));
    });

    it("matches failed crawlers, failed Batch jobs of the queues and EMR clusters by name prefix", () => {
      assert.deepEqual(pattern("glue-crawler-failed").detail, {
        crawlerName: ["bdp-unit-sales-curated"],
        state: ["Failed"],
      });
      assert.deepEqual(pattern("batch-job-failed"), {
        source: ["aws.batch"],
        "detail-type": ["Batch Job State Change"],
        detail: { jobQueue: [QUEUE_ARN], status: ["FAILED"] },
      });
      assert.deepEqual(pattern("emr-cluster-failed"), {
        source: ["aws.emr"],
        "detail-type": ["EMR Cluster State Change"],
        detail: { name: [{ prefix: "bdp-unit-" }], state: ["TERMINATED_WITH_ERRORS"] },
      });
      assert.ok(matches(pattern("glue-crawler-failed"), SAMPLE_EVENTS.glueCrawler("bdp-unit-sales-curated")));
      assert.ok(matches(pattern("batch-job-failed"), SAMPLE_EVENTS.batchJob(QUEUE_ARN)));
      assert.ok(!matches(pattern("batch-job-failed"), SAMPLE_EVENTS.batchJob(QUEUE_ARN, "SUCCEEDED")));
      assert.ok(matches(pattern("emr-cluster-failed"), SAMPLE_EVENTS.emrCluster("bdp-unit-clicks-run-7")));
      assert.ok(!matches(pattern("emr-cluster-failed"), SAMPLE_EVENTS.emrCluster("bdp-prod-clicks-run-7")));
      assert.ok(
        !matches(pattern("emr-cluster-failed"), SAMPLE_EVENTS.emrCluster("bdp-unit-x", "TERMINATED")),
      );
    });

    it("matches failed EMR Serverless job runs and failed, timed-out or aborted pipeline runs", () => {
      assert.deepEqual(pattern("emr-serverless-job-failed"), {
        source: ["aws.emr-serverless"],
        "detail-type": ["EMR Serverless Job Run State Change"],
        detail: { applicationId: [APPLICATION], state: ["FAILED"] },
      });
      assert.deepEqual(pattern("pipeline-failed"), {
        source: ["aws.states"],
        "detail-type": ["Step Functions Execution Status Change"],
        detail: { stateMachineArn: [SALES_SM, CLICKS_SM], status: ["FAILED", "TIMED_OUT", "ABORTED"] },
      });
      assert.ok(matches(pattern("emr-serverless-job-failed"), SAMPLE_EVENTS.emrServerlessJob(APPLICATION)));
      assert.ok(matches(pattern("pipeline-failed"), SAMPLE_EVENTS.stepFunctions(CLICKS_SM, "TIMED_OUT")));
      assert.ok(!matches(pattern("pipeline-failed"), SAMPLE_EVENTS.stepFunctions(CLICKS_SM, "SUCCEEDED")));
    });

    it("sends each rule to the alert topic with a transformer, retries and the dead-letter queue", () => {
      const targets = result.ofType(TARGET);
      assert.equal(targets.length, 6);
      for (const target of targets) {
        assert.equal(target.inputs.arn, TOPIC_ARN);
        assert.deepEqual(target.inputs.retryPolicy, { ...FAILURE_ALERT_RETRY_POLICY });
        assert.deepEqual(target.inputs.deadLetterConfig, { arn: DLQ_ARN });
        const { inputPaths, inputTemplate } = target.inputs.inputTransformer;
        assert.ok(Object.keys(inputPaths).length > 0 && Object.keys(inputPaths).length <= 100);
        assert.equal(typeof JSON.parse(inputTemplate), "string", "template is a JSON string literal");
        for (const [, placeholder] of inputTemplate.matchAll(/<([^<>]+)>/g)) {
          assert.ok(placeholder in inputPaths, `${target.name}: <${placeholder}> has an input path`);
        }
      }
      for (const r of result.ofType(RULE)) {
        const target = result.one(TARGET, `${r.name}-alert`);
        assert.equal(target.inputs.rule, r.inputs.name);
        assert.equal(result.componentOf(target), "bdp:monitoring:FailureEvents");
      }
    });

    it("turns each sample event into a readable message: what, where, why and a console link", () => {
      const text = (suffix: string, event: any) => {
        const { inputPaths, inputTemplate } = result.one(TARGET, `failures-${suffix}-alert`).inputs
          .inputTransformer;
        return transform(inputPaths, inputTemplate, event);
      };
      const glue = text("glue-job-failed", SAMPLE_EVENTS.glueJob("bdp-unit-sales"));
      assert.match(glue, /^\[bdp-unit\] Glue job bdp-unit-sales ended FAILED\n/);
      assert.match(glue, /account 123456789012, region eu-west-1/);
      assert.match(
        glue,
        /Why: An error occurred while calling o98\.save\. "s3:\/\/bucket\/key" Access Denied/,
      );
      assert.match(
        glue,
        /https:\/\/eu-west-1\.console\.aws\.amazon\.com\/gluestudio\/home\?region=eu-west-1#\/job\/bdp-unit-sales\/run\/jr_0123456789abcdef/,
      );
      assert.match(
        text("glue-crawler-failed", SAMPLE_EVENTS.glueCrawler("bdp-unit-sales-curated")),
        /Why: Internal Service Exception/,
      );
      assert.match(
        text("batch-job-failed", SAMPLE_EVENTS.batchJob(QUEUE_ARN)),
        /Why: Essential container in task exited[\s\S]*#jobs\/detail\/4c7599ae-0a82-49aa-ba5a-4727fcce14a8/,
      );
      assert.match(
        text("emr-cluster-failed", SAMPLE_EVENTS.emrCluster("bdp-unit-clicks")),
        /VALIDATION_ERROR[\s\S]*#\/clusterDetails\/j-1YONHTCP3YZKC/,
      );
      assert.match(
        text("emr-serverless-job-failed", SAMPLE_EVENTS.emrServerlessJob(APPLICATION)),
        /get-job-run --region eu-west-1 --application-id 00f1982r1uukb925 --job-run-id 00f1cbn5g4bb0c01/,
      );
      assert.match(
        text("pipeline-failed", SAMPLE_EVENTS.stepFunctions(SALES_SM)),
        /Why: States\.TaskFailed: \{"JobRunState":"FAILED","ErrorMessage":"boom"\}[\s\S]*#\/v2\/executions\/details\/arn:aws:states:eu-west-1:123456789012:execution:bdp-unit-sales:run-1/,
      );
    });

    it("skips a rule whose list is empty", () => {
      const specs = [...glueJobFailureRules("unit", []), ...stateMachineFailureRules("unit", [SALES_SM])];
      assert.deepEqual(
        specs.map((spec) => spec.kind),
        ["stepFunctions"],
      );
      assert.deepEqual(emrClusterFailureRules("unit", ""), []);
      assert.deepEqual(batchJobFailureRules("unit", []), []);
      assert.deepEqual(emrServerlessFailureRules("unit", []), []);
      assert.deepEqual(crawlerFailureRules("unit", []), []);
    });
  });

  describe("PipelineAlarms", () => {
    const alarm = (name: string) => result.one(ALARM, name);
    const alarmNames = (pipeline: string) =>
      result
        .ofType(ALARM)
        .filter((a) => a.name.startsWith(`${pipeline}-alarms-`))
        .map((a) => a.inputs.name)
        .sort();

    it("notifies the topic on ALARM and OK for every alarm but those under a composite alarm", () => {
      const alarms = result.ofType(ALARM);
      assert.ok(alarms.length >= 10);
      for (const a of alarms.filter((candidate) => !CONFIRMING.test(candidate.inputs.name))) {
        assert.deepEqual(a.inputs.alarmActions, [TOPIC_ARN], a.name);
        assert.deepEqual(a.inputs.okActions, [TOPIC_ARN], a.name);
      }
    });

    it("alarms when a trigger cannot start its pipeline: Scheduler target errors per schedule group", () => {
      const failed = alarm("sales-alarms-trigger-failed");
      const metrics = failed.inputs.metricQueries.filter((q: any) => q.metric);
      assert.deepEqual(
        metrics.map((q: any) => [
          q.metric.namespace,
          q.metric.metricName,
          q.metric.dimensions,
          q.metric.stat,
        ]),
        [
          "TargetErrorCount",
          "TargetErrorThrottledCount",
          "InvocationDroppedCount",
          "InvocationsFailedToBeSentToDeadLetterCount",
        ].map((metric) => ["AWS/Scheduler", metric, { ScheduleGroup: "bdp-unit-sales" }, "Sum"]),
      );
      assert.equal(
        failed.inputs.metricQueries.find((q: any) => q.returnData).expression,
        "FILL(m0, 0) + FILL(m1, 0) + FILL(m2, 0) + FILL(m3, 0)",
      );
      assert.equal(failed.inputs.threshold, 1);
      assert.equal(failed.inputs.comparisonOperator, "GreaterThanOrEqualToThreshold");
      assert.equal(failed.inputs.treatMissingData, "notBreaching");
      const upload = alarm("export-alarms-trigger-failed");
      assert.deepEqual(
        [upload.inputs.namespace, upload.inputs.metricName, upload.inputs.dimensions],
        ["AWS/Events", "FailedInvocations", { RuleName: "bdp-unit-export-uploads" }],
      );
    });

    it("alarms on every trigger's dead-letter queue as soon as it holds a message", () => {
      for (const [pipeline, queue] of [
        ["sales", "bdp-unit-sales-dlq"],
        ["nightly", "bdp-unit-nightly-dlq"],
        ["export", "bdp-unit-export-dlq"],
      ]) {
        const deadLetters = alarm(`${pipeline}-alarms-trigger-dead-letters`);
        assert.deepEqual(
          [deadLetters.inputs.namespace, deadLetters.inputs.metricName, deadLetters.inputs.dimensions],
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: queue }],
        );
        assert.equal(deadLetters.inputs.statistic, "Maximum");
        assert.equal(deadLetters.inputs.threshold, 0);
        assert.equal(deadLetters.inputs.comparisonOperator, "GreaterThanThreshold");
      }
    });

    it("backs did-not-run of a run without metrics with the schedule's invocation attempts, and no other twice", () => {
      assert.deepEqual(alarmNames("nightly"), [
        "bdp-unit-nightly-did-not-run",
        "bdp-unit-nightly-trigger-dead-letters",
        "bdp-unit-nightly-trigger-failed",
      ]);
      const didNotRun = alarm("nightly-alarms-did-not-run");
      assert.deepEqual(
        [didNotRun.inputs.namespace, didNotRun.inputs.metricName, didNotRun.inputs.dimensions],
        ["AWS/Scheduler", "InvocationAttemptCount", { ScheduleGroup: "bdp-unit-nightly" }],
      );
      assert.deepEqual(
        [didNotRun.inputs.period, didNotRun.inputs.evaluationPeriods, didNotRun.inputs.treatMissingData],
        [3600, 25, "breaching"],
      );
      // The state machine's ExecutionsStarted already backs the sales pipeline's did-not-run.
      assert.equal(alarmNames("sales").filter((name) => name.endsWith("did-not-run")).length, 1);
      assert.equal(alarm("sales-alarms-did-not-run").inputs.namespace, "AWS/States");
    });

    it("confirms a weekly pipeline's did-not-run with a composite alarm that waits for a run", () => {
      const window = alarm("weekly-alarms-did-not-run-window");
      assert.deepEqual(
        [
          window.inputs.metricName,
          window.inputs.period,
          window.inputs.evaluationPeriods,
          window.inputs.datapointsToAlarm,
        ],
        ["ExecutionsStarted", 3600, 168, 168],
      );
      const runStarted = alarm("weekly-alarms-did-not-run-run-started");
      assert.deepEqual(
        [runStarted.inputs.metricName, runStarted.inputs.period, runStarted.inputs.comparisonOperator],
        ["ExecutionsStarted", 3600, "GreaterThanOrEqualToThreshold"],
      );
      for (const helper of [window, runStarted]) {
        assert.equal(helper.inputs.alarmActions, undefined, helper.name);
        assert.equal(helper.inputs.okActions, undefined, helper.name);
      }
      const composite = result.one(COMPOSITE, "weekly-alarms-did-not-run");
      assert.equal(composite.inputs.alarmName, "bdp-unit-weekly-did-not-run");
      assert.equal(composite.inputs.alarmRule, 'ALARM("bdp-unit-weekly-did-not-run-window")');
      assert.deepEqual(composite.inputs.actionsSuppressor, {
        alarm: "bdp-unit-weekly-did-not-run-run-started",
        waitPeriod: 7200,
        extensionPeriod: 3600,
      });
      assert.deepEqual(composite.inputs.alarmActions, [TOPIC_ARN]);
      assert.equal(composite.inputs.okActions, undefined);
      assert.equal(result.ofType(COMPOSITE).length, 1, "only schedules longer than 7 days need one");
    });

    it("backs a Step Functions pipeline with AWS/States metrics", () => {
      assert.deepEqual(alarmNames("sales"), [
        "bdp-unit-sales-did-not-run",
        "bdp-unit-sales-failed",
        "bdp-unit-sales-near-timeout",
        "bdp-unit-sales-trigger-dead-letters",
        "bdp-unit-sales-trigger-failed",
      ]);
      const failed = alarm("sales-alarms-failed");
      const queries = failed.inputs.metricQueries;
      assert.deepEqual(
        queries
          .filter((q: any) => q.metric)
          .map((q: any) => [q.metric.namespace, q.metric.metricName, q.metric.dimensions]),
        [
          ["AWS/States", "ExecutionsFailed", { StateMachineArn: SALES_SM }],
          ["AWS/States", "ExecutionsTimedOut", { StateMachineArn: SALES_SM }],
        ],
      );
      assert.equal(queries.find((q: any) => q.returnData).expression, "FILL(failed, 0) + FILL(timedOut, 0)");
      assert.equal(failed.inputs.threshold, 1);
      assert.equal(failed.inputs.comparisonOperator, "GreaterThanOrEqualToThreshold");
      assert.equal(failed.inputs.tags["sla-tier"], "critical");
      assert.equal(failed.inputs.tags.pipeline, "sales");
    });

    it("fires near the timeout at 80% of it in milliseconds", () => {
      const nearTimeout = alarm("sales-alarms-near-timeout");
      assert.equal(nearTimeout.inputs.namespace, "AWS/States");
      assert.equal(nearTimeout.inputs.metricName, "ExecutionTime");
      assert.equal(nearTimeout.inputs.statistic, "Maximum");
      assert.equal(nearTimeout.inputs.threshold, 2_880_000);
      assert.equal(nearTimeout.inputs.threshold, nearTimeoutThresholdMs(60));
      assert.equal(nearTimeout.inputs.comparisonOperator, "GreaterThanThreshold");
    });

    it("fires when a daily pipeline started nothing for 25 hours, missing data breaching", () => {
      const didNotRun = alarm("sales-alarms-did-not-run");
      assert.equal(didNotRun.inputs.metricName, "ExecutionsStarted");
      assert.equal(didNotRun.inputs.statistic, "Sum");
      assert.equal(didNotRun.inputs.period, 3600);
      assert.equal(didNotRun.inputs.evaluationPeriods, 25);
      assert.equal(didNotRun.inputs.datapointsToAlarm, 25);
      assert.equal(didNotRun.inputs.threshold, 1);
      assert.equal(didNotRun.inputs.comparisonOperator, "LessThanThreshold");
      assert.equal(didNotRun.inputs.treatMissingData, "breaching");
    });

    it("backs a Glue pipeline without a state machine with Glue job metrics", () => {
      const dims = { JobName: "bdp-unit-orders", JobRunId: "ALL", Type: "count" };
      const failed = alarm("orders-alarms-failed");
      assert.equal(failed.inputs.namespace, "Glue");
      assert.equal(failed.inputs.metricName, "glue.error.ALL");
      assert.deepEqual(failed.inputs.dimensions, { ...dims, ObservabilityGroup: "error" });
      const nearTimeout = alarm("orders-alarms-near-timeout");
      assert.equal(nearTimeout.inputs.metricName, "glue.driver.aggregate.elapsedTime");
      assert.deepEqual(nearTimeout.inputs.dimensions, dims);
      assert.equal(nearTimeout.inputs.threshold, 45 * 60_000 * 0.8);
      const didNotRun = alarm("orders-alarms-did-not-run");
      assert.equal(didNotRun.inputs.treatMissingData, "breaching");
      assert.equal(didNotRun.inputs.evaluationPeriods, 1);
      assert.deepEqual(
        didNotRun.inputs.metricQueries
          .filter((q: any) => q.metric)
          .map((q: any) => [q.metric.metricName, q.metric.period]),
        [
          ["glue.succeed.ALL", 7 * 3600],
          ["glue.error.ALL", 7 * 3600],
        ],
      );
    });

    it("gives an upload-triggered pipeline no did-not-run alarm", () => {
      assert.deepEqual(alarmNames("export"), [
        "bdp-unit-export-trigger-dead-letters",
        "bdp-unit-export-trigger-failed",
      ]);
    });

    it("alarms when a long-running EMR cluster stays idle past its auto-termination", () => {
      assert.deepEqual(alarmNames("clicks"), [
        "bdp-unit-clicks-emr-idle",
        "bdp-unit-clicks-failed",
        "bdp-unit-clicks-near-timeout",
      ]);
      const idle = alarm("clicks-alarms-emr-idle");
      assert.equal(idle.inputs.namespace, "AWS/ElasticMapReduce");
      assert.equal(idle.inputs.metricName, "IsIdle");
      assert.deepEqual(idle.inputs.dimensions, { JobFlowId: "j-2AXXXXXXGAPLF" });
      assert.equal(idle.inputs.statistic, "Minimum");
      assert.equal(idle.inputs.threshold, 0);
      assert.equal(idle.inputs.comparisonOperator, "GreaterThanThreshold");
      assert.equal(idle.inputs.period, 65 * 60);
      assert.equal(idle.inputs.evaluationPeriods, 1);
    });

    it("uses only periods CloudWatch accepts", () => {
      for (const a of result.ofType(ALARM)) {
        const periods = [
          a.inputs.period,
          ...(a.inputs.metricQueries ?? []).map((q: any) => q.metric?.period),
        ];
        for (const period of periods.filter((p) => p !== undefined)) {
          assert.ok(period % 60 === 0 && period <= 86_400, `${a.name}: period ${period}`);
          const total = period * a.inputs.evaluationPeriods;
          assert.ok(total <= (period < 3600 ? 86_400 : 604_800), `${a.name}: evaluation range ${total}`);
        }
      }
    });
  });

  describe("Dashboard", () => {
    let body: any;
    before(() => {
      const dashboard = result.one("aws:cloudwatch/dashboard:Dashboard");
      assert.equal(dashboard.inputs.dashboardName, "bdp-unit");
      body = result.json(dashboard, "dashboardBody");
    });

    it("starts with a text header across the grid", () => {
      const [header] = body.widgets;
      assert.equal(header.type, "text");
      assert.deepEqual([header.x, header.y, header.width], [0, 0, 24]);
      assert.match(header.properties.markdown, /bdp-unit/);
    });

    it("has one row per pipeline, in order", () => {
      const rows = ["sales", "orders", "export", "clicks"].map((pipeline) =>
        body.widgets.filter((w: any) =>
          (w.properties.title ?? w.properties.markdown).includes(`${pipeline} (`),
        ),
      );
      for (const row of rows) assert.equal(new Set(row.map((w: any) => w.y)).size, 1, "a row shares its y");
      const ys = rows.map((row) => row[0].y);
      assert.deepEqual(
        [...ys].sort((a, b) => a - b),
        ys,
      );
      assert.equal(new Set(ys).size, 4);
      assert.deepEqual(
        rows[0].map((w: any) => w.properties.title),
        [
          "sales (critical): runs",
          "sales (critical): failures",
          "sales (critical): duration (ms)",
          "sales (critical): schedule",
        ],
      );
      assert.equal(rows[2][0].type, "text", "export has no run metrics");
      assert.deepEqual(
        rows.map((row) => row.reduce((width: number, w: any) => width + w.width, 0)),
        [24, 24, 24, 24],
        "each row fills the grid",
      );
      assert.deepEqual(rows[2][1].properties.title, "export (flexible): upload trigger");
    });

    it("shows each trigger's starts, failures and dead letters in its pipeline's row", () => {
      const schedule = body.widgets.find((w: any) => w.properties.title === "sales (critical): schedule");
      assert.deepEqual(
        schedule.properties.metrics.map((m: any) => [m[0], m[1], m[3]]),
        [
          ["AWS/Scheduler", "InvocationAttemptCount", "bdp-unit-sales"],
          ["AWS/Scheduler", "TargetErrorCount", "bdp-unit-sales"],
          ["AWS/Scheduler", "TargetErrorThrottledCount", "bdp-unit-sales"],
          ["AWS/Scheduler", "InvocationDroppedCount", "bdp-unit-sales"],
          ["AWS/Scheduler", "InvocationsFailedToBeSentToDeadLetterCount", "bdp-unit-sales"],
          ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "bdp-unit-sales-dlq"],
        ],
      );
      const upload = body.widgets.find(
        (w: any) => w.properties.title === "export (flexible): upload trigger",
      );
      assert.deepEqual(
        upload.properties.metrics.map((m: any) => [m[1], m[3]]),
        [
          ["Invocations", "bdp-unit-export-uploads"],
          ["FailedInvocations", "bdp-unit-export-uploads"],
          ["ApproximateNumberOfMessagesVisible", "bdp-unit-export-dlq"],
        ],
      );
    });

    it("shows the state of every notifying pipeline alarm under the header", () => {
      const status = body.widgets.filter((w: any) => w.type === "alarm");
      assert.equal(status.length, 1);
      assert.deepEqual([status[0].x, status[0].y, status[0].width], [0, 2, 24]);
      const alarms: string[] = status[0].properties.alarms;
      const named = (name: string) => alarms.some((arn) => arn.endsWith(`/${name}`));
      assert.ok(named("bdp-unit-nightly-did-not-run"));
      assert.ok(named("weekly-alarms-did-not-run") && alarms.some((arn) => arn.includes("compositealarm")));
      assert.ok(!alarms.some((arn) => CONFIRMING.test(arn)), "not the alarms under the composite");
      assert.equal(alarms.length, 5 + 3 + 3, "sales, nightly and weekly, one per purpose");
    });

    it("uses [namespace, metric, dimension, value] lines and the region", () => {
      const failures = body.widgets.find((w: any) => w.properties.title === "sales (critical): failures");
      assert.deepEqual(failures.properties.metrics[0], [
        "AWS/States",
        "ExecutionsFailed",
        "StateMachineArn",
        SALES_SM,
        { label: "failed" },
      ]);
      for (const w of body.widgets.filter((w: any) => w.type === "metric")) {
        assert.equal(w.properties.region, "eu-west-1");
        assert.ok(w.properties.metrics.length > 0);
      }
      const duration = body.widgets.find(
        (w: any) => w.properties.title === "sales (critical): duration (ms)",
      );
      assert.deepEqual(
        duration.properties.annotations.horizontal.map((a: any) => a.value),
        [30 * 60_000, 48 * 60_000],
      );
    });

    it("ends with the engine widgets: Glue, EMR, EMR Serverless, failure rules, dead letters", () => {
      const titles = body.widgets.map((w: any) => w.properties.title).filter(Boolean);
      for (const title of [
        "Glue: failed runs per job",
        "EMR: idle clusters",
        "EMR Serverless: job runs per application",
        "Failure alerts per rule",
        "Undelivered alerts (dead-letter queue)",
      ]) {
        assert.ok(titles.includes(title), title);
      }
      const rules = body.widgets.find((w: any) => w.properties.title?.startsWith("Failure alerts"));
      assert.ok(rules.properties.metrics.some((m: any) => m[3] === "bdp-unit-batch-job-failed"));
    });

    it("keeps every widget inside the 24-column grid without overlaps", () => {
      const widgets = body.widgets;
      for (const w of widgets) {
        assert.ok(Number.isInteger(w.x) && Number.isInteger(w.y), "integer coordinates");
        assert.ok(w.x >= 0 && w.width >= 1 && w.x + w.width <= 24, `inside the grid: ${JSON.stringify(w)}`);
        assert.ok(w.height >= 1);
      }
      for (let i = 0; i < widgets.length; i++) {
        for (let j = i + 1; j < widgets.length; j++) {
          const [a, b] = [widgets[i], widgets[j]];
          const overlap =
            a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
          assert.ok(!overlap, `widgets ${i} and ${j} overlap`);
        }
      }
    });
  });

  describe("encryptedLogGroup", () => {
    it("always sets retention and the KMS key", () => {
      const group: RecordedResource = result.one("aws:cloudwatch/logGroup:LogGroup");
      assert.equal(group.inputs.name, "/aws/vendedlogs/states/bdp-unit-sales");
      assert.equal(group.inputs.retentionInDays, 30);
      assert.equal(group.inputs.kmsKeyId, KEY_ARN);
    });

    it("refuses a retention CloudWatch does not accept, and both a name and a prefix", () => {
      assert.throws(
        () => encryptedLogGroup("bad", { retentionInDays: 31 as never, kmsKeyArn: KEY_ARN }),
        /log group bad: invalid arguments \(1 problem\):\n {2}- retentionInDays: must be one of the CloudWatch Logs retention values: 1, 3, 5/,
      );
      assert.deepEqual(validateEncryptedLogGroupArgs({ retentionInDays: 30, logGroupName: "/a" }), []);
      assert.deepEqual(
        validateEncryptedLogGroupArgs({
          retentionInDays: 30,
          logGroupName: "/a",
          logGroupNamePrefix: "/a-",
        }).map(formatArgsProblem),
        ["logGroupNamePrefix: give logGroupName or logGroupNamePrefix, not both"],
      );
    });
  });

  describe("validateFailureEventsArgs and validatePipelineAlarmsArgs", () => {
    const sales: PipelineRunFacts = { pipeline: "sales", expectedRuntimeMinutes: 20, timeoutMinutes: 60 };
    it("accept the rules and alarms the builders make", () => {
      const rules = [...crawlerFailureRules("unit", ["c"]), ...stateMachineFailureRules("unit", [SALES_SM])];
      assert.deepEqual(validateFailureEventsArgs({ rules }), []);
      assert.deepEqual(validatePipelineAlarmsArgs({ alarms: stateMachineAlarms(sales, SALES_SM) }), []);
    });

    it("name the entry whose kind, suffix or purpose repeats an earlier one", () => {
      const [rule] = crawlerFailureRules("unit", ["c"]);
      assert.deepEqual(
        validateFailureEventsArgs({ rules: [rule, rule] }).map((problem) => formatPath(problem.path)),
        ["rules[1].kind", "rules[1].suffix"],
      );
      const [alarm] = stateMachineAlarms(sales, SALES_SM);
      assert.deepEqual(validatePipelineAlarmsArgs({ alarms: [alarm, alarm] }).map(formatArgsProblem), [
        `alarms[1].purpose: another alarm has the purpose "${alarm.purpose}" (alarms are named and keyed by it) (given: "${alarm.purpose}")`,
      ]);
    });
  });
});
