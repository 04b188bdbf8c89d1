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
 * Each step's states come from its StepKind (step-kind.ts); this file knows none by name.
 * Step results are kept at `$.step<N>_<name>` (only those a later state reads: the EMR cluster
 * id, the crawler and statement status); job outputs are discarded (ResultPath null) to stay far
 * from the 256 KiB payload limit. The execution input must therefore be a JSON object (`{}` is
 * what schedules and the console send by default).
 */
import { notifyRetry } from "./retries";
import {
  FAILED_STEP_VARIABLE,
  NOTIFY_FAILURE,
  PIPELINE_FAILED,
  PIPELINE_SUCCEEDED,
  StepKind,
  StepKinds,
  integrationArn,
  intrinsicLiteral,
} from "./step-kind";
import { AslState, StateMachineDefinition, StateMachineSpec, StepBase } from "./types";
import { validateStateMachineSpec } from "./validate";

/** TimeoutSeconds of the SNS alert. */
export const NOTIFY_TIMEOUT_SECONDS = 30;
/** The Step Functions integration that publishes the failure alert. */
export const SNS_PUBLISH_INTEGRATION = "sns:publish";

/** The kind that builds `step`; validation guarantees there is one. */
export function kindOf(step: StepBase, kinds: StepKinds): StepKind<any> {
  const found = kinds.find((candidate) => candidate.kind === step.kind);
  if (!found)
    throw new Error(`no step kind "${step.kind}"; known: ${kinds.map((kind) => kind.kind).join(", ")}`);
  return found;
}

/** The first state of a step. */
function firstStateName(step: StepBase, kinds: StepKinds): string {
  return kindOf(step, kinds).firstState?.(step) ?? step.name;
}

/**
 * The state machine definition of one pipeline, its steps built by `kinds`. Validates the spec
 * first and throws a StateMachineSpecError naming every problem.
 */
export function buildStateMachineDefinition(
  spec: StateMachineSpec,
  kinds: StepKinds,
): StateMachineDefinition {
  validateStateMachineSpec(spec, kinds);
  const partition = spec.partition ?? "aws";
  const states: Record<string, AslState> = {};

  spec.steps.forEach((step, index) => {
    const next =
      index + 1 < spec.steps.length ? firstStateName(spec.steps[index + 1], kinds) : PIPELINE_SUCCEEDED;
    const built = kindOf(step, kinds).states(step, {
      partition,
      pipelineName: spec.pipelineName,
      index,
      next,
    });
    for (const [name, state] of Object.entries(built.states)) {
      if (name in states) throw new Error(`state name collision: "${name}"`);
      states[name] = state;
    }
  });

  const subject = `[${spec.pipelineName}] pipeline failed`.slice(0, 100);
  states[NOTIFY_FAILURE] = {
    Type: "Task",
    Comment: "Alert on every failure, then fail the execution",
    Resource: integrationArn(partition, SNS_PUBLISH_INTEGRATION),
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
    StartAt: firstStateName(spec.steps[0], kinds),
    TimeoutSeconds: spec.timeoutSeconds,
    States: states,
  };
}
