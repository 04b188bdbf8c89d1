import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson, serviceTrustPolicy } from "../shared/iam";
import { pipelineTags, TAG_KEYS } from "../shared/tags";
import { KEY_USER_ACTIONS } from "../storage/kms";
import { SlaTier } from "../../decisions/sla-tier";
import { fargateSizeProblems } from "../../decisions/fargate";
import { LogRetentionDays, logRetentionError } from "../../decisions/logs";
import {
  attemptTimeoutError,
  attemptTimeoutSeconds,
  batchAttemptsError,
  batchRetryStrategy,
  BatchPlatform,
} from "../../decisions/batch";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import { BatchJobMode, isReservedEnvironmentName, JOB_ENV } from "./job-contract";
import { encryptedLogGroup } from "../shared/log-group";
import { assertValidArgs } from "../shared/args";
import { locationProblems, S3Location } from "../shared/locations";

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
  source: S3Location;
  /** What one run reads (JOB_MODE): the uploaded object (default) or a day of uploads. */
  mode?: BatchJobMode;
  /** Where the job writes: PutObject under the prefix only. */
  target: S3Location;
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

/** The plain-data fields validateJobDefinitionArgs checks. */
export type JobDefinitionChecks = Pick<
  JobDefinitionArgs,
  "vcpu" | "memoryMiB" | "platform" | "attempts" | "timeoutMinutes" | "logRetentionDays" | "environment"
> & { source: Pick<S3Location, "prefix">; target: Pick<S3Location, "prefix"> };

/**
 * Every problem with a job definition's args; each would otherwise surface only when the first
 * job runs. Fargate jobs need a Fargate task size; prefixes may be "" (the whole bucket).
 */
export function validateJobDefinitionArgs(args: JobDefinitionChecks): ArgsProblem[] {
  const size =
    (args.platform ?? "FARGATE") === "FARGATE"
      ? fargateSizeProblems(args.vcpu, args.memoryMiB)
      : [
          ...problemAt(["vcpu"], args.vcpu > 0 ? undefined : "must be greater than 0", args.vcpu),
          ...problemAt(
            ["memoryMiB"],
            Number.isInteger(args.memoryMiB) && args.memoryMiB >= 1
              ? undefined
              : "must be a positive integer",
            args.memoryMiB,
          ),
        ];
  const reserved = Object.keys(args.environment ?? {}).filter(isReservedEnvironmentName);
  return [
    ...size,
    ...problemAt(["attempts"], batchAttemptsError(args.attempts), args.attempts),
    ...problemAt(["timeoutMinutes"], attemptTimeoutError(args.timeoutMinutes), args.timeoutMinutes),
    ...problemAt(["logRetentionDays"], logRetentionError(args.logRetentionDays), args.logRetentionDays),
    ...locationProblems(["source"], args.source, { allowWholeBucket: true }),
    ...locationProblems(["target"], args.target, { allowWholeBucket: true }),
    ...problemAt(
      ["environment"],
      reserved.length > 0 ? `names starting with AWS_BATCH are reserved for AWS Batch` : undefined,
      reserved,
    ),
  ];
}

/** The container's environment: the job contract's variables (job-contract.ts), then the extra ones. */
function jobEnvironment(args: JobDefinitionArgs): Record<string, pulumi.Input<string>> {
  return {
    [JOB_ENV.pipelineName]: args.pipeline,
    [JOB_ENV.jobMode]: args.mode ?? "object",
    [JOB_ENV.sourceBucket]: args.source.bucketName,
    [JOB_ENV.sourcePrefix]: args.source.prefix,
    [JOB_ENV.sourceKeyEncoding]: "raw",
    [JOB_ENV.targetBucket]: args.target.bucketName,
    [JOB_ENV.targetPrefix]: args.target.prefix,
    ...args.environment,
  };
}

/** What the container runs with: image, size, roles, environment and logs; Fargate adds ARM64 and no public IP. */
function containerProperties(
  args: JobDefinitionArgs,
  platform: BatchPlatform,
  roles: { job: aws.iam.Role; execution: aws.iam.Role },
  logGroup: aws.cloudwatch.LogGroup,
  region: pulumi.Input<string>,
) {
  const fargateOnly =
    platform === "FARGATE"
      ? {
          runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
          fargatePlatformConfiguration: { platformVersion: "LATEST" },
          // Private subnets only: egress goes through NAT or VPC endpoints.
          networkConfiguration: { assignPublicIp: "DISABLED" },
        }
      : {};
  return {
    image: args.image.imageUri,
    ...(args.command ? { command: args.command } : {}),
    jobRoleArn: roles.job.arn,
    executionRoleArn: roles.execution.arn,
    resourceRequirements: [
      { type: "VCPU", value: String(args.vcpu) },
      { type: "MEMORY", value: String(args.memoryMiB) },
    ],
    environment: Object.entries(jobEnvironment(args)).map(([envName, value]) => ({ name: envName, value })),
    readonlyRootFilesystem: args.readonlyRootFilesystem ?? true,
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": logGroup.name,
        "awslogs-region": region,
        "awslogs-stream-prefix": args.pipeline,
      },
    },
    ...fargateOnly,
  };
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
    assertValidArgs("bdp:batch:JobDefinition", name, validateJobDefinitionArgs(args));
    const child = { parent: this };
    const platform = args.platform ?? "FARGATE";
    const retryStrategy = batchRetryStrategy(args.attempts);

    this.jobName = args.pipeline;
    const tags = { ...pipelineTags(args.pipeline, args.slaTier), ...args.tags };
    const identity = aws.getCallerIdentityOutput({}, child);
    const region = aws.getRegionOutput({}, child);

    this.logGroup = encryptedLogGroup(
      `${name}-logs`,
      {
        logGroupNamePrefix: `/bdp/batch/${args.pipeline}-`,
        retentionInDays: args.logRetentionDays as LogRetentionDays,
        kmsKeyArn: args.kmsKeyArn,
        tags: { ...tags, [TAG_KEYS.component]: "batch-job-logs" },
      },
      child,
    );
    this.executionRole = this.declareExecutionRole(name, args, tags, identity.accountId);
    this.jobRole = this.declareJobRole(name, args, tags, identity.accountId, region.region);

    const properties = containerProperties(
      args,
      platform,
      { job: this.jobRole, execution: this.executionRole },
      this.logGroup,
      region.region,
    );
    this.jobDefinition = new aws.batch.JobDefinition(
      name,
      {
        type: "container",
        platformCapabilities: [platform],
        containerProperties: pulumi.jsonStringify(pulumi.output(properties)),
        timeout: { attemptDurationSeconds: attemptTimeoutSeconds(args.timeoutMinutes) },
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

  /** The execution role: pull the job's image and write to its log group, nothing else. */
  private declareExecutionRole(
    name: string,
    args: JobDefinitionArgs,
    tags: Record<string, string>,
    accountId: pulumi.Input<string>,
  ): aws.iam.Role {
    const child = { parent: this };
    const role = new aws.iam.Role(
      `${name}-execution`,
      {
        description: `Pulls the image and writes logs for the ${args.pipeline} Batch job`,
        assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", accountId),
        tags,
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-execution`,
      {
        role: role.id,
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
    return role;
  }

  /** The job role: read the source prefix, write the target prefix, use the lake key through S3. */
  private declareJobRole(
    name: string,
    args: JobDefinitionArgs,
    tags: Record<string, string>,
    accountId: pulumi.Input<string>,
    region: pulumi.Input<string>,
  ): aws.iam.Role {
    const child = { parent: this };
    const role = new aws.iam.Role(
      `${name}-job`,
      {
        description: `Data access of the ${args.pipeline} Batch job`,
        assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", accountId),
        tags,
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-job`,
      {
        role: role.id,
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
            Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`s3.${region}.amazonaws.com` } },
          },
        ]),
      },
      child,
    );
    return role;
  }
}
