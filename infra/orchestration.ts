/**
 * How each pipeline runs: a Step Functions state machine built from its steps, or the engine's
 * own way (a Glue workflow, EventBridge submitting a Batch job, a long-running cluster); plus the
 * trigger that starts it.
 */
import * as pulumi from "@pulumi/pulumi";
import { PipelineDefinition, PipelineStep } from "../decisions/pipeline";
import { ResolvedStep, StateMachineSpec, StepKinds } from "../decisions/orchestration";
import { glueDatabaseName } from "../components/catalog/central-catalog";
import { PipelineStateMachine } from "../components/orchestration/state-machine";
import { ScheduleTrigger } from "../components/triggers/schedule-trigger";
import { S3UploadTrigger } from "../components/triggers/s3-upload-trigger";
import { TriggerSignals, TriggerTarget } from "../components/triggers/target";
import { AlarmSpec, stateMachineAlarms } from "../components/monitoring/pipeline-alarms";
import { triggerAlarms, triggerWidget } from "../components/monitoring/trigger-alarms";
import { stateMachineRow, WidgetSpec } from "../components/monitoring/dashboard";
import { Orchestration, rowFacts, runFacts, STEP_FUNCTIONS } from "../engines/contract";
import { PlatformContext } from "../engines/platform-context";
import { DeclaredJob } from "./engines";

/** Per-step time limits where the pipeline's own timeout is not the right bound. */
const CRAWLER_STEP_TIMEOUT_SECONDS = 1800;
const CRAWLER_POLL_SECONDS = 30;
const WAREHOUSE_STEP_TIMEOUT_SECONDS = 900;

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
}

function seconds(minutes: number): number {
  return minutes * 60;
}

function engineStep(
  declared: DeclaredJob,
  name: string,
  timeoutSeconds: number,
): pulumi.Output<ResolvedStep> {
  if (!declared.job.step) {
    throw new Error(
      `pipeline "${declared.pipeline.name}": its ${declared.engine.label} job cannot run as a step`,
    );
  }
  return declared.job.step(name, timeoutSeconds);
}

/** A warehouse load: make the curated table visible through Spectrum, then reload the target. */
function warehouseSteps(
  step: Extract<PipelineStep, { type: "redshiftLoad" }>,
  ctx: PlatformContext,
): pulumi.Output<ResolvedStep>[] {
  const warehouse = ctx.warehouse!;
  const externalSchema = `lake_${step.from.database}`;
  const glueDatabase = glueDatabaseName(ctx.environment, step.from.database);
  const target = `${step.schema}.${step.table}`;
  const location = pulumi.all([warehouse.workgroupName, warehouse.clusterIdentifier]);
  const statements: [string, string][] = [
    [
      `${step.name}-schema`,
      `CREATE EXTERNAL SCHEMA IF NOT EXISTS ${externalSchema} FROM DATA CATALOG DATABASE '${glueDatabase}' IAM_ROLE default`,
    ],
    // Full reload of a small, aggregated table: idempotent, so reruns never duplicate rows.
    [`${step.name}-clear`, `DELETE FROM ${target}`],
    [step.name, `INSERT INTO ${target} SELECT * FROM ${externalSchema}.${step.from.table}`],
  ];
  return statements.map(([name, sql]) =>
    location.apply(([workgroupName, clusterIdentifier]) => ({
      kind: "redshiftSql",
      name,
      timeoutSeconds: WAREHOUSE_STEP_TIMEOUT_SECONDS,
      ...(workgroupName ? { workgroupName } : { clusterIdentifier, dbUser: "platform_admin" }),
      database: warehouse.databaseName,
      sql,
    })),
  );
}

/** The pipeline's steps as the state-machine builder takes them. */
export function resolveSteps(
  pipeline: PipelineDefinition,
  jobs: Map<string, DeclaredJob>,
  ctx: PlatformContext,
): pulumi.Output<ResolvedStep>[] {
  const timeoutSeconds = seconds(pipeline.timeoutMinutes);
  const steps: PipelineStep[] = pipeline.steps ?? [{ name: "run", type: "job" }];
  return steps.flatMap((step): pulumi.Output<ResolvedStep>[] => {
    switch (step.type) {
      case "job":
        return [engineStep(jobs.get(pipeline.name)!, step.name, timeoutSeconds)];
      case "pipelineJob":
        return [engineStep(jobs.get(step.pipeline)!, step.name, timeoutSeconds)];
      case "crawler":
        return [
          ctx.crawlers.get(step.crawler)!.crawlerName.apply((crawlerName) => ({
            kind: "crawler",
            name: step.name,
            timeoutSeconds: Math.min(CRAWLER_STEP_TIMEOUT_SECONDS, timeoutSeconds),
            crawlerName,
            pollSeconds: CRAWLER_POLL_SECONDS,
          })),
        ];
      case "redshiftLoad":
        return warehouseSteps(step, ctx);
    }
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
  const steps = resolveSteps(pipeline, jobs, ctx);
  const spec: pulumi.Output<StateMachineSpec> = pulumi
    .all([pulumi.all(steps), ctx.alerts.topicArn, ctx.alerts.key.arn])
    .apply(([resolved, alertTopicArn, alertTopicKmsKeyArn]) => ({
      pipelineName: pipeline.name,
      timeoutSeconds: seconds(pipeline.timeoutMinutes),
      alertTopicArn,
      alertTopicKmsKeyArn,
      steps: resolved,
    }));
  const stateMachine = new PipelineStateMachine(
    name,
    {
      machineName: name,
      spec,
      stepKinds,
      logRetentionDays: ctx.logRetentionDays,
      logKmsKeyArn: ctx.dataLake.key.arn,
      tags: { pipeline: pipeline.name, "sla-tier": pipeline.slaTier },
    },
    ctx.opts,
  );
  const trigger = startTrigger(pipeline, { kind: "stateMachine", stateMachineArn: stateMachine.arn }, ctx);
  return {
    stateMachine,
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
