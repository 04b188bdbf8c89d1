/**
 * How a component rejects invalid args: its exported, pure `validate<Name>Args` returns every
 * problem, and the constructor throws them all in one error before declaring any resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { ArgsProblem, formatArgsProblem } from "../../decisions/problems";

/** Thrown (as a Pulumi RunError, so no stack trace is printed) when a component's args are invalid. */
export class InvalidArgsError extends pulumi.RunError {
  constructor(
    /** `<type token> <name>`, e.g. `bdp:cost:Budget bdp-dev-cost`. */
    readonly component: string,
    readonly problems: ArgsProblem[],
  ) {
    super(
      `${component}: invalid arguments (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((problem) => `  - ${formatArgsProblem(problem)}`).join("\n"),
    );
    this.name = "InvalidArgsError";
  }
}

/** Throws an InvalidArgsError listing `problems` unless there are none. */
export function assertValidArgs(type: string, name: string, problems: ArgsProblem[]): void {
  if (problems.length > 0) throw new InvalidArgsError(`${type} ${name}`, problems);
}
