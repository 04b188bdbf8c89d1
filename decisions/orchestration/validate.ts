/**
 * Checks a StateMachineSpec before anything is built from it, so a bad pipeline fails
 * `pulumi preview` with every problem named, instead of CreateStateMachine or the first run
 * failing on one of them. Common fields are checked here; each StepKind checks its own.
 */
import {
  MAX_TASK_TIMEOUT_SECONDS,
  NOTIFY_FAILURE,
  PIPELINE_FAILED,
  PIPELINE_SUCCEEDED,
  StepKinds,
  isNonEmptyString,
  isPositiveInteger,
} from "./step-kind";
import { StateMachineSpec, StepBase } from "./types";

export { MAX_TASK_TIMEOUT_SECONDS };

/** Standard workflows run for at most one year. */
export const MAX_EXECUTION_SECONDS = 365 * 24 * 60 * 60;

/** State names the builder uses for itself; steps cannot take them. */
export const RESERVED_STATE_NAMES = [NOTIFY_FAILURE, PIPELINE_FAILED, PIPELINE_SUCCEEDED] as const;

/** Step names end up in state names (at most 80 characters, with suffixes of up to 26). */
const STEP_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/;
const PIPELINE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;
const SNS_TOPIC_ARN = /^arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const KMS_KEY_ARN = /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** A state machine spec that would not run, with every problem in its message. */
export class StateMachineSpecError extends Error {
  constructor(
    readonly pipelineName: string,
    readonly problems: string[],
  ) {
    super(`invalid state machine spec for pipeline "${pipelineName}":\n  - ${problems.join("\n  - ")}`);
    this.name = "StateMachineSpecError";
  }
}

function stepProblems(step: StepBase, spec: StateMachineSpec, kinds: StepKinds): string[] {
  const problems: string[] = [];
  const machineTimeout = spec.timeoutSeconds;
  if (!isPositiveInteger(step.timeoutSeconds, MAX_TASK_TIMEOUT_SECONDS)) {
    problems.push(
      `timeoutSeconds must be a whole number of seconds > 0 (got ${JSON.stringify(step.timeoutSeconds)})`,
    );
  } else if (
    isPositiveInteger(machineTimeout, MAX_EXECUTION_SECONDS) &&
    step.timeoutSeconds > machineTimeout
  ) {
    problems.push(
      `timeoutSeconds ${step.timeoutSeconds} exceeds the machine's ${machineTimeout}: the step could never hit its own timeout`,
    );
  }
  const kind = kinds.find((candidate) => candidate.kind === step.kind);
  if (!kind) {
    problems.push(
      `unknown kind ${JSON.stringify(step.kind)}; known: ${kinds.map((candidate) => candidate.kind).join(", ")}`,
    );
    return problems;
  }
  return [...problems, ...kind.problems(step, spec)];
}

/** Every problem of the spec, each prefixed with where it is; empty when the spec is valid. */
export function stateMachineSpecProblems(spec: StateMachineSpec, kinds: StepKinds): string[] {
  if (spec === null || typeof spec !== "object") return ["the spec must be an object"];
  const problems: string[] = [];
  if (!isNonEmptyString(spec.pipelineName) || !PIPELINE_NAME.test(spec.pipelineName)) {
    problems.push("pipelineName must be 1-80 letters, digits, '-' or '_'");
  }
  if (!isPositiveInteger(spec.timeoutSeconds, MAX_EXECUTION_SECONDS)) {
    problems.push(
      `timeoutSeconds must be a whole number of seconds > 0 and at most ${MAX_EXECUTION_SECONDS} (got ${JSON.stringify(spec.timeoutSeconds)})`,
    );
  }
  if (!SNS_TOPIC_ARN.test(String(spec.alertTopicArn)))
    problems.push("alertTopicArn must be an SNS topic ARN");
  if (spec.alertTopicKmsKeyArn !== undefined && !KMS_KEY_ARN.test(spec.alertTopicKmsKeyArn)) {
    problems.push("alertTopicKmsKeyArn must be a KMS key ARN");
  }
  if (spec.partition !== undefined && !["aws", "aws-cn", "aws-us-gov"].includes(spec.partition)) {
    problems.push(`partition must be aws, aws-cn or aws-us-gov`);
  }
  if (!Array.isArray(spec.steps) || spec.steps.length === 0) {
    problems.push("steps must list at least one step");
    return problems;
  }

  const seen = new Set<string>();
  spec.steps.forEach((step, index) => {
    const where = `step ${index + 1}${typeof step?.name === "string" ? ` "${step.name}"` : ""}`;
    if (step === null || typeof step !== "object") {
      problems.push(`${where}: must be an object`);
      return;
    }
    if (typeof step.name !== "string" || !STEP_NAME.test(step.name)) {
      problems.push(
        `${where}: name must be 1-48 letters, digits, '-' or '_', starting with a letter or digit`,
      );
    } else if ((RESERVED_STATE_NAMES as readonly string[]).includes(step.name)) {
      problems.push(`${where}: name "${step.name}" is reserved`);
    } else if (seen.has(step.name)) {
      problems.push(`${where}: duplicate step name "${step.name}" (step names must be unique)`);
    }
    seen.add(step.name);
    for (const problem of stepProblems(step, spec, kinds)) problems.push(`${where}: ${problem}`);
  });
  return problems;
}

/** Throws a StateMachineSpecError listing every problem when the spec is invalid. */
export function validateStateMachineSpec(spec: StateMachineSpec, kinds: StepKinds): void {
  const problems = stateMachineSpecProblems(spec, kinds);
  if (problems.length > 0) throw new StateMachineSpecError(String(spec?.pipelineName), problems);
}
