/**
 * Runs a generated state machine definition in aws-local-stepfunctions, a maintained ASL
 * interpreter, with local handlers for its Tasks and on a virtual clock (@sinonjs/fake-timers),
 * so Task timeouts, retry backoff, Wait states and the execution's own TimeoutSeconds all run in
 * simulated seconds.
 *
 * What the interpreter lacks, and how it is bridged:
 * - JSONPath variables (`Assign`, `$name` references, from 2024) are not supported. They are
 *   lowered to plain ASL: each Assign becomes Pass states on the same edge that store the value at
 *   `$.__vars.<name>.value`, and each `$name` reads it there. Pass states take no time, so the
 *   timing is unchanged; our builder never replaces the whole state input, so the store survives.
 * - `QueryLanguage` (JSONPath is the default) is dropped; its validator predates fields such as
 *   JitterStrategy, so the definition is not validated here (asl-validator 4 does that elsewhere).
 * - Context fields ($$.Execution.Id, $$.State.EnteredTime) come from a fixed context object.
 * - Node 20 lacks Promise.withResolvers, which the interpreter (built for Node 22) uses: polyfilled.
 * Everything else (Retry with backoff and jitter, Catch, Choice, Wait, Task timeouts, the
 * execution timeout, intrinsic functions) is the interpreter's own.
 */
import FakeTimers from "@sinonjs/fake-timers";
import { StateMachine } from "aws-local-stepfunctions";
import { AslState, JsonValue, StateMachineDefinition } from "../../decisions/orchestration";
import { Deferred, deferred } from "./deferred";

const promiseStatics = Promise as unknown as { withResolvers?: <T>() => Deferred<T> };
promiseStatics.withResolvers ??= deferred;

const VARIABLE = /\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** `$name` (a variable) -> `$.__vars.name.value`; `$.x` and `$$.x` stay. */
function lowerReads(text: string): string {
  return text.replace(VARIABLE, (whole, name: string, offset: number, all: string) =>
    all[offset - 1] === "$" ? whole : `$.__vars.${name}.value`,
  );
}

function lowerValue(value: JsonValue, key = ""): JsonValue {
  if (typeof value === "string") return key.endsWith(".$") ? lowerReads(value) : value;
  if (Array.isArray(value)) return value.map((item) => lowerValue(item));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([inner, child]) => [inner, lowerValue(child, inner)]),
    );
  }
  return value;
}

/** Pass states that store `assign` (in order), then go to `next`; returns the first one's name. */
function assignPasses(
  states: Record<string, AslState>,
  prefix: string,
  assign: Record<string, JsonValue>,
  next: string,
): string {
  const entries = Object.entries(assign);
  entries.forEach(([key, value], index) => {
    const name = key.endsWith(".$") ? key.slice(0, -2) : key;
    states[`${prefix} #${index}`] = {
      Type: "Pass",
      Parameters: key.endsWith(".$") ? { "value.$": lowerReads(String(value)) } : { value },
      ResultPath: `$.__vars.${name}`,
      Next: index + 1 < entries.length ? `${prefix} #${index + 1}` : next,
    };
  });
  return `${prefix} #0`;
}

/** The definition with JSONPath variables lowered to plain ASL (see the file comment). */
export function lowerVariables(definition: StateMachineDefinition): Record<string, unknown> {
  const states: Record<string, AslState> = {};
  for (const [name, original] of Object.entries(definition.States)) {
    const state = structuredClone(original);
    if (state.Parameters) state.Parameters = lowerValue(state.Parameters) as Record<string, JsonValue>;
    if (state.Choices) {
      state.Choices = state.Choices.map((rule) => JSON.parse(lowerReads(JSON.stringify(rule))));
    }
    if (state.Catch) {
      state.Catch = state.Catch.map((catcher, index) => {
        if (!catcher.Assign) return catcher;
        const { Assign, ...rest } = catcher;
        return { ...rest, Next: assignPasses(states, `${name} catch ${index} assign`, Assign, catcher.Next) };
      });
    }
    if (state.Assign && state.Next) {
      state.Next = assignPasses(states, `${name} assign`, state.Assign, state.Next);
    }
    delete state.Assign;
    states[name] = state;
  }
  const { QueryLanguage: _language, ...rest } = definition;
  return { ...rest, States: states };
}

/** A Task handler: returns the task's result, throws `error(name)` to fail, or never settles (`hang`). */
export type TaskHandler = (input: unknown) => unknown;

/** An error the way a service integration reports it (the `Error` field of a failed Task). */
export function error(name: string, cause = `${name} (simulated)`): Error {
  const failure = new Error(cause);
  failure.name = name;
  return failure;
}

/** A task that never answers: only its TimeoutSeconds ends it. */
export const hang: TaskHandler = () => new Promise(() => undefined);

export interface LocalRun {
  /** SUCCEEDED, FAILED (with the Fail state's error) or TIMED_OUT (the execution's own timeout). */
  status: "SUCCEEDED" | "FAILED" | "TIMED_OUT";
  error?: string;
  /** Task states in the order they were entered (retries are not repeated). */
  tasks: string[];
  /** Every state entered, in order. */
  states: string[];
  /** Simulated seconds from start to end. */
  elapsedSeconds: number;
}

/**
 * Runs `definition` with `handlers` by Task state name; a Task without a handler succeeds with
 * `{}` at once. Time is simulated: the run ends when the machine does (or its TimeoutSeconds).
 */
export async function runLocally(
  definition: StateMachineDefinition,
  handlers: Record<string, TaskHandler> = {},
): Promise<LocalRun> {
  const clock = FakeTimers.install({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });
  try {
    const lowered = lowerVariables(definition);
    const taskNames = Object.entries(definition.States)
      .filter(([, state]) => state.Type === "Task")
      .map(([name]) => name);
    const overrides = Object.fromEntries(
      taskNames.map((name) => [
        name,
        async (input: JsonValue) => ((handlers[name] ? await handlers[name](input) : {}) ?? {}) as JsonValue,
      ]),
    );
    const machine = new StateMachine(lowered as never, { validationOptions: { noValidate: true } });
    const started = Date.now();
    const execution = machine.run(
      {},
      {
        overrides: { taskResourceLocalHandlers: overrides },
        context: {
          Execution: {
            Id: "arn:aws:states:us-east-1:000000000000:execution:local:run",
            Input: {},
            StartTime: new Date(started).toISOString(),
          },
          State: { EnteredTime: new Date(started).toISOString(), Name: "local" },
        },
      },
    );
    const run: { outcome?: Omit<LocalRun, "tasks" | "states" | "elapsedSeconds"> } = {};
    const settled = execution.result.then(
      () => (run.outcome = { status: "SUCCEEDED" }),
      (failure: Error & { cause?: Error }) =>
        (run.outcome =
          failure.name === "ExecutionTimeoutError"
            ? { status: "TIMED_OUT" }
            : { status: "FAILED", error: failure.cause?.name ?? failure.name }),
    );
    // Advance from timer to timer (a Task's timeout, a backoff, a Wait) until the run ends.
    while (!run.outcome) {
      // Let pending promise callbacks (handlers, state transitions) run first.
      if (clock.countTimers() === 0) await new Promise((resolve) => setImmediate(resolve));
      if (!run.outcome && clock.countTimers() === 0)
        throw new Error("the run is stuck: no timer left and no end");
      if (!run.outcome) await clock.nextAsync();
    }
    await settled;
    const outcome = run.outcome;
    const elapsedSeconds = (Date.now() - started) / 1000;
    const entered: string[] = [];
    for await (const event of execution.eventLogs) {
      if (event.type === "StateEntered") entered.push((event as { state: { name: string } }).state.name);
      if (event.type.startsWith("Execution") && event.type !== "ExecutionStarted") break;
    }
    const original = entered.filter((name) => name in definition.States);
    return {
      ...outcome,
      tasks: original.filter((name) => taskNames.includes(name)),
      states: original,
      elapsedSeconds,
    };
  } finally {
    clock.uninstall();
  }
}
