import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { pipelineTags, TAG_KEYS } from "../shared/tags";
import { ArgsProblem, repeatedProblems } from "../../decisions/problems";
import { assertValidArgs } from "../shared/args";
import { NamePrefixArgs, namePrefixOf } from "../shared/names";
import { SlaTier } from "../../decisions/sla-tier";
import {
  AlarmWindow,
  didNotRunCheck,
  nearTimeoutThresholdMs,
  NEAR_TIMEOUT_SHARE,
  RUN_SIGNAL_PERIOD_SECONDS,
  RUN_STARTED_PERIOD_SECONDS,
} from "../../decisions/alarms";

/** What a metric alarm watches and when it fires; name, actions and tags are added by PipelineAlarms. */
export type MetricAlarmSpecArgs = Omit<
  aws.cloudwatch.MetricAlarmArgs,
  "alarmActions" | "okActions" | "name" | "tags"
>;

/**
 * A did-not-run window shorter than the schedule's gap, confirmed before anyone is notified
 * (decisions/alarms.ts DidNotRunCheck): the spec's alarm notifies nobody; a composite alarm named
 * by the purpose notifies `waitSeconds` after it fires, unless the `runStarted` alarm fires first.
 */
export interface AlarmConfirmation {
  waitSeconds: number;
  /** Fires when a run starts: the composite alarm's actions suppressor. */
  runStarted: MetricAlarmSpecArgs;
}

/** One alarm of a pipeline: what it watches; name, actions and tags are added by PipelineAlarms. */
export interface AlarmSpec {
  /** Last part of the alarm name `<namePrefix>-<purpose>`, e.g. "failed". */
  purpose: string;
  args: MetricAlarmSpecArgs;
  confirm?: AlarmConfirmation;
}

/** The purpose of every pipeline's "did not run" alarm. */
export const DID_NOT_RUN = "did-not-run";

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

/** Physical names: alarms `<namePrefix>-<purpose>` (composite alarms too). */
export interface PipelineAlarmsArgs extends NamePrefixArgs {
  /** Pipeline name (tag `pipeline`). */
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

/** One metric or expression of a metric-math alarm. */
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

/** The metric, or metric math, that counts started runs, summed over a period; it backs did-not-run alarms. */
export type RunSignal = (
  period: number,
) =>
  | Pick<MetricAlarmSpecArgs, "namespace" | "metricName" | "dimensions" | "statistic" | "period">
  | Pick<MetricAlarmSpecArgs, "metricQueries">;

/** At least 1 in one period fires; no data (nothing happened) does not. */
const AT_LEAST_ONCE = {
  evaluationPeriods: 1,
  threshold: 1,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  treatMissingData: "notBreaching",
} as const;

/**
 * "Did not run": the run signal stayed below 1 for the schedule's longest gap plus grace, missing
 * data breaching; confirmed by a composite alarm when that is longer than CloudWatch evaluates.
 * Undefined for pipelines without a schedule, or one that runs less often than yearly (MAX_WATCHED_GAP_MINUTES).
 */
export function didNotRunAlarm(
  facts: PipelineRunFacts,
  alarmDescription: string,
  signal: RunSignal,
): AlarmSpec | undefined {
  const check = facts.scheduleExpression ? didNotRunCheck(facts.scheduleExpression) : undefined;
  if (!check) return undefined;
  const { window, confirmSeconds } = check;
  const spec: AlarmSpec = {
    purpose: DID_NOT_RUN,
    args: {
      alarmDescription,
      ...signal(window.period),
      evaluationPeriods: window.evaluationPeriods,
      datapointsToAlarm: window.datapointsToAlarm,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
    },
  };
  if (confirmSeconds === undefined) return spec;
  const runStarted: MetricAlarmSpecArgs = {
    alarmDescription: `Pipeline ${facts.pipeline} ran (its run signal fired); confirms its did-not-run alarm and notifies nobody.`,
    ...signal(RUN_STARTED_PERIOD_SECONDS),
    ...AT_LEAST_ONCE,
  };
  return { ...spec, confirm: { waitSeconds: confirmSeconds, runStarted } };
}

/** A run signal from one metric, summed. */
export function metricSignal(metric: AlarmMetric): RunSignal {
  return (period) => ({ ...metric, statistic: "Sum", period });
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
      ...AT_LEAST_ONCE,
    },
  };
}

/**
 * Any of several metrics happened at least once in a period: an expression `sum.id` adding the
 * queries (missing data as 0), e.g. failed plus timed-out executions.
 */
export function anyOccurredAlarm(
  purpose: string,
  alarmDescription: string,
  sum: { id: string; label: string; queries: MetricQuery[] },
): AlarmSpec {
  return {
    purpose,
    args: {
      alarmDescription,
      metricQueries: [
        ...sum.queries,
        {
          id: sum.id,
          label: sum.label,
          expression: sum.queries.map((query) => `FILL(${query.id}, 0)`).join(" + "),
          returnData: true,
        },
      ],
      ...AT_LEAST_ONCE,
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
    anyOccurredAlarm(
      "failed",
      `Runs of pipeline ${facts.pipeline} failed or timed out (Step Functions executions).`,
      {
        id: "unsuccessful",
        label: "Failed or timed-out executions",
        queries: [states("failed", "ExecutionsFailed"), states("timedOut", "ExecutionsTimedOut")],
      },
    ),
    nearTimeoutAlarm(
      facts,
      `A run of pipeline ${facts.pipeline} took more than ${share} of its timeout (${runtime}).`,
      { namespace: "AWS/States", metricName: "ExecutionTime", dimensions },
    ),
  ];
  const didNotRun = didNotRunAlarm(
    facts,
    `Pipeline ${facts.pipeline} started no run within its schedule ${facts.scheduleExpression}.`,
    metricSignal({ namespace: "AWS/States", metricName: "ExecutionsStarted", dimensions }),
  );
  return didNotRun ? [...alarms, didNotRun] : alarms;
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

/** The purposes of the alarms a confirmed spec adds (named `<namePrefix>-<purpose>`). */
export function confirmationPurposes(purpose: string): string[] {
  return [`${purpose}-window`, `${purpose}-run-started`];
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
 * metrics), the trigger's (components/monitoring/trigger-alarms.ts), or engine-specific ones (EMR
 * idle clusters). A spec with `confirm` becomes three alarms: its window alarm and a "run started"
 * alarm, which notify nobody (AWS's pattern for the alarms under a composite alarm:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-combining.html), and the
 * composite alarm that notifies, on ALARM only: its return to OK would come while its actions are
 * suppressed, or after a late run the dashboard shows.
 */
export class PipelineAlarms extends pulumi.ComponentResource {
  /** Every metric alarm of the pipeline, in the order of the specs (a confirmed spec: window, then run started). */
  readonly alarms: aws.cloudwatch.MetricAlarm[] = [];
  /** The composite alarms that confirm long did-not-run windows. */
  readonly compositeAlarms: aws.cloudwatch.CompositeAlarm[] = [];
  /** The alarm that notifies, by purpose ("failed", "near-timeout", ...). */
  readonly byPurpose: Record<string, aws.cloudwatch.MetricAlarm | aws.cloudwatch.CompositeAlarm> = {};
  /** The start of the alarm names (namePrefixOf). */
  readonly namePrefix: string;

  constructor(name: string, args: PipelineAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:monitoring:PipelineAlarms", name, {}, opts);
    assertValidArgs("bdp:monitoring:PipelineAlarms", name, validatePipelineAlarmsArgs(args));
    this.namePrefix = namePrefixOf(name, args);
    for (const spec of args.alarms) {
      this.byPurpose[spec.purpose] = spec.confirm
        ? this.confirmedAlarm(name, spec, spec.confirm, args)
        : this.alarm(name, spec.purpose, spec.args, args, true);
    }
    this.registerOutputs({
      alarmArns: [...this.alarms, ...this.compositeAlarms].map((alarm) => alarm.arn),
    });
  }

  /** ARNs of the alarms that notify (one per spec), for the dashboard's alarm status widget. */
  alarmArns(): pulumi.Output<string>[] {
    return Object.values(this.byPurpose).map((alarm) => alarm.arn);
  }

  private nameOf(purpose: string): string {
    return `${this.namePrefix}-${purpose}`;
  }

  private tags(args: PipelineAlarmsArgs): Record<string, string> {
    return { ...pipelineTags(args.pipeline, args.slaTier), [TAG_KEYS.component]: "monitoring" };
  }

  /** One metric alarm with the name and tags every pipeline alarm gets; `notify` adds the topic actions. */
  private alarm(
    name: string,
    purpose: string,
    alarmArgs: MetricAlarmSpecArgs,
    args: PipelineAlarmsArgs,
    notify: boolean,
  ): aws.cloudwatch.MetricAlarm {
    const actions = notify ? { alarmActions: [args.alertTopicArn], okActions: [args.alertTopicArn] } : {};
    const alarm = new aws.cloudwatch.MetricAlarm(
      `${name}-${purpose}`,
      { ...alarmArgs, name: this.nameOf(purpose), ...actions, tags: this.tags(args) },
      { parent: this },
    );
    this.alarms.push(alarm);
    return alarm;
  }

  /** The window and run-started alarms, and the composite alarm that notifies when no run came in time. */
  private confirmedAlarm(
    name: string,
    spec: AlarmSpec,
    confirm: AlarmConfirmation,
    args: PipelineAlarmsArgs,
  ): aws.cloudwatch.CompositeAlarm {
    const compositeName = this.nameOf(spec.purpose);
    const [windowPurpose, runStartedPurpose] = confirmationPurposes(spec.purpose);
    const window = this.alarm(
      name,
      windowPurpose,
      {
        ...spec.args,
        alarmDescription: pulumi.interpolate`${spec.args.alarmDescription} Covers the longest window CloudWatch evaluates; ${compositeName} notifies unless a run starts within ${confirm.waitSeconds / 60} more minutes.`,
      },
      args,
      false,
    );
    const runStarted = this.alarm(name, runStartedPurpose, confirm.runStarted, args, false);
    const composite = new aws.cloudwatch.CompositeAlarm(
      `${name}-${spec.purpose}`,
      {
        alarmName: compositeName,
        alarmDescription: spec.args.alarmDescription,
        alarmRule: pulumi.interpolate`ALARM("${window.name}")`,
        actionsSuppressor: {
          alarm: runStarted.name,
          waitPeriod: confirm.waitSeconds,
          // The run-started alarm clears an hour after the run; by then the window alarm is OK.
          extensionPeriod: RUN_STARTED_PERIOD_SECONDS,
        },
        alarmActions: [args.alertTopicArn],
        tags: this.tags(args),
      },
      { parent: this },
    );
    this.compositeAlarms.push(composite);
    return composite;
  }
}
