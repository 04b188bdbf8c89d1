import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson, serviceTrustPolicy } from "../shared/iam";
import { pipelineTags, TAG_KEYS } from "../shared/tags";
import { KEY_USER_ACTIONS } from "../storage/kms";
import { SlaTier } from "../../decisions/sla-tier";
import { fargateSizeError } from "../../decisions/fargate";
import { LogRetentionDays, logRetentionError } from "../../decisions/logs";
import { attemptTimeoutSeconds, batchRetryStrategy, BatchPlatform } from "../../decisions/batch";
import { BatchJobMode, isReservedEnvironmentName, JOB_ENV } from "./job-contract";
import { encryptedLogGroup } from "../shared/log-group";

/** An S3 location a job reads or writes. */
export interface JobDataLocation {
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  /** Key prefix such as "sales/daily/"; the job's role is limited to keys under it. */
  prefix: string;
}

/** The image to run and the repository it is pulled from (ContainerImage fits). */
export interface JobImage {
  imageUri: pulumi.Input<string>;
  repositoryArn: pulumi.Input<string>;
}

export interface JobDefinitionArgs {
  /** Pipeline name: names the log group and tags, and appears in every error. */
  pipeline: string;
  slaTier: SlaTier;
  image: JobImage;
  /** Fargate task size: vCPU and memory (MiB) must be a Fargate pair (decisions/fargate.ts). */
  vcpu: number;
  memoryMiB: number;
  /** Hard limit of one attempt, in minutes. */
  timeoutMinutes: number;
  /** Attempts in total (1-10); only Spot reclaims and failures to start are retried. */
  attempts: number;
  /** The queue's platform (ComputeQueue.platform). Default FARGATE. */
  platform?: BatchPlatform;
  /** Command appended to the image's ENTRYPOINT; omitted: the image's CMD. */
  command?: string[];
  /** Where the job reads: GetObject under the prefix, ListBucket limited to it. */
  source: JobDataLocation;
  /** What one run reads (JOB_MODE): the uploaded object (default) or a day of uploads. */
  mode?: BatchJobMode;
  /** Where the job writes: PutObject under the prefix only. */
  target: JobDataLocation;
  /** The lake key: S3 objects and the log group are encrypted with it. */
  kmsKeyArn: pulumi.Input<string>;
  /** Log retention; one of the values CloudWatch Logs accepts. */
  logRetentionDays: number;
  /** Extra environment variables (the contract's variables are set already, see job-contract.ts). */
  environment?: Record<string, pulumi.Input<string>>;
  /** Mount the root filesystem read-only (jobs write to S3, not to disk). Default true. */
  readonlyRootFilesystem?: boolean;
  /** Extra tags. */
  tags?: Record<string, string>;
}

function checkPrefix(pipeline: string, key: string, prefix: string): void {
  if (prefix.startsWith("/") || prefix.includes("*") || (prefix !== "" && !prefix.endsWith("/"))) {
    throw new Error(
      `pipeline ${pipeline}: ${key}.prefix "${prefix}" must be a key prefix such as "sales/daily/" (ends with "/", no leading "/", no "*")`,
    );
  }
}

/**
 * A Batch job definition for one pipeline: ARM64 container on Fargate (or EC2 Graviton), no
 * public IP, an attempt timeout, retries only on Spot reclaim and start failures, logs to its
 * own encrypted log group, and two least-privilege roles: the execution role (pull the image,
 * write logs) and the job role (read the source prefix, write the target prefix, use the key).
 */
export class JobDefinition extends pulumi.ComponentResource {
  readonly jobDefinition: aws.batch.JobDefinition;
  /** ARN of the current revision (`...:job-definition/<name>:<revision>`). */
  readonly arn: pulumi.Output<string>;
  /** ARN without the revision. */
  readonly arnPrefix: pulumi.Output<string>;
  /** Job name used when submitting (the pipeline name). */
  readonly jobName: string;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly executionRole: aws.iam.Role;
  readonly jobRole: aws.iam.Role;

  constructor(name: string, args: JobDefinitionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:batch:JobDefinition", name, {}, opts);
    const child = { parent: this };
    const pipeline = args.pipeline;
    const platform = args.platform ?? "FARGATE";

    // Every mistake below would otherwise surface only when the first job runs.
    if (platform === "FARGATE") {
      const sizeError = fargateSizeError(args.vcpu, args.memoryMiB);
      if (sizeError) throw new Error(`pipeline ${pipeline}: Fargate job size is invalid: ${sizeError}`);
    } else if (!(args.vcpu > 0) || !Number.isInteger(args.memoryMiB) || args.memoryMiB < 1) {
      throw new Error(`pipeline ${pipeline}: vcpu and memoryMiB must be positive`);
    }
    const retentionProblem = logRetentionError(args.logRetentionDays);
    if (retentionProblem) {
      throw new Error(
        `pipeline ${pipeline}: logRetentionDays ${args.logRetentionDays} is not a CloudWatch Logs retention: ${retentionProblem}`,
      );
    }
    checkPrefix(pipeline, "source", args.source.prefix);
    checkPrefix(pipeline, "target", args.target.prefix);
    const reserved = Object.keys(args.environment ?? {}).filter(isReservedEnvironmentName);
    if (reserved.length > 0) {
      throw new Error(
        `pipeline ${pipeline}: environment names starting with AWS_BATCH are reserved: ${reserved}`,
      );
    }
    let retryStrategy;
    let timeoutSeconds;
    try {
      retryStrategy = batchRetryStrategy(args.attempts);
      timeoutSeconds = attemptTimeoutSeconds(args.timeoutMinutes);
    } catch (error) {
      throw new Error(`pipeline ${pipeline}: ${(error as Error).message}`);
    }

    this.jobName = pipeline;
    const tags = { ...pipelineTags(pipeline, args.slaTier), ...args.tags };
    const identity = aws.getCallerIdentityOutput({}, child);
    const region = aws.getRegionOutput({}, child);

    this.logGroup = encryptedLogGroup(
      `${name}-logs`,
      {
        logGroupNamePrefix: `/bdp/batch/${pipeline}-`,
        retentionInDays: args.logRetentionDays as LogRetentionDays,
        kmsKeyArn: args.kmsKeyArn,
        tags: { ...tags, [TAG_KEYS.component]: "batch-job-logs" },
      },
      child,
    );

    this.executionRole = new aws.iam.Role(
      `${name}-execution`,
      {
        description: `Pulls the image and writes logs for the ${pipeline} Batch job`,
        assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", identity.accountId),
        tags,
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-execution`,
      {
        role: this.executionRole.id,
        policy: policyJson([
          {
            Sid: "EcrAuthorizationToken",
            Effect: "Allow",
            // GetAuthorizationToken takes no resource ARN (registry-wide token); the action is explicit.
            Action: ["ecr:GetAuthorizationToken"],
            Resource: "*",
          },
          {
            Sid: "PullJobImage",
            Effect: "Allow",
            Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            Resource: [args.image.repositoryArn],
          },
          {
            Sid: "WriteJobLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [this.logGroup.arn, pulumi.interpolate`${this.logGroup.arn}:log-stream:*`],
          },
        ]),
      },
      child,
    );

    this.jobRole = new aws.iam.Role(
      `${name}-job`,
      {
        description: `Data access of the ${pipeline} Batch job`,
        assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", identity.accountId),
        tags,
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-job`,
      {
        role: this.jobRole.id,
        policy: policyJson([
          {
            Sid: "ListSourcePrefix",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: [args.source.bucketArn],
            Condition: { StringLike: { "s3:prefix": [`${args.source.prefix}*`] } },
          },
          {
            Sid: "ReadSource",
            Effect: "Allow",
            Action: ["s3:GetObject"],
            Resource: [pulumi.interpolate`${args.source.bucketArn}/${args.source.prefix}*`],
          },
          {
            Sid: "WriteTarget",
            Effect: "Allow",
            Action: ["s3:PutObject"],
            Resource: [pulumi.interpolate`${args.target.bucketArn}/${args.target.prefix}*`],
          },
          {
            Sid: "UseLakeKeyThroughS3",
            Effect: "Allow",
            Action: KEY_USER_ACTIONS,
            Resource: [args.kmsKeyArn],
            // Only for S3 requests: the role cannot decrypt anything else with the lake key.
            Condition: {
              StringEquals: { "kms:ViaService": pulumi.interpolate`s3.${region.region}.amazonaws.com` },
            },
          },
        ]),
      },
      child,
    );

    const environment: Record<string, pulumi.Input<string>> = {
      [JOB_ENV.pipelineName]: pipeline,
      [JOB_ENV.jobMode]: args.mode ?? "object",
      [JOB_ENV.sourceBucket]: args.source.bucketName,
      [JOB_ENV.sourcePrefix]: args.source.prefix,
      [JOB_ENV.sourceKeyEncoding]: "raw",
      [JOB_ENV.targetBucket]: args.target.bucketName,
      [JOB_ENV.targetPrefix]: args.target.prefix,
      ...args.environment,
    };
    const fargateOnly =
      platform === "FARGATE"
        ? {
            runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
            fargatePlatformConfiguration: { platformVersion: "LATEST" },
            // Private subnets only: egress goes through NAT or VPC endpoints.
            networkConfiguration: { assignPublicIp: "DISABLED" },
          }
        : {};
    const containerProperties = {
      image: args.image.imageUri,
      ...(args.command ? { command: args.command } : {}),
      jobRoleArn: this.jobRole.arn,
      executionRoleArn: this.executionRole.arn,
      resourceRequirements: [
        { type: "VCPU", value: String(args.vcpu) },
        { type: "MEMORY", value: String(args.memoryMiB) },
      ],
      environment: Object.entries(environment).map(([envName, value]) => ({ name: envName, value })),
      readonlyRootFilesystem: args.readonlyRootFilesystem ?? true,
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": this.logGroup.name,
          "awslogs-region": region.region,
          "awslogs-stream-prefix": pipeline,
        },
      },
      ...fargateOnly,
    };

    this.jobDefinition = new aws.batch.JobDefinition(
      name,
      {
        type: "container",
        platformCapabilities: [platform],
        containerProperties: pulumi.jsonStringify(pulumi.output(containerProperties)),
        timeout: { attemptDurationSeconds: timeoutSeconds },
        retryStrategy: { attempts: retryStrategy.attempts, evaluateOnExits: retryStrategy.evaluateOnExit },
        // Tags reach the ECS tasks too, so cost reports split Fargate spend by pipeline and tier.
        propagateTags: true,
        tags: { ...tags, [TAG_KEYS.component]: "batch-job" },
      },
      child,
    );
    this.arn = this.jobDefinition.arn;
    this.arnPrefix = this.jobDefinition.arnPrefix;

    this.registerOutputs({ arn: this.arn, logGroup: this.logGroup.name, jobName: this.jobName });
  }
}
