/**
 * Proves properties of a generated state machine on its graph, without running it:
 *
 * - every Task has its own TimeoutSeconds (a Task without one may wait a year);
 * - every Task but the alert catches States.ALL and every Choice has a Default, so no error
 *   escapes the machine without an alert (States.Runtime excepted: nothing can catch it);
 * - every path into a Fail state publishes the failure alert first, the alert leads only to Fail,
 *   and no error path ends in success;
 * - for each resource lifecycle (e.g. a transient EMR cluster), every path after the resource
 *   was created reaches a state that releases it;
 * - every loop is bounded by a poll counter (reset on entry, incremented once per round, and
 *   checked before the loop may go round again);
 * - the longest path under the timing model below, plus a margin, fits inside the execution's
 *   TimeoutSeconds, so a step timeout and the cleanup after it always run before the execution
 *   itself times out (an execution timeout cannot be caught, so nothing would clean up).
 *
 * Timing model (an upper bound, not an estimate):
 * - a Task attempt lasts at most its TimeoutSeconds;
 * - a retrier that matches a `States.*` error (States.ALL, States.Timeout, States.TaskFailed)
 *   may retry attempts that ran the full TimeoutSeconds, so each of its attempts is charged that;
 * - a retrier that matches only named service errors (throttling, concurrency limits, internal
 *   errors) retries requests the service rejected: Step Functions reports a job that ends badly
 *   as States.TaskFailed and a timeout as States.Timeout, so a named error is the answer to the
 *   request itself. Its attempts are charged one API call, at most REJECTED_REQUEST_SECONDS;
 * - every retry also waits its backoff: IntervalSeconds x BackoffRate^n, capped at
 *   MaxDelaySeconds (with JitterStrategy FULL the wait is shorter, never longer);
 * - Wait states last their Seconds; Choice, Pass, Succeed and Fail take no time;
 * - a bounded loop goes round at most its bound's number of times.
 * Retry semantics: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
import { API_CALL_TIMEOUT_SECONDS, MAX_TASK_TIMEOUT_SECONDS, integrationOf } from "./step-kind";
import { AslState, Retrier, StateMachineDefinition } from "./types";

/** What a rejected request (a named service error) is charged, see the timing model. */
export const REJECTED_REQUEST_SECONDS = API_CALL_TIMEOUT_SECONDS;
/**
 * The longest path must end this long before the execution's TimeoutSeconds: state
 * transitions and the service's own polling of .sync jobs take time the model does not count.
 */
export const EXECUTION_MARGIN_SECONDS = 60;

/** Defaults of a Retrier's fields (Amazon States Language). */
const RETRY_DEFAULTS = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 };

/** A resource a machine creates and must release on every path, e.g. a transient EMR cluster. */
export interface ResourceLifecycle {
  /** What the resource is, for messages ("transient EMR cluster"). */
  resource: string;
  /** Integrations (`service:api[.sync]`) whose success means the resource exists. */
  acquiredBy: readonly string[];
  /** Integrations that release it. */
  releasedBy: readonly string[];
}

/** Options of checkExecutionPaths: the alert topic, the resources steps must release, the margin. */
export interface PathCheckOptions {
  /** The SNS topic of the failure alert. */
  alertTopicArn: string;
  /** Resources the machine's steps create (from their StepKinds). */
  lifecycles?: readonly ResourceLifecycle[];
  /** Default EXECUTION_MARGIN_SECONDS. */
  marginSeconds?: number;
}

/** What checkExecutionPaths found: the problems, and the longest path (its states and seconds). */
export interface PathReport {
  /** Every violated property; empty when the machine passes. */
  problems: string[];
  /** The longest path from StartAt to the end of the execution, under the timing model. */
  worstCaseSeconds: number;
  /** The states along that path; a bounded loop appears once, as `loop(<states>) x<bound>`. */
  worstPath: string[];
}

type Edge = { to: string; via: "next" | "catch" | "choice" };

function edgesOf(state: AslState): Edge[] {
  return [
    ...(state.Next ? [{ to: state.Next, via: "next" as const }] : []),
    ...(state.Choices ?? []).map((rule) => ({ to: String(rule.Next), via: "choice" as const })),
    ...(state.Default ? [{ to: state.Default, via: "choice" as const }] : []),
    ...(state.Catch ?? []).map((catcher) => ({ to: catcher.Next, via: "catch" as const })),
  ];
}

function isTerminal(state: AslState): boolean {
  return state.Type === "Succeed" || state.Type === "Fail" || state.End === true;
}

function isSuccessEnd(state: AslState): boolean {
  return state.Type === "Succeed" || (state.End === true && state.Type !== "Fail");
}

/** The longest a retrier can add to a Task: its attempts and its backoff waits. */
export function retrierWorstSeconds(retrier: Retrier, timeoutSeconds: number): number {
  const attempts = retrier.MaxAttempts ?? RETRY_DEFAULTS.MaxAttempts;
  const interval = retrier.IntervalSeconds ?? RETRY_DEFAULTS.IntervalSeconds;
  const backoff = retrier.BackoffRate ?? RETRY_DEFAULTS.BackoffRate;
  const cap = retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY;
  const runsFull = retrier.ErrorEquals.some((error) => error.startsWith("States."));
  const perAttempt = runsFull ? timeoutSeconds : Math.min(timeoutSeconds, REJECTED_REQUEST_SECONDS);
  let total = 0;
  for (let retry = 0; retry < attempts; retry++) {
    total += Math.min(interval * backoff ** retry, cap) + perAttempt;
  }
  return total;
}

/** The longest one state can last under the timing model (a Task: all its attempts). */
export function stateWorstSeconds(state: AslState): number {
  if (state.Type === "Wait") return state.Seconds ?? 0;
  if (state.Type !== "Task") return 0;
  const timeout = state.TimeoutSeconds ?? MAX_TASK_TIMEOUT_SECONDS;
  return (state.Retry ?? []).reduce((sum, retrier) => sum + retrierWorstSeconds(retrier, timeout), timeout);
}

/** Strongly connected components (Tarjan), in reverse topological order. */
function components(states: Record<string, AslState>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let counter = 0;
  const visit = (name: string): void => {
    index.set(name, counter);
    low.set(name, counter++);
    stack.push(name);
    onStack.add(name);
    for (const { to } of edgesOf(states[name])) {
      if (!(to in states)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(name, Math.min(low.get(name)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(name, Math.min(low.get(name)!, index.get(to)!));
      }
    }
    if (low.get(name) === index.get(name)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== name);
      found.push(component);
    }
  };
  for (const name of Object.keys(states)) if (!index.has(name)) visit(name);
  return found;
}

/** True when the states `within`, without `removed`, contain no cycle. */
function acyclicWithout(states: Record<string, AslState>, within: Set<string>, removed: string): boolean {
  const remaining = [...within].filter((name) => name !== removed);
  const indegree = new Map(remaining.map((name) => [name, 0]));
  for (const name of remaining) {
    for (const { to } of edgesOf(states[name])) if (indegree.has(to)) indegree.set(to, indegree.get(to)! + 1);
  }
  const queue = remaining.filter((name) => indegree.get(name) === 0);
  let seen = 0;
  while (queue.length > 0) {
    const name = queue.pop()!;
    seen++;
    for (const { to } of edgesOf(states[name])) {
      if (!indegree.has(to)) continue;
      indegree.set(to, indegree.get(to)! - 1);
      if (indegree.get(to) === 0) queue.push(to);
    }
  }
  return seen === remaining.length;
}

const INCREMENT = /^States\.MathAdd\(\$([A-Za-z_][A-Za-z0-9_]*), 1\)$/;

interface Loop {
  members: Set<string>;
  /** Rounds the loop can go at most. */
  bound: number;
  /** The longest one round can last. */
  roundSeconds: number;
  counter: string;
}

/**
 * A loop is bounded when one state increments a counter variable by 1, every cycle passes
 * through it and through a Choice whose rule `$counter >= bound` leaves the loop before any
 * rule that stays in it (there may be several such Choices; the largest bound counts), and every
 * way into the loop enters at the incrementing state from a state that set the counter to 0.
 */
function analyseLoop(
  states: Record<string, AslState>,
  members: Set<string>,
): { loop?: Loop; problem?: string } {
  const names = [...members].sort().join(", ");
  const increments = [...members].flatMap((name) =>
    Object.entries(states[name].Assign ?? {}).flatMap(([key, value]) => {
      const match = key.endsWith(".$") && typeof value === "string" ? INCREMENT.exec(value) : null;
      return match && match[1] === key.slice(0, -2) ? [{ name, counter: match[1] }] : [];
    }),
  );
  if (increments.length !== 1) {
    return { problem: `loop (${names}) has no single poll counter incremented by 1: it may never end` };
  }
  const [{ name: incrementState, counter }] = increments;
  if (!acyclicWithout(states, members, incrementState)) {
    return { problem: `loop (${names}) can go round without passing ${incrementState}, which counts rounds` };
  }
  const checks = new Map<string, number>();
  for (const name of members) {
    const state = states[name];
    if (state.Type !== "Choice") continue;
    const rules = state.Choices ?? [];
    const at = rules.findIndex(
      (rule) => rule.Variable === `$${counter}` && typeof rule.NumericGreaterThanEquals === "number",
    );
    if (at < 0 || members.has(String(rules[at].Next))) continue;
    const staysBefore = rules.slice(0, at).some((rule) => members.has(String(rule.Next)));
    if (!staysBefore) checks.set(name, rules[at].NumericGreaterThanEquals as number);
  }
  if (checks.size === 0) {
    return {
      problem: `loop (${names}) has no Choice that leaves it when $${counter} reaches a bound before any rule that stays`,
    };
  }
  const unchecked = new Set([...members].filter((name) => !checks.has(name)));
  if (!acyclicWithout(states, unchecked, "")) {
    return {
      problem: `loop (${names}) can go round without passing ${[...checks.keys()].sort().join(" or ")}, which bound it`,
    };
  }
  const bound = Math.max(...checks.values());
  for (const [name, state] of Object.entries(states)) {
    if (members.has(name)) continue;
    for (const edge of edgesOf(state)) {
      if (!members.has(edge.to)) continue;
      if (edge.to !== incrementState) {
        return { problem: `loop (${names}) is entered at ${edge.to}, not at ${incrementState}` };
      }
      const assigns =
        edge.via === "catch"
          ? state.Catch?.find((catcher) => catcher.Next === edge.to)?.Assign
          : state.Assign;
      if (assigns?.[counter] !== 0) {
        return { problem: `${name} enters loop (${names}) without setting $${counter} to 0` };
      }
    }
  }
  // One round: the longest path from the incrementing state through the loop, not back into it.
  const memo = new Map<string, number>();
  const longest = (name: string): number => {
    if (memo.has(name)) return memo.get(name)!;
    const onward = edgesOf(states[name])
      .filter(({ to }) => members.has(to) && to !== incrementState)
      .map(({ to }) => longest(to));
    const value = stateWorstSeconds(states[name]) + Math.max(0, ...onward);
    memo.set(name, value);
    return value;
  };
  return { loop: { members, bound, roundSeconds: longest(incrementState), counter } };
}

/** A path (list of states) from `from` to a state matching `target`, never entering `avoid`. */
function findPath(
  states: Record<string, AslState>,
  from: string,
  target: (name: string) => boolean,
  avoid: (name: string) => boolean = () => false,
): string[] | undefined {
  const parent = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (avoid(name)) continue;
    if (target(name)) {
      const path = [name];
      for (let at = parent.get(name); at; at = parent.get(at)) path.unshift(at);
      return path;
    }
    for (const { to } of edgesOf(states[name] ?? {})) {
      if (to in states && !parent.has(to)) {
        parent.set(to, name);
        queue.push(to);
      }
    }
  }
  return undefined;
}

function isAlert(state: AslState, alertTopicArn: string): boolean {
  return (
    state.Type === "Task" &&
    integrationOf(state.Resource) === "sns:publish" &&
    state.Parameters?.TopicArn === alertTopicArn
  );
}

/** References to states that do not exist: the graph cannot be walked while there are any. */
function danglingReferences(definition: StateMachineDefinition): string[] {
  const states = definition.States;
  const problems: string[] = [];
  if (!(definition.StartAt in states)) problems.push(`StartAt "${definition.StartAt}" is not a state`);
  for (const [name, state] of Object.entries(states)) {
    for (const { to } of edgesOf(state)) {
      if (!(to in states)) problems.push(`${name} goes to "${to}", which is not a state`);
    }
  }
  return problems;
}

function structureProblems(definition: StateMachineDefinition, options: PathCheckOptions): string[] {
  const problems = danglingReferences(definition);
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === "Task") {
      const timeout = state.TimeoutSeconds;
      if (
        !Number.isInteger(timeout) ||
        (timeout as number) <= 0 ||
        (timeout as number) > MAX_TASK_TIMEOUT_SECONDS
      ) {
        problems.push(
          `${name} has no TimeoutSeconds of its own: it could wait far beyond the execution's budget`,
        );
      }
      const catchesAll = (state.Catch ?? []).some((catcher) => catcher.ErrorEquals.includes("States.ALL"));
      if (!isAlert(state, options.alertTopicArn) && !catchesAll) {
        problems.push(
          `${name} does not catch States.ALL: its errors would fail the execution without an alert`,
        );
      }
    }
    if (state.Type === "Choice" && !state.Default) {
      problems.push(`${name} has no Default: an unmatched value fails the execution without an alert`);
    }
  }
  return problems;
}

function failureProblems(
  definition: StateMachineDefinition,
  alertTopicArn: string,
  componentOf: Map<string, number>,
): string[] {
  const states = definition.States;
  const problems: string[] = [];
  const alerts = Object.keys(states).filter((name) => isAlert(states[name], alertTopicArn));
  if (alerts.length === 0) return [`no state publishes the failure alert to ${alertTopicArn}`];
  const isFail = (name: string) => states[name]?.Type === "Fail";
  const silent = findPath(states, definition.StartAt, isFail, (name) => alerts.includes(name));
  if (silent) problems.push(`path ${silent.join(" -> ")} fails without the alert`);
  for (const alert of alerts) {
    for (const { to } of edgesOf(states[alert])) {
      if (!isFail(to)) problems.push(`the alert ${alert} goes on to ${to}, not to a Fail state`);
    }
  }
  for (const [name, state] of Object.entries(states)) {
    if (alerts.includes(name)) continue;
    for (const catcher of state.Catch ?? []) {
      // A catcher that stays in its loop retries (a missed poll); it is not an error path.
      if (componentOf.get(name) === componentOf.get(catcher.Next)) continue;
      const success = findPath(states, catcher.Next, (candidate) => isSuccessEnd(states[candidate] ?? {}));
      if (success) problems.push(`error path ${[name, ...success].join(" -> ")} ends in success`);
    }
  }
  return problems;
}

function lifecycleProblems(definition: StateMachineDefinition, lifecycle: ResourceLifecycle): string[] {
  const states = definition.States;
  const problems: string[] = [];
  const releases = (name: string) =>
    lifecycle.releasedBy.includes(integrationOf(states[name]?.Resource) ?? "");
  for (const [name, state] of Object.entries(states)) {
    if (state.Type !== "Task" || !lifecycle.acquiredBy.includes(integrationOf(state.Resource) ?? ""))
      continue;
    if (!state.Next) continue;
    const leak = findPath(states, state.Next, (candidate) => isTerminal(states[candidate] ?? {}), releases);
    if (leak) {
      problems.push(
        `after ${name} creates the ${lifecycle.resource}, path ${leak.join(" -> ")} never releases it`,
      );
    }
  }
  return problems;
}

/** The longest path from StartAt to the end of the execution, with loops condensed. */
function longestPath(definition: StateMachineDefinition): {
  seconds: number;
  path: string[];
  problems: string[];
} {
  const states = definition.States;
  const problems: string[] = [];
  const componentOf = new Map<string, number>();
  const weights: number[] = [];
  const labels: string[] = [];
  components(states).forEach((members, at) => {
    for (const name of members) componentOf.set(name, at);
    const isCycle = members.length > 1 || edgesOf(states[members[0]]).some(({ to }) => to === members[0]);
    if (!isCycle) {
      weights.push(stateWorstSeconds(states[members[0]]));
      labels.push(members[0]);
      return;
    }
    const { loop, problem } = analyseLoop(states, new Set(members));
    if (problem) problems.push(problem);
    weights.push(loop ? loop.bound * loop.roundSeconds : Number.POSITIVE_INFINITY);
    labels.push(`loop(${[...members].sort().join(", ")}) x${loop?.bound ?? "unbounded"}`);
  });
  // Components come in reverse topological order: every successor's value is known first.
  const best = new Map<number, { seconds: number; next?: number }>();
  for (let at = 0; at < weights.length; at++) {
    let onward: { seconds: number; next?: number } = { seconds: 0 };
    for (const [name, component] of componentOf) {
      if (component !== at) continue;
      for (const { to } of edgesOf(states[name])) {
        const target = componentOf.get(to);
        if (target === undefined || target === at) continue;
        const candidate = best.get(target)!;
        if (candidate.seconds > onward.seconds) onward = { seconds: candidate.seconds, next: target };
      }
    }
    best.set(at, { seconds: weights[at] + onward.seconds, next: onward.next });
  }
  const start = componentOf.get(definition.StartAt);
  if (start === undefined) return { seconds: Number.POSITIVE_INFINITY, path: [], problems };
  const path: string[] = [];
  for (let at: number | undefined = start; at !== undefined; at = best.get(at)!.next) path.push(labels[at]);
  return { seconds: best.get(start)!.seconds, path, problems };
}

/** The longest path of the machine under the timing model, and the states along it. */
export function worstCase(definition: StateMachineDefinition): { seconds: number; path: string[] } {
  const { seconds, path } = longestPath(definition);
  return { seconds, path };
}

/** Checks every property above; `problems` is empty when the machine has them all. */
export function checkExecutionPaths(
  definition: StateMachineDefinition,
  options: PathCheckOptions,
): PathReport {
  const problems = structureProblems(definition, options);
  if (danglingReferences(definition).length > 0) {
    return { problems, worstCaseSeconds: Number.POSITIVE_INFINITY, worstPath: [] };
  }
  const componentOf = new Map<string, number>();
  components(definition.States).forEach((members, at) =>
    members.forEach((name) => componentOf.set(name, at)),
  );
  problems.push(...failureProblems(definition, options.alertTopicArn, componentOf));
  for (const lifecycle of options.lifecycles ?? [])
    problems.push(...lifecycleProblems(definition, lifecycle));
  const timing = longestPath(definition);
  problems.push(...timing.problems);
  const margin = options.marginSeconds ?? EXECUTION_MARGIN_SECONDS;
  if (!Number.isInteger(definition.TimeoutSeconds)) {
    problems.push("the execution has no TimeoutSeconds");
  } else if (timing.seconds + margin > definition.TimeoutSeconds) {
    problems.push(
      `the longest path takes up to ${timing.seconds} s (${timing.path.join(" -> ")}), which with the ${margin} s margin ` +
        `does not fit inside the execution's TimeoutSeconds ${definition.TimeoutSeconds}: the execution could time out ` +
        `before a step's own timeout and its cleanup run`,
    );
  }
  return { problems, worstCaseSeconds: timing.seconds, worstPath: timing.path };
}
