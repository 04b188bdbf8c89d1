import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson, PolicyStatement, serviceTrustPolicy } from "../shared/iam";
import { pipelineTags, TAG_KEYS } from "../shared/tags";
import { DataLake } from "../storage/data-lake";
import { SlaTier } from "../../decisions/sla-tier";
import { LogRetentionDays } from "../../decisions/logs";
import {
  GLUE_AUTO_SCALING_ARGUMENT,
  GLUE_VERSION,
  GlueWorkerType,
  glueAutoScalingSupported,
  glueExecutionClass,
  glueMaxRetriesError,
  glueWorkerCountError,
  glueWorkerTypeError,
  jobBookmarkOption,
} from "../../decisions/glue";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import {
  bucketLocationStatement,
  CATALOG_READ_ACTIONS,
  CATALOG_WRITE_ACTIONS,
  catalogStatement,
  connectionStatements,
  defaultDatabaseStatement,
  GlueConnectionAccess,
  logWriteStatements,
  READ_SECURITY_CONFIGURATION,
  s3ReadStatements,
  s3WriteStatements,
} from "./access";
import { AwsScope, awsScope } from "../shared/aws-scope";
import { lakeKeyStatement } from "../storage/kms";
import { encryptedLogGroup } from "../shared/log-group";
import { assertValidArgs } from "../shared/args";
import { repoPath } from "../shared/repo-files";
import { CatalogDatabaseRef, locationListProblems, S3Location, s3Uri } from "../shared/locations";
import { jobCodeProblems, uploadPythonModules } from "../storage/job-script";

export interface EtlJobArgs {
  /** Pipeline name: tags, the script key `scripts/<pipeline>/` and the temp prefix `tmp/<pipeline>/`. */
  pipeline: string;
  slaTier: SlaTier;
  description?: string;
  /** Repository path of the PySpark script, e.g. `jobs/glue/daily_sales_by_store.py`. */
  scriptPath: string;
  /**
   * Repository paths of pure-Python modules the script imports (`.py` files or `.zip` packages),
   * e.g. `jobs/common/daily_sales.py`: uploaded beside the script and put on the job's Python
   * path with `--extra-py-files`.
   */
  pythonModules?: string[];
  workerType: GlueWorkerType;
  /**
   * At least 2 (one driver, one executor). With Glue Auto Scaling (on for every Glue version that
   * has it) this is the most workers a run may grow to, not what every run holds.
   */
  numberOfWorkers: number;
  /** Hard limit of one run, in minutes. */
  timeoutMinutes: number;
  maxRetries: number;
  /** Incremental jobs keep job bookmarks so each run reads only new data. */
  incremental: boolean;
  /** Prefixes the job reads (list + get only). */
  sources: S3Location[];
  /** Prefixes the job writes (get, put, delete). */
  targets: S3Location[];
  /** Catalog databases whose tables the job reads. */
  databases: CatalogDatabaseRef[];
  /**
   * The ones of `databases` the job creates and updates tables and partitions in (its target's);
   * the others it only reads. Default: all of `databases`.
   */
  writeDatabases?: CatalogDatabaseRef[];
  /** The script's own arguments, e.g. `--source_database`; keys start with `--`. */
  jobArguments?: Record<string, pulumi.Input<string>>;
  /** Glue connections (e.g. JdbcConnection) the job uses; their role statements are added. */
  connections?: GlueConnectionAccess[];
  /** Lake key, and the artifacts bucket for the script and temporary files. */
  dataLake: DataLake;
  /** Name of the environment's Glue security configuration. */
  securityConfigurationName: pulumi.Input<string>;
  logRetentionDays: LogRetentionDays;
}

/** Arguments the component sets itself; jobArguments may not override them. */
export const PLATFORM_JOB_ARGUMENTS = [
  "--job-language",
  "--job-bookmark-option",
  "--enable-glue-datacatalog",
  "--enable-metrics",
  "--enable-job-insights",
  "--enable-observability-metrics",
  "--TempDir",
  "--extra-py-files",
  GLUE_AUTO_SCALING_ARGUMENT,
] as const;

/**
 * Log groups a Glue 5.0 job writes to when its security configuration encrypts CloudWatch logs:
 * Glue adds the configuration and role names below `/aws-glue/jobs` (`error`: driver, executor and
 * Glue logger output; `output`: stdout and stderr). Both are per job because each job has its own role.
 */
export function glueJobLogGroupNames(
  securityConfigurationName: pulumi.Input<string>,
  roleName: pulumi.Input<string>,
): { error: pulumi.Output<string>; output: pulumi.Output<string> } {
  const base = pulumi.interpolate`/aws-glue/jobs/${securityConfigurationName}-role/${roleName}`;
  return { error: pulumi.interpolate`${base}/error`, output: pulumi.interpolate`${base}/output` };
}

/** The plain-data fields validateEtlJobArgs checks. */
export type EtlJobChecks = Pick<
  EtlJobArgs,
  "slaTier" | "workerType" | "numberOfWorkers" | "timeoutMinutes" | "maxRetries" | "jobArguments"
> & { sources: Pick<S3Location, "prefix">[]; targets: Pick<S3Location, "prefix">[] };

/**
 * Every problem with a Glue job's args (the script file is checked by the constructor): capacity,
 * timeout and retries Glue accepts, a worker type the tier can use, at least one source and
 * target with valid prefixes, and job arguments that look like `--name` and leave the platform's alone.
 */
export function validateEtlJobArgs(args: EtlJobChecks): ArgsProblem[] {
  const argumentProblems = Object.keys(args.jobArguments ?? {}).flatMap((key) =>
    problemAt(
      ["jobArguments", key],
      !/^--[A-Za-z0-9_-]+$/.test(key)
        ? "must look like --name"
        : (PLATFORM_JOB_ARGUMENTS as readonly string[]).includes(key)
          ? "is set by the platform and cannot be overridden"
          : undefined,
    ),
  );
  return [
    ...problemAt(
      ["timeoutMinutes"],
      Number.isInteger(args.timeoutMinutes) && args.timeoutMinutes >= 1
        ? undefined
        : "must be a positive whole number",
      args.timeoutMinutes,
    ),
    ...problemAt(["numberOfWorkers"], glueWorkerCountError(args.numberOfWorkers), args.numberOfWorkers),
    ...problemAt(["maxRetries"], glueMaxRetriesError(args.maxRetries), args.maxRetries),
    ...problemAt(["workerType"], glueWorkerTypeError(args.slaTier, args.workerType), args.workerType),
    ...problemAt(["sources"], args.sources.length === 0 ? "needs at least one source" : undefined),
    ...problemAt(["targets"], args.targets.length === 0 ? "needs at least one target" : undefined),
    ...locationListProblems("sources", args.sources),
    ...locationListProblems("targets", args.targets),
    ...argumentProblems,
  ];
}

/**
 * The script and its modules must exist in the repository: they are uploaded at deploy time
 * (reads the file system, so it is not part of the pure validateEtlJobArgs).
 */
function fileProblems(args: EtlJobArgs): ArgsProblem[] {
  return jobCodeProblems("scriptPath", args.scriptPath, "pythonModules", args.pythonModules ?? []);
}

/**
 * A Glue 5.0 Spark ETL job (Python 3) for one pipeline: the script uploaded from the repository,
 * auto-scaled capacity up to an explicit maximum, timeout and retries, FLEX for the flexible tier,
 * job bookmarks for incremental jobs, the environment's security configuration, retained and
 * encrypted log groups, and a role that reaches only this job's prefixes, databases, key and log
 * groups.
 */
export class EtlJob extends pulumi.ComponentResource {
  readonly job: aws.glue.Job;
  /** The Glue job name: what workflows, Step Functions and alarms refer to. */
  readonly jobName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  readonly role: aws.iam.Role;
  readonly script: aws.s3.BucketObjectv2;
  readonly scriptLocation: pulumi.Output<string>;
  /** `s3://` URIs of the uploaded `pythonModules`, in order: the job's `--extra-py-files`. */
  readonly pythonModuleUris: pulumi.Output<string[]>;
  readonly tempDir: pulumi.Output<string>;
  readonly logGroups: { error: aws.cloudwatch.LogGroup; output: aws.cloudwatch.LogGroup };

  constructor(name: string, args: EtlJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:glue:EtlJob", name, {}, opts);
    assertValidArgs("bdp:glue:EtlJob", name, [...validateEtlJobArgs(args), ...fileProblems(args)]);
    const child = { parent: this };
    const scope = awsScope(this);
    const lake = args.dataLake;
    // `incremental` lets the bookmark policy tell incremental jobs from full reloads.
    const tags = {
      ...pipelineTags(args.pipeline, args.slaTier),
      [TAG_KEYS.component]: "glue-job",
      incremental: String(args.incremental),
    };

    const code = this.uploadCode(name, args, tags);
    this.script = code.script;
    this.scriptLocation = pulumi.interpolate`s3://${this.script.bucket}/${this.script.key}`;
    const modules = code.modules;
    this.pythonModuleUris = pulumi.all(modules.map((module) => module.s3Uri));
    const temp: S3Location = {
      bucketName: lake.artifacts.name,
      bucketArn: lake.artifacts.arn,
      prefix: `tmp/${args.pipeline}/`,
    };
    this.tempDir = s3Uri(temp);

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Glue job ${name} of pipeline ${args.pipeline}`,
        assumeRolePolicy: serviceTrustPolicy("glue.amazonaws.com", scope.accountId),
        tags,
      },
      child,
    );
    const groupNames = glueJobLogGroupNames(args.securityConfigurationName, this.role.name);
    this.logGroups = this.declareLogGroups(name, args, groupNames, tags);
    const access = new aws.iam.RolePolicy(
      `${name}-access`,
      {
        role: this.role.id,
        policy: policyJson(
          this.roleStatements(args, scope, temp, groupNames, [this.script, ...modules.map((m) => m.object)]),
        ),
      },
      child,
    );
    this.job = this.declareJob(name, args, tags, modules.length > 0, [
      access,
      this.logGroups.error,
      this.logGroups.output,
    ]);
    this.jobName = this.job.name;
    this.arn = this.job.arn;

    this.registerOutputs({
      jobName: this.jobName,
      roleArn: this.role.arn,
      scriptLocation: this.scriptLocation,
      pythonModuleUris: this.pythonModuleUris,
      logGroups: { error: this.logGroups.error.name, output: this.logGroups.output.name },
    });
  }

  /** The script and the Python modules it imports, uploaded under `scripts/<pipeline>/` in the artifacts bucket. */
  private uploadCode(name: string, args: EtlJobArgs, tags: Record<string, string>) {
    const bucket = args.dataLake.artifacts.bucket.id;
    const prefix = `scripts/${args.pipeline}/`;
    const script = new aws.s3.BucketObjectv2(
      `${name}-script`,
      {
        bucket,
        key: `${prefix}${path.basename(args.scriptPath)}`,
        source: new pulumi.asset.FileAsset(repoPath(args.scriptPath)),
        contentType: "text/x-python",
        tags,
      },
      { parent: this },
    );
    const modules = uploadPythonModules(
      name,
      { bucket, prefix, modulePaths: args.pythonModules ?? [], tags },
      { parent: this },
    );
    return { script, modules };
  }

  /** The two log groups Glue writes the job's logs to, declared with retention and the lake key. */
  private declareLogGroups(
    name: string,
    args: EtlJobArgs,
    groupNames: ReturnType<typeof glueJobLogGroupNames>,
    tags: Record<string, string>,
  ): EtlJob["logGroups"] {
    const logGroup = (stream: "error" | "output") =>
      encryptedLogGroup(
        `${name}-${stream}-logs`,
        {
          logGroupName: groupNames[stream],
          retentionInDays: args.logRetentionDays,
          kmsKeyArn: args.dataLake.key.arn,
          tags,
        },
        { parent: this },
      );
    return { error: logGroup("error"), output: logGroup("output") };
  }

  /**
   * The role's statements: inline and scoped instead of the AWSGlueServiceRole managed policy,
   * which grants glue:* and s3/ec2/logs access on "*" to every job that carries it.
   */
  private roleStatements(
    args: EtlJobArgs,
    scope: AwsScope,
    temp: S3Location,
    groupNames: ReturnType<typeof glueJobLogGroupNames>,
    code: aws.s3.BucketObjectv2[],
  ): PolicyStatement[] {
    const lake = args.dataLake;
    return [
      {
        // Glue fetches the script and its --extra-py-files with the job's role.
        Sid: "ReadScript",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: code.map((object) => pulumi.interpolate`${lake.artifacts.arn}/${object.key}`),
      },
      ...s3ReadStatements("Source", args.sources),
      ...s3WriteStatements("Target", args.targets),
      ...s3WriteStatements("Temp", [temp]),
      bucketLocationStatement([
        ...new Set([...args.sources, ...args.targets, temp].map((location) => location.bucketArn)),
      ]),
      // Reads on every database it uses; writes only where it registers what it writes.
      catalogStatement(scope, args.databases, CATALOG_READ_ACTIONS),
      ...((args.writeDatabases ?? args.databases).length > 0
        ? [
            catalogStatement(
              scope,
              args.writeDatabases ?? args.databases,
              CATALOG_WRITE_ACTIONS,
              "CatalogWrites",
            ),
          ]
        : []),
      defaultDatabaseStatement(scope),
      lakeKeyStatement(lake.key.arn),
      ...logWriteStatements(scope, [groupNames.error, groupNames.output]),
      {
        Sid: "PublishGlueMetrics",
        Effect: "Allow",
        Action: ["cloudwatch:PutMetricData"],
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": "Glue" } },
      },
      READ_SECURITY_CONFIGURATION,
      ...connectionStatements(args.connections ?? []),
    ];
  }

  /** The job itself; it waits for the role's access and the retained log groups (`prerequisites`). */
  private declareJob(
    name: string,
    args: EtlJobArgs,
    tags: Record<string, string>,
    hasModules: boolean,
    prerequisites: pulumi.Resource[],
  ): aws.glue.Job {
    return new aws.glue.Job(
      name,
      {
        name,
        description: args.description ?? `ETL job of pipeline ${args.pipeline}`,
        roleArn: this.role.arn,
        glueVersion: GLUE_VERSION,
        command: { name: "glueetl", pythonVersion: "3", scriptLocation: this.scriptLocation },
        workerType: args.workerType,
        numberOfWorkers: args.numberOfWorkers,
        executionClass: glueExecutionClass(args.slaTier, args.workerType),
        timeout: args.timeoutMinutes,
        maxRetries: args.maxRetries,
        // One run at a time: bookmarks and target partitions assume runs do not overlap.
        executionProperty: { maxConcurrentRuns: 1 },
        securityConfiguration: args.securityConfigurationName,
        connections: args.connections?.map((connection) => connection.connectionName),
        // Glue 5.0 always logs in real time to the error/output groups above; the continuous-logging
        // arguments of Glue 4.0 (--enable-continuous-cloudwatch-log, --continuous-log-logGroup) are not set.
        defaultArguments: {
          ...args.jobArguments,
          "--job-language": "python",
          "--job-bookmark-option": jobBookmarkOption(args.incremental),
          "--enable-glue-datacatalog": "true",
          "--enable-metrics": "true",
          "--enable-job-insights": "true",
          "--enable-observability-metrics": "true",
          "--TempDir": this.tempDir,
          // Glue sizes each run by its stages' parallelism, up to numberOfWorkers, and bills only
          // the workers it holds: https://docs.aws.amazon.com/glue/latest/dg/auto-scaling.html
          ...(glueAutoScalingSupported(GLUE_VERSION) && { [GLUE_AUTO_SCALING_ARGUMENT]: "true" }),
          // Comma-separated S3 paths Glue adds to the Python path before running the script:
          // https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-glue-arguments.html
          ...(hasModules && {
            "--extra-py-files": this.pythonModuleUris.apply((uris) => uris.join(",")),
          }),
        },
        tags,
      },
      // The role's access and the retained log groups exist before the first run can start.
      { parent: this, dependsOn: prerequisites },
    );
  }
}
