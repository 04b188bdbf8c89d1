/**
 * A team's Batch job that runs for every CSV file uploaded to its data lake: the platform's
 * components give the lake (encrypted, versioned, TLS-only, with lifecycle rules, uploads sent to
 * EventBridge), a Fargate Spot queue with on-demand fallback for the standard tier, the job
 * definition (ARM64, timeouts, retries on Spot reclaim, least-privilege roles), the upload trigger
 * with its dead-letter queue, the alerting the policy pack asks for and a budget. The image is an
 * ECR image pinned by digest, so no Docker engine is needed. Every physical name starts with `team`.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  AlertTopic,
  batchJobFailureRules,
  Budget,
  ComputeQueue,
  ContainerImage,
  DataLake,
  FailureEvents,
  JobDefinition,
  PipelineAlarms,
  pipelineTags,
  S3Location,
  S3UploadTrigger,
  SlaTier,
  triggerAlarms,
} from "batch-data-platform";

const config = new pulumi.Config();
const team = config.require("team");
const network = config.requireObject<{ vpcId: string; privateSubnetIds: string[] }>("network");
const alertEmails = config.requireObject<string[]>("alertEmails");

const pipeline = "store-uploads";
const slaTier: SlaTier = "standard";
const tags = pipelineTags(pipeline, slaTier);

const zone = { transitionToInfrequentAccessDays: 30, noncurrentVersionExpireDays: 30 };
const lake = new DataLake(`${team}-lake`, {
  zones: { raw: { ...zone, expireDays: 365 }, curated: zone, analytics: zone },
  abortIncompleteUploadDays: 7,
  logsExpireDays: 90,
  artifactsNoncurrentExpireDays: 30,
  retainOnDelete: true,
});
const source: S3Location = {
  bucketName: lake.zones.raw.name,
  bucketArn: lake.zones.raw.arn,
  prefix: "uploads/sales/",
};
const target: S3Location = {
  bucketName: lake.zones.curated.name,
  bucketArn: lake.zones.curated.arn,
  prefix: "sales_by_store/",
};

const image = new ContainerImage(`${team}-${pipeline}`, {
  source: { kind: "uri", uri: config.require("imageUri") },
});
const queue = new ComputeQueue(`${team}-${pipeline}`, {
  slaTier,
  maxVcpus: 8,
  subnetIds: network.privateSubnetIds,
  vpcId: network.vpcId,
  tags,
});
const job = new JobDefinition(`${team}-${pipeline}`, {
  pipeline,
  slaTier,
  image: { imageUri: image.imageUri, repositoryArn: image.repositoryArn },
  vcpu: 1,
  memoryMiB: 2048,
  timeoutMinutes: 30,
  attempts: 3,
  platform: queue.platform,
  source,
  mode: "object",
  target,
  kmsKeyArn: lake.keyArn,
  logRetentionDays: 30,
  tags,
});
const trigger = new S3UploadTrigger(`${team}-${pipeline}`, {
  pipeline,
  slaTier,
  bucketName: lake.zones.raw.name,
  prefix: source.prefix,
  suffix: ".csv",
  target: { kind: "batch", jobQueueArn: queue.arn, jobDefinitionArn: job.arnPrefix, jobName: job.jobName },
});

const alerts = new AlertTopic(`${team}-alerts`, { emails: alertEmails, retainOnDelete: true });
new FailureEvents(`${team}-failures`, {
  // The alert topic's dead-letter queue takes only rules named after its prefix.
  namePrefix: alerts.namePrefix,
  alertTopicArn: alerts.topicArn,
  deadLetterQueueArn: alerts.deadLetterQueueArn,
  rules: batchJobFailureRules(team, [queue.arn]),
});
new PipelineAlarms(`${team}-${pipeline}`, {
  pipeline,
  slaTier,
  alertTopicArn: alerts.topicArn,
  // Batch publishes no per-job metrics: the trigger's own signals say whether uploads started jobs.
  alarms: triggerAlarms({ pipeline, expectedRuntimeMinutes: 5, timeoutMinutes: 30 }, trigger.signals, []),
});
new Budget(`${team}-budget`, {
  namePrefix: team,
  environment: config.require("environment"),
  monthlyLimitUsd: config.requireNumber("monthlyBudgetUsd"),
  alertTopicArn: alerts.topicArn,
  emails: alertEmails,
  anomalyThresholdUsd: 25,
});

export const uploadBucket = lake.zones.raw.name;
export const uploadPrefix = source.prefix;
export const jobQueue = queue.arn;
