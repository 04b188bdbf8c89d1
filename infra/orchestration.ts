/**
 * How each pipeline runs: a Step Functions state machine built from its steps, or the engine's
 * own way (a Glue workflow, EventBridge submitting a Batch job, a long-running cluster); plus the
 * trigger that starts it.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadsWarehouse, PipelineDefinition, PipelineStep } from "../decisions/pipeline";
import {
  CrawlerStep,
  ResolvedStep,
  StateMachineSpec,
  StepKinds,
  TimeBudgetError,
  planTimeBudget,
} from "../decisions/orchestration";
import {
  AlarmSpec,
  PipelineStateMachine,
  S3UploadTrigger,
  ScheduleTrigger,
  stateMachineAlarms,
  stateMachineRow,
  triggerAlarms,
  TriggerSignals,
  TriggerTarget,
  triggerWidget,
  WidgetSpec,
} from "../index";
import { Orchestration, rowFacts, runFacts, STEP_FUNCTIONS } from "../engines/contract";
import { PlatformContext } from "../engines/platform-context";
import { DeclaredJob } from "./engines";
import { ConfigError, configKey } from "./config";
import { PlannedStep, TEMPLATE_ALERT_TOPIC_ARN, platformStateMachine } from "./state-machine-plan";
import {
  declareWarehouseSetup,
  loaderRoleTags,
  warehouseLoadSteps,
  warehouseLoadsOf,
  WAREHOUSE_SETUP,
  WarehouseSetup,
} from "./warehouse-load";

/**
 * The windows steps may get (decisions/orchestration/budget.ts shortens them to fit the
 * pipeline's timeoutMinutes): a crawl needs a few minutes and never more than half an hour; a job
 * at least its expected run time and at most the whole budget.
 */
const CRAWLER_WINDOW = { minSeconds: 300, maxSeconds: 1800 };
const CRAWLER_POLL_SECONDS = 30;

export interface PipelineRun {
  pipeline: PipelineDefinition;
  orchestration: Orchestration;
  stateMachine?: PipelineStateMachine;
  /** The pipeline's alarms: the run's, the trigger's and the job's own. */
  alarms: AlarmSpec[];
  /** The pipeline's dashboard row (empty when AWS publishes no run metrics for it). */
  dashboardRow: WidgetSpec[];
  /** The trigger's widgets in the pipeline's row (none for on-demand pipelines). */
  triggerWidgets: WidgetSpec[];
  /** Extra stack outputs the engine reports for the pipeline. */
  outputs: Record<string, pulumi.Input<string>>;
  /**
   * State machines the run starts and waits for (the warehouse setup): they need a failure rule
   * too. The same Output for every run that starts the same machine.
   */
  nestedStateMachineArns?: pulumi.Output<string>[];
}

function seconds(minutes: number): number {
  return minutes * 60;
}

/** A template step with the stand-in names of the timing templates, from the step's own kind. */
function jobTemplate(declared: DeclaredJob, name: string, timeoutSeconds: number): ResolvedStep {
  const kind = declared.engine.stepKinds[0];
  if (!kind?.timingTemplate) {
    throw new Error(
      `engine ${declared.engine.label}: its step kind ${kind?.kind ?? "(none)"} has no timingTemplate for the time budget`,
    );
  }
  return kind.timingTemplate(name, timeoutSeconds);
}

function engineStep(declared: DeclaredJob, name: string, executionSeconds: number): PlannedStep {
  if (!declared.job.step) {
    throw new Error(
      `pipeline "${declared.pipeline.name}": its ${declared.engine.label} job cannot run as a step`,
    );
  }
  return {
    template: jobTemplate(declared, name, executionSeconds),
    // The job's own pipeline says how long it usually runs: its window never goes below that.
    minSeconds: Math.min(seconds(declared.pipeline.expectedRuntimeMinutes), executionSeconds),
    maxSeconds: executionSeconds,
    resolved: declared.job.step(name, executionSeconds),
  };
}

/** The environment's warehouse setup, for every load of every pipeline (declared on first use). */
function warehouseSetup(
  jobs: Map<string, DeclaredJob>,
  stepKinds: StepKinds,
  ctx: PlatformContext,
): WarehouseSetup {
  return ctx.shared(WAREHOUSE_SETUP, () =>
    declareWarehouseSetup(
      warehouseLoadsOf(
        [...jobs.values()].map((declared) => declared.pipeline),
        ctx.environment,
      ),
      stepKinds,
      ctx,
    ),
  );
}

/** The pipeline's steps, each with its timing template and the windows the budget may give it. */
export function resolveSteps(
  pipeline: PipelineDefinition,
  jobs: Map<string, DeclaredJob>,
  stepKinds: StepKinds,
  ctx: PlatformContext,
): PlannedStep[] {
  const executionSeconds = seconds(pipeline.timeoutMinutes);
  const steps: PipelineStep[] = pipeline.steps ?? [{ name: "run", type: "job" }];
  return steps.flatMap((step): PlannedStep[] => {
    switch (step.type) {
      case "job":
        return [engineStep(jobs.get(pipeline.name)!, step.name, executionSeconds)];
      case "pipelineJob":
        return [engineStep(jobs.get(step.pipeline)!, step.name, executionSeconds)];
      case "crawler": {
        const crawl = (crawlerName: string): CrawlerStep => ({
          kind: "crawler",
          name: step.name,
          timeoutSeconds: CRAWLER_WINDOW.maxSeconds,
          crawlerName,
          pollSeconds: CRAWLER_POLL_SECONDS,
        });
        return [
          {
            template: crawl("timing-template"),
            ...CRAWLER_WINDOW,
            resolved: ctx.crawlers.get(step.crawler)!.crawlerName.apply(crawl),
          },
        ];
      }
      case "redshiftLoad":
        return warehouseLoadSteps(step, warehouseSetup(jobs, stepKinds, ctx), ctx);
    }
  });
}

/**
 * Each step's window, derived from the pipeline's timeoutMinutes on the steps' timing templates
 * (decisions/orchestration/budget.ts), before any resource: a timeout too short for the steps is
 * a config error on that key.
 */
function budgetWindows(
  pipeline: PipelineDefinition,
  index: number,
  steps: PlannedStep[],
  stepKinds: StepKinds,
): Map<string, number> {
  try {
    const { spec } = planTimeBudget({
      machine: {
        pipelineName: pipeline.name,
        timeoutSeconds: seconds(pipeline.timeoutMinutes),
        alertTopicArn: TEMPLATE_ALERT_TOPIC_ARN,
      },
      steps: steps.map(({ template, minSeconds, maxSeconds }) => ({
        step: template,
        minSeconds,
        maxSeconds,
      })),
      kinds: stepKinds,
    });
    return new Map(spec.steps.map((step) => [step.name, step.timeoutSeconds]));
  } catch (error) {
    if (!(error instanceof TimeBudgetError)) throw error;
    throw new ConfigError([
      {
        key: `${configKey(["pipelines", index, "timeoutMinutes"])} [pipeline "${pipeline.name}"]`,
        message: `is too short for the pipeline's steps: ${error.message}`,
        given: pipeline.timeoutMinutes,
      },
    ]);
  }
}

/** The resolved steps with the budget's windows; each must be of its template's kind. */
function withWindows(
  resolved: ResolvedStep[],
  templates: PlannedStep[],
  windows: Map<string, number>,
): ResolvedStep[] {
  return resolved.map((step, index) => {
    if (step.kind !== templates[index].template.kind || step.name !== templates[index].template.name) {
      throw new Error(
        `step "${step.name}" (${step.kind}) was budgeted as "${templates[index].template.name}" (${templates[index].template.kind})`,
      );
    }
    return { ...step, timeoutSeconds: windows.get(step.name)! };
  });
}

/** The schedule or S3-upload trigger that starts the pipeline; returns what monitoring watches of it. */
function startTrigger(
  pipeline: PipelineDefinition,
  target: TriggerTarget,
  ctx: PlatformContext,
): TriggerSignals | undefined {
  const name = ctx.nameOf(pipeline.name);
  const trigger = pipeline.trigger;
  const common = { pipeline: pipeline.name, slaTier: pipeline.slaTier, target };
  if (trigger.type === "schedule") {
    return new ScheduleTrigger(
      name,
      { ...common, expression: trigger.expression, timezone: trigger.timezone },
      ctx.opts,
    ).signals;
  }
  if (trigger.type === "s3Upload") {
    const upload = new S3UploadTrigger(
      name,
      {
        ...common,
        bucketName: ctx.dataLake.zone("raw").name,
        prefix: trigger.prefix,
        suffix: trigger.suffix,
      },
      ctx.opts,
    );
    return upload.signals;
  }
  return undefined;
}

/** The run's alarms with its trigger's, and the trigger's dashboard widgets. */
function withTrigger(
  pipeline: PipelineDefinition,
  runAlarms: AlarmSpec[],
  trigger: TriggerSignals | undefined,
): Pick<PipelineRun, "alarms" | "triggerWidgets"> {
  if (!trigger) return { alarms: runAlarms, triggerWidgets: [] };
  return {
    alarms: [...runAlarms, ...triggerAlarms(runFacts(pipeline), trigger, runAlarms)],
    triggerWidgets: [triggerWidget(rowFacts(pipeline), trigger)],
  };
}

/** The pipeline's state machine, started by its trigger. */
function stateMachineRun(
  pipeline: PipelineDefinition,
  jobs: Map<string, DeclaredJob>,
  stepKinds: StepKinds,
  ctx: PlatformContext,
): Omit<PipelineRun, "pipeline" | "orchestration"> {
  const name = ctx.nameOf(pipeline.name);
  const index = [...jobs.keys()].indexOf(pipeline.name);
  const steps = resolveSteps(pipeline, jobs, stepKinds, ctx);
  const windows = budgetWindows(pipeline, index, steps, stepKinds);
  const spec: pulumi.Output<StateMachineSpec> = pulumi
    .all([pulumi.all(steps.map((step) => step.resolved)), ctx.alerts.topicArn, ctx.alerts.key.arn])
    .apply(([resolved, alertTopicArn, alertTopicKmsKeyArn]) => ({
      pipelineName: pipeline.name,
      timeoutSeconds: seconds(pipeline.timeoutMinutes),
      alertTopicArn,
      alertTopicKmsKeyArn,
      steps: withWindows(resolved, steps, windows),
    }));
  const stateMachine = platformStateMachine(
    name,
    spec,
    stepKinds,
    ctx,
    { pipeline: pipeline.name, "sla-tier": pipeline.slaTier },
    loaderRoleTags(pipeline, ctx),
  );
  const trigger = startTrigger(pipeline, { kind: "stateMachine", stateMachineArn: stateMachine.arn }, ctx);
  return {
    stateMachine,
    nestedStateMachineArns: loadsWarehouse(pipeline)
      ? [warehouseSetup(jobs, stepKinds, ctx).stateMachineArn]
      : [],
    ...withTrigger(pipeline, stateMachineAlarms(runFacts(pipeline), stateMachine.arn), trigger),
    dashboardRow: stateMachineRow(rowFacts(pipeline), stateMachine.arn),
    outputs: {},
  };
}

/** The pipeline run by its engine: the engine's run, started by the trigger when it names a target. */
function standaloneRun(
  declared: DeclaredJob,
  orchestration: Orchestration,
  ctx: PlatformContext,
): Omit<PipelineRun, "pipeline" | "orchestration"> {
  const { pipeline, engine, job } = declared;
  if (!job.standalone) {
    throw new Error(
      `pipeline "${pipeline.name}": ${engine.label} runs it as "${orchestration}" but its job has no standalone run`,
    );
  }
  const run = job.standalone(pipeline, ctx);
  const trigger = run.triggerTarget ? startTrigger(pipeline, run.triggerTarget, ctx) : undefined;
  return {
    ...withTrigger(pipeline, run.alarms, trigger),
    dashboardRow: run.dashboardRow,
    outputs: run.outputs ?? {},
  };
}

/** How the pipeline runs, with the alarms and dashboard row that watch it. */
export function buildPipelineRun(
  declared: DeclaredJob,
  jobs: Map<string, DeclaredJob>,
  stepKinds: StepKinds,
  ctx: PlatformContext,
): PipelineRun {
  const { pipeline, engine, job } = declared;
  const orchestration = engine.orchestration(pipeline, pipeline[engine.id]);
  const run =
    orchestration === STEP_FUNCTIONS
      ? stateMachineRun(pipeline, jobs, stepKinds, ctx)
      : standaloneRun(declared, orchestration, ctx);
  return { pipeline, orchestration, ...run, alarms: [...run.alarms, ...(job.alarms ?? [])] };
}
