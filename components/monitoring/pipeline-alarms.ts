import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { pipelineTags, TAG_KEYS } from "../shared/tags";
import { ArgsProblem, repeatedProblems } from "../../decisions/problems";
import { assertValidArgs } from "../shared/args";
import { SlaTier } from "../../decisions/sla-tier";
import {
  AlarmWindow,
  didNotRunWindow,
  nearTimeoutThresholdMs,
  NEAR_TIMEOUT_SHARE,
  RUN_SIGNAL_PERIOD_SECONDS,
} from "../../decisions/alarms";

/** One alarm of a pipeline: what it watches; name, actions and tags are added by PipelineAlarms. */
export interface AlarmSpec {
  /** Last part of the alarm name `bdp-<env>-<pipeline>-<purpose>`, e.g. "failed". */
  purpose: string;
  args: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "name" | "tags">;
}

/** What the alarm builders need to know about a pipeline. */
export interface PipelineRunFacts {
  /** Pipeline name from the stack config. */
  pipeline: string;
  /** The pipeline's schedule (cron()/rate()); omitted for upload-triggered and on-demand pipelines. */
  scheduleExpression?: string;
  /** Typical run time; stated in the alarm texts so the reader can judge a duration. */
  expectedRuntimeMinutes: number;
  /** Hard limit of one run; "close to timeout" is NEAR_TIMEOUT_SHARE of it. */
  timeoutMinutes: number;
}

export interface PipelineAlarmsArgs {
  /** Short environment name, used in alarm names (`bdp-<env>-<pipeline>-...`). */
  environment: string;
  /** Pipeline name from the stack config. */
  pipeline: string;
  slaTier: SlaTier;
  /** Every alarm notifies this topic on ALARM and on OK (AlertTopic.topicArn). */
  alertTopicArn: pulumi.Input<string>;
  /**
   * The alarms: stateMachineAlarms for pipelines run by Step Functions, the engine's run alarms
   * otherwise (e.g. Glue job metrics), triggerFailedAlarm and engine-specific ones (EMR idle).
   */
  alarms: AlarmSpec[];
}

export type MetricQuery = aws.types.input.cloudwatch.MetricAlarmMetricQuery;

/** A metric query that feeds an expression (returnData false). */
export function metricQuery(
  id: string,
  namespace: string,
  metricName: string,
  dimensions: Record<string, pulumi.Input<string>>,
  period: number,
  stat: string,
): MetricQuery {
  return { id, returnData: false, metric: { namespace, metricName, dimensions, period, stat } };
}

/** Period, evaluation periods and datapoints of an alarm window. */
export function windowArgs(
  window: AlarmWindow,
): Pick<aws.cloudwatch.MetricAlarmArgs, "period" | "evaluationPeriods" | "datapointsToAlarm"> {
  return {
    period: window.period,
    evaluationPeriods: window.evaluationPeriods,
    datapointsToAlarm: window.datapointsToAlarm,
  };
}

/** Words the duration alarms share: the run time and timeout, and the near-timeout share. */
export function durationTexts(facts: PipelineRunFacts): { runtime: string; share: string } {
  return {
    runtime: `expected run time ${facts.expectedRuntimeMinutes} min, timeout ${facts.timeoutMinutes} min`,
    share: `${Math.round(NEAR_TIMEOUT_SHARE * 100)}%`,
  };
}

/** The did-not-run window of a scheduled pipeline; undefined for other triggers. */
export function scheduleWindow(facts: PipelineRunFacts): AlarmWindow | undefined {
  return facts.scheduleExpression ? didNotRunWindow(facts.scheduleExpression) : undefined;
}

/** One metric of a namespace with its dimensions. */
export interface AlarmMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, pulumi.Input<string>>;
}

/** Something happened at least once in a run-signal period (a failed run, a failed invocation). */
export function occurredAlarm(purpose: string, alarmDescription: string, metric: AlarmMetric): AlarmSpec {
  return {
    purpose,
    args: {
      alarmDescription,
      ...metric,
      statistic: "Sum",
      period: RUN_SIGNAL_PERIOD_SECONDS,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    },
  };
}

/** A run's duration metric (ms) went above NEAR_TIMEOUT_SHARE of the pipeline's timeout. */
export function nearTimeoutAlarm(
  facts: PipelineRunFacts,
  alarmDescription: string,
  metric: AlarmMetric,
): AlarmSpec {
  return {
    purpose: "near-timeout",
    args: {
      alarmDescription,
      ...metric,
      statistic: "Maximum",
      period: RUN_SIGNAL_PERIOD_SECONDS,
      evaluationPeriods: 1,
      threshold: nearTimeoutThresholdMs(facts.timeoutMinutes),
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    },
  };
}

/**
 * Alarms of a pipeline run by a state machine, on AWS/States with dimension StateMachineArn:
 * failed = ExecutionsFailed + ExecutionsTimedOut >= 1; close to timeout = ExecutionTime (ms, per
 * finished execution) > 80% of the timeout; did not run = ExecutionsStarted < 1 over the longest
 * schedule gap plus grace (missing data breaches).
 */
export function stateMachineAlarms(
  facts: PipelineRunFacts,
  stateMachineArn: pulumi.Input<string>,
): AlarmSpec[] {
  const dimensions = { StateMachineArn: stateMachineArn };
  const { runtime, share } = durationTexts(facts);
  const states = (id: string, metricName: string) =>
    metricQuery(id, "AWS/States", metricName, dimensions, RUN_SIGNAL_PERIOD_SECONDS, "Sum");
  const alarms: AlarmSpec[] = [
    {
      purpose: "failed",
      args: {
        alarmDescription: `Runs of pipeline ${facts.pipeline} failed or timed out (Step Functions executions).`,
        metricQueries: [
          states("failed", "ExecutionsFailed"),
          states("timedOut", "ExecutionsTimedOut"),
          {
            id: "unsuccessful",
            label: "Failed or timed-out executions",
            expression: "FILL(failed, 0) + FILL(timedOut, 0)",
            returnData: true,
          },
        ],
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
      },
    },
    nearTimeoutAlarm(
      facts,
      `A run of pipeline ${facts.pipeline} took more than ${share} of its timeout (${runtime}).`,
      { namespace: "AWS/States", metricName: "ExecutionTime", dimensions },
    ),
  ];
  const window = scheduleWindow(facts);
  if (window) {
    alarms.push({
      purpose: "did-not-run",
      args: {
        alarmDescription: `Pipeline ${facts.pipeline} started no run within its schedule ${facts.scheduleExpression}.`,
        namespace: "AWS/States",
        metricName: "ExecutionsStarted",
        dimensions,
        statistic: "Sum",
        ...windowArgs(window),
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
      },
    });
  }
  return alarms;
}

/**
 * The EventBridge rule that starts a pipeline could not start it: AWS/Events FailedInvocations
 * of that rule (for pipelines whose trigger is an EventBridge rule).
 */
export function triggerFailedAlarm(pipeline: string, ruleName: pulumi.Input<string>): AlarmSpec {
  return occurredAlarm(
    "trigger-failed",
    `The rule that starts pipeline ${pipeline} could not start it (EventBridge FailedInvocations).`,
    { namespace: "AWS/Events", metricName: "FailedInvocations", dimensions: { RuleName: ruleName } },
  );
}

/** Every problem with the alarms: purposes must be unique (alarms are keyed and named by them). */
export function validatePipelineAlarmsArgs(args: Pick<PipelineAlarmsArgs, "alarms">): ArgsProblem[] {
  return repeatedProblems(
    "alarms",
    "purpose",
    args.alarms.map((spec) => spec.purpose),
    (purpose) => `another alarm has the purpose "${purpose}" (alarms are named and keyed by it)`,
  );
}

/**
 * CloudWatch alarms of one pipeline, from the specs given; each notifies the alert topic when it
 * fires and when it clears. Which metrics back them is the caller's choice: the state machine's
 * (stateMachineAlarms), the engine's own when no state machine runs the pipeline (e.g. Glue job
 * metrics), the trigger rule's (triggerFailedAlarm), or engine-specific ones (EMR idle clusters).
 * AWS Batch publishes no per-job metrics; Batch failures are alerted by FailureEvents.
 */
export class PipelineAlarms extends pulumi.ComponentResource {
  /** Every alarm of the pipeline, in the order of the specs. */
  readonly alarms: aws.cloudwatch.MetricAlarm[];
  /** The alarms by purpose ("failed", "near-timeout", ...). */
  readonly byPurpose: Record<string, aws.cloudwatch.MetricAlarm>;

  constructor(name: string, args: PipelineAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:monitoring:PipelineAlarms", name, {}, opts);
    assertValidArgs("bdp:monitoring:PipelineAlarms", name, validatePipelineAlarmsArgs(args));
    const purposes = args.alarms.map((spec) => spec.purpose);
    this.alarms = args.alarms.map((spec) => this.alarm(name, spec, args));
    this.byPurpose = Object.fromEntries(this.alarms.map((alarm, index) => [purposes[index], alarm]));
    this.registerOutputs({ alarmArns: this.alarms.map((alarm) => alarm.arn) });
  }

  /** One alarm with the actions, name and tags every pipeline alarm gets. */
  private alarm(name: string, spec: AlarmSpec, args: PipelineAlarmsArgs): aws.cloudwatch.MetricAlarm {
    const { environment, pipeline, slaTier, alertTopicArn } = args;
    return new aws.cloudwatch.MetricAlarm(
      `${name}-${spec.purpose}`,
      {
        ...spec.args,
        name: `bdp-${environment}-${pipeline}-${spec.purpose}`,
        alarmActions: [alertTopicArn],
        okActions: [alertTopicArn],
        tags: { ...pipelineTags(pipeline, slaTier), [TAG_KEYS.component]: "monitoring" },
      },
      { parent: this },
    );
  }
}
