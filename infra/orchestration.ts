/**
 * How each pipeline runs: a Step Functions state machine built from its steps, a Glue
 * workflow, or EventBridge submitting the Batch job directly; plus the trigger that starts it.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "./config";
import { orchestrationOf, Orchestration, PipelineConfig, PipelineStep } from "./pipeline-config";
import { EngineJob, resourceName } from "./engines";
import { CentralCatalog, glueDatabaseName } from "../components/catalog/central-catalog";
import { GlueCrawler } from "../components/glue/crawler";
import { GlueWorkflow, jobThenCrawlers } from "../components/glue/workflow";
import { PipelineStateMachine } from "../components/orchestration/state-machine";
import { ScheduleTrigger } from "../components/triggers/schedule-trigger";
import { S3UploadTrigger } from "../components/triggers/s3-upload-trigger";
import { TriggerTarget } from "../components/triggers/target";
import { Warehouse } from "../components/warehouse/warehouse";
import { DataLake } from "../components/storage/data-lake";
import { EmrClusterConfig, ResolvedStep, StateMachineSpec } from "../decisions/orchestration";

/** Per-step time limits where the pipeline's own timeout is not the right bound. */
const CRAWLER_STEP_TIMEOUT_SECONDS = 1800;
const CRAWLER_POLL_SECONDS = 30;
const WAREHOUSE_STEP_TIMEOUT_SECONDS = 900;

export interface PipelineRun {
  pipeline: PipelineConfig;
  orchestration: Orchestration;
  stateMachine?: PipelineStateMachine;
  workflow?: GlueWorkflow;
  /** The EventBridge rule of an S3-upload trigger (for the invocation-failure alarm). */
  uploadRuleName?: pulumi.Output<string>;
}

export interface OrchestrationContext {
  config: StackConfig;
  dataLake: DataLake;
  catalog: CentralCatalog;
  engineJobs: Map<string, EngineJob>;
  crawlers: Map<string, GlueCrawler>;
  warehouse?: Warehouse;
  alertTopicArn: pulumi.Output<string>;
  alertTopicKeyArn: pulumi.Output<string>;
  opts: pulumi.ComponentResourceOptions;
}

function seconds(minutes: number): number {
  return minutes * 60;
}

/** The state-machine step that runs a pipeline's own engine job (as an Output: ARNs resolve later). */
function engineStep(name: string, job: EngineJob, timeoutSeconds: number): pulumi.Output<ResolvedStep> {
  switch (job.engine) {
    case "glue":
      return pulumi
        .output(job.job.jobName)
        .apply((jobName) => ({ kind: "glueJob" as const, name, timeoutSeconds, jobName }));
    case "emrServerless":
      return pulumi
        .all([job.application.applicationId, job.application.executionRole.arn, job.script.s3Uri, job.args])
        .apply(([applicationId, executionRoleArn, entryPoint, entryPointArguments]) => ({
          kind: "emrServerlessJob" as const,
          name,
          timeoutSeconds,
          applicationId,
          executionRoleArn,
          entryPoint,
          entryPointArguments,
        }));
    case "batch":
      return pulumi
        .all([job.queue.arn, job.jobDefinition.arnPrefix])
        .apply(([jobQueueArn, jobDefinitionArn]) => ({
          kind: "batchJob" as const,
          name,
          timeoutSeconds,
          jobQueueArn,
          jobDefinitionArn,
          jobName: job.jobDefinition.jobName,
        }));
    case "emr":
      if (job.mode !== "transient") throw new Error(`${name}: only transient EMR clusters run as steps`);
      return pulumi
        .all([
          job.cluster.request,
          job.cluster.serviceRoleArn,
          job.cluster.instanceRoleArn,
          job.script.s3Uri,
          job.args,
        ])
        .apply(([request, serviceRoleArn, instanceProfileRoleArn, script, args]) => ({
          kind: "emrTransientStep" as const,
          name,
          timeoutSeconds,
          clusterConfig: request as unknown as EmrClusterConfig,
          step: { name, args: ["spark-submit", "--deploy-mode", "cluster", script, ...args] },
          serviceRoleArn,
          instanceProfileRoleArn,
        }));
  }
}

/** A warehouse load: make the curated table visible through Spectrum, then reload the target. */
function warehouseSteps(
  step: Extract<PipelineStep, { type: "redshiftLoad" }>,
  ctx: OrchestrationContext,
): pulumi.Output<ResolvedStep>[] {
  const warehouse = ctx.warehouse!;
  const externalSchema = `lake_${step.from.database}`;
  const glueDatabase = glueDatabaseName(ctx.config.environment, step.from.database);
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
      kind: "redshiftSql" as const,
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
  pipeline: PipelineConfig,
  ctx: OrchestrationContext,
): pulumi.Output<ResolvedStep>[] {
  const timeoutSeconds = seconds(pipeline.timeoutMinutes);
  const steps: PipelineStep[] = pipeline.steps ?? [{ name: "run", type: "job" }];
  return steps.flatMap((step): pulumi.Output<ResolvedStep>[] => {
    switch (step.type) {
      case "job":
        return [engineStep(step.name, ctx.engineJobs.get(pipeline.name)!, timeoutSeconds)];
      case "pipelineJob":
        return [engineStep(step.name, ctx.engineJobs.get(step.pipeline)!, timeoutSeconds)];
      case "crawler":
        return [
          ctx.crawlers.get(step.crawler)!.crawlerName.apply((crawlerName) => ({
            kind: "crawler" as const,
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

function startTrigger(
  pipeline: PipelineConfig,
  target: TriggerTarget,
  ctx: OrchestrationContext,
): S3UploadTrigger | undefined {
  const name = resourceName(ctx.config, pipeline.name);
  const trigger = pipeline.trigger;
  if (trigger.type === "schedule") {
    new ScheduleTrigger(
      name,
      {
        pipeline: pipeline.name,
        slaTier: pipeline.slaTier,
        expression: trigger.expression,
        timezone: trigger.timezone,
        target,
      },
      ctx.opts,
    );
    return undefined;
  }
  if (trigger.type === "s3Upload") {
    return new S3UploadTrigger(
      name,
      {
        pipeline: pipeline.name,
        slaTier: pipeline.slaTier,
        bucketName: ctx.dataLake.zone("raw").name,
        prefix: trigger.prefix,
        suffix: trigger.suffix,
        target,
      },
      ctx.opts,
    );
  }
  return undefined;
}

export function buildPipelineRun(pipeline: PipelineConfig, ctx: OrchestrationContext): PipelineRun {
  const orchestration = orchestrationOf(pipeline);
  const name = resourceName(ctx.config, pipeline.name);
  const job = ctx.engineJobs.get(pipeline.name)!;
  const run: PipelineRun = { pipeline, orchestration };

  if (orchestration === "stepFunctions") {
    const steps = resolveSteps(pipeline, ctx);
    const spec: pulumi.Output<StateMachineSpec> = pulumi
      .all([pulumi.all(steps), ctx.alertTopicArn, ctx.alertTopicKeyArn])
      .apply(([resolved, alertTopicArn, alertTopicKmsKeyArn]) => ({
        pipelineName: pipeline.name,
        timeoutSeconds: seconds(pipeline.timeoutMinutes),
        alertTopicArn,
        alertTopicKmsKeyArn,
        steps: resolved,
      }));
    run.stateMachine = new PipelineStateMachine(
      name,
      {
        machineName: name,
        spec,
        logRetentionDays: ctx.config.logs.retentionDays,
        logKmsKeyArn: ctx.dataLake.key.arn,
        tags: { pipeline: pipeline.name, "sla-tier": pipeline.slaTier },
      },
      ctx.opts,
    );
    const upload = startTrigger(
      pipeline,
      { kind: "stateMachine", stateMachineArn: run.stateMachine.arn },
      ctx,
    );
    run.uploadRuleName = upload?.rule.name;
  } else if (orchestration === "glueWorkflow" && job.engine === "glue") {
    const trigger = pipeline.trigger;
    run.workflow = new GlueWorkflow(
      name,
      {
        pipeline: pipeline.name,
        slaTier: pipeline.slaTier,
        description: pipeline.description,
        start:
          trigger.type === "schedule"
            ? { type: "schedule", expression: trigger.expression }
            : { type: "onDemand" },
        stages: jobThenCrawlers(
          job.job.jobName,
          pipeline.crawlers.map((crawler) => ctx.crawlers.get(crawler)!.crawlerName),
        ),
      },
      ctx.opts,
    );
  } else if (orchestration === "eventBridgeBatch" && job.engine === "batch") {
    const upload = startTrigger(
      pipeline,
      {
        kind: "batch",
        jobQueueArn: job.queue.arn,
        jobDefinitionArn: job.jobDefinition.arnPrefix,
        jobName: job.jobDefinition.jobName,
      },
      ctx,
    );
    run.uploadRuleName = upload?.rule.name;
  }
  return run;
}
