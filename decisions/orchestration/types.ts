/**
 * Input and output shapes of the orchestration decisions: one pipeline's ordered steps, with every
 * name and ARN already resolved, in; a Step Functions (Amazon States Language) definition and the
 * IAM statements its execution role needs, out. Plain JSON-serializable data, no Pulumi types, so
 * the caller resolves Outputs first (`pulumi.all(...).apply(...)`) and hands over strings.
 */

export type AwsPartition = "aws" | "aws-cn" | "aws-us-gov";

export interface StepBase {
  /**
   * Which step kind builds this step's states and role statements (see StepKind). Engine modules
   * add their own kinds (`glueJob`, `batchJob`, ...); the built-in ones are `crawler` and
   * `redshiftSql`.
   */
  kind: string;
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

/** A Glue crawler run: `aws-sdk:glue:startCrawler`, then a Wait + `getCrawler` poll loop. */
export interface CrawlerStep extends StepBase {
  kind: "crawler";
  crawlerName: string;
  /** Seconds between two GetCrawler polls. */
  pollSeconds: number;
}

/** Any JSON value (ASL parameters, request bodies). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * SQL through the Redshift Data API: one statement (`sql`, `executeStatement`) or several run as
 * one transaction (`sqls`, `batchExecuteStatement`), then a Wait + `describeStatement` poll loop.
 * Exactly one of `workgroupName` (Serverless) and `clusterIdentifier` (provisioned). Credentials:
 * `secretArn`, else `dbUser` (provisioned, temporary credentials), else the caller's IAM identity.
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
  /** One statement, committed on its own. */
  sql?: string;
  /** 1 to 40 statements run in order as one transaction: any failure rolls all of them back. */
  sqls?: string[];
  secretArn?: string;
  /** KMS key that encrypts `secretArn`, when it is a customer managed key: reading the secret decrypts with it. */
  secretKmsKeyArn?: string;
  /** Seconds between two DescribeStatement polls. Default 15. */
  pollSeconds?: number;
}

/**
 * One resolved step of a pipeline: the fields of StepBase plus those of its kind. The kinds
 * known to a build are the StepKind list passed to it.
 */
export type ResolvedStep = StepBase;

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
