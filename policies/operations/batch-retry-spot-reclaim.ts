/**
 * batch-retry-spot-reclaim: Spot capacity is reclaimed with two minutes' notice; Batch then fails
 * the attempt with status reason "Host EC2 (instance i-...) terminated.". Job definitions retry
 * exactly those attempts (and exit on real errors, so retries do not multiply cost).
 */
import * as aws from "@pulumi/aws";
import { integer, stringList } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readArray, readNumber, readString } from "../lib/values";

export interface BatchRetryConfig {
  minAttempts: number;
  statusReasonPatterns: string[];
}

function isCatchAll(entry: unknown): boolean {
  const fields = ["onExitCode", "onReason", "onStatusReason"].map((f) => readString(get(entry, f)));
  return fields.every((f) => f.state === "absent" || (f.state === "ok" && f.value.trim() === "*"));
}

export const batchRetrySpotReclaim = resourcePolicy<BatchRetryConfig>({
  name: "batch-retry-spot-reclaim",
  description:
    "Every AWS Batch job definition has retryStrategy.attempts >= minAttempts and an evaluateOnExits entry with " +
    'onStatusReason "Host EC2*" and action RETRY, placed before any catch-all EXIT entry, so Spot reclaims are retried.',
  remediationSteps:
    'Set retryStrategy: { attempts: 3, evaluateOnExits: [{ onStatusReason: "Host EC2*", action: "RETRY" }, ' +
    '{ onReason: "*", action: "EXIT" }] } on the aws.batch.JobDefinition.',
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["operations"],
  types: [aws.batch.JobDefinition],
  knobs: {
    minAttempts: integer("Least retryStrategy.attempts", 2, 1),
    statusReasonPatterns: stringList("onStatusReason patterns that count as retrying Spot reclaims", [
      "Host EC2*",
    ]),
  },
  defaults: { minAttempts: 2, statusReasonPatterns: ["Host EC2*"] },
  check: ({ subject, props, config, report }) => {
    const fix = `set retryStrategy: { attempts: ${Math.max(config.minAttempts, 2)}, evaluateOnExits: [{ onStatusReason: "${config.statusReasonPatterns[0] ?? "Host EC2*"}", action: "RETRY" }, { onReason: "*", action: "EXIT" }] }`;
    const strategy = get(props, "retryStrategy");
    if (strategy === undefined || strategy === null) {
      report.violation(subject, "job definition has no retryStrategy, so Spot reclaims fail the job", fix);
      return;
    }
    const attempts = readNumber(get(strategy, "attempts"));
    if (!report.unclear(subject, "retryStrategy.attempts", attempts)) {
      if (attempts.state === "absent" || attempts.value < config.minAttempts) {
        report.violation(
          subject,
          `retryStrategy.attempts is ${attempts.state === "ok" ? attempts.value : "not set"}, below ${config.minAttempts}`,
          fix,
        );
      }
    }
    const exits = readArray(get(strategy, "evaluateOnExits"));
    if (report.unclear(subject, "retryStrategy.evaluateOnExits", exits)) return;
    const list = exits.state === "ok" ? exits.value : [];
    const patterns = config.statusReasonPatterns.map((p) => p.trim().toLowerCase());
    const retryIndex = list.findIndex((e) => {
      const reason = readString(get(e, "onStatusReason"));
      const action = readString(get(e, "action"));
      return (
        reason.state === "ok" &&
        patterns.includes(reason.value.trim().toLowerCase()) &&
        action.state === "ok" &&
        action.value.toUpperCase() === "RETRY"
      );
    });
    if (retryIndex < 0) {
      if (list.some((e) => readString(get(e, "onStatusReason")).state === "unknown")) {
        report.cannotJudge(subject, "evaluateOnExits", "an onStatusReason is unknown during preview");
        return;
      }
      report.violation(
        subject,
        `no evaluateOnExits entry retries Spot reclaims (onStatusReason ${config.statusReasonPatterns.join(" or ")}, action RETRY)`,
        fix,
      );
      return;
    }
    const shadow = list.slice(0, retryIndex).findIndex((e) => {
      const action = readString(get(e, "action"));
      return action.state === "ok" && action.value.toUpperCase() === "EXIT" && isCatchAll(e);
    });
    if (shadow >= 0) {
      report.violation(
        subject,
        `evaluateOnExits entry ${shadow} (catch-all EXIT) comes before the Spot-reclaim RETRY entry ${retryIndex}, so reclaims are never retried`,
        "move the RETRY entry for Spot reclaims before the catch-all EXIT entry",
      );
    }
  },
});
