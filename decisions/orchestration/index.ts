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
export {
  DEFAULT_REDSHIFT_POLL_SECONDS,
  MAX_BATCH_SQLS,
  REDSHIFT_INTEGRATIONS,
  REDSHIFT_SQL_STEP,
} from "./redshift-step";
export { START_EXECUTION_SYNC, STATE_MACHINE_STEP } from "./nested-step";
export type { StateMachineStep } from "./nested-step";
export * as retries from "./retries";

import { CRAWLER_STEP } from "./crawler-step";
import { REDSHIFT_SQL_STEP } from "./redshift-step";
import { STATE_MACHINE_STEP } from "./nested-step";
import { ResourceLifecycle } from "./paths";
import { StepKinds } from "./step-kind";

/**
 * The step kinds every platform has, whatever its engines: crawls, warehouse statements and
 * nested state machines (the warehouse setup).
 */
export const BUILT_IN_STEP_KINDS = [CRAWLER_STEP, REDSHIFT_SQL_STEP, STATE_MACHINE_STEP] as const;

/** The resource lifecycles the kinds declare, for checkExecutionPaths. */
export function lifecyclesOf(kinds: StepKinds): ResourceLifecycle[] {
  return kinds.flatMap((kind) => [...(kind.lifecycles ?? [])]);
}
export {
  EXECUTION_MARGIN_SECONDS,
  REJECTED_REQUEST_SECONDS,
  checkExecutionPaths,
  retrierWorstSeconds,
  stateWorstSeconds,
  worstCase,
} from "./paths";
export type { PathCheckOptions, PathReport, ResourceLifecycle } from "./paths";
export { TimeBudgetError, fitExecutionTimeout, planTimeBudget } from "./budget";
export type { BudgetedStep, TimeBudget, TimeBudgetInput } from "./budget";
