/**
 * Input and output shapes of the orchestration decisions: one pipeline's ordered steps, with every
 * name and ARN already resolved, in; a Step Functions (Amazon States Language) definition and the
 * IAM statements its execution role needs, out. Plain JSON-serializable data, no Pulumi types, so
 * the caller resolves Outputs first (`pulumi.all(...).apply(...)`) and hands over strings.
 */

export type AwsPartition = "aws" | "aws-cn" | "aws-us-gov";

interface StepBase {
  /**
   * Unique within the pipeline; names the step's states ("load-sales", "load-sales Wait", ...).
   * 1-48 characters: letters, digits, "-" and "_", starting with a letter or digit.
   */
  name: string;
  /**
   * How long the step may run, in whole seconds. For .sync jobs it is the Task's TimeoutSeconds
   * (and a server-side cap where the service has one); for the crawler and Redshift poll loops it
   * bounds the number of polls; for a transient EMR cluster it is the Spark step's timeout.
   */
  timeoutSeconds: number;
}

/** A Glue job run, waited for with the optimized `glue:startJobRun.sync` integration. */
export interface GlueJobStep extends StepBase {
  kind: "glueJob";
  jobName: string;
  /** Job arguments; keys start with "--" as Glue scripts expect them (`getResolvedOptions`). */
  arguments?: Record<string, string>;
}

/** A Glue crawler run: `aws-sdk:glue:startCrawler`, then a Wait + `getCrawler` poll loop. */
export interface CrawlerStep extends StepBase {
  kind: "crawler";
  crawlerName: string;
  /** Seconds between two GetCrawler polls. */
  pollSeconds: number;
}

/** One instance fleet / group, tag or configuration entry of the EMR CreateCluster request. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * The EMR RunJobFlow request (the `createCluster` integration uses RunJobFlow's syntax). The
 * builder forces `Instances.KeepJobFlowAliveWhenNoSteps: true` (required by createCluster) and adds
 * the `pipeline` tag the IAM statements are conditioned on. `Steps` is not allowed.
 */
export interface EmrClusterConfig {
  Name: string;
  ReleaseLabel: string;
  Instances: { [key: string]: JsonValue };
  /** Name or ARN of the EMR service role; must be the role of `serviceRoleArn`. */
  ServiceRole: string;
  /** Instance profile name of the EC2 instances. */
  JobFlowRole: string;
  /** Required: the idle timeout is the backstop that terminates a cluster the machine lost track of. */
  AutoTerminationPolicy: { IdleTimeout: number };
  Applications?: { [key: string]: JsonValue }[];
  Configurations?: JsonValue[];
  SecurityConfiguration?: string;
  LogUri?: string;
  ManagedScalingPolicy?: { [key: string]: JsonValue };
  VisibleToAllUsers?: boolean;
  Tags?: { Key: string; Value: string }[];
  [key: string]: JsonValue | undefined;
}

/**
 * A transient EMR on EC2 cluster: `createCluster.sync` -> `addStep.sync` (ActionOnFailure
 * CONTINUE) -> `terminateCluster.sync`, with the cluster terminated on the failure path too.
 */
export interface EmrTransientStep extends StepBase {
  kind: "emrTransientStep";
  clusterConfig: EmrClusterConfig;
  /** The Spark step, run through command-runner.jar, e.g. args ["spark-submit", "--deploy-mode", ...]. */
  step: { name: string; args: string[] };
  /** ARN of `clusterConfig.ServiceRole`: the machine's role may pass it to EMR. */
  serviceRoleArn: string;
  /** ARN of the role inside the `clusterConfig.JobFlowRole` instance profile: passed to EC2. */
  instanceProfileRoleArn: string;
  /** ARN of the `clusterConfig.AutoScalingRole`, when the cluster uses one. */
  autoScalingRoleArn?: string;
  /** TimeoutSeconds of the CreateCluster task (provisioning + bootstrap). Default 1800. */
  clusterCreateTimeoutSeconds?: number;
  /** TimeoutSeconds of each TerminateCluster task. Default 1200. */
  clusterTerminateTimeoutSeconds?: number;
}

/** An EMR Serverless job run, waited for with `emr-serverless:startJobRun.sync`. */
export interface EmrServerlessJobStep extends StepBase {
  kind: "emrServerlessJob";
  applicationId: string;
  executionRoleArn: string;
  /** S3 URI of the Spark entry point (script or jar). */
  entryPoint: string;
  entryPointArguments: string[];
  sparkSubmitParameters?: string;
}

/** An AWS Batch job, waited for with `batch:submitJob.sync`. */
export interface BatchJobStep extends StepBase {
  kind: "batchJob";
  jobQueueArn: string;
  /** ARN of the job definition, with or without ":revision". */
  jobDefinitionArn: string;
  jobName: string;
  containerOverrides?: { environment: Record<string, string> };
}

/**
 * A SQL statement through the Redshift Data API: `aws-sdk:redshiftdata:executeStatement`, then a
 * Wait + `describeStatement` poll loop. Exactly one of `workgroupName` (Serverless) and
 * `clusterIdentifier` (provisioned). Credentials: `secretArn`, else `dbUser` (provisioned,
 * temporary credentials), else the caller's IAM identity.
 */
export interface RedshiftSqlStep extends StepBase {
  kind: "redshiftSql";
  workgroupName?: string;
  /**
   * ARN of the workgroup (it contains the workgroup id, not its name). Lets the IAM statements
   * name the workgroup exactly; without it they fall back to `workgroup/*` in the account+region.
   */
  workgroupArn?: string;
  clusterIdentifier?: string;
  dbUser?: string;
  database: string;
  sql: string;
  secretArn?: string;
  /** Seconds between two DescribeStatement polls. Default 15. */
  pollSeconds?: number;
}

export type ResolvedStep =
  GlueJobStep | CrawlerStep | EmrTransientStep | EmrServerlessJobStep | BatchJobStep | RedshiftSqlStep;

export type StepKind = ResolvedStep["kind"];

export interface StateMachineSpec {
  /** Appears in the alert and names the EMR `pipeline` tag the IAM statements are scoped to. */
  pipelineName: string;
  /** TimeoutSeconds of the whole execution (Standard workflows run for at most a year). */
  timeoutSeconds: number;
  /** SNS topic every failure is published to before the execution fails. */
  alertTopicArn: string;
  /** KMS key of the alert topic when it is SSE-KMS encrypted: publishers need GenerateDataKey/Decrypt. */
  alertTopicKmsKeyArn?: string;
  /** Partition of the integration ARNs. Default "aws". */
  partition?: AwsPartition;
  steps: ResolvedStep[];
}

/** One Retry entry of a Task state. */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
}

export interface Catcher {
  ErrorEquals: string[];
  ResultPath: string | null;
  Next: string;
  /** JSONPath-mode variable assignment (records which step failed for the alert). */
  Assign?: Record<string, JsonValue>;
}

/** One ASL state; loosely typed because each state type has its own fields. */
export interface AslState {
  Type: "Task" | "Wait" | "Choice" | "Pass" | "Fail" | "Succeed";
  Comment?: string;
  Resource?: string;
  Parameters?: Record<string, JsonValue>;
  ResultSelector?: Record<string, JsonValue>;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Assign?: Record<string, JsonValue>;
  Next?: string;
  End?: boolean;
  Seconds?: number;
  Choices?: Record<string, JsonValue>[];
  Default?: string;
  Error?: string;
  Cause?: string;
}

export interface StateMachineDefinition {
  Comment: string;
  QueryLanguage: "JSONPath";
  StartAt: string;
  TimeoutSeconds: number;
  States: Record<string, AslState>;
}

/** One IAM policy statement of the state machine's execution role. */
export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
