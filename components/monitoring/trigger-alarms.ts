/**
 * Alarms and dashboard widgets of what starts a pipeline: an EventBridge Scheduler schedule or an
 * S3-upload rule (components/triggers). A trigger fails silently unless watched: an event it could
 * not deliver lands in its dead-letter queue, and a target that refuses the start shows only in
 * the trigger's metrics. For a run whose engine publishes no run metrics (a Batch job Scheduler
 * submits), the schedule's own invocations are the only "did it run" signal there is.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { TriggerSignals } from "../triggers/target";
import { RUN_SIGNAL_PERIOD_SECONDS } from "../../decisions/alarms";
import {
  AlarmSpec,
  anyOccurredAlarm,
  DID_NOT_RUN,
  didNotRunAlarm,
  metricQuery,
  metricSignal,
  PipelineRunFacts,
  triggerFailedAlarm,
} from "./pipeline-alarms";
import { DashboardRowFacts, MetricLine, metricWidget, rowLabel, WidgetSpec } from "./dashboard";

/**
 * EventBridge Scheduler's namespace; its metrics have no dimension (the account) or ScheduleGroup,
 * none per schedule, so every schedule has its own group.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/monitoring-cloudwatch.html
 */
export const SCHEDULER_NAMESPACE = "AWS/Scheduler";

/**
 * Scheduler metrics that mean an invocation did not start the pipeline: the target API returned
 * an error (TargetErrorCount) or throttled it (TargetErrorThrottledCount), the invocation was
 * dropped after its retries (InvocationDroppedCount), or not even its dead-letter queue took it
 * (InvocationsFailedToBeSentToDeadLetterCount). Same source as SCHEDULER_NAMESPACE.
 */
export const SCHEDULER_FAILURE_METRICS = [
  "TargetErrorCount",
  "TargetErrorThrottledCount",
  "InvocationDroppedCount",
  "InvocationsFailedToBeSentToDeadLetterCount",
] as const;

/** Every invocation Scheduler attempts, successful or not: the schedule fired. */
export const SCHEDULER_ATTEMPTS = "InvocationAttemptCount";

/**
 * An SQS queue holds messages (ApproximateNumberOfMessagesVisible > 0): for a dead-letter queue,
 * something could not be delivered. The metric args every dead-letter alarm shares.
 */
export function queueHoldsMessages(
  queueName: pulumi.Input<string>,
): Pick<
  aws.cloudwatch.MetricAlarmArgs,
  | "namespace"
  | "metricName"
  | "dimensions"
  | "statistic"
  | "period"
  | "evaluationPeriods"
  | "threshold"
  | "comparisonOperator"
  | "treatMissingData"
> {
  return {
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: queueName },
    statistic: "Maximum",
    period: RUN_SIGNAL_PERIOD_SECONDS,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
  };
}

/** The trigger's dead-letter queue holds events: each one is a run that did not start. */
export function triggerDeadLetterAlarm(pipeline: string, trigger: TriggerSignals): AlarmSpec {
  const what = trigger.kind === "schedule" ? "scheduled invocations" : "upload events";
  return {
    purpose: "trigger-dead-letters",
    args: {
      alarmDescription: `The trigger of pipeline ${pipeline} could not deliver ${what}; they wait in its dead-letter queue (14 days) and those runs did not start.`,
      ...queueHoldsMessages(trigger.deadLetterQueueName),
    },
  };
}

/** Scheduler could not start the pipeline: any SCHEDULER_FAILURE_METRICS in the group, summed. */
export function schedulerFailedAlarm(pipeline: string, scheduleGroupName: pulumi.Input<string>): AlarmSpec {
  const dimensions = { ScheduleGroup: scheduleGroupName };
  const queries = SCHEDULER_FAILURE_METRICS.map((metricName, index) =>
    metricQuery(`m${index}`, SCHEDULER_NAMESPACE, metricName, dimensions, RUN_SIGNAL_PERIOD_SECONDS, "Sum"),
  );
  return anyOccurredAlarm(
    "trigger-failed",
    `EventBridge Scheduler could not start pipeline ${pipeline}: the target returned an error or throttled (retries may still succeed), or an invocation was dropped (${SCHEDULER_FAILURE_METRICS.join(", ")}).`,
    { id: "failures", label: "Target errors, drops and lost dead letters", queries },
  );
}

/**
 * The trigger's alarms: it failed to start the pipeline (Scheduler failures, or the upload rule's
 * FailedInvocations), its dead-letter queue holds events, and, for a schedule, "did not run" from
 * the schedule's invocation attempts when the run's own alarms have none (no run metrics).
 */
export function triggerAlarms(
  facts: PipelineRunFacts,
  trigger: TriggerSignals,
  runAlarms: readonly AlarmSpec[],
): AlarmSpec[] {
  const failed =
    trigger.kind === "schedule"
      ? schedulerFailedAlarm(facts.pipeline, trigger.scheduleGroupName)
      : triggerFailedAlarm(facts.pipeline, trigger.ruleName);
  const alarms = [failed, triggerDeadLetterAlarm(facts.pipeline, trigger)];
  if (trigger.kind !== "schedule" || runAlarms.some((alarm) => alarm.purpose === DID_NOT_RUN)) return alarms;
  const didNotRun = didNotRunAlarm(
    facts,
    `EventBridge Scheduler made no attempt to start pipeline ${facts.pipeline} within its schedule ${facts.scheduleExpression} (${SCHEDULER_ATTEMPTS}).`,
    metricSignal({
      namespace: SCHEDULER_NAMESPACE,
      metricName: SCHEDULER_ATTEMPTS,
      dimensions: { ScheduleGroup: trigger.scheduleGroupName },
    }),
  );
  return didNotRun ? [...alarms, didNotRun] : alarms;
}

/** The trigger's widget in the pipeline's dashboard row: starts, failures and dead letters. */
export function triggerWidget(pipeline: DashboardRowFacts, trigger: TriggerSignals): WidgetSpec {
  const deadLetters: MetricLine = [
    "AWS/SQS",
    "ApproximateNumberOfMessagesVisible",
    "QueueName",
    trigger.deadLetterQueueName,
    { stat: "Maximum", label: "in dead-letter queue" },
  ];
  if (trigger.kind === "schedule") {
    const group = ["ScheduleGroup", trigger.scheduleGroupName];
    return metricWidget(`${rowLabel(pipeline)}: schedule`, [
      [SCHEDULER_NAMESPACE, SCHEDULER_ATTEMPTS, ...group, { label: "invocations" }],
      ...SCHEDULER_FAILURE_METRICS.map((metricName): MetricLine => [
        SCHEDULER_NAMESPACE,
        metricName,
        ...group,
        { label: metricName },
      ]),
      deadLetters,
    ]);
  }
  const rule = ["RuleName", trigger.ruleName];
  return metricWidget(`${rowLabel(pipeline)}: upload trigger`, [
    ["AWS/Events", "Invocations", ...rule, { label: "invocations" }],
    ["AWS/Events", "FailedInvocations", ...rule, { label: "failed" }],
    deadLetters,
  ]);
}
