import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { pipelineTags, TAG_KEYS } from "../shared/tags";
import { SlaTier } from "../../decisions/sla-tier";
import {
  AlarmWindow,
  didNotRunWindow,
  emrIdleWindow,
  nearTimeoutThresholdMs,
  NEAR_TIMEOUT_SHARE,
  RUN_SIGNAL_PERIOD_SECONDS,
} from "../../decisions/alarms";

export interface PipelineAlarmsArgs {
  /** Short environment name, used in alarm names (`bdp-<env>-<pipeline>-...`). */
  environment: string;
  /** Pipeline name from the stack config. */
  pipeline: string;
  slaTier: SlaTier;
  /** Every alarm notifies this topic on ALARM and on OK (AlertTopic.topicArn). */
  alertTopicArn: pulumi.Input<string>;
  /** The pipeline's state machine; its AWS/States metrics back the alarms when given. */
  stateMachineArn?: pulumi.Input<string>;
  /**
   * The pipeline's Glue job. Used when there is no state machine (Glue pipelines run by a Glue
   * workflow): needs `--enable-metrics` and `--enable-observability-metrics` on the job (Glue 4.0+).
   */
  glueJobName?: pulumi.Input<string>;
  /** The pipeline's schedule (cron()/rate()); omitted for upload-triggered and on-demand pipelines. */
  scheduleExpression?: string;
  /**
   * EventBridge rule that starts the pipeline (e.g. the schedule rule that submits a Batch job).
   * Its AWS/Events FailedInvocations says the pipeline could not even be started.
   */
  triggerRuleName?: pulumi.Input<string>;
  /** Typical run time; stated in the alarm texts so the reader can judge a duration. */
  expectedRuntimeMinutes: number;
  /** Hard limit of one run; "close to timeout" is NEAR_TIMEOUT_SHARE of it. */
  timeoutMinutes: number;
  /** Long-running EMR cluster of the pipeline: alarms when it stays idle past its auto-termination. */
  emrCluster?: { clusterId: pulumi.Input<string>; idleTimeoutMinutes: number };
}

/** Which metrics back the pipeline's alarms (see PipelineAlarms). */
export type PipelineMetricSource = "stepFunctions" | "glue" | "none";

/** The metric source for a pipeline: its state machine when it has one, else its Glue job. */
export function pipelineMetricSource(
  args: Pick<PipelineAlarmsArgs, "stateMachineArn" | "glueJobName">,
): PipelineMetricSource {
  if (args.stateMachineArn !== undefined) return "stepFunctions";
  if (args.glueJobName !== undefined) return "glue";
  return "none";
}

type MetricQuery = aws.types.input.cloudwatch.MetricAlarmMetricQuery;

/** Dimensions of Glue job-level aggregate metrics (namespace `Glue`). */
function glueDimensions(
  jobName: pulumi.Input<string>,
  observability: boolean,
): Record<string, pulumi.Input<string>> {
  const dimensions: Record<string, pulumi.Input<string>> = {
    JobName: jobName,
    JobRunId: "ALL",
    Type: "count",
  };
  if (observability) dimensions.ObservabilityGroup = "error";
  return dimensions;
}

function metricQuery(
  id: string,
  namespace: string,
  metricName: string,
  dimensions: Record<string, pulumi.Input<string>>,
  period: number,
  stat: string,
): MetricQuery {
  return { id, returnData: false, metric: { namespace, metricName, dimensions, period, stat } };
}

/**
 * CloudWatch alarms of one pipeline; each notifies the alert topic when it fires and when it
 * clears. Which metrics back them:
 *
 * - Pipelines with a state machine (all Step Functions-orchestrated pipelines): AWS/States with
 *   dimension StateMachineArn. failed = ExecutionsFailed + ExecutionsTimedOut >= 1; close to
 *   timeout = ExecutionTime (ms, per finished execution) > 80% of the timeout; did not run =
 *   ExecutionsStarted < 1 over the longest schedule gap plus grace (missing data breaches).
 * - Glue pipelines without a state machine: namespace `Glue`, dimensions JobName, JobRunId=ALL,
 *   Type=count. failed = glue.error.ALL >= 1 (observability metrics, ObservabilityGroup=error);
 *   close to timeout = glue.driver.aggregate.elapsedTime (ms, reported while the run is going, so
 *   it fires before the timeout) > 80%; did not run = glue.succeed.ALL + glue.error.ALL < 1.
 * - Batch pipelines submitted by EventBridge directly: AWS Batch publishes no per-job metrics; their
 *   failures are alerted by FailureEvents, and AWS/Events FailedInvocations of the trigger rule
 *   (triggerRuleName) says a run could not be submitted.
 * - Long-running EMR clusters: AWS/ElasticMapReduce IsIdle (dimension JobFlowId), minimum > 0 for
 *   longer than the cluster's idle timeout: auto-termination did not happen.
 */
export class PipelineAlarms extends pulumi.ComponentResource {
  readonly metricSource: PipelineMetricSource;
  readonly failed?: aws.cloudwatch.MetricAlarm;
  readonly nearTimeout?: aws.cloudwatch.MetricAlarm;
  readonly didNotRun?: aws.cloudwatch.MetricAlarm;
  readonly triggerFailed?: aws.cloudwatch.MetricAlarm;
  readonly emrIdle?: aws.cloudwatch.MetricAlarm;
  /** Every alarm of the pipeline. */
  readonly alarms: aws.cloudwatch.MetricAlarm[] = [];

  private readonly args: PipelineAlarmsArgs;

  constructor(name: string, args: PipelineAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:monitoring:PipelineAlarms", name, {}, opts);
    this.args = args;
    this.metricSource = pipelineMetricSource(args);
    const nearTimeoutMs = nearTimeoutThresholdMs(args.timeoutMinutes);
    const window = args.scheduleExpression ? didNotRunWindow(args.scheduleExpression) : undefined;
    const runtime = `expected run time ${args.expectedRuntimeMinutes} min, timeout ${args.timeoutMinutes} min`;
    const share = `${Math.round(NEAR_TIMEOUT_SHARE * 100)}%`;

    if (this.metricSource === "stepFunctions") {
      const dimensions = { StateMachineArn: args.stateMachineArn! };
      const states = (id: string, metricName: string) =>
        metricQuery(id, "AWS/States", metricName, dimensions, RUN_SIGNAL_PERIOD_SECONDS, "Sum");
      this.failed = this.alarm(name, "failed", {
        alarmDescription: `Runs of pipeline ${args.pipeline} failed or timed out (Step Functions executions).`,
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
      });
      this.nearTimeout = this.alarm(name, "near-timeout", {
        alarmDescription: `A run of pipeline ${args.pipeline} took more than ${share} of its timeout (${runtime}).`,
        namespace: "AWS/States",
        metricName: "ExecutionTime",
        dimensions,
        statistic: "Maximum",
        period: RUN_SIGNAL_PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: nearTimeoutMs,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
      if (window) {
        this.didNotRun = this.alarm(name, "did-not-run", {
          alarmDescription: `Pipeline ${args.pipeline} started no run within its schedule ${args.scheduleExpression}.`,
          namespace: "AWS/States",
          metricName: "ExecutionsStarted",
          dimensions,
          statistic: "Sum",
          ...windowArgs(window),
          threshold: 1,
          comparisonOperator: "LessThanThreshold",
          treatMissingData: "breaching",
        });
      }
    } else if (this.metricSource === "glue") {
      const job = args.glueJobName!;
      this.failed = this.alarm(name, "failed", {
        alarmDescription: `Runs of pipeline ${args.pipeline} failed (Glue job observability metric glue.error.ALL).`,
        namespace: "Glue",
        metricName: "glue.error.ALL",
        dimensions: glueDimensions(job, true),
        statistic: "Sum",
        period: RUN_SIGNAL_PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
      });
      this.nearTimeout = this.alarm(name, "near-timeout", {
        alarmDescription: `A run of pipeline ${args.pipeline} has been running for more than ${share} of its timeout (${runtime}).`,
        namespace: "Glue",
        metricName: "glue.driver.aggregate.elapsedTime",
        dimensions: glueDimensions(job, false),
        statistic: "Maximum",
        period: RUN_SIGNAL_PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: nearTimeoutMs,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
      if (window) {
        const glue = (id: string, metricName: string) =>
          metricQuery(id, "Glue", metricName, glueDimensions(job, true), window.period, "Sum");
        this.didNotRun = this.alarm(name, "did-not-run", {
          alarmDescription: `Pipeline ${args.pipeline} finished no run within its schedule ${args.scheduleExpression}.`,
          metricQueries: [
            glue("succeeded", "glue.succeed.ALL"),
            glue("errors", "glue.error.ALL"),
            {
              id: "runs",
              label: "Finished runs",
              expression: "FILL(succeeded, 0) + FILL(errors, 0)",
              returnData: true,
            },
          ],
          evaluationPeriods: window.evaluationPeriods,
          datapointsToAlarm: window.datapointsToAlarm,
          threshold: 1,
          comparisonOperator: "LessThanThreshold",
          treatMissingData: "breaching",
        });
      }
    }

    if (args.triggerRuleName !== undefined) {
      this.triggerFailed = this.alarm(name, "trigger-failed", {
        alarmDescription: `The rule that starts pipeline ${args.pipeline} could not start it (EventBridge FailedInvocations).`,
        namespace: "AWS/Events",
        metricName: "FailedInvocations",
        dimensions: { RuleName: args.triggerRuleName },
        statistic: "Sum",
        period: RUN_SIGNAL_PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
      });
    }

    if (args.emrCluster) {
      const idle = emrIdleWindow(args.emrCluster.idleTimeoutMinutes);
      this.emrIdle = this.alarm(name, "emr-idle", {
        alarmDescription:
          `The EMR cluster of pipeline ${args.pipeline} has been idle for longer than its ` +
          `${args.emrCluster.idleTimeoutMinutes}-minute auto-termination timeout and still costs money.`,
        namespace: "AWS/ElasticMapReduce",
        metricName: "IsIdle",
        dimensions: { JobFlowId: args.emrCluster.clusterId },
        statistic: "Minimum",
        ...windowArgs(idle),
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
    }

    this.registerOutputs({ alarmArns: this.alarms.map((alarm) => alarm.arn) });
  }

  /** One alarm with the actions, name and tags every pipeline alarm gets. */
  private alarm(
    name: string,
    purpose: string,
    alarmArgs: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "name" | "tags">,
  ): aws.cloudwatch.MetricAlarm {
    const { environment, pipeline, slaTier, alertTopicArn } = this.args;
    const alarm = new aws.cloudwatch.MetricAlarm(
      `${name}-${purpose}`,
      {
        ...alarmArgs,
        name: `bdp-${environment}-${pipeline}-${purpose}`,
        alarmActions: [alertTopicArn],
        okActions: [alertTopicArn],
        tags: { ...pipelineTags(pipeline, slaTier), [TAG_KEYS.component]: "monitoring" },
      },
      { parent: this },
    );
    this.alarms.push(alarm);
    return alarm;
  }
}

function windowArgs(
  window: AlarmWindow,
): Pick<aws.cloudwatch.MetricAlarmArgs, "period" | "evaluationPeriods" | "datapointsToAlarm"> {
  return {
    period: window.period,
    evaluationPeriods: window.evaluationPeriods,
    datapointsToAlarm: window.datapointsToAlarm,
  };
}
