/** A configuration error: names the policy, the key and the fix. Thrown, so the run fails. */
export class PolicyConfigError extends Error {
  constructor(policy: string, key: string, problem: string, fix: string) {
    super(`policy config error in "${policy}", key "${key}": ${problem}. Fix: ${fix}`);
    this.name = "PolicyConfigError";
  }
}
