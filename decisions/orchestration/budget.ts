/**
 * The time budget of one pipeline's state machine: how long each step may run, derived from
 * the pipeline's `timeoutMinutes`, which is the execution's TimeoutSeconds.
 *
 * Why: an execution that times out cannot be caught. If a step's own timeout (or its retries,
 * the cluster creation before it, the cleanup after it) can outlast the execution, the
 * execution times out first, and neither the cluster termination nor the failure alert runs:
 * a Spot fleet keeps running and nobody is told. So every step gets a window such that the
 * longest path through the machine, under the timing model of paths.ts (every attempt of every
 * Task, every retry backoff, every poll round, the cleanup and the alert), plus a margin, fits
 * strictly inside the execution's TimeoutSeconds.
 *
 * How: each step asks for a window between `minSeconds` (less is useless: a job shorter than
 * its expected run time) and `maxSeconds` (more is never needed: a crawl; never more than the
 * execution itself). All windows are scaled by one factor, so the largest stays the largest,
 * down from their maximum until the machine fits; each window stays at least its minimum. The fit is measured on the real definition
 * built with the real step kinds, so the budget and the proof cannot drift apart. When even the
 * minimum windows do not fit, the pipeline's timeout is too short: TimeBudgetError says how
 * long it must be.
 */
import { buildStateMachineDefinition } from "./definition";
import { EXECUTION_MARGIN_SECONDS, worstCase } from "./paths";
import { StepKinds } from "./step-kind";
import { ResolvedStep, StateMachineSpec } from "./types";

/** One step and the window it may get. */
export interface BudgetedStep {
  /** The resolved step; its `timeoutSeconds` is replaced by the derived window. */
  step: ResolvedStep;
  /** The shortest useful window, in seconds. */
  minSeconds: number;
  /** The longest window the step needs, in seconds (at least minSeconds). */
  maxSeconds: number;
}

export interface TimeBudgetInput {
  /** The machine without its steps; `timeoutSeconds` is the execution's budget. */
  machine: Omit<StateMachineSpec, "steps">;
  steps: BudgetedStep[];
  kinds: StepKinds;
  /** Default EXECUTION_MARGIN_SECONDS. */
  marginSeconds?: number;
}

export interface TimeBudget {
  /** The spec with every step's window set. */
  spec: StateMachineSpec;
  /** The longest path of the built machine under the timing model. */
  worstCaseSeconds: number;
  /** The states along it. */
  worstPath: string[];
}

/** The execution's budget cannot hold the steps' minimum windows with their overheads. */
export class TimeBudgetError extends Error {
  constructor(
    readonly pipelineName: string,
    /** The shortest execution timeout that would hold the minimum windows, in seconds. */
    readonly requiredSeconds: number,
    message: string,
  ) {
    super(message);
    this.name = "TimeBudgetError";
  }
}

/** Scale steps, in thousandths: fine enough to lose at most 0.1% of a window. */
const SCALE = 1000;

function windowAt(budgeted: BudgetedStep, scale: number, execution: number): number {
  // No window exceeds the execution itself (a 30-minute crawl in a 20-minute pipeline).
  const longest = Math.min(budgeted.maxSeconds, execution);
  return Math.max(budgeted.minSeconds, Math.floor((longest * scale) / SCALE));
}

function specAt(input: TimeBudgetInput, scale: number): StateMachineSpec {
  const execution = input.machine.timeoutSeconds;
  return {
    ...input.machine,
    steps: input.steps.map((budgeted) => ({
      ...budgeted.step,
      timeoutSeconds: windowAt(budgeted, scale, execution),
    })),
  };
}

function measure(
  input: TimeBudgetInput,
  scale: number,
): { spec: StateMachineSpec; seconds: number; path: string[] } {
  const spec = specAt(input, scale);
  const { seconds, path } = worstCase(buildStateMachineDefinition(spec, input.kinds));
  return { spec, seconds, path };
}

function describeMinimums(steps: BudgetedStep[]): string {
  return steps
    .map((budgeted) => `${budgeted.step.name} ${Math.ceil(budgeted.minSeconds / 60)} min`)
    .join(", ");
}

/**
 * For a machine with no budget of its own (the warehouse setup): its spec with TimeoutSeconds
 * raised to the smallest whole minute that holds its longest path plus the margin, so that its
 * steps' own timeouts and its alert always run before the execution could time out.
 */
export function fitExecutionTimeout(
  spec: StateMachineSpec,
  kinds: StepKinds,
  marginSeconds = EXECUTION_MARGIN_SECONDS,
): StateMachineSpec {
  // Build once with a timeout no step can exceed, to measure; then set the real one.
  const roomy = { ...spec, timeoutSeconds: Math.max(...spec.steps.map((step) => step.timeoutSeconds), 1) };
  const { seconds } = worstCase(buildStateMachineDefinition(roomy, kinds));
  return { ...spec, timeoutSeconds: Math.ceil((seconds + marginSeconds) / 60) * 60 };
}

/**
 * The steps' windows for the execution's budget (see the file comment). Throws TimeBudgetError
 * when the budget is too short, and a plain Error for inconsistent windows.
 */
export function planTimeBudget(input: TimeBudgetInput): TimeBudget {
  const execution = input.machine.timeoutSeconds;
  const margin = input.marginSeconds ?? EXECUTION_MARGIN_SECONDS;
  for (const { step, minSeconds, maxSeconds } of input.steps) {
    if (!(
      Number.isInteger(minSeconds) &&
      minSeconds > 0 &&
      Number.isInteger(maxSeconds) &&
      maxSeconds >= minSeconds
    )) {
      throw new Error(
        `step "${step.name}": its window must be whole seconds with 0 < minSeconds <= maxSeconds (got ${minSeconds}..${maxSeconds})`,
      );
    }
  }
  const tooShort = (seconds: number) =>
    new TimeBudgetError(
      input.machine.pipelineName,
      seconds,
      `the execution timeout of ${execution} s cannot hold the steps' shortest windows (${describeMinimums(input.steps)}) ` +
        `with their retries, any cluster creation, the cleanup and the failure alert: that takes up to ${seconds - margin} s, ` +
        `plus a ${margin} s margin, so the timeout must be at least ${seconds} s (${Math.ceil(seconds / 60)} minutes)`,
    );
  const longestMinimum = Math.max(...input.steps.map((budgeted) => budgeted.minSeconds));
  if (longestMinimum + margin > execution) throw tooShort(longestMinimum + margin);

  const fits = (seconds: number) => seconds + margin <= execution;
  const full = measure(input, SCALE);
  if (fits(full.seconds)) return { spec: full.spec, worstCaseSeconds: full.seconds, worstPath: full.path };
  let best = measure(input, 0);
  if (!fits(best.seconds)) throw tooShort(best.seconds + margin);
  // The longest path grows with every window, so the largest scale that fits is found by bisection.
  let low = 0;
  let high = SCALE;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const candidate = measure(input, middle);
    if (fits(candidate.seconds)) {
      low = middle;
      best = candidate;
    } else {
      high = middle;
    }
  }
  return { spec: best.spec, worstCaseSeconds: best.seconds, worstPath: best.path };
}
