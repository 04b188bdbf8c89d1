/**
 * The contract of one kind of pipeline step (a Glue job, a crawler, a transient EMR cluster, ...)
 * and the building blocks every kind shares: how a Task catches into the failure alert, the
 * idempotency token, integration ARNs, result keys and the checks of common fields.
 *
 * The generic builders (definition.ts, iam.ts, validate.ts) know no kind by name; they take the
 * list of kinds to use. Engine modules (`engines/<engine>/step.ts`) define the kinds that run
 * their jobs; crawler and Redshift SQL steps are built in (crawler-step.ts, redshift-step.ts).
 */
import type { ResourceLifecycle } from "./paths";
import {
  AslState,
  AwsPartition,
  Catcher,
  JsonValue,
  PolicyStatement,
  StateMachineSpec,
  StepBase,
} from "./types";

export const NOTIFY_FAILURE = "NotifyFailure";
export const PIPELINE_FAILED = "PipelineFailed";
export const PIPELINE_SUCCEEDED = "PipelineSucceeded";
/** The variable naming the failed step, read by NotifyFailure. */
export const FAILED_STEP_VARIABLE = "failedStep";
/**
 * TimeoutSeconds of plain API calls (start crawler, get crawler, execute/describe statement,
 * terminate cluster, ...). They answer in well under a second; 20 s leaves room for a slow answer
 * while keeping their retries small in the time budget (paths.ts), which charges every attempt.
 */
export const API_CALL_TIMEOUT_SECONDS = 20;
/** Tag put on transient EMR clusters; the role's EMR permissions are conditioned on it. */
export const PIPELINE_TAG_KEY = "pipeline";
/** Upper bound of a Task's TimeoutSeconds in ASL. */
export const MAX_TASK_TIMEOUT_SECONDS = 99_999_999;

/** The states one step adds to the machine, and the first of them. */
export interface StepStates {
  startAt: string;
  states: Record<string, AslState>;
}

/** Where a step sits in the machine while its states are built. */
export interface StepBuildContext {
  partition: AwsPartition;
  pipelineName: string;
  /** Position of the step in the pipeline (0-based). */
  index: number;
  /** The state to go to when the step succeeds. */
  next: string;
}

/** What the role statements of a kind are built from. */
export interface StatementContext {
  spec: StateMachineSpec;
  partition: AwsPartition;
  region: string;
  accountId: string;
  /** `arn:<partition>:<service>:<region>:<account>:<resource>` (region left empty for global services). */
  arn(service: string, resource: string, withRegion?: boolean): string;
}

/**
 * One kind of step. `S` is the step's resolved shape (StepBase plus the kind's fields).
 * Statements with an empty Resource list are dropped and resources are de-duplicated by the
 * caller, so a kind may return statements for optional fields unconditionally.
 */
export interface StepKind<S extends StepBase = StepBase> {
  readonly kind: S["kind"];
  /** Name of the step's first state (what the previous step's Next points to). Default: the step name. */
  firstState?(step: S): string;
  /** The step's states. */
  states(step: S, ctx: StepBuildContext): StepStates;
  /** Execution-role statements for all steps of this kind in one machine, in a stable order. */
  statements(steps: S[], ctx: StatementContext): PolicyStatement[];
  /** EventBridge rules Step Functions manages in the account to learn when this kind's .sync jobs finish. */
  readonly managedRules: readonly string[];
  /** Problems of the kind's own fields (common fields are checked by the caller). */
  problems(step: S, spec: StateMachineSpec): string[];
  /** Resources the kind's states create and must release on every path (checked by paths.ts). */
  readonly lifecycles?: readonly ResourceLifecycle[];
  /**
   * A valid step of this kind with stand-in names and ARNs whose states take exactly as long as
   * those of a real step with the same timeout. The time budget (budget.ts) is planned on it
   * before the real names exist, so a pipeline whose timeout is too short fails with a config
   * error before any resource is declared. Required for the kinds engines run their jobs with.
   */
  timingTemplate?(name: string, timeoutSeconds: number): S;
}

/** Stand-ins for names and ARNs in timing templates (never deployed). */
export const TEMPLATE_ACCOUNT = "000000000000";
export const TEMPLATE_REGION = "us-east-1";

/** A list of kinds, looked up by the `kind` of each step. */
export type StepKinds = readonly StepKind<any>[];

/** The Task Resource ARN of an integration. */
export function integrationArn(partition: AwsPartition, integration: string): string {
  return `arn:${partition}:states:::${integration}`;
}

/** The integration a Task Resource names (`glue:startJobRun.sync`), or undefined for other resources. */
export function integrationOf(resource: string | undefined): string | undefined {
  const match = /^arn:aws(-cn|-us-gov)?:states:::(.+)$/.exec(resource ?? "");
  return match ? match[2] : undefined;
}

/** Where step N keeps the results later states read. */
export function resultKey(index: number, step: StepBase): string {
  return `step${index + 1}_${step.name.replace(/-/g, "_")}`;
}

/** The variable counting the polls of step N's poll loop. */
export function pollCountVariable(ctx: Pick<StepBuildContext, "index">): string {
  return `pollCount${ctx.index + 1}`;
}

/**
 * How many rounds a poll loop gets within its window: a round waits `pollSeconds`, then reads
 * once (at most API_CALL_TIMEOUT_SECONDS). Counting rounds, not seconds, is what JSONPath can do;
 * sizing them by their longest duration keeps the whole loop inside the window.
 */
export function pollRounds(windowSeconds: number, pollSeconds: number): number {
  return Math.max(1, Math.floor(windowSeconds / (pollSeconds + API_CALL_TIMEOUT_SECONDS)));
}

/** The Wait of a poll loop: waits one interval and counts the round. */
export function pollWait(pollSeconds: number, ctx: Pick<StepBuildContext, "index">, next: string): AslState {
  const polls = pollCountVariable(ctx);
  return {
    Type: "Wait",
    Seconds: pollSeconds,
    Assign: { [`${polls}.$`]: `States.MathAdd($${polls}, 1)` },
    Next: next,
  };
}

/** Names of the states of a poll loop that the shared builders below connect. */
export interface PollLoopStates {
  wait: string;
  read: string;
  check: string;
  /** Where a missed poll goes: counts against the rounds, then waits again. */
  missed: string;
  /** Where the loop goes when its rounds are used up (stop the work, report the timeout). */
  timedOut: string;
}

/**
 * The read of a poll loop (GetCrawler, DescribeStatement). It is not retried: a transient error
 * (throttling, a service error, a timed-out call) is a missed poll and goes to `missed`, which
 * ends the loop when its rounds are used up and otherwise waits again, so the loop stays bounded
 * however often the read fails; any other error fails the step.
 */
export function pollRead(
  step: StepBase,
  ctx: StepBuildContext,
  read: {
    resource: string;
    parameters: Record<string, JsonValue>;
    resultSelector?: Record<string, JsonValue>;
  },
  transientErrors: readonly string[],
  names: PollLoopStates,
): AslState {
  return {
    Type: "Task",
    Resource: integrationArn(ctx.partition, read.resource),
    Parameters: read.parameters,
    ...(read.resultSelector ? { ResultSelector: read.resultSelector } : {}),
    ResultPath: `$.${resultKey(ctx.index, step)}`,
    TimeoutSeconds: API_CALL_TIMEOUT_SECONDS,
    Catch: [
      { ErrorEquals: [...transientErrors], ResultPath: "$.missedPoll", Next: names.missed },
      ...catchAll(step),
    ],
    Next: names.check,
  };
}

/** After a missed poll: give up when the rounds are used up, otherwise wait and poll again. */
export function missedPollCheck(
  ctx: Pick<StepBuildContext, "index">,
  rounds: number,
  names: PollLoopStates,
): AslState {
  return {
    Type: "Choice",
    Comment: `A poll got no answer: poll again, unless all ${rounds} rounds are used up`,
    Choices: [
      { Variable: `$${pollCountVariable(ctx)}`, NumericGreaterThanEquals: rounds, Next: names.timedOut },
    ],
    Default: names.wait,
  };
}

/** Escapes a literal for an intrinsic-function string argument ('...'). */
export function intrinsicLiteral(value: string): string {
  return `'${value.replace(/[\\'{}]/g, (char) => `\\${char}`)}'`;
}

/**
 * ClientToken for StartJobRun / ExecuteStatement: the same for every retry of one attempt of the
 * state (execution id, state name and the time the state was entered), different when the state
 * is entered again. MD5 gives 32 hex characters, inside both APIs' 64-character limit.
 */
export function idempotencyToken(stateName: string): string {
  return `States.Hash(States.Format('{}/{}/{}', $$.Execution.Id, ${intrinsicLiteral(stateName)}, $$.State.EnteredTime), 'MD5')`;
}

/** Catch every error: keep it at `$.error`, record the failed step and go to `next` (the alert). */
export function catchAll(step: StepBase, next = NOTIFY_FAILURE): Catcher[] {
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
export function failurePass(step: StepBase, error: string, causePath: string, comment: string): AslState {
  return {
    Type: "Pass",
    Comment: comment,
    Parameters: { Error: error, "Cause.$": causePath },
    ResultPath: "$.error",
    Assign: { [FAILED_STEP_VARIABLE]: step.name },
    Next: NOTIFY_FAILURE,
  };
}

// ---- checks shared by the kinds' `problems` ----

export const IAM_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
export const GLUE_NAME = /^[\w .-]{1,255}$/;

export function isPositiveInteger(value: unknown, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 && value <= max;
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/**
 * Keys ending in ".$" are JSONPath or intrinsic-function fields in a Parameters block; a literal
 * config key shaped like that would be evaluated against the execution input.
 */
export function pathLikeKeys(value: unknown, at: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => pathLikeKeys(item, `${at}[${index}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(key.endsWith(".$") ? [`${at}.${key}`] : []),
    ...pathLikeKeys(child, `${at}.${key}`),
  ]);
}

/** Problems of a poll interval: 1-3600 s and shorter than the step's timeout. */
export function pollIntervalProblems(field: string, poll: unknown, timeoutSeconds: number): string[] {
  if (!isPositiveInteger(poll, 3600)) {
    return [`${field} must be a whole number of seconds between 1 and 3600 (got ${JSON.stringify(poll)})`];
  }
  if (isPositiveInteger(timeoutSeconds, MAX_TASK_TIMEOUT_SECONDS) && poll >= timeoutSeconds) {
    return [`${field} ${poll} must be shorter than timeoutSeconds ${timeoutSeconds}`];
  }
  return [];
}

/** A Task that runs one job through an optimized `.sync` integration and catches into the alert. */
export function syncJobTask(
  step: StepBase,
  ctx: StepBuildContext,
  task: {
    comment: string;
    integration: string;
    parameters: Record<string, JsonValue>;
    retry: AslState["Retry"];
  },
): StepStates {
  return {
    startAt: step.name,
    states: {
      [step.name]: {
        Type: "Task",
        Comment: task.comment,
        Resource: integrationArn(ctx.partition, task.integration),
        Parameters: task.parameters,
        ResultPath: null,
        TimeoutSeconds: step.timeoutSeconds,
        Retry: task.retry,
        Catch: catchAll(step),
        Next: ctx.next,
      },
    },
  };
}
