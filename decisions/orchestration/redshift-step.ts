/**
 * The built-in `redshiftSql` step: a statement through the Redshift Data API
 * (`aws-sdk:redshiftdata:executeStatement`), then a Wait + `describeStatement` poll loop bounded
 * by the step's timeout; a statement that outlives it is cancelled.
 */
import { redshiftCallRetry, redshiftExecuteRetry } from "./retries";
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
  resultKey,
} from "./step-kind";
import { JsonValue, PolicyStatement, RedshiftSqlStep } from "./types";

export const DEFAULT_REDSHIFT_POLL_SECONDS = 15;

export const REDSHIFT_INTEGRATIONS = {
  execute: "aws-sdk:redshiftdata:executeStatement",
  describe: "aws-sdk:redshiftdata:describeStatement",
  cancel: "aws-sdk:redshiftdata:cancelStatement",
} as const;

const SECRET_ARN = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;
const WORKGROUP_ARN = /^arn:aws(-cn|-us-gov)?:redshift-serverless:[a-z0-9-]+:\d{12}:workgroup\/[0-9a-f-]+$/;
const REDSHIFT_IDENTIFIER = /^[a-z][a-z0-9-]{0,63}$/;

function redshiftStates(step: RedshiftSqlStep, ctx: StepBuildContext): StepStates {
  const key = resultKey(ctx.index, step);
  const polls = pollCountVariable(ctx);
  const pollSeconds = step.pollSeconds ?? DEFAULT_REDSHIFT_POLL_SECONDS;
  const maxPolls = Math.ceil(step.timeoutSeconds / pollSeconds);
  const names = {
    execute: step.name,
    wait: `${step.name} Wait`,
    describe: `${step.name} DescribeStatement`,
    check: `${step.name} CheckStatement`,
    cancel: `${step.name} CancelStatement`,
    failed: `${step.name} StatementFailed`,
    timedOut: `${step.name} TimedOut`,
  };
  const execute: Record<string, JsonValue> = { Database: step.database, Sql: step.sql };
  if (step.workgroupName !== undefined) execute.WorkgroupName = step.workgroupName;
  if (step.clusterIdentifier !== undefined) execute.ClusterIdentifier = step.clusterIdentifier;
  if (step.dbUser !== undefined) execute.DbUser = step.dbUser;
  if (step.secretArn !== undefined) execute.SecretArn = step.secretArn;
  execute.StatementName = `${ctx.pipelineName}/${step.name}`;
  execute["ClientToken.$"] = idempotencyToken(step.name);
  const statementId = `$.${key}.Id`;
  const status = `$.${key}.Status`;
  return {
    startAt: names.execute,
    states: {
      [names.execute]: {
        Type: "Task",
        Comment: "Submit the SQL to the Redshift Data API (asynchronous; polled below)",
        Resource: integrationArn(ctx.partition, REDSHIFT_INTEGRATIONS.execute),
        Parameters: execute,
        ResultSelector: { "Id.$": "$.Id" },
        ResultPath: `$.${key}`,
        TimeoutSeconds: API_CALL_TIMEOUT_SECONDS,
        Retry: redshiftExecuteRetry(),
        Catch: catchAll(step),
        Assign: { [polls]: 0 },
        Next: names.wait,
      },
      [names.wait]: {
        Type: "Wait",
        Seconds: pollSeconds,
        Assign: { [`${polls}.$`]: `States.MathAdd($${polls}, 1)` },
        Next: names.describe,
      },
      [names.describe]: {
        Type: "Task",
        Resource: integrationArn(ctx.partition, REDSHIFT_INTEGRATIONS.describe),
        Parameters: { "Id.$": statementId },
        ResultPath: `$.${key}`,
        TimeoutSeconds: API_CALL_TIMEOUT_SECONDS,
        Retry: redshiftCallRetry(),
        Catch: catchAll(step),
        Next: names.check,
      },
      [names.check]: {
        Type: "Choice",
        Comment: `FINISHED -> next; FAILED/ABORTED -> failed; otherwise wait (at most ${maxPolls} polls)`,
        Choices: [
          { Variable: status, StringEquals: "FINISHED", Next: ctx.next },
          {
            Or: [
              { Variable: status, StringEquals: "FAILED" },
              { Variable: status, StringEquals: "ABORTED" },
            ],
            Next: names.failed,
          },
          { Variable: `$${polls}`, NumericGreaterThanEquals: maxPolls, Next: names.cancel },
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
      Action: ["redshift-data:ExecuteStatement"],
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
  if (!isNonEmptyString(step.database)) add("database is required");
  if (!isNonEmptyString(step.sql)) add("sql is required");
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
