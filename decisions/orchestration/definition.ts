/**
 * Builds the Amazon States Language definition of one pipeline's state machine from its
 * ordered, resolved steps. Pure: plain data in, a JSON-serializable object out
 * (`JSON.stringify` it for `aws.sfn.StateMachine.definition`).
 *
 * Shape: the steps run one after another, then `PipelineSucceeded`. Every Task has a
 * TimeoutSeconds, a Retry on that integration's transient errors (see retries.ts) and a Catch
 * of States.ALL that stores the error at `$.error`, records the failed step in the `failedStep`
 * variable and goes to `NotifyFailure` (SNS publish) -> `PipelineFailed` (Fail). Poll loops that
 * end in a failed or timed-out state get there through a Pass state that sets the same two.
 *
 * Step results are kept at `$.step<N>_<name>` (only those a later state reads: the EMR cluster
 * id, the crawler and statement status); job outputs are discarded (ResultPath null) to stay far
 * from the 256 KiB payload limit. The execution input must therefore be a JSON object (`{}` is
 * what schedules and the console send by default).
 */
import {
  crawlerCallRetry,
  crawlerStartRetry,
  emrRetry,
  emrServerlessRetry,
  emrTerminateRetry,
  batchRetry,
  glueJobRetry,
  notifyRetry,
  redshiftCallRetry,
  redshiftExecuteRetry,
} from "./retries";
import {
  AslState,
  AwsPartition,
  BatchJobStep,
  Catcher,
  CrawlerStep,
  EmrServerlessJobStep,
  EmrTransientStep,
  GlueJobStep,
  JsonValue,
  RedshiftSqlStep,
  ResolvedStep,
  StateMachineDefinition,
  StateMachineSpec,
} from "./types";
import { validateStateMachineSpec } from "./validate";

export const NOTIFY_FAILURE = "NotifyFailure";
export const PIPELINE_FAILED = "PipelineFailed";
export const PIPELINE_SUCCEEDED = "PipelineSucceeded";

/** TimeoutSeconds of plain API calls (start crawler, get crawler, execute/describe statement, ...). */
export const API_CALL_TIMEOUT_SECONDS = 60;
/** TimeoutSeconds of the SNS alert. */
export const NOTIFY_TIMEOUT_SECONDS = 30;
export const DEFAULT_CLUSTER_CREATE_TIMEOUT_SECONDS = 1800;
export const DEFAULT_CLUSTER_TERMINATE_TIMEOUT_SECONDS = 1200;
export const DEFAULT_REDSHIFT_POLL_SECONDS = 15;
/** Tag put on transient EMR clusters; the role's EMR permissions are conditioned on it. */
export const PIPELINE_TAG_KEY = "pipeline";
/** The variable naming the failed step, read by NotifyFailure. */
export const FAILED_STEP_VARIABLE = "failedStep";

/** The Task Resource ARN of each integration the builder uses. */
export function integrationArn(partition: AwsPartition, integration: string): string {
  return `arn:${partition}:states:::${integration}`;
}

export const INTEGRATIONS = {
  glueStartJobRunSync: "glue:startJobRun.sync",
  glueStartCrawler: "aws-sdk:glue:startCrawler",
  glueGetCrawler: "aws-sdk:glue:getCrawler",
  glueStopCrawler: "aws-sdk:glue:stopCrawler",
  emrCreateClusterSync: "elasticmapreduce:createCluster.sync",
  emrAddStepSync: "elasticmapreduce:addStep.sync",
  emrTerminateClusterSync: "elasticmapreduce:terminateCluster.sync",
  emrServerlessStartJobRunSync: "emr-serverless:startJobRun.sync",
  batchSubmitJobSync: "batch:submitJob.sync",
  redshiftExecuteStatement: "aws-sdk:redshiftdata:executeStatement",
  redshiftDescribeStatement: "aws-sdk:redshiftdata:describeStatement",
  redshiftCancelStatement: "aws-sdk:redshiftdata:cancelStatement",
  snsPublish: "sns:publish",
} as const;

/** Where step N keeps the results later states read. */
export function resultKey(index: number, step: ResolvedStep): string {
  return `step${index + 1}_${step.name.replace(/-/g, "_")}`;
}

/** Escapes a literal for an intrinsic-function string argument ('...'). */
function intrinsicLiteral(value: string): string {
  return `'${value.replace(/[\\'{}]/g, (char) => `\\${char}`)}'`;
}

/**
 * ClientToken for StartJobRun / ExecuteStatement: the same for every retry of one attempt of the
 * state (execution id, state name and the time the state was entered), different when the state
 * is entered again. MD5 gives 32 hex characters, inside both APIs' 64-character limit.
 */
function idempotencyToken(stateName: string): string {
  return `States.Hash(States.Format('{}/{}/{}', $$.Execution.Id, ${intrinsicLiteral(stateName)}, $$.State.EnteredTime), 'MD5')`;
}

function catchAll(step: ResolvedStep, next = NOTIFY_FAILURE): Catcher[] {
  return [
    {
      ErrorEquals: ["States.ALL"],
      ResultPath: "$.error",
      Assign: { [FAILED_STEP_VARIABLE]: step.name },
      Next: next,
    },
  ];
}

/** A Pass state that records a failure found by a poll loop and goes to NotifyFailure. */
function failurePass(step: ResolvedStep, error: string, causePath: string, comment: string): AslState {
  return {
    Type: "Pass",
    Comment: comment,
    Parameters: { Error: error, "Cause.$": causePath },
    ResultPath: "$.error",
    Assign: { [FAILED_STEP_VARIABLE]: step.name },
    Next: NOTIFY_FAILURE,
  };
}

interface StepStates {
  startAt: string;
  states: Record<string, AslState>;
}

interface BuildContext {
  partition: AwsPartition;
  pipelineName: string;
  index: number;
  next: string;
}

function glueJobStates(step: GlueJobStep, ctx: BuildContext): StepStates {
  const parameters: Record<string, JsonValue> = {
    JobName: step.jobName,
    // Glue's own cap, in minutes: stops the run even if Step Functions' cancel does not get through.
    Timeout: Math.ceil(step.timeoutSeconds / 60),
  };
  if (step.arguments && Object.keys(step.arguments).length > 0) parameters.Arguments = { ...step.arguments };
  return {
    startAt: step.name,
    states: {
      [step.name]: {
        Type: "Task",
        Comment: `Glue job ${step.jobName}`,
        Resource: integrationArn(ctx.partition, INTEGRATIONS.glueStartJobRunSync),
        Parameters: parameters,
        ResultPath: null,
        TimeoutSeconds: step.timeoutSeconds,
        Retry: glueJobRetry(),
        Catch: catchAll(step),
        Next: ctx.next,
      },
    },
  };
}

function pollCountVariable(ctx: BuildContext): string {
  return `pollCount${ctx.index + 1}`;
}

function crawlerStates(step: CrawlerStep, ctx: BuildContext): StepStates {
  const key = resultKey(ctx.index, step);
  const polls = pollCountVariable(ctx);
  const maxPolls = Math.ceil(step.timeoutSeconds / step.pollSeconds);
  const names = {
    start: step.name,
    wait: `${step.name} Wait`,
    get: `${step.name} GetCrawler`,
    check: `${step.name} CheckCrawler`,
    checkLastCrawl: `${step.name} CheckLastCrawl`,
    stop: `${step.name} StopCrawler`,
    failed: `${step.name} CrawlFailed`,
    timedOut: `${step.name} TimedOut`,
  };
  const crawlerState = `$.${key}.Crawler.State`;
  const lastStatus = `$.${key}.Crawler.LastCrawl.Status`;
  return {
    startAt: names.start,
    states: {
      [names.start]: {
        Type: "Task",
        Comment: `Start Glue crawler ${step.crawlerName}; if it is already running, wait for that run and start again`,
        Resource: integrationArn(ctx.partition, INTEGRATIONS.glueStartCrawler),
        Parameters: { Name: step.crawlerName },
        ResultPath: null,
        TimeoutSeconds: API_CALL_TIMEOUT_SECONDS,
        Retry: crawlerStartRetry(step.pollSeconds),
        Catch: catchAll(step),
        Assign: { [polls]: 0 },
        Next: names.wait,
      },
      [names.wait]: {
        Type: "Wait",
        Seconds: step.pollSeconds,
        Assign: { [`${polls}.$`]: `States.MathAdd($${polls}, 1)` },
        Next: names.get,
      },
      [names.get]: {
        Type: "Task",
        Resource: integrationArn(ctx.partition, INTEGRATIONS.glueGetCrawler),
        Parameters: { Name: step.crawlerName },
        ResultSelector: { "Crawler.$": "$.Crawler" },
        ResultPath: `$.${key}`,
        TimeoutSeconds: API_CALL_TIMEOUT_SECONDS,
        Retry: crawlerCallRetry(),
        Catch: catchAll(step),
        Next: names.check,
      },
      [names.check]: {
        Type: "Choice",
        Comment: `READY -> check the last crawl; RUNNING/STOPPING -> wait (at most ${maxPolls} polls)`,
        Choices: [
          { Variable: crawlerState, StringEquals: "READY", Next: names.checkLastCrawl },
          { Variable: `$${polls}`, NumericGreaterThanEquals: maxPolls, Next: names.stop },
          {
            Or: [
              { Variable: crawlerState, StringEquals: "RUNNING" },
              { Variable: crawlerState, StringEquals: "STOPPING" },
            ],
            Next: names.wait,
          },
        ],
        Default: names.failed,
      },
      [names.checkLastCrawl]: {
        Type: "Choice",
        Comment: "LastCrawl.Status SUCCEEDED -> next step; missing, FAILED or CANCELLED -> failed",
        Choices: [
          // Rules are tried in order: the comparison only runs when the field exists.
          { Variable: lastStatus, IsPresent: false, Next: names.failed },
          { Variable: lastStatus, StringEquals: "SUCCEEDED", Next: ctx.next },
        ],
        Default: names.failed,
      },
      [names.stop]: {
        Type: "Task",
        Comment: "The crawl outlived the step's timeout: stop it",
        Resource: integrationArn(ctx.partition, INTEGRATIONS.glueStopCrawler),
        Parameters: { Name: step.crawlerName },
        ResultPath: null,
        TimeoutSeconds: API_CALL_TIMEOUT_SECONDS,
        Retry: crawlerCallRetry(),
        // CrawlerNotRunningException (it just finished) or a failed stop: report the timeout anyway.
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.stopCrawlerError", Next: names.timedOut }],
        Next: names.timedOut,
      },
      [names.failed]: failurePass(
        step,
        "Pipeline.CrawlerFailed",
        `States.JsonToString($.${key}.Crawler)`,
        "The crawl ended without SUCCEEDED",
      ),
      [names.timedOut]: failurePass(
        step,
        "Pipeline.StepTimeout",
        `States.Format('crawler {} still running after ${step.timeoutSeconds} seconds: {}', ${intrinsicLiteral(step.crawlerName)}, States.JsonToString($.${key}.Crawler))`,
        "The crawl did not finish within the step's timeout",
      ),
    },
  };
}

function emrTransientStates(step: EmrTransientStep, ctx: BuildContext): StepStates {
  const key = resultKey(ctx.index, step);
  const clusterId = `$.${key}.ClusterId`;
  const names = {
    create: `${step.name} CreateCluster`,
    run: `${step.name} RunStep`,
    terminate: `${step.name} TerminateCluster`,
    terminateOnFailure: `${step.name} TerminateClusterOnFailure`,
  };
  // A deep copy without undefined fields; the spec is not modified.
  const config = JSON.parse(JSON.stringify(step.clusterConfig)) as EmrTransientStep["clusterConfig"];
  const tags = (config.Tags ?? []).filter((tag) => tag.Key !== PIPELINE_TAG_KEY);
  const clusterParameters: Record<string, JsonValue> = {
    ...(config as Record<string, JsonValue>),
    Instances: { ...config.Instances, KeepJobFlowAliveWhenNoSteps: true },
    Tags: [...tags, { Key: PIPELINE_TAG_KEY, Value: ctx.pipelineName }],
  };
  const terminateTimeout = step.clusterTerminateTimeoutSeconds ?? DEFAULT_CLUSTER_TERMINATE_TIMEOUT_SECONDS;
  return {
    startAt: names.create,
    states: {
      [names.create]: {
        Type: "Task",
        Comment:
          "Create the transient cluster. On failure there is no cluster id to terminate: EMR has terminated a cluster " +
          "that failed to start, Step Functions terminates it when the task is stopped, and the idle timeout is the backstop.",
        Resource: integrationArn(ctx.partition, INTEGRATIONS.emrCreateClusterSync),
        Parameters: clusterParameters,
        ResultPath: `$.${key}`,
        TimeoutSeconds: step.clusterCreateTimeoutSeconds ?? DEFAULT_CLUSTER_CREATE_TIMEOUT_SECONDS,
        Retry: emrRetry(),
        Catch: catchAll(step),
        Next: names.run,
      },
      [names.run]: {
        Type: "Task",
        Comment:
          "Run the Spark step; ActionOnFailure CONTINUE keeps the cluster so this machine terminates it",
        Resource: integrationArn(ctx.partition, INTEGRATIONS.emrAddStepSync),
        Parameters: {
          "ClusterId.$": clusterId,
          Step: {
            Name: step.step.name,
            ActionOnFailure: "CONTINUE",
            HadoopJarStep: { Jar: "command-runner.jar", Args: [...step.step.args] },
          },
        },
        ResultPath: null,
        TimeoutSeconds: step.timeoutSeconds,
        Retry: emrRetry(),
        Catch: catchAll(step, names.terminateOnFailure),
        Next: names.terminate,
      },
      [names.terminate]: {
        Type: "Task",
        Resource: integrationArn(ctx.partition, INTEGRATIONS.emrTerminateClusterSync),
        Parameters: { "ClusterId.$": clusterId },
        ResultPath: null,
        TimeoutSeconds: terminateTimeout,
        Retry: emrTerminateRetry(),
        Catch: catchAll(step),
        Next: ctx.next,
      },
      [names.terminateOnFailure]: {
        Type: "Task",
        Comment: "The step failed: terminate the cluster, then report the step's error (kept at $.error)",
        Resource: integrationArn(ctx.partition, INTEGRATIONS.emrTerminateClusterSync),
        Parameters: { "ClusterId.$": clusterId },
        ResultPath: null,
        TimeoutSeconds: terminateTimeout,
        Retry: emrTerminateRetry(),
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.terminateError", Next: NOTIFY_FAILURE }],
        Next: NOTIFY_FAILURE,
      },
    },
  };
}

function emrServerlessStates(step: EmrServerlessJobStep, ctx: BuildContext): StepStates {
  const sparkSubmit: Record<string, JsonValue> = {
    EntryPoint: step.entryPoint,
    EntryPointArguments: [...step.entryPointArguments],
  };
  if (step.sparkSubmitParameters) sparkSubmit.SparkSubmitParameters = step.sparkSubmitParameters;
  return {
    startAt: step.name,
    states: {
      [step.name]: {
        Type: "Task",
        Comment: `EMR Serverless job on application ${step.applicationId}`,
        Resource: integrationArn(ctx.partition, INTEGRATIONS.emrServerlessStartJobRunSync),
        Parameters: {
          ApplicationId: step.applicationId,
          ExecutionRoleArn: step.executionRoleArn,
          Name: `${ctx.pipelineName}-${step.name}`,
          "ClientToken.$": idempotencyToken(step.name),
          JobDriver: { SparkSubmit: sparkSubmit },
        },
        ResultPath: null,
        TimeoutSeconds: step.timeoutSeconds,
        Retry: emrServerlessRetry(),
        Catch: catchAll(step),
        Next: ctx.next,
      },
    },
  };
}

function batchStates(step: BatchJobStep, ctx: BuildContext): StepStates {
  const parameters: Record<string, JsonValue> = {
    JobName: step.jobName,
    JobQueue: step.jobQueueArn,
    JobDefinition: step.jobDefinitionArn,
    // Batch's own cap (minimum 60 s): terminates the attempt even if Step Functions' cancel does not get through.
    Timeout: { AttemptDurationSeconds: Math.max(60, step.timeoutSeconds) },
  };
  const environment = Object.entries(step.containerOverrides?.environment ?? {});
  if (environment.length > 0) {
    parameters.ContainerOverrides = { Environment: environment.map(([Name, Value]) => ({ Name, Value })) };
  }
  return {
    startAt: step.name,
    states: {
      [step.name]: {
        Type: "Task",
        Comment: `Batch job ${step.jobName}`,
        Resource: integrationArn(ctx.partition, INTEGRATIONS.batchSubmitJobSync),
        Parameters: parameters,
        ResultPath: null,
        TimeoutSeconds: step.timeoutSeconds,
        Retry: batchRetry(),
        Catch: catchAll(step),
        Next: ctx.next,
      },
    },
  };
}

function redshiftStates(step: RedshiftSqlStep, ctx: BuildContext): StepStates {
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
        Resource: integrationArn(ctx.partition, INTEGRATIONS.redshiftExecuteStatement),
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
        Resource: integrationArn(ctx.partition, INTEGRATIONS.redshiftDescribeStatement),
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
        Resource: integrationArn(ctx.partition, INTEGRATIONS.redshiftCancelStatement),
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

function stepStates(step: ResolvedStep, ctx: BuildContext): StepStates {
  switch (step.kind) {
    case "glueJob":
      return glueJobStates(step, ctx);
    case "crawler":
      return crawlerStates(step, ctx);
    case "emrTransientStep":
      return emrTransientStates(step, ctx);
    case "emrServerlessJob":
      return emrServerlessStates(step, ctx);
    case "batchJob":
      return batchStates(step, ctx);
    case "redshiftSql":
      return redshiftStates(step, ctx);
  }
}

/** The first state of each step, in order. */
function firstStateName(step: ResolvedStep): string {
  return step.kind === "emrTransientStep" ? `${step.name} CreateCluster` : step.name;
}

/**
 * The state machine definition of one pipeline. Validates the spec first and throws a
 * StateMachineSpecError naming every problem.
 */
export function buildStateMachineDefinition(spec: StateMachineSpec): StateMachineDefinition {
  validateStateMachineSpec(spec);
  const partition = spec.partition ?? "aws";
  const states: Record<string, AslState> = {};

  spec.steps.forEach((step, index) => {
    const next = index + 1 < spec.steps.length ? firstStateName(spec.steps[index + 1]) : PIPELINE_SUCCEEDED;
    const built = stepStates(step, { partition, pipelineName: spec.pipelineName, index, next });
    for (const [name, state] of Object.entries(built.states)) {
      if (name in states) throw new Error(`state name collision: "${name}"`);
      states[name] = state;
    }
  });

  const subject = `[${spec.pipelineName}] pipeline failed`.slice(0, 100);
  states[NOTIFY_FAILURE] = {
    Type: "Task",
    Comment: "Alert on every failure, then fail the execution",
    Resource: integrationArn(partition, INTEGRATIONS.snsPublish),
    Parameters: {
      TopicArn: spec.alertTopicArn,
      Subject: subject,
      "Message.$": `States.Format('Pipeline {} failed at step {} (execution {}). Error: {}', ${intrinsicLiteral(spec.pipelineName)}, $${FAILED_STEP_VARIABLE}, $$.Execution.Id, States.JsonToString($.error))`,
    },
    ResultPath: null,
    TimeoutSeconds: NOTIFY_TIMEOUT_SECONDS,
    Retry: notifyRetry(),
    // Even if the alert cannot be sent, the execution must still end FAILED (EventBridge sees that).
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.notifyError", Next: PIPELINE_FAILED }],
    Next: PIPELINE_FAILED,
  };
  states[PIPELINE_FAILED] = {
    Type: "Fail",
    Error: "PipelineFailed",
    Cause: `A step of pipeline ${spec.pipelineName} failed; the alert on the pipeline's SNS topic and the execution history have the step and its error.`,
  };
  states[PIPELINE_SUCCEEDED] = { Type: "Succeed" };

  return {
    Comment: `Pipeline ${spec.pipelineName}: ${spec.steps.map((step) => step.name).join(" -> ")}`,
    QueryLanguage: "JSONPath",
    StartAt: firstStateName(spec.steps[0]),
    TimeoutSeconds: spec.timeoutSeconds,
    States: states,
  };
}
