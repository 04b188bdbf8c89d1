/**
 * The engines the platform offers, one line each. Adding an engine is a new module under
 * `engines/` plus one line here (see docs/architecture.md, "Add an engine").
 */
import { BUILT_IN_STEP_KINDS, StepKinds } from "../decisions/orchestration";
import { AnyEngineModule } from "./contract";
import { glueEngine } from "./glue";
import { emrEngine } from "./emr";
import { emrServerlessEngine } from "./emr-serverless";
import { batchEngine } from "./batch";

export const ENGINES: readonly AnyEngineModule[] = [glueEngine, emrEngine, emrServerlessEngine, batchEngine];

/** Every step kind a state machine of these engines may contain: the engines' plus the built-in ones. */
export function stepKindsOf(engines: readonly AnyEngineModule[]): StepKinds {
  return [...engines.flatMap((engine) => engine.stepKinds), ...BUILT_IN_STEP_KINDS];
}

/** The step kinds of the default engines. */
export const STEP_KINDS: StepKinds = stepKindsOf(ENGINES);
