/**
 * Retry policy of every Task the pipeline state machines use, and why.
 *
 * Rules:
 * - Retry only errors that mean "the request was not acted on" (throttling, concurrency limits,
 *   the service's transient server errors) or calls that are safe to repeat (reads, terminate,
 *   stop, cancel, or a start with an idempotency token).
 * - Never `States.TaskFailed` on a job: for the .sync integrations it is how a failed job run
 *   surfaces (Glue FAILED, Batch FAILED, EMR step FAILED, ...), and re-running a failed job mostly
 *   repeats the failure at full cost. The exceptions are TerminateCluster (idempotent, and the
 *   last thing between a failure and a cluster billed until its idle timeout) and the SNS alert
 *   (at-least-once is what we want from an alert).
 * - Never `States.Timeout` on a .sync job: the job's TimeoutSeconds is its budget. When it fires,
 *   Step Functions tries to stop the job (BatchStopJobRun / TerminateJob / CancelJobRun /
 *   CancelSteps, which is why the role has those actions) but does not wait for it, so a retry
 *   could run the job twice side by side, and a job that ran out of time once will likely again.
 *   Timeouts go straight to the Catch -> NotifyFailure. Short API calls (stop/cancel,
 *   StartCrawler) do retry States.Timeout: repeating them is harmless. Poll reads are not retried
 *   at all: a transient error is a missed poll, caught back into the poll loop, which counts it.
 * - Every retry is paid for in the pipeline's time budget (paths.ts charges each attempt), so
 *   the counts are kept small: enough to ride out throttling and a short wait for a busy
 *   resource, not to wait for it indefinitely.
 * - Exponential backoff everywhere (BackoffRate > 1), capped with MaxDelaySeconds and spread
 *   with JitterStrategy FULL so that many pipelines throttled at the same moment do not retry in
 *   lockstep.
 *
 * Error names: optimized integrations report `<Service>.<ExceptionClass>` (the Java SDK exception
 * class, e.g. `Glue.AWSGlueException` is Glue's unmodeled-error base class, which is what a
 * throttled StartJobRun surfaces as); AWS SDK integrations (`aws-sdk:*`) report
 * `<ServiceName>.<ErrorName>` in PascalCase with an "Exception" suffix (`Glue.CrawlerRunningException`,
 * `RedshiftData.ActiveStatementsExceededException`).
 */
import { Retrier } from "./types";

/** Delays and attempts for throttling-type errors: 5s, 10s, 20s, 40s (capped at 60s), jittered. */
function throttled(errors: string[], maxAttempts = 4): Retrier {
  return {
    ErrorEquals: errors,
    IntervalSeconds: 5,
    MaxAttempts: maxAttempts,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: "FULL",
  };
}

/**
 * Glue job (`glue:startJobRun.sync`).
 * - ConcurrentRunsExceededException: StartJobRun refused because the job is at MaxConcurrentRuns
 *   (typically yesterday's run is still going); the run did not start, so waiting and retrying is
 *   safe. Long backoff: 60s, 120s, 240s (7 minutes in all).
 * - AWSGlueException / ThrottlingException: throttled StartJobRun. There is no idempotency token
 *   on StartJobRun, so InternalServiceException and OperationTimeoutException (the run may have
 *   started) are deliberately NOT retried.
 */
export function glueJobRetry(): Retrier[] {
  return [
    {
      ErrorEquals: ["Glue.ConcurrentRunsExceededException"],
      IntervalSeconds: 60,
      MaxAttempts: 3,
      BackoffRate: 2,
      MaxDelaySeconds: 240,
      JitterStrategy: "FULL",
    },
    throttled(["Glue.AWSGlueException", "Glue.ThrottlingException"]),
  ];
}

const GLUE_SDK_TRANSIENT = [
  "Glue.ThrottlingException",
  "Glue.InternalServiceException",
  "Glue.OperationTimeoutException",
  "States.Timeout",
];

/**
 * Crawler start (`aws-sdk:glue:startCrawler`).
 * - CrawlerRunningException: another run of the crawler is in progress (another pipeline, or a
 *   console run). We wait for it to finish and then start our own, rather than adopting the
 *   running crawl, because that crawl may have started before this pipeline's data landed.
 *   Interval = the poll interval, x2, capped at 300 s, 4 attempts (7.5 minutes with a 30 s poll).
 * - Throttling / transient server errors / a timed-out call: a repeated StartCrawler is
 *   harmless (at worst it meets CrawlerRunningException and waits, or crawls twice).
 */
export function crawlerStartRetry(pollSeconds: number): Retrier[] {
  return [
    {
      ErrorEquals: ["Glue.CrawlerRunningException"],
      IntervalSeconds: pollSeconds,
      MaxAttempts: 4,
      BackoffRate: 2,
      MaxDelaySeconds: Math.max(pollSeconds, 300),
      JitterStrategy: "FULL",
    },
    throttled(GLUE_SDK_TRANSIENT),
  ];
}

/** StopCrawler: an idempotent stop. */
export function crawlerCallRetry(): Retrier[] {
  return [throttled(GLUE_SDK_TRANSIENT)];
}

/** Errors of a GetCrawler poll that only mean "no answer this time": the loop polls again. */
export const CRAWLER_POLL_TRANSIENT_ERRORS: readonly string[] = GLUE_SDK_TRANSIENT;

/**
 * Redshift Data API ExecuteStatement. The request carries a ClientToken derived from the
 * execution id, the state name and the time the state was entered, so a retry of the same
 * attempt is deduplicated by the Data API and cannot run the SQL twice. Retried: too many active
 * statements/sessions, throttling, a failed database connection (the statement never ran) and
 * InternalServerException (covered by the token). A timed-out call is not retried.
 */
export function redshiftExecuteRetry(): Retrier[] {
  return [
    {
      ErrorEquals: [
        "RedshiftData.ActiveStatementsExceededException",
        "RedshiftData.ActiveSessionsExceededException",
        "RedshiftData.ThrottlingException",
        "RedshiftData.DatabaseConnectionException",
        "RedshiftData.InternalServerException",
      ],
      IntervalSeconds: 10,
      MaxAttempts: 4,
      BackoffRate: 2,
      MaxDelaySeconds: 120,
      JitterStrategy: "FULL",
    },
  ];
}

const REDSHIFT_DATA_TRANSIENT = [
  "RedshiftData.ThrottlingException",
  "RedshiftData.InternalServerException",
  "States.Timeout",
];

/** CancelStatement: an idempotent cancel. */
export function redshiftCallRetry(): Retrier[] {
  return [throttled(REDSHIFT_DATA_TRANSIENT)];
}

/** Errors of a DescribeStatement poll that only mean "no answer this time": the loop polls again. */
export const REDSHIFT_POLL_TRANSIENT_ERRORS: readonly string[] = REDSHIFT_DATA_TRANSIENT;

/**
 * EMR createCluster.sync and addStep.sync. `EMR.AmazonElasticMapReduceException` is how a
 * throttled EMR call surfaces ("Rate exceeded"); it is the EMR SDK's base exception, so it can
 * also wrap a validation error, hence only 3 attempts.
 * Known risk, accepted: EMR has been seen to throttle a RunJobFlow that still created the
 * cluster, and a retry then creates a second one. The cluster the machine lost track of has no
 * steps, so the required AutoTerminationPolicy idle timeout terminates it.
 */
export function emrRetry(): Retrier[] {
  return [
    {
      ErrorEquals: ["EMR.AmazonElasticMapReduceException"],
      IntervalSeconds: 15,
      MaxAttempts: 3,
      BackoffRate: 2,
      MaxDelaySeconds: 120,
      JitterStrategy: "FULL",
    },
  ];
}

/**
 * terminateCluster (TerminateJobFlows), on both the success and the failure path. It is
 * idempotent and a cluster left running is billed until its idle timeout, so everything is
 * retried here, including States.TaskFailed and States.Timeout.
 */
export function emrTerminateRetry(): Retrier[] {
  return [
    {
      ErrorEquals: ["States.TaskFailed", "States.Timeout"],
      IntervalSeconds: 10,
      MaxAttempts: 5,
      BackoffRate: 2,
      MaxDelaySeconds: 120,
      JitterStrategy: "FULL",
    },
  ];
}

/**
 * EMR Serverless startJobRun.sync. The request carries a ClientToken (see redshiftExecuteRetry),
 * so throttling and internal server errors are retried without risking a second job run.
 */
export function emrServerlessRetry(): Retrier[] {
  return [
    {
      ErrorEquals: ["EMRServerless.ThrottlingException", "EMRServerless.InternalServerException"],
      IntervalSeconds: 10,
      MaxAttempts: 4,
      BackoffRate: 2,
      MaxDelaySeconds: 120,
      JitterStrategy: "FULL",
    },
  ];
}

/**
 * Batch submitJob.sync. `Batch.AWSBatchException` is how SubmitJob throttling surfaces (the
 * job queue admits a limited number of submissions per second); `Batch.ServerException` is a
 * Batch 5xx. SubmitJob has no idempotency token: a 5xx after Batch accepted the job would submit
 * it twice; Batch jobs in this platform must be idempotent (they overwrite their output
 * partition), so that rare case is accepted. `Batch.ClientException` (bad request) is not retried.
 */
export function batchRetry(): Retrier[] {
  return [
    {
      ErrorEquals: ["Batch.AWSBatchException", "Batch.ServerException"],
      IntervalSeconds: 10,
      MaxAttempts: 5,
      BackoffRate: 2,
      MaxDelaySeconds: 300,
      JitterStrategy: "FULL",
    },
  ];
}

/**
 * The SNS alert. Everything is retried (States.TaskFailed matches every error except
 * States.Timeout): a duplicate alert is better than a lost one.
 */
export function notifyRetry(): Retrier[] {
  return [
    {
      ErrorEquals: ["States.TaskFailed", "States.Timeout"],
      IntervalSeconds: 2,
      MaxAttempts: 4,
      BackoffRate: 2,
      MaxDelaySeconds: 30,
      JitterStrategy: "FULL",
    },
  ];
}
