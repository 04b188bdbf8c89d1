import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  emrReleaseLabel,
  emrReleaseLabelError,
  emrServerlessCapacityProblems,
  emrServerlessIdleTimeoutError,
  emrServerlessIdleTimeoutMinutes,
  emrServerlessMaximumCapacity,
  emrServerlessSparkDefaults,
} from "../../decisions/emr";
import { ArgsProblem, nestedProblems, problemAt } from "../../decisions/problems";
import { LogRetentionDays } from "../../decisions/logs";
import { SlaTier } from "../../decisions/sla-tier";
import { policyJson, PolicyStatement } from "../shared/iam";
import { pipelineTags, TAG_KEYS } from "../shared/tags";
import { DataLake } from "../storage/data-lake";
import { dataAccessStatements, EmrJobAccess, jobAccessProblems } from "./data-access";
import { awsScope, AwsScope } from "../shared/aws-scope";
import { encryptedLogGroup } from "../shared/log-group";
import { assertValidArgs } from "../shared/args";
import { S3Location, s3Uri } from "../shared/locations";
import { pushLogsStatements } from "../shared/s3-folder";

export interface EmrServerlessApplicationArgs {
  /** Pipeline the application runs (tag `pipeline`). */
  pipeline: string;
  /** SLA tier (tag `sla-tier`); every tier runs on ARM64 (Graviton). */
  tier: SlaTier;
  /** EMR 7 release label; default DEFAULT_EMR_RELEASE_LABEL. */
  releaseLabel?: string;
  /** Upper bound of all workers together. */
  maximumVcpu: number;
  maximumMemoryGb: number;
  /** The application stops (and stops billing pre-initialized capacity) after this many idle minutes. */
  idleTimeoutMinutes: number;
  /** Lake key and logs bucket (logs go to s3://<logs>/emr-serverless/<name>/). */
  dataLake: DataLake;
  /** What the job runtime role may read and write. */
  access: EmrJobAccess;
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The network's job security group: no inbound, HTTPS out. */
  securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Retention of the application's CloudWatch log group. */
  logRetentionDays: LogRetentionDays;
}

/** The plain-data fields validateEmrServerlessApplicationArgs checks; the config's settings block has the same names. */
export type EmrServerlessApplicationChecks = Pick<
  EmrServerlessApplicationArgs,
  "releaseLabel" | "maximumVcpu" | "maximumMemoryGb" | "idleTimeoutMinutes"
>;

/**
 * Every problem with an application's args: an EMR 7 release, a maximum capacity EMR Serverless
 * can use (decisions/emr.ts emrServerlessCapacityProblems), an auto-stop timeout it accepts and
 * valid data prefixes.
 */
export function validateEmrServerlessApplicationArgs(
  args: EmrServerlessApplicationChecks & { access?: EmrJobAccess },
): ArgsProblem[] {
  return [
    ...problemAt(["releaseLabel"], emrReleaseLabelError(args.releaseLabel), args.releaseLabel),
    ...emrServerlessCapacityProblems(args.maximumVcpu, args.maximumMemoryGb),
    ...problemAt(
      ["idleTimeoutMinutes"],
      emrServerlessIdleTimeoutError(args.idleTimeoutMinutes),
      args.idleTimeoutMinutes,
    ),
    ...(args.access ? nestedProblems(["access"], jobAccessProblems(args.access)) : []),
  ];
}

/**
 * An EMR Serverless Spark application for a pipeline: ARM64 (Graviton), auto start on job
 * submission and auto stop when idle, a maximum capacity, private subnets with the job security
 * group, logs to S3 and to an encrypted CloudWatch log group with retention, the Glue Data Catalog
 * as metastore, and the job runtime role jobs run with (pass `executionRole.arn` to StartJobRun).
 */
export class EmrServerlessApplication extends pulumi.ComponentResource {
  readonly application: aws.emrserverless.Application;
  readonly executionRole: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly applicationId: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  /** s3:// URI job logs go to. */
  readonly logUri: pulumi.Output<string>;

  constructor(name: string, args: EmrServerlessApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:emr:ServerlessApplication", name, {}, opts);
    assertValidArgs("bdp:emr:ServerlessApplication", name, validateEmrServerlessApplicationArgs(args));
    const child = { parent: this };
    const scope = awsScope(this);
    const lake = args.dataLake;
    const keyArn = lake.key.arn;
    const logs: S3Location = {
      bucketName: lake.logs.name,
      bucketArn: lake.logs.arn,
      prefix: `emr-serverless/${name}/`,
    };
    const tags = pipelineTags(args.pipeline, args.tier);
    this.logUri = s3Uri(logs);

    this.logGroup = encryptedLogGroup(
      `${name}-logs`,
      {
        logGroupName: `/aws/emr-serverless/${name}`,
        retentionInDays: args.logRetentionDays,
        kmsKeyArn: keyArn,
        tags,
      },
      child,
    );
    this.application = this.declareApplication(name, args, tags);
    this.applicationId = this.application.id;
    this.arn = this.application.arn;

    this.executionRole = this.declareExecutionRole(name, tags, scope);
    new aws.iam.RolePolicy(
      `${name}-job`,
      {
        role: this.executionRole.id,
        policy: policyJson([
          ...dataAccessStatements({ ...args.access, keyArn }, scope),
          ...serverlessLogStatements(logs, this.logGroup.arn),
        ]),
      },
      child,
    );

    this.registerOutputs({
      applicationId: this.applicationId,
      arn: this.arn,
      executionRoleArn: this.executionRole.arn,
      logGroupName: this.logGroup.name,
    });
  }

  /** The application: ARM64, auto start and stop, capped capacity, private network, logs to S3 and CloudWatch. */
  private declareApplication(
    name: string,
    args: EmrServerlessApplicationArgs,
    tags: Record<string, string>,
  ): aws.emrserverless.Application {
    const keyArn = args.dataLake.key.arn;
    return new aws.emrserverless.Application(
      name,
      {
        name,
        type: "spark",
        releaseLabel: emrReleaseLabel(args.releaseLabel),
        architecture: "ARM64",
        autoStartConfiguration: { enabled: true },
        autoStopConfiguration: {
          enabled: true,
          idleTimeoutMinutes: emrServerlessIdleTimeoutMinutes(args.idleTimeoutMinutes),
        },
        maximumCapacity: emrServerlessMaximumCapacity(args.maximumVcpu, args.maximumMemoryGb),
        networkConfiguration: { subnetIds: args.privateSubnetIds, securityGroupIds: args.securityGroupIds },
        monitoringConfiguration: {
          s3MonitoringConfiguration: { logUri: this.logUri, encryptionKeyArn: keyArn },
          cloudwatchLoggingConfiguration: {
            enabled: true,
            logGroupName: this.logGroup.name,
            encryptionKeyArn: keyArn,
            logTypes: [
              { name: "SPARK_DRIVER", values: ["STDOUT", "STDERR"] },
              { name: "SPARK_EXECUTOR", values: ["STDOUT", "STDERR"] },
            ],
          },
        },
        runtimeConfigurations: [
          { classification: "spark-defaults", properties: emrServerlessSparkDefaults() },
        ],
        tags: { ...tags, [TAG_KEYS.component]: "emr-serverless" },
      },
      { parent: this },
    );
  }

  /** The job runtime role: assumed by EMR Serverless for job runs of this application only. */
  private declareExecutionRole(name: string, tags: Record<string, string>, scope: AwsScope): aws.iam.Role {
    return new aws.iam.Role(
      `${name}-job`,
      {
        description:
          "EMR Serverless job runtime role: the pipeline's data, scripts, logs, catalog and lake key",
        tags,
        assumeRolePolicy: policyJson([
          {
            Effect: "Allow",
            Principal: { Service: "emr-serverless.amazonaws.com" },
            Action: ["sts:AssumeRole"],
            Condition: {
              StringEquals: { "aws:SourceAccount": scope.accountId },
              // Only job runs of this application.
              ArnLike: {
                "aws:SourceArn": [this.application.arn, pulumi.interpolate`${this.application.arn}/*`],
              },
            },
          },
        ]),
      },
      { parent: this },
    );
  }
}

/** Job logs: S3 under the application's prefix, and the application's CloudWatch log group. */
export function serverlessLogStatements(
  logs: Pick<S3Location, "bucketArn" | "prefix">,
  logGroupArn: pulumi.Input<string>,
): PolicyStatement[] {
  return [
    ...pushLogsStatements("PushJobLogs", logs),
    {
      // EMR Serverless checks the log group exists before it streams to it. DescribeLogGroups has
      // no resource type, so only "*" grants it (a log-group ARN pattern never matches):
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
      Sid: "FindLogGroup",
      Effect: "Allow",
      Action: ["logs:DescribeLogGroups"],
      Resource: "*",
    },
    {
      Sid: "WriteLogGroup",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
      Resource: [logGroupArn, pulumi.interpolate`${logGroupArn}:log-stream:*`],
    },
  ];
}
