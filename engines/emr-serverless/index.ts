/**
 * The EMR Serverless engine: a Spark application per pipeline on ARM64 (Graviton) that starts
 * on the first job run and stops when idle; each run is a job run started by Step Functions
 * (`emr-serverless:startJobRun.sync`). Pipelines without steps get a one-step state machine.
 */
import * as pulumi from "@pulumi/pulumi";
import { EmrServerlessApplication } from "../../components/emr/serverless-application";
import { PipelineDefinition } from "../../decisions/pipeline";
import { EngineJob, EngineModule, STEP_FUNCTIONS } from "../contract";
import { PlatformContext } from "../platform-context";
import { sparkArguments, sparkJobInputs } from "../spark/job";
import { emrServerlessEngineWidgets, emrServerlessFailureRules } from "./monitoring";
import { EmrServerlessSettings, emrServerlessSettingsSchema } from "./settings";
import { EMR_SERVERLESS_JOB_STEP, EmrServerlessJobStep } from "./step";

/**
 * The modules on the job's Python path: `spark.submit.pyFiles` is the Spark property behind
 * spark-submit's `--py-files` (https://spark.apache.org/docs/latest/configuration.html), passed in
 * StartJobRun's `sparkSubmitParameters` string
 * (https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_SparkSubmit.html).
 */
function pyFilesParameters(moduleUris: string[]): { sparkSubmitParameters?: string } {
  return moduleUris.length > 0
    ? { sparkSubmitParameters: `--conf spark.submit.pyFiles=${moduleUris.join(",")}` }
    : {};
}

export interface EmrServerlessJob extends EngineJob {
  application: EmrServerlessApplication;
}

function declareEmrServerlessJob(
  pipeline: PipelineDefinition,
  settings: EmrServerlessSettings,
  ctx: PlatformContext,
): EmrServerlessJob {
  const { source, target, script, access } = sparkJobInputs(pipeline, settings, ctx);
  const application = new EmrServerlessApplication(
    ctx.nameOf(pipeline.name),
    {
      pipeline: pipeline.name,
      tier: pipeline.slaTier,
      releaseLabel: settings.releaseLabel,
      maximumVcpu: settings.maximumVcpu,
      maximumMemoryGb: settings.maximumMemoryGb,
      idleTimeoutMinutes: settings.idleTimeoutMinutes,
      dataLake: ctx.dataLake,
      access,
      privateSubnetIds: ctx.network.privateSubnetIds,
      securityGroupIds: [ctx.network.jobSecurityGroup.id],
      logRetentionDays: ctx.logRetentionDays,
    },
    ctx.opts,
  );
  const args = sparkArguments(source, target);
  return {
    application,
    catalogPrincipalArn: application.executionRole.arn,
    step: (name, timeoutSeconds) =>
      pulumi
        .all([
          application.applicationId,
          application.executionRole.arn,
          script.s3Uri,
          script.moduleUris,
          args,
        ])
        .apply(
          ([
            applicationId,
            executionRoleArn,
            entryPoint,
            moduleUris,
            entryPointArguments,
          ]): EmrServerlessJobStep => ({
            kind: EMR_SERVERLESS_JOB_STEP.kind,
            name,
            timeoutSeconds,
            applicationId,
            executionRoleArn,
            entryPoint,
            entryPointArguments,
            ...pyFilesParameters(moduleUris),
          }),
        ),
  };
}

export const emrServerlessEngine: EngineModule<EmrServerlessSettings, EmrServerlessJob> = {
  id: "emrServerless",
  label: "EMR Serverless",
  settingsSchema: emrServerlessSettingsSchema,
  networkWorkloads: ["emrServerless"],
  stepKinds: [EMR_SERVERLESS_JOB_STEP],
  orchestration: () => STEP_FUNCTIONS,
  declare: declareEmrServerlessJob,
  failureRules: (ctx, jobs) =>
    emrServerlessFailureRules(
      ctx.environment,
      jobs.map((job) => job.application.applicationId),
    ),
  dashboardWidgets: (jobs) => emrServerlessEngineWidgets(jobs.map((job) => job.application.applicationId)),
  // Upper bound: the application's maximum capacity for the whole expected runtime.
  costUsage: (_pipeline, settings) => ({
    usage: {
      engine: "emrServerless",
      vcpu: settings.maximumVcpu,
      memoryGb: settings.maximumMemoryGb,
      architecture: "ARM64",
    },
    startupMinutes: 0,
  }),
};
