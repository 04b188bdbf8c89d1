import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { SlaTier } from "../../decisions/sla-tier";
import {
  nearTimeoutThresholdMs,
  NEAR_TIMEOUT_SHARE,
  RUN_SIGNAL_PERIOD_SECONDS,
} from "../../decisions/alarms";

/** CloudWatch dashboards lay widgets out on a grid 24 columns wide. */
export const GRID_COLUMNS = 24;
const ROW_HEIGHT = 6;
const HEADER_HEIGHT = 2;
/** Default time range shown: the last day, so a daily pipeline's latest run is on screen. */
export const DASHBOARD_START = "-PT24H";

export interface DashboardPipeline {
  name: string;
  slaTier: SlaTier;
  /** Its state machine, when Step Functions runs it: AWS/States metrics. */
  stateMachineArn?: pulumi.Input<string>;
  /** Its Glue job, for Glue pipelines without a state machine: Glue job metrics. */
  glueJobName?: pulumi.Input<string>;
  expectedRuntimeMinutes: number;
  timeoutMinutes: number;
}

export interface DashboardArgs {
  /** Short environment name; the dashboard is named `bdp-<env>`. */
  environment: string;
  /** One row per pipeline, in this order. */
  pipelines: DashboardPipeline[];
  /** Engine section: Glue jobs of the environment. */
  glueJobNames?: pulumi.Input<string>[];
  /** Engine section: whether the environment runs EMR clusters (their IDs change per run). */
  emrClusters?: boolean;
  /** Engine section: EMR Serverless applications of the environment. */
  emrServerlessApplicationIds?: pulumi.Input<string>[];
  /** Engine section: failure alert rules (FailureEvents.ruleNames()), e.g. for Batch jobs. */
  failureRuleNames?: pulumi.Input<string>[];
  /** Engine section: the alert dead-letter queue's name. */
  deadLetterQueueName?: pulumi.Input<string>;
}

/** DashboardArgs with every value resolved, plus the region the metrics live in. */
export type DashboardContent = pulumi.Unwrap<DashboardArgs> & { region: string };

/** A metric line: namespace, metric name, dimension name/value pairs, optional rendering options. */
type MetricLine = (string | Record<string, unknown>)[];

export interface Widget {
  type: "metric" | "text";
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

export interface DashboardBody {
  start: string;
  widgets: Widget[];
}

type Sized = Omit<Widget, "x" | "y">;

function text(markdown: string, width: number, height: number): Sized {
  return { type: "text", width, height, properties: { markdown } };
}

function metricWidget(
  region: string,
  title: string,
  metrics: MetricLine[],
  options: { stat?: string; period?: number; width?: number; annotations?: unknown } = {},
): Sized {
  return {
    type: "metric",
    width: options.width ?? 8,
    height: ROW_HEIGHT,
    properties: {
      title,
      region,
      view: "timeSeries",
      stacked: false,
      stat: options.stat ?? "Sum",
      period: options.period ?? RUN_SIGNAL_PERIOD_SECONDS,
      metrics,
      ...(options.annotations ? { annotations: options.annotations } : {}),
    },
  };
}

/** Places widgets left to right, wrapping to a new row when the 24 columns are used up. */
class Grid {
  readonly widgets: Widget[] = [];
  private x = 0;
  private y = 0;
  private rowHeight = 0;

  /** Starts a new row (no-op at the start of a row). */
  newRow(): void {
    this.y += this.rowHeight;
    this.x = 0;
    this.rowHeight = 0;
  }

  add(widget: Sized): void {
    if (this.x + widget.width > GRID_COLUMNS) this.newRow();
    this.widgets.push({ ...widget, x: this.x, y: this.y });
    this.x += widget.width;
    this.rowHeight = Math.max(this.rowHeight, widget.height);
  }
}

function durationAnnotations(pipeline: Pick<DashboardPipeline, "expectedRuntimeMinutes" | "timeoutMinutes">) {
  return {
    horizontal: [
      { label: "expected run time", value: pipeline.expectedRuntimeMinutes * 60_000 },
      {
        label: `${Math.round(NEAR_TIMEOUT_SHARE * 100)}% of timeout (alarm)`,
        value: nearTimeoutThresholdMs(pipeline.timeoutMinutes),
        color: "#d62728",
      },
    ],
  };
}

/** The widgets of one pipeline's row: runs, failures, duration. */
function pipelineRow(region: string, pipeline: DashboardContent["pipelines"][number]): Sized[] {
  const label = `${pipeline.name} (${pipeline.slaTier})`;
  if (pipeline.stateMachineArn) {
    const dim = ["StateMachineArn", pipeline.stateMachineArn];
    return [
      metricWidget(region, `${label}: runs`, [
        ["AWS/States", "ExecutionsStarted", ...dim, { label: "started" }],
        ["AWS/States", "ExecutionsSucceeded", ...dim, { label: "succeeded" }],
      ]),
      metricWidget(region, `${label}: failures`, [
        ["AWS/States", "ExecutionsFailed", ...dim, { label: "failed" }],
        ["AWS/States", "ExecutionsTimedOut", ...dim, { label: "timed out" }],
        ["AWS/States", "ExecutionsAborted", ...dim, { label: "aborted" }],
      ]),
      metricWidget(
        region,
        `${label}: duration (ms)`,
        [
          ["AWS/States", "ExecutionTime", ...dim, { stat: "Maximum", label: "longest" }],
          ["AWS/States", "ExecutionTime", ...dim, { stat: "Average", label: "average" }],
        ],
        { stat: "Maximum", annotations: durationAnnotations(pipeline) },
      ),
    ];
  }
  if (pipeline.glueJobName) {
    const dims = ["JobName", pipeline.glueJobName, "JobRunId", "ALL", "Type", "count"];
    return [
      metricWidget(region, `${label}: runs`, [
        ["Glue", "glue.succeed.ALL", ...dims, "ObservabilityGroup", "error", { label: "succeeded" }],
      ]),
      metricWidget(region, `${label}: failures`, [
        ["Glue", "glue.error.ALL", ...dims, "ObservabilityGroup", "error", { label: "failed" }],
        ["Glue", "glue.driver.aggregate.numFailedTasks", ...dims, { label: "failed Spark tasks" }],
      ]),
      metricWidget(
        region,
        `${label}: duration (ms)`,
        [["Glue", "glue.driver.aggregate.elapsedTime", ...dims, { label: "elapsed" }]],
        { stat: "Maximum", annotations: durationAnnotations(pipeline) },
      ),
    ];
  }
  return [
    text(
      `**${label}**: no run metrics (AWS publishes none for this engine without a state machine); ` +
        "its failures arrive as alerts from the failure rules.",
      GRID_COLUMNS,
      HEADER_HEIGHT,
    ),
  ];
}

/** The engine section: Glue, EMR, EMR Serverless, failure alerts per rule (Batch), undelivered alerts. */
function engineWidgets(content: DashboardContent): Sized[] {
  const { region } = content;
  const widgets: Sized[] = [];
  const glueJobs = content.glueJobNames ?? [];
  if (glueJobs.length > 0) {
    const dims = (job: string) => ["JobName", job, "JobRunId", "ALL", "Type", "count"];
    widgets.push(
      metricWidget(
        region,
        "Glue: failed runs per job",
        glueJobs.map((job) => [
          "Glue",
          "glue.error.ALL",
          ...dims(job),
          "ObservabilityGroup",
          "error",
          { label: job },
        ]),
        { width: 12 },
      ),
      metricWidget(
        region,
        "Glue: elapsed time per job (ms)",
        glueJobs.map((job) => ["Glue", "glue.driver.aggregate.elapsedTime", ...dims(job), { label: job }]),
        { width: 12, stat: "Maximum" },
      ),
    );
  }
  if (content.emrClusters) {
    // Transient clusters get a new JobFlowId per run, so search instead of naming them.
    const search = (metric: string, stat: string, id: string) => [
      { expression: `SEARCH('{AWS/ElasticMapReduce,JobFlowId} MetricName="${metric}"', '${stat}', 300)`, id },
    ];
    widgets.push(
      metricWidget(
        region,
        "EMR: failed applications per cluster",
        [search("AppsFailed", "Sum", "appsFailed")],
        {
          width: 12,
        },
      ),
      metricWidget(region, "EMR: idle clusters", [search("IsIdle", "Minimum", "isIdle")], {
        width: 12,
        stat: "Minimum",
      }),
    );
  }
  const applications = content.emrServerlessApplicationIds ?? [];
  if (applications.length > 0) {
    widgets.push(
      metricWidget(
        region,
        "EMR Serverless: job runs per application",
        applications.flatMap((id) => [
          ["AWS/EMRServerless", "SuccessJobs", "ApplicationId", id, { label: `${id} succeeded` }],
          ["AWS/EMRServerless", "FailedJobs", "ApplicationId", id, { label: `${id} failed` }],
        ]),
        { width: 12 },
      ),
    );
  }
  const rules = content.failureRuleNames ?? [];
  if (rules.length > 0) {
    widgets.push(
      metricWidget(
        region,
        "Failure alerts per rule (Glue, Batch, EMR, Step Functions)",
        rules.map((rule) => ["AWS/Events", "TriggeredRules", "RuleName", rule, { label: rule }]),
        { width: 12 },
      ),
    );
  }
  if (content.deadLetterQueueName) {
    widgets.push(
      metricWidget(
        region,
        "Undelivered alerts (dead-letter queue)",
        [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", content.deadLetterQueueName]],
        { width: 12, stat: "Maximum" },
      ),
    );
  }
  return widgets;
}

/**
 * The dashboard body: a header, one row per pipeline (runs, failures, duration), then the engine
 * widgets. Pure, so tests can check the layout.
 */
export function dashboardBody(content: DashboardContent): DashboardBody {
  const grid = new Grid();
  grid.add(
    text(
      `# bdp-${content.environment}: batch data platform\n` +
        `${content.pipelines.length} pipeline(s), one row each: runs, failures, duration ` +
        `(red line: ${Math.round(NEAR_TIMEOUT_SHARE * 100)}% of the timeout, where the alarm fires). ` +
        `Alerts go to the SNS topic bdp-${content.environment}-alerts. Engines below. Periods: ` +
        `${RUN_SIGNAL_PERIOD_SECONDS / 60} minutes.`,
      GRID_COLUMNS,
      HEADER_HEIGHT,
    ),
  );
  for (const pipeline of content.pipelines) {
    grid.newRow();
    for (const widget of pipelineRow(content.region, pipeline)) grid.add(widget);
  }
  const engines = engineWidgets(content);
  if (engines.length > 0) {
    grid.newRow();
    grid.add(text("## Engines", GRID_COLUMNS, 1));
    grid.newRow();
    for (const widget of engines) grid.add(widget);
  }
  return { start: DASHBOARD_START, widgets: grid.widgets };
}

/** One CloudWatch dashboard per environment, built by `dashboardBody`. */
export class Dashboard extends pulumi.ComponentResource {
  readonly dashboard: aws.cloudwatch.Dashboard;
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:monitoring:Dashboard", name, {}, opts);
    const region = aws.getRegionOutput({}, { parent: this });
    const body = pulumi
      .all([pulumi.output(args), region.region])
      .apply(([resolved, regionName]) =>
        JSON.stringify(dashboardBody({ ...(resolved as pulumi.Unwrap<DashboardArgs>), region: regionName })),
      );
    this.dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      { dashboardName: `bdp-${args.environment}`, dashboardBody: body },
      { parent: this },
    );
    this.dashboardName = this.dashboard.dashboardName;
    this.registerOutputs({ dashboardName: this.dashboardName });
  }
}
