/**
 * Orchestration decisions: one Step Functions state machine per pipeline, built from the
 * pipeline's ordered steps by the step kinds given, and the IAM statements of its execution
 * role. See README.md.
 */
export * from "./types";
export * from "./step-kind";
export {
  NOTIFY_TIMEOUT_SECONDS,
  SNS_PUBLISH_INTEGRATION,
  buildStateMachineDefinition,
  kindOf,
} from "./definition";
export { buildStateMachinePolicyStatements } from "./iam";
export type { StateMachinePolicyInput } from "./iam";
export {
  MAX_EXECUTION_SECONDS,
  RESERVED_STATE_NAMES,
  StateMachineSpecError,
  stateMachineSpecProblems,
  validateStateMachineSpec,
} from "./validate";
export { CRAWLER_INTEGRATIONS, CRAWLER_STEP } from "./crawler-step";
export { DEFAULT_REDSHIFT_POLL_SECONDS, REDSHIFT_INTEGRATIONS, REDSHIFT_SQL_STEP } from "./redshift-step";
export * as retries from "./retries";

import { CRAWLER_STEP } from "./crawler-step";
import { REDSHIFT_SQL_STEP } from "./redshift-step";

/** The step kinds every platform has, whatever its engines: crawls and warehouse statements. */
export const BUILT_IN_STEP_KINDS = [CRAWLER_STEP, REDSHIFT_SQL_STEP] as const;
