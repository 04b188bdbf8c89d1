import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson, PolicyStatement, serviceTrustPolicy } from "../shared/iam";
import { pipelineTags, TAG_KEYS } from "../shared/tags";
import { DataLake } from "../storage/data-lake";
import { SlaTier } from "../../decisions/sla-tier";
import { LogRetentionDays } from "../../decisions/logs";
import {
  GLUE_VERSION,
  GlueWorkerType,
  glueExecutionClass,
  glueWorkerTypeError,
  jobBookmarkOption,
} from "../../decisions/glue";
import {
  bucketLocationStatement,
  CATALOG_READ_ACTIONS,
  CATALOG_WRITE_ACTIONS,
  CatalogAccess,
  catalogStatement,
  checkPrefix,
  connectionStatements,
  defaultDatabaseStatement,
  GlueConnectionAccess,
  logWriteStatements,
  READ_SECURITY_CONFIGURATION,
  S3Location,
  s3ReadStatements,
  s3WriteStatements,
} from "./access";
import { awsScope } from "../shared/aws-scope";
import { lakeKeyStatement } from "../storage/kms";
import { encryptedLogGroup } from "../shared/log-group";
import { pythonModuleProblems, uploadPythonModules } from "../storage/job-script";

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
  /** At least 2 (one driver, one executor). */
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
  databases: CatalogAccess[];
  /**
   * The ones of `databases` the job creates and updates tables and partitions in (its target's);
   * the others it only reads. Default: all of `databases`.
   */
  writeDatabases?: CatalogAccess[];
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

function validate(name: string, args: EtlJobArgs): void {
  const fail = (message: string) => {
    throw new Error(`Glue job ${name}: ${message}`);
  };
  if (!Number.isInteger(args.timeoutMinutes) || args.timeoutMinutes < 1) {
    fail(`timeoutMinutes must be a positive whole number, got ${args.timeoutMinutes}`);
  }
  if (!Number.isInteger(args.numberOfWorkers) || args.numberOfWorkers < 2) {
    fail(`numberOfWorkers must be at least 2, got ${args.numberOfWorkers}`);
  }
  if (!Number.isInteger(args.maxRetries) || args.maxRetries < 0 || args.maxRetries > 10) {
    fail(`maxRetries must be 0 to 10, got ${args.maxRetries}`);
  }
  const tierProblem = glueWorkerTypeError(args.slaTier, args.workerType);
  if (tierProblem) fail(tierProblem);
  if (!fs.existsSync(args.scriptPath)) fail(`script ${args.scriptPath} does not exist`);
  const moduleProblems = pythonModuleProblems("pythonModules", args.scriptPath, args.pythonModules ?? []);
  if (moduleProblems.length > 0) fail(moduleProblems.join("; "));
  if (args.sources.length === 0 || args.targets.length === 0)
    fail("needs at least one source and one target");
  args.sources.forEach((source) => checkPrefix(source.prefix, `Glue job ${name} source`));
  args.targets.forEach((target) => checkPrefix(target.prefix, `Glue job ${name} target`));
  for (const key of Object.keys(args.jobArguments ?? {})) {
    if (!/^--[A-Za-z0-9_-]+$/.test(key)) fail(`job argument "${key}" must look like --name`);
    if ((PLATFORM_JOB_ARGUMENTS as readonly string[]).includes(key)) {
      fail(`job argument "${key}" is set by the platform and cannot be overridden`);
    }
  }
}

/**
 * A Glue 5.0 Spark ETL job (Python 3) for one pipeline: the script uploaded from the repository,
 * explicit capacity, timeout and retries, FLEX for the flexible tier, job bookmarks for incremental
 * jobs, the environment's security configuration, retained and encrypted log groups, and a role
 * that reaches only this job's prefixes, databases, key and log groups.
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
    validate(name, args);
    const child = { parent: this };
    const scope = awsScope(this);
    const lake = args.dataLake;
    // `incremental` lets the bookmark policy tell incremental jobs from full reloads.
    const tags = {
      ...pipelineTags(args.pipeline, args.slaTier),
      [TAG_KEYS.component]: "glue-job",
      incremental: String(args.incremental),
    };

    this.script = new aws.s3.BucketObjectv2(
      `${name}-script`,
      {
        bucket: lake.artifacts.bucket.id,
        key: `scripts/${args.pipeline}/${path.basename(args.scriptPath)}`,
        source: new pulumi.asset.FileAsset(args.scriptPath),
        contentType: "text/x-python",
        tags,
      },
      child,
    );
    this.scriptLocation = pulumi.interpolate`s3://${this.script.bucket}/${this.script.key}`;
    const modules = uploadPythonModules(
      name,
      {
        bucket: lake.artifacts.bucket.id,
        prefix: `scripts/${args.pipeline}/`,
        modulePaths: args.pythonModules ?? [],
        tags,
      },
      child,
    );
    this.pythonModuleUris = pulumi.all(modules.map((module) => module.s3Uri));
    const temp: S3Location = { bucketArn: lake.artifacts.arn, prefix: `tmp/${args.pipeline}/` };
    this.tempDir = pulumi.interpolate`s3://${lake.artifacts.name}/${temp.prefix}`;

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
    const logGroup = (stream: "error" | "output") =>
      encryptedLogGroup(
        `${name}-${stream}-logs`,
        {
          logGroupName: groupNames[stream],
          retentionInDays: args.logRetentionDays,
          kmsKeyArn: lake.key.arn,
          tags,
        },
        child,
      );
    this.logGroups = { error: logGroup("error"), output: logGroup("output") };

    const writeDatabases = args.writeDatabases ?? args.databases;
    // Inline and scoped instead of the AWSGlueServiceRole managed policy, which grants glue:* and
    // s3/ec2/logs access on "*" to every job that carries it.
    const statements: PolicyStatement[] = [
      {
        // Glue fetches the script and its --extra-py-files with the job's role.
        Sid: "ReadScript",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: [this.script, ...modules.map((module) => module.object)].map(
          (object) => pulumi.interpolate`${lake.artifacts.arn}/${object.key}`,
        ),
      },
      ...s3ReadStatements("Source", args.sources),
      ...s3WriteStatements("Target", args.targets),
      ...s3WriteStatements("Temp", [temp]),
      bucketLocationStatement([
        ...new Set([...args.sources, ...args.targets, temp].map((location) => location.bucketArn)),
      ]),
      // Reads on every database it uses; writes only where it registers what it writes.
      catalogStatement(scope, args.databases, CATALOG_READ_ACTIONS),
      ...(writeDatabases.length > 0
        ? [catalogStatement(scope, writeDatabases, CATALOG_WRITE_ACTIONS, "CatalogWrites")]
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
    const access = new aws.iam.RolePolicy(
      `${name}-access`,
      { role: this.role.id, policy: policyJson(statements) },
      child,
    );

    this.job = new aws.glue.Job(
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
          // Comma-separated S3 paths Glue adds to the Python path before running the script:
          // https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-glue-arguments.html
          ...(modules.length > 0 && {
            "--extra-py-files": this.pythonModuleUris.apply((uris) => uris.join(",")),
          }),
        },
        tags,
      },
      // The role's access and the retained log groups exist before the first run can start.
      { parent: this, dependsOn: [access, this.logGroups.error, this.logGroups.output] },
    );
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
}
