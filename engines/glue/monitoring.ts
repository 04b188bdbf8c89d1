/**
 * What monitoring needs to know about Glue jobs: the failure event, the job metrics that back a
 * pipeline's alarms and dashboard row when no state machine runs it (Glue workflows), and the
 * engine's dashboard widgets.
 *
 * Glue job-level aggregate metrics live in namespace `Glue` with dimensions JobName,
 * JobRunId=ALL, Type=count; the observability metrics (glue.error.ALL, glue.succeed.ALL) also
 * carry ObservabilityGroup and need `--enable-observability-metrics` on the job (Glue 4.0+).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  alertTemplate,
  alertWhere,
  COMMON_ALERT_PATHS,
  CONSOLE_URL,
  FailureRuleSpec,
  ruleFor,
} from "../../components/monitoring/failure-events";
import {
  AlarmSpec,
  durationTexts,
  metricQuery,
  nearTimeoutAlarm,
  occurredAlarm,
  PipelineRunFacts,
  didNotRunAlarm,
} from "../../components/monitoring/pipeline-alarms";
import {
  DashboardRowFacts,
  durationAnnotations,
  metricWidget,
  rowLabel,
  WidgetSpec,
} from "../../components/monitoring/dashboard";

/** Glue job runs of the environment that failed, timed out or errored; none without jobs. */
export function glueJobFailureRules(env: string, jobNames: pulumi.Input<string>[]): FailureRuleSpec[] {
  return ruleFor(jobNames, (names) => ({
    kind: "glueJob",
    suffix: "glue-job-failed",
    description: `Glue job runs of the ${env} environment that failed, timed out or errored`,
    pattern: {
      source: ["aws.glue"],
      "detail-type": ["Glue Job State Change"],
      detail: { jobName: names, state: ["FAILED", "TIMEOUT", "ERROR"] },
    },
    inputPaths: {
      ...COMMON_ALERT_PATHS,
      job: "$.detail.jobName",
      runId: "$.detail.jobRunId",
      state: "$.detail.state",
      message: "$.detail.message",
    },
    inputTemplate: alertTemplate([
      `[bdp-${env}] Glue job <job> ended <state>`,
      "What: run <runId> of Glue job <job> ended in state <state>.",
      alertWhere(),
      "Why: <message>",
      `Console: ${CONSOLE_URL}/gluestudio/home?region=<region>#/job/<job>/run/<runId>`,
    ]),
  }));
}

/** Dimensions of Glue job-level aggregate metrics (namespace `Glue`). */
export function glueDimensions(
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

/**
 * Alarms of a Glue pipeline without a state machine: failed = glue.error.ALL >= 1; close to
 * timeout = glue.driver.aggregate.elapsedTime (ms, reported while the run is going, so it fires
 * before the timeout) > 80%; did not run = glue.succeed.ALL + glue.error.ALL < 1.
 */
export function glueJobAlarms(facts: PipelineRunFacts, jobName: pulumi.Input<string>): AlarmSpec[] {
  const { runtime, share } = durationTexts(facts);
  const alarms: AlarmSpec[] = [
    occurredAlarm(
      "failed",
      `Runs of pipeline ${facts.pipeline} failed (Glue job observability metric glue.error.ALL).`,
      { namespace: "Glue", metricName: "glue.error.ALL", dimensions: glueDimensions(jobName, true) },
    ),
    nearTimeoutAlarm(
      facts,
      `A run of pipeline ${facts.pipeline} has been running for more than ${share} of its timeout (${runtime}).`,
      {
        namespace: "Glue",
        metricName: "glue.driver.aggregate.elapsedTime",
        dimensions: glueDimensions(jobName, false),
      },
    ),
  ];
  const didNotRun = didNotRunAlarm(
    facts,
    `Pipeline ${facts.pipeline} finished no run within its schedule ${facts.scheduleExpression}.`,
    (period) => {
      const glue = (id: string, metricName: string) =>
        metricQuery(id, "Glue", metricName, glueDimensions(jobName, true), period, "Sum");
      return {
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
      };
    },
  );
  return didNotRun ? [...alarms, didNotRun] : alarms;
}

const JOB_DIMENSIONS = (jobName: pulumi.Input<string>) => [
  "JobName",
  jobName,
  "JobRunId",
  "ALL",
  "Type",
  "count",
];

/** The dashboard row of a Glue pipeline without a state machine: runs, failures, duration. */
export function glueJobRow(pipeline: DashboardRowFacts, jobName: pulumi.Input<string>): WidgetSpec[] {
  const label = rowLabel(pipeline);
  const dims = JOB_DIMENSIONS(jobName);
  return [
    metricWidget(`${label}: runs`, [
      ["Glue", "glue.succeed.ALL", ...dims, "ObservabilityGroup", "error", { label: "succeeded" }],
    ]),
    metricWidget(`${label}: failures`, [
      ["Glue", "glue.error.ALL", ...dims, "ObservabilityGroup", "error", { label: "failed" }],
      ["Glue", "glue.driver.aggregate.numFailedTasks", ...dims, { label: "failed Spark tasks" }],
    ]),
    metricWidget(
      `${label}: duration (ms)`,
      [["Glue", "glue.driver.aggregate.elapsedTime", ...dims, { label: "elapsed" }]],
      { stat: "Maximum", annotations: durationAnnotations(pipeline) },
    ),
  ];
}

/** The Glue part of the dashboard's engine section: failed runs and elapsed time per job. */
export function glueEngineWidgets(jobNames: pulumi.Input<string>[]): WidgetSpec[] {
  if (jobNames.length === 0) return [];
  return [
    metricWidget(
      "Glue: failed runs per job",
      jobNames.map((job) => [
        "Glue",
        "glue.error.ALL",
        ...JOB_DIMENSIONS(job),
        "ObservabilityGroup",
        "error",
        { label: job },
      ]),
      { width: 12 },
    ),
    metricWidget(
      "Glue: elapsed time per job (ms)",
      jobNames.map((job) => [
        "Glue",
        "glue.driver.aggregate.elapsedTime",
        ...JOB_DIMENSIONS(job),
        { label: job },
      ]),
      { width: 12, stat: "Maximum" },
    ),
  ];
}
