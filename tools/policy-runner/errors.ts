/**
 * Errors of the policy runner. Every one means the policy check could not be carried out (the
 * CLI exits 2); findings, however severe, are results, not errors.
 */
export type PolicyRunnerErrorKind =
  /** The pack directory does not exist or has no PulumiPolicy.yaml. */
  | "not-a-pack"
  /** The pack process exited or failed before it printed its port. */
  | "start-failed"
  /** The pack process printed no port within the start timeout. */
  | "start-timeout"
  /** The policy config file is missing, not JSON, or names unknown policies / invalid knobs. */
  | "config"
  /** A call to the pack failed (for example a policy threw a config error while analyzing). */
  | "rpc";

export class PolicyRunnerError extends Error {
  constructor(
    readonly kind: PolicyRunnerErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "PolicyRunnerError";
  }
}
