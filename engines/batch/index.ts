/**
 * The AWS Batch engine: a container job on Fargate (ARM64) per pipeline, with its own job queue
 * whose compute environments follow the SLA tier, and its image built from the repository into
 * an ECR repository or taken from a URI. Without steps, EventBridge (a schedule or an S3 upload
 * rule) submits the job directly; with steps, Step Functions runs it (`batch:submitJob.sync`).
 */
import * as pulumi from "@pulumi/pulumi";
import { Repository } from "../../components/containers/repository";
import { ContainerImage } from "../../components/containers/image";
import { ComputeQueue } from "../../components/batch/compute";
import { JobDefinition } from "../../components/batch/job-definition";
import { BatchJobMode } from "../../components/batch/job-contract";
import { pipelineTags } from "../../components/shared/tags";
import { batchComputePlan } from "../../decisions/batch";
import { PipelineDefinition } from "../../decisions/pipeline";
import { EngineJob, EngineModule, stepsOr } from "../contract";
import { PlatformContext } from "../platform-context";
import { batchJobFailureRules } from "./monitoring";
import { BatchSettings, batchSettingsSchema, checkBatchPipeline, EVENTBRIDGE_BATCH } from "./settings";
import { BATCH_JOB_STEP, BatchJobStep } from "./step";

export interface BatchJob extends EngineJob {
  queue: ComputeQueue;
  jobDefinition: JobDefinition;
}

/** The pipeline's image: built from the repository into its own ECR repository, or an existing URI. */
function containerImage(
  name: string,
  settings: BatchSettings,
  ctx: PlatformContext,
  tags: Record<string, string>,
) {
  const { buildContext, uri } = settings.image;
  if (buildContext === undefined)
    return new ContainerImage(name, { source: { kind: "uri", uri: uri! } }, ctx.opts);
  const repository = new Repository(name, { kmsKeyArn: ctx.dataLake.key.arn, tags }, ctx.opts);
  return new ContainerImage(
    name,
    {
      source: { kind: "build", context: buildContext },
      repository: { repositoryUrl: repository.repositoryUrl, arn: repository.arn },
    },
    ctx.opts,
  );
}

/**
 * What a run of the pipeline's job reads: an S3-upload trigger passes the uploaded object; a
 * schedule (or an on-demand or Step Functions run) passes no object, so the job aggregates a day
 * of uploads under the source prefix.
 */
export function batchJobMode(pipeline: PipelineDefinition): BatchJobMode {
  return pipeline.trigger.type === "s3Upload" ? "object" : "day";
}

function declareBatchJob(
  pipeline: PipelineDefinition,
  settings: BatchSettings,
  ctx: PlatformContext,
): BatchJob {
  const name = ctx.nameOf(pipeline.name);
  const source = ctx.locate(pipeline.source);
  const target = ctx.locate(pipeline.target);
  const tags = pipelineTags(pipeline.name, pipeline.slaTier);
  const image = containerImage(name, settings, ctx, tags);
  const queue = new ComputeQueue(
    name,
    {
      slaTier: pipeline.slaTier,
      // Room for four jobs of this size at once; the queue is the pipeline's own.
      maxVcpus: Math.max(4, Math.ceil(settings.vcpu) * 4),
      subnetIds: ctx.network.privateSubnetIds,
      securityGroupId: ctx.network.jobSecurityGroup.id,
      ec2Spot: settings.ec2Spot,
      tags,
    },
    ctx.opts,
  );
  const jobDefinition = new JobDefinition(
    name,
    {
      pipeline: pipeline.name,
      slaTier: pipeline.slaTier,
      image: { imageUri: image.imageUri, repositoryArn: image.repositoryArn },
      vcpu: settings.vcpu,
      memoryMiB: settings.memoryMiB,
      timeoutMinutes: pipeline.timeoutMinutes,
      attempts: settings.attempts,
      platform: queue.platform,
      source,
      mode: batchJobMode(pipeline),
      target,
      kmsKeyArn: ctx.dataLake.key.arn,
      logRetentionDays: ctx.logRetentionDays,
      tags,
    },
    ctx.opts,
  );
  return {
    queue,
    jobDefinition,
    step: (stepName, timeoutSeconds) =>
      pulumi
        .all([queue.arn, jobDefinition.arnPrefix])
        .apply(([jobQueueArn, jobDefinitionArn]): BatchJobStep => ({
          kind: BATCH_JOB_STEP.kind,
          name: stepName,
          timeoutSeconds,
          jobQueueArn,
          jobDefinitionArn,
          jobName: jobDefinition.jobName,
        })),
    // EventBridge submits the job directly; Batch publishes no per-job metrics to alarm on.
    standalone: () => ({
      triggerTarget: {
        kind: "batch",
        jobQueueArn: queue.arn,
        jobDefinitionArn: jobDefinition.arnPrefix,
        jobName: jobDefinition.jobName,
      },
      alarms: [],
      dashboardRow: [],
    }),
  };
}

export const batchEngine: EngineModule<BatchSettings, BatchJob> = {
  id: "batch",
  label: "AWS Batch (Fargate)",
  settingsSchema: batchSettingsSchema,
  networkWorkloads: ["batchFargate"],
  stepKinds: [BATCH_JOB_STEP],
  checkPipeline: checkBatchPipeline,
  orchestration: (pipeline) => stepsOr(pipeline, EVENTBRIDGE_BATCH),
  declare: declareBatchJob,
  failureRules: (ctx, jobs) =>
    batchJobFailureRules(
      ctx.environment,
      jobs.map((job) => job.queue.arn),
    ),
  dashboardWidgets: () => [],
  costUsage: (pipeline, settings) => {
    const first = batchComputePlan(pipeline.slaTier, { ec2Spot: settings.ec2Spot }).environments[0];
    return {
      usage: {
        engine: "batch",
        vcpu: settings.vcpu,
        memoryGb: settings.memoryMiB / 1024,
        architecture: "ARM64",
        spot: first.capacity === "FARGATE_SPOT" || first.capacity === "SPOT",
      },
      startupMinutes: 0,
    };
  },
};
