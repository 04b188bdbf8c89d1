/**
 * The Glue engine: a Glue 5.0 Spark ETL job per pipeline (EtlJob). Pipelines with steps run it
 * from Step Functions (`glue:startJobRun.sync`); without steps a Glue workflow runs the job and
 * then its crawlers, started by the workflow's own trigger.
 */
import * as pulumi from "@pulumi/pulumi";
import { EtlJob } from "../../components/glue/etl-job";
import { GlueWorkflow, jobThenCrawlers } from "../../components/glue/workflow";
import { glueExecutionClass } from "../../decisions/glue";
import { PipelineDefinition } from "../../decisions/pipeline";
import { EngineJob, EngineModule, rowFacts, runFacts, StandaloneRun, stepsOr } from "../contract";
import { uniqueDatabases } from "../locations";
import { PlatformContext, ResolvedLocation } from "../platform-context";
import { glueEngineWidgets, glueJobAlarms, glueJobFailureRules, glueJobRow } from "./monitoring";
import {
  checkGluePipeline,
  checkGlueReferences,
  GLUE_WORKFLOW,
  GlueSettings,
  glueSettingsSchema,
} from "./settings";
import { GLUE_JOB_STEP, GlueJobStep } from "./step";

export interface GlueJob extends EngineJob {
  job: EtlJob;
}

/**
 * How the job writes: a bookmarked (incremental) run read only new raw files, so it adds its rows;
 * a full run read every raw file, so it replaces the sale_date partitions it recomputed instead of
 * adding a second copy (see jobs/glue/daily_sales_by_store.py).
 */
export function glueWriteMode(settings: Pick<GlueSettings, "incremental">): string {
  return settings.incremental ? "append" : "overwrite_partitions";
}

/** The job's own arguments: where it writes and how, and the catalog tables it reads and writes. */
function jobArguments(
  source: ResolvedLocation,
  target: ResolvedLocation,
  settings: GlueSettings,
): Record<string, pulumi.Input<string>> {
  const args: Record<string, pulumi.Input<string>> = {
    "--target_path": target.uri,
    "--write_mode": glueWriteMode(settings),
  };
  if (source.catalogTable) {
    args["--source_database"] = source.catalogTable.database.name;
    args["--source_table"] = source.catalogTable.table;
  }
  if (target.catalogTable) {
    args["--target_database"] = target.catalogTable.database.name;
    args["--target_table"] = target.catalogTable.table;
  }
  return args;
}

function declareGlueJob(pipeline: PipelineDefinition, settings: GlueSettings, ctx: PlatformContext): GlueJob {
  const source = ctx.locate(pipeline.source);
  const target = ctx.locate(pipeline.target);
  const job = new EtlJob(
    ctx.nameOf(pipeline.name),
    {
      pipeline: pipeline.name,
      slaTier: pipeline.slaTier,
      description: pipeline.description,
      scriptPath: settings.script,
      pythonModules: settings.pythonModules,
      workerType: settings.workerType,
      numberOfWorkers: settings.numberOfWorkers,
      timeoutMinutes: pipeline.timeoutMinutes,
      maxRetries: settings.maxRetries,
      incremental: settings.incremental,
      sources: [source],
      targets: [target],
      databases: uniqueDatabases([source, target]),
      writeDatabases: uniqueDatabases([target]),
      jobArguments: jobArguments(source, target, settings),
      connections: settings.connections.map((connection) => ctx.connections.get(connection)!),
      dataLake: ctx.dataLake,
      securityConfigurationName: ctx.glueSecurityConfigurationName(),
      logRetentionDays: ctx.logRetentionDays,
    },
    ctx.opts,
  );
  return {
    job,
    catalogPrincipalArn: job.role.arn,
    step: (name, timeoutSeconds) =>
      pulumi
        .output(job.jobName)
        .apply((jobName): GlueJobStep => ({ kind: GLUE_JOB_STEP.kind, name, timeoutSeconds, jobName })),
    standalone: (runPipeline, runCtx) => glueWorkflow(runPipeline, job, runCtx),
  };
}

/** A Glue workflow: the workflow's trigger starts the job, then the pipeline's crawlers run. */
function glueWorkflow(pipeline: PipelineDefinition, job: EtlJob, ctx: PlatformContext): StandaloneRun {
  const trigger = pipeline.trigger;
  const workflow = new GlueWorkflow(
    ctx.nameOf(pipeline.name),
    {
      pipeline: pipeline.name,
      slaTier: pipeline.slaTier,
      description: pipeline.description,
      start:
        trigger.type === "schedule"
          ? { type: "schedule", expression: trigger.expression }
          : { type: "onDemand" },
      stages: jobThenCrawlers(
        job.jobName,
        pipeline.crawlers.map((crawler) => ctx.crawlers.get(crawler)!.crawlerName),
      ),
    },
    ctx.opts,
  );
  return {
    alarms: glueJobAlarms(runFacts(pipeline), job.jobName),
    dashboardRow: glueJobRow(rowFacts(pipeline), job.jobName),
    outputs: { glueWorkflow: workflow.workflowName },
  };
}

export const glueEngine: EngineModule<GlueSettings, GlueJob> = {
  id: "glue",
  label: "Glue",
  settingsSchema: glueSettingsSchema,
  // Glue jobs run in Glue's own network unless they use a connection (a platform-level workload).
  networkWorkloads: [],
  stepKinds: [GLUE_JOB_STEP],
  checkPipeline: checkGluePipeline,
  checkReferences: checkGlueReferences,
  orchestration: (pipeline) => stepsOr(pipeline, GLUE_WORKFLOW),
  declare: declareGlueJob,
  failureRules: (ctx, jobs) =>
    glueJobFailureRules(
      ctx.environment,
      jobs.map((job) => job.job.jobName),
    ),
  dashboardWidgets: (jobs) => glueEngineWidgets(jobs.map((job) => job.job.jobName)),
  costUsage: (pipeline, settings) => ({
    usage: {
      engine: "glue",
      workerType: settings.workerType,
      numberOfWorkers: settings.numberOfWorkers,
      // Every job auto scales (EtlJob); without an expectation the estimate bills the maximum.
      expectedWorkers: settings.expectedWorkers,
      executionClass: glueExecutionClass(pipeline.slaTier, settings.workerType),
    },
    startupMinutes: 0,
  }),
};
