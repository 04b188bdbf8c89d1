/**
 * Orchestration decisions: one Step Functions state machine per pipeline, built from the
 * pipeline's ordered steps, and the IAM statements of its execution role. See README.md.
 */
export * from "./types";
export {
  API_CALL_TIMEOUT_SECONDS,
  DEFAULT_CLUSTER_CREATE_TIMEOUT_SECONDS,
  DEFAULT_CLUSTER_TERMINATE_TIMEOUT_SECONDS,
  DEFAULT_REDSHIFT_POLL_SECONDS,
  FAILED_STEP_VARIABLE,
  INTEGRATIONS,
  NOTIFY_FAILURE,
  NOTIFY_TIMEOUT_SECONDS,
  PIPELINE_FAILED,
  PIPELINE_SUCCEEDED,
  PIPELINE_TAG_KEY,
  buildStateMachineDefinition,
  integrationArn,
  resultKey,
} from "./definition";
export { MANAGED_RULES, buildStateMachinePolicyStatements } from "./iam";
export type { StateMachinePolicyInput } from "./iam";
export {
  MAX_EXECUTION_SECONDS,
  MAX_TASK_TIMEOUT_SECONDS,
  RESERVED_STATE_NAMES,
  StateMachineSpecError,
  stateMachineSpecProblems,
  validateStateMachineSpec,
} from "./validate";
export * as retries from "./retries";
