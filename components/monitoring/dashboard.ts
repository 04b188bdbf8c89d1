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

/** A metric line: namespace, metric name, dimension name/value pairs, optional rendering options. */
export type MetricLine = (pulumi.Input<string> | Record<string, unknown>)[];

/** A widget before layout: its content and width; the dashboard places it and adds the region. */
export type WidgetSpec =
  | {
      type: "metric";
      title: string;
      metrics: MetricLine[];
      /** Grid columns (of 24); default 8. */
      width?: number;
      stat?: string;
      period?: number;
      annotations?: unknown;
    }
  | { type: "text"; markdown: string; width: number; height: number };

/** What a pipeline's dashboard row says about it. */
export interface DashboardRowFacts {
  name: string;
  slaTier: SlaTier;
  expectedRuntimeMinutes: number;
  timeoutMinutes: number;
}

export interface DashboardPipeline {
  name: string;
  slaTier: SlaTier;
  /**
   * The row's widgets: stateMachineRow for pipelines run by Step Functions, the engine's row
   * otherwise; empty when AWS publishes no run metrics (a text says where failures go instead).
   */
  widgets: WidgetSpec[];
  /** Widgets of what starts the pipeline (its schedule or upload rule), after the run's. */
  triggerWidgets?: WidgetSpec[];
}

export interface DashboardArgs {
  /** Short environment name; the dashboard is named `bdp-<env>`. */
  environment: string;
  /** One row per pipeline, in this order. */
  pipelines: DashboardPipeline[];
  /** Engine section: widgets of each engine in use (`EngineModule.dashboardWidgets`). */
  engineWidgets?: WidgetSpec[];
  /** Engine section: failure alert rules (FailureEvents.ruleNames()). */
  failureRuleNames?: pulumi.Input<string>[];
  /** Engine section: the alert dead-letter queue's name. */
  deadLetterQueueName?: pulumi.Input<string>;
  /** ARNs of the alarms whose state the dashboard shows under its header (every pipeline alarm). */
  alarmArns?: pulumi.Input<string>[];
}

/** DashboardArgs with every value resolved, plus the region the metrics live in. */
export type DashboardContent = pulumi.Unwrap<DashboardArgs> & { region: string };

export interface Widget {
  type: "metric" | "text" | "alarm";
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

/** A text widget. */
export function textWidget(markdown: string, width: number, height: number): WidgetSpec {
  return { type: "text", markdown, width, height };
}

/** A time-series metric widget. */
export function metricWidget(
  title: string,
  metrics: MetricLine[],
  options: { stat?: string; period?: number; width?: number; annotations?: unknown } = {},
): WidgetSpec {
  return { type: "metric", title, metrics, ...options };
}

function sizedText(markdown: string, width: number, height: number): Sized {
  return { type: "text", width, height, properties: { markdown } };
}

/** Turns a resolved widget spec into a sized widget of the region; `width` when the spec sets none. */
function sized(region: string, widget: pulumi.Unwrap<WidgetSpec>, width = 8): Sized {
  if (widget.type === "text") return sizedText(widget.markdown, widget.width, widget.height);
  return {
    type: "metric",
    width: widget.width ?? width,
    height: ROW_HEIGHT,
    properties: {
      title: widget.title,
      region,
      view: "timeSeries",
      stacked: false,
      stat: widget.stat ?? "Sum",
      period: widget.period ?? RUN_SIGNAL_PERIOD_SECONDS,
      metrics: widget.metrics,
      ...(widget.annotations ? { annotations: widget.annotations } : {}),
    },
  };
}

/**
 * An alarm status widget lists at most 100 alarms
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html),
 * so longer lists take several widgets.
 */
export const ALARMS_PER_STATUS_WIDGET = 100;

/** Alarm status widgets across the grid, alarms in ALARM first, at most ALARMS_PER_STATUS_WIDGET each. */
export function alarmStatusWidgets(alarmArns: string[]): Sized[] {
  const widgets: Sized[] = [];
  for (let start = 0; start < alarmArns.length; start += ALARMS_PER_STATUS_WIDGET) {
    const alarms = alarmArns.slice(start, start + ALARMS_PER_STATUS_WIDGET);
    widgets.push({
      type: "alarm",
      width: GRID_COLUMNS,
      height: ROW_HEIGHT,
      properties: { title: "Pipeline alarms", alarms, sortBy: "stateUpdatedTimestamp" },
    });
  }
  return widgets;
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

/** Horizontal lines on a duration widget: the expected run time and the near-timeout alarm. */
export function durationAnnotations(
  pipeline: Pick<DashboardRowFacts, "expectedRuntimeMinutes" | "timeoutMinutes">,
) {
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

/** The title prefix of a pipeline's widgets. */
export function rowLabel(pipeline: Pick<DashboardRowFacts, "name" | "slaTier">): string {
  return `${pipeline.name} (${pipeline.slaTier})`;
}

/** The row of a pipeline run by a state machine: runs, failures, duration (AWS/States). */
export function stateMachineRow(
  pipeline: DashboardRowFacts,
  stateMachineArn: pulumi.Input<string>,
): WidgetSpec[] {
  const label = rowLabel(pipeline);
  const dim = ["StateMachineArn", stateMachineArn];
  return [
    metricWidget(`${label}: runs`, [
      ["AWS/States", "ExecutionsStarted", ...dim, { label: "started" }],
      ["AWS/States", "ExecutionsSucceeded", ...dim, { label: "succeeded" }],
    ]),
    metricWidget(`${label}: failures`, [
      ["AWS/States", "ExecutionsFailed", ...dim, { label: "failed" }],
      ["AWS/States", "ExecutionsTimedOut", ...dim, { label: "timed out" }],
      ["AWS/States", "ExecutionsAborted", ...dim, { label: "aborted" }],
    ]),
    metricWidget(
      `${label}: duration (ms)`,
      [
        ["AWS/States", "ExecutionTime", ...dim, { stat: "Maximum", label: "longest" }],
        ["AWS/States", "ExecutionTime", ...dim, { stat: "Average", label: "average" }],
      ],
      { stat: "Maximum", annotations: durationAnnotations(pipeline) },
    ),
  ];
}

/** The row of a pipeline without run metrics, `width` columns wide. */
function noMetricsRow(pipeline: Pick<DashboardRowFacts, "name" | "slaTier">, width: number): WidgetSpec[] {
  return [
    textWidget(
      `**${rowLabel(pipeline)}**: no run metrics (AWS publishes none for this engine without a state machine); ` +
        "its failures arrive as alerts from the failure rules, a missed schedule from its trigger.",
      width,
      HEADER_HEIGHT,
    ),
  ];
}

/**
 * A pipeline's row on one line: the run's widgets (or the no-metrics text) and the trigger's, the
 * metric widgets sharing the 24 columns equally (at least 6 each; more wrap).
 */
function pipelineRow(region: string, pipeline: pulumi.Unwrap<DashboardPipeline>): Sized[] {
  const triggers = pipeline.triggerWidgets ?? [];
  const count = Math.max(pipeline.widgets.length, 1) + triggers.length;
  const width = Math.max(6, Math.floor(GRID_COLUMNS / count));
  const run =
    pipeline.widgets.length > 0
      ? pipeline.widgets
      : noMetricsRow(pipeline, GRID_COLUMNS - width * triggers.length);
  return [...run, ...triggers].map((widget) => sized(region, widget as pulumi.Unwrap<WidgetSpec>, width));
}

/** The platform's part of the engine section: failure alerts per rule and undelivered alerts. */
function alertWidgets(content: DashboardContent): WidgetSpec[] {
  const widgets: WidgetSpec[] = [];
  const rules = content.failureRuleNames ?? [];
  if (rules.length > 0) {
    widgets.push(
      metricWidget(
        "Failure alerts per rule",
        rules.map((rule) => ["AWS/Events", "TriggeredRules", "RuleName", rule, { label: rule }]),
        { width: 12 },
      ),
    );
  }
  if (content.deadLetterQueueName) {
    widgets.push(
      metricWidget(
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
    sizedText(
      `# bdp-${content.environment}: batch data platform\n` +
        `${content.pipelines.length} pipeline(s), one row each: runs, failures, duration, trigger ` +
        `(red line: ${Math.round(NEAR_TIMEOUT_SHARE * 100)}% of the timeout, where the alarm fires). ` +
        `Alerts go to the SNS topic bdp-${content.environment}-alerts. Engines below. Periods: ` +
        `${RUN_SIGNAL_PERIOD_SECONDS / 60} minutes.`,
      GRID_COLUMNS,
      HEADER_HEIGHT,
    ),
  );
  for (const widget of alarmStatusWidgets(content.alarmArns ?? [])) {
    grid.newRow();
    grid.add(widget);
  }
  for (const pipeline of content.pipelines) {
    grid.newRow();
    for (const widget of pipelineRow(content.region, pipeline)) grid.add(widget);
  }
  const engines = [...(content.engineWidgets ?? []), ...alertWidgets(content)].map((widget) =>
    sized(content.region, widget as pulumi.Unwrap<WidgetSpec>),
  );
  if (engines.length > 0) {
    grid.newRow();
    grid.add(sizedText("## Engines", GRID_COLUMNS, 1));
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
