/** Assertions on what validators return and on the error a component throws with it. */
import { strict as assert } from "assert";
import { ArgsProblem, formatPath } from "../../decisions/problems";

/** The problems are exactly one, at `field` (as formatPath writes it), with a message matching `message`. */
export function assertOnlyProblem(problems: ArgsProblem[], field: string, message: RegExp): void {
  assert.deepEqual(
    problems.map((problem) => formatPath(problem.path)),
    [field],
  );
  assert.match(problems[0].message, message);
}

/**
 * For assert.rejects: the error is a component's one InvalidArgsError for `component`
 * (`<type token> <name>`) listing `lines.length` problems, each line matching one of `lines`.
 */
export function invalidArgsError(component: string, ...lines: RegExp[]): (error: Error) => boolean {
  return (error) => {
    const count = `${lines.length} problem${lines.length === 1 ? "" : "s"}`;
    assert.ok(
      error.message.startsWith(`${component}: invalid arguments (${count}):\n`),
      `unexpected error: ${error.message}`,
    );
    for (const line of lines) assert.match(error.message, line);
    return true;
  };
}
