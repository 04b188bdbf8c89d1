/**
 * The built-in `redshiftSql` step: one statement (`aws-sdk:redshiftdata:executeStatement`) or a
 * transaction of several (`batchExecuteStatement`) through the Redshift Data API, then a Wait +
 * `describeStatement` poll loop of `pollRounds(timeoutSeconds, pollSeconds)` rounds; a statement
 * that outlives them is cancelled.
 */
import { REDSHIFT_POLL_TRANSIENT_ERRORS, redshiftCallRetry, redshiftExecuteRetry } from "./retries";
import {
  API_CALL_TIMEOUT_SECONDS,
  StepBuildContext,
  StepKind,
  StepStates,
  StatementContext,
  catchAll,
  failurePass,
  idempotencyToken,
  integrationArn,
  isNonEmptyString,
  pollCountVariable,
  pollIntervalProblems,
  missedPollCheck,
  pollRead,
  pollRounds,
  pollWait,
  resultKey,
} from "./step-kind";
import { JsonValue, PolicyStatement, RedshiftSqlStep } from "./types";

export const DEFAULT_REDSHIFT_POLL_SECONDS = 15;

export const REDSHIFT_INTEGRATIONS = {
  execute: "aws-sdk:redshiftdata:executeStatement",
  /**
   * Runs its SQLs serially as one transaction: if any fails, all work is rolled back.
   * https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_BatchExecuteStatement.html
   */
  executeBatch: "aws-sdk:redshiftdata:batchExecuteStatement",
  describe: "aws-sdk:redshiftdata:describeStatement",
  cancel: "aws-sdk:redshiftdata:cancelStatement",
} as const;

/** BatchExecuteStatement takes 1 to 40 SQLs (API reference above). */
export const MAX_BATCH_SQLS = 40;

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

// Secrets a service manages for you are named `<service>!<name>` (Redshift: `redshift!...`).
const SECRET_ARN = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@!-]+$/;
const WORKGROUP_ARN = /^arn:aws(-cn|-us-gov)?:redshift-serverless:[a-z0-9-]+:\d{12}:workgroup\/[0-9a-f-]+$/;
const REDSHIFT_IDENTIFIER = /^[a-z][a-z0-9-]{0,63}$/;
const KMS_KEY_ARN = /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

function redshiftStates(step: RedshiftSqlStep, ctx: StepBuildContext): StepStates {
  const key = resultKey(ctx.index, step);
  const polls = pollCountVariable(ctx);
  const pollSeconds = step.pollSeconds ?? DEFAULT_REDSHIFT_POLL_SECONDS;
  const rounds = pollRounds(step.timeoutSeconds, pollSeconds);
  const batch = step.sqls !== undefined;
  const names = {
    execute: step.name,
    wait: `${step.name} Wait`,
    describe: `${step.name} DescribeStatement`,
    check: `${step.name} CheckStatement`,
    cancel: `${step.name} CancelStatement`,
    missed: `${step.name} MissedPoll`,
    failed: `${step.name} StatementFailed`,
    timedOut: `${step.name} TimedOut`,
  };
  const execute: Record<string, JsonValue> = batch
    ? { Database: step.database, Sqls: [...(step.sqls ?? [])] }
    : { Database: step.database, Sql: String(step.sql) };
  if (step.workgroupName !== undefined) execute.WorkgroupName = step.workgroupName;
  if (step.clusterIdentifier !== undefined) execute.ClusterIdentifier = step.clusterIdentifier;
  if (step.dbUser !== undefined) execute.DbUser = step.dbUser;
  if (step.secretArn !== undefined) execute.SecretArn = step.secretArn;
  execute.StatementName = `${ctx.pipelineName}/${step.name}`;
  execute["ClientToken.$"] = idempotencyToken(step.name);
  const loop = {
    wait: names.wait,
    read: names.describe,
    check: names.check,
    missed: names.missed,
    timedOut: names.cancel,
  };
  const statementId = `$.${key}.Id`;
  const status = `$.${key}.Status`;
  return {
    startAt: names.execute,
    states: {
      [names.execute]: {
        Type: "Task",
        Comment: batch
          ? "Submit the SQLs as one transaction to the Redshift Data API (asynchronous; polled below)"
          : "Submit the SQL to the Redshift Data API (asynchronous; polled below)",
        Resource: integrationArn(
          ctx.partition,
          batch ? REDSHIFT_INTEGRATIONS.executeBatch : REDSHIFT_INTEGRATIONS.execute,
        ),
        Parameters: execute,
        ResultSelector: { "Id.$": "$.Id" },
        ResultPath: `$.${key}`,
        TimeoutSeconds: API_CALL_TIMEOUT_SECONDS,
        Retry: redshiftExecuteRetry(),
        Catch: catchAll(step),
        Assign: { [polls]: 0 },
        Next: names.wait,
      },
      [names.wait]: pollWait(pollSeconds, ctx, names.describe),
      [names.describe]: pollRead(
        step,
        ctx,
        { resource: REDSHIFT_INTEGRATIONS.describe, parameters: { "Id.$": statementId } },
        REDSHIFT_POLL_TRANSIENT_ERRORS,
        loop,
      ),
      [names.missed]: missedPollCheck(ctx, rounds, loop),
      [names.check]: {
        Type: "Choice",
        Comment: `FINISHED -> next; FAILED/ABORTED -> failed; otherwise wait (at most ${rounds} rounds)`,
        Choices: [
          { Variable: status, StringEquals: "FINISHED", Next: ctx.next },
          {
            Or: [
              { Variable: status, StringEquals: "FAILED" },
              { Variable: status, StringEquals: "ABORTED" },
            ],
            Next: names.failed,
          },
          { Variable: `$${polls}`, NumericGreaterThanEquals: rounds, Next: names.cancel },
        ],
        Default: names.wait,
      },
      [names.cancel]: {
        Type: "Task",
        Comment: "The statement outlived the step's timeout: cancel it",
        Resource: integrationArn(ctx.partition, REDSHIFT_INTEGRATIONS.cancel),
        Parameters: { "Id.$": statementId },
        ResultPath: null,
        TimeoutSeconds: API_CALL_TIMEOUT_SECONDS,
        Retry: redshiftCallRetry(),
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.cancelStatementError", Next: names.timedOut }],
        Next: names.timedOut,
      },
      [names.failed]: failurePass(
        step,
        "Pipeline.StatementFailed",
        `States.JsonToString($.${key})`,
        "The statement ended FAILED or ABORTED; the cause holds DescribeStatement's output (Error, Status, Id)",
      ),
      [names.timedOut]: failurePass(
        step,
        "Pipeline.StepTimeout",
        `States.Format('statement still running after ${step.timeoutSeconds} seconds: {}', States.JsonToString($.${key}))`,
        "The statement did not finish within the step's timeout",
      ),
    },
  };
}

/**
 * Redshift Data API statements. DescribeStatement / CancelStatement take no resource ARN; they are
 * conditioned on the statement having been submitted by this same role session
 * (`redshift-data:statement-owner-iam-userid` = `${aws:userid}`), the pattern of AWS's
 * AmazonRedshiftDataFullAccess policy.
 */
function redshiftStatements(steps: RedshiftSqlStep[], ctx: StatementContext): PolicyStatement[] {
  const { arn } = ctx;
  const iamAuth = steps.filter((step) => step.secretArn === undefined);
  return [
    {
      Sid: "RedshiftDataExecuteStatement",
      Effect: "Allow",
      Action: unique(
        steps.map((step) =>
          step.sqls !== undefined ? "redshift-data:BatchExecuteStatement" : "redshift-data:ExecuteStatement",
        ),
      ),
      Resource: steps.map((step) =>
        step.clusterIdentifier !== undefined
          ? arn("redshift", `cluster:${step.clusterIdentifier}`)
          : (step.workgroupArn ?? arn("redshift-serverless", "workgroup/*")),
      ),
    },
    {
      Sid: "RedshiftDataOwnStatements",
      Effect: "Allow",
      Action: ["redshift-data:DescribeStatement", "redshift-data:CancelStatement"],
      Resource: ["*"],
      Condition: { StringEquals: { "redshift-data:statement-owner-iam-userid": "${aws:userid}" } },
    },
    {
      Sid: "RedshiftDataSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: steps.flatMap((step) => (step.secretArn ? [step.secretArn] : [])),
    },
    {
      Sid: "RedshiftDataSecretKeys",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: steps.flatMap((step) => (step.secretKmsKeyArn ? [step.secretKmsKeyArn] : [])),
      // Only for Secrets Manager reading the secret for this role.
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${ctx.region}.amazonaws.com` } },
    },
    {
      Sid: "RedshiftServerlessCredentials",
      Effect: "Allow",
      Action: ["redshift-serverless:GetCredentials"],
      Resource: iamAuth
        .filter((step) => step.workgroupName !== undefined)
        .map((step) => step.workgroupArn ?? arn("redshift-serverless", "workgroup/*")),
    },
    {
      Sid: "RedshiftClusterDbUserCredentials",
      Effect: "Allow",
      Action: ["redshift:GetClusterCredentials"],
      Resource: iamAuth
        .filter((step) => step.clusterIdentifier !== undefined && step.dbUser !== undefined)
        .flatMap((step) => [
          arn("redshift", `dbuser:${step.clusterIdentifier}/${step.dbUser}`),
          arn("redshift", `dbname:${step.clusterIdentifier}/${step.database}`),
        ]),
    },
    {
      Sid: "RedshiftClusterIamCredentials",
      Effect: "Allow",
      Action: ["redshift:GetClusterCredentialsWithIAM"],
      Resource: iamAuth
        .filter((step) => step.clusterIdentifier !== undefined && step.dbUser === undefined)
        .map((step) => arn("redshift", `dbname:${step.clusterIdentifier}/${step.database}`)),
    },
  ];
}

function redshiftProblems(step: RedshiftSqlStep): string[] {
  const problems: string[] = [];
  const add = (message: string) => problems.push(message);
  const serverless = step.workgroupName !== undefined;
  const provisioned = step.clusterIdentifier !== undefined;
  if (serverless === provisioned) add("exactly one of workgroupName and clusterIdentifier is required");
  if (serverless && !REDSHIFT_IDENTIFIER.test(String(step.workgroupName))) {
    add("workgroupName must be a Redshift Serverless workgroup name");
  }
  if (provisioned && !REDSHIFT_IDENTIFIER.test(String(step.clusterIdentifier))) {
    add("clusterIdentifier must be a Redshift cluster identifier");
  }
  if (step.workgroupArn !== undefined && (!serverless || !WORKGROUP_ARN.test(step.workgroupArn))) {
    add("workgroupArn must be the ARN of the workgroup, and only goes with workgroupName");
  }
  if (step.dbUser !== undefined && (!provisioned || !isNonEmptyString(step.dbUser))) {
    add("dbUser only goes with clusterIdentifier");
  }
  if (step.dbUser !== undefined && step.secretArn !== undefined) {
    add("give either dbUser or secretArn, not both");
  }
  if (step.secretArn !== undefined && !SECRET_ARN.test(step.secretArn)) {
    add("secretArn must be a Secrets Manager secret ARN");
  }
  if (
    step.secretKmsKeyArn !== undefined &&
    (step.secretArn === undefined || !KMS_KEY_ARN.test(step.secretKmsKeyArn))
  ) {
    add("secretKmsKeyArn must be a KMS key ARN, and only goes with secretArn");
  }
  if (!isNonEmptyString(step.database)) add("database is required");
  if ((step.sql === undefined) === (step.sqls === undefined)) {
    add("exactly one of sql (one statement) and sqls (a transaction) is required");
  } else if (step.sql !== undefined && !isNonEmptyString(step.sql)) {
    add("sql must be a non-empty statement");
  } else if (
    step.sqls !== undefined &&
    (!Array.isArray(step.sqls) ||
      step.sqls.length === 0 ||
      step.sqls.length > MAX_BATCH_SQLS ||
      !step.sqls.every(isNonEmptyString))
  ) {
    add(`sqls must list 1 to ${MAX_BATCH_SQLS} non-empty statements`);
  }
  if (step.pollSeconds !== undefined) {
    problems.push(...pollIntervalProblems("pollSeconds", step.pollSeconds, step.timeoutSeconds));
  }
  return problems;
}

/** A SQL statement through the Redshift Data API, waited for by polling DescribeStatement. */
export const REDSHIFT_SQL_STEP: StepKind<RedshiftSqlStep> = {
  kind: "redshiftSql",
  states: redshiftStates,
  statements: redshiftStatements,
  managedRules: [],
  problems: redshiftProblems,
};
