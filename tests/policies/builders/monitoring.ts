/**
 * Monitoring: the encrypted alert topic, one EventBridge failure rule per service with a target on
 * the topic, a CloudWatch alarm on the Glue job's failed tasks, and a weekly pipeline's confirmed
 * did-not-run alarm: a window alarm and a run-started alarm without actions under a composite
 * alarm that notifies.
 */
import { T } from "../../../policies/lib/types";
import { Res, res } from "../harness";
import { EMR_CLUSTER_ID } from "./emr";
import { ALERTS_ARN, Area, areaOf, Env, KEY_ARN } from "./env";
import { GLUE_JOB } from "./glue";
import { STATE_MACHINE_ARN } from "./orchestration";

export interface MonitoringArea extends Area {
  alerts: Res;
  failureRules: Res[];
  failureTargets: Res[];
  alarm: Res;
  didNotRunWindow: Res;
  runStarted: Res;
  didNotRun: Res;
}

/** The failure events each rule matches (names are stable: tests address rules by name). */
const FAILURE_PATTERNS: Record<string, object> = {
  "bdp-dev-glue-failed": {
    source: ["aws.glue"],
    "detail-type": ["Glue Job State Change"],
    detail: { state: ["FAILED", "TIMEOUT", "ERROR"] },
  },
  "bdp-dev-batch-failed": {
    source: ["aws.batch"],
    "detail-type": ["Batch Job State Change"],
    detail: { status: ["FAILED"] },
  },
  "bdp-dev-emr-failed": {
    source: ["aws.emr"],
    "detail-type": ["EMR Cluster State Change"],
    detail: { state: ["TERMINATED_WITH_ERRORS"], clusterId: [EMR_CLUSTER_ID] },
  },
  "bdp-dev-emr-serverless-failed": {
    source: ["aws.emr-serverless"],
    "detail-type": ["EMR Serverless Job Run State Change"],
    detail: { state: ["FAILED"] },
  },
  "bdp-dev-sfn-failed": {
    source: ["aws.states"],
    "detail-type": ["Step Functions Execution Status Change"],
    detail: { status: ["FAILED", "TIMED_OUT", "ABORTED"], stateMachineArn: [STATE_MACHINE_ARN] },
  },
};

export function monitoring(env: Env): MonitoringArea {
  const o = { provider: env.provider };
  const alerts = res(
    T.snsTopic,
    "bdp-dev-alerts",
    { name: "bdp-dev-alerts", arn: ALERTS_ARN, kmsMasterKeyId: KEY_ARN },
    o,
  );
  const failureRules = Object.entries(FAILURE_PATTERNS).map(([name, pattern]) =>
    res(T.eventRule, name, { name, eventPattern: JSON.stringify(pattern) }, o),
  );
  const failureTargets = failureRules.map((rule) =>
    res(
      T.eventTarget,
      `${rule.name}-to-alerts`,
      { rule: rule.name, arn: ALERTS_ARN },
      { ...o, deps: { rule: [rule], arn: [alerts] } },
    ),
  );
  const alarm = res(
    T.metricAlarm,
    "bdp-dev-sales-etl-failures",
    {
      name: "bdp-dev-sales-etl-failures",
      namespace: "Glue",
      metricName: "glue.driver.aggregate.numFailedTasks",
      dimensions: { JobName: GLUE_JOB, JobRunId: "ALL", Type: "count" },
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 1,
      period: 300,
      statistic: "Sum",
      alarmActions: [ALERTS_ARN],
    },
    o,
  );
  // The weekly state machine's ExecutionsStarted per hour: none for 7 days, or one in the last hour.
  const startedAlarm = (name: string, evaluationPeriods: number, comparisonOperator: string) =>
    res(
      T.metricAlarm,
      name,
      {
        name,
        namespace: "AWS/States",
        metricName: "ExecutionsStarted",
        dimensions: { StateMachineArn: STATE_MACHINE_ARN },
        statistic: "Sum",
        period: 3600,
        evaluationPeriods,
        threshold: 1,
        comparisonOperator,
      },
      o,
    );
  const didNotRunWindow = startedAlarm("bdp-dev-weekly-did-not-run-window", 168, "LessThanThreshold");
  const runStarted = startedAlarm(
    "bdp-dev-weekly-did-not-run-run-started",
    1,
    "GreaterThanOrEqualToThreshold",
  );
  const didNotRun = res(
    T.compositeAlarm,
    "bdp-dev-weekly-did-not-run",
    {
      alarmName: "bdp-dev-weekly-did-not-run",
      alarmRule: 'ALARM("bdp-dev-weekly-did-not-run-window")',
      actionsSuppressor: {
        alarm: "bdp-dev-weekly-did-not-run-run-started",
        waitPeriod: 7200,
        extensionPeriod: 3600,
      },
      alarmActions: [ALERTS_ARN],
    },
    o,
  );
  return areaOf({ alerts, failureRules, failureTargets, alarm, didNotRunWindow, runStarted, didNotRun });
}
