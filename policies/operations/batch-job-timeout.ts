/**
 * batch-job-timeout: an AWS Batch job without a timeout holds its capacity forever when it hangs.
 * Every job definition sets timeout.attemptDurationSeconds within the environment's bounds.
 */
import * as aws from "@pulumi/aws";
import { integer } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readNumber } from "../lib/values";

export interface BatchTimeoutConfig {
  maxAttemptSeconds: number;
}

/** Batch rejects attempt durations below 60 seconds. */
const MIN_ATTEMPT_SECONDS = 60;

export const batchJobTimeout = resourcePolicy<BatchTimeoutConfig>({
  name: "batch-job-timeout",
  description:
    "Every AWS Batch job definition sets timeout.attemptDurationSeconds between 60 and maxAttemptSeconds; " +
    "without it a hung job holds its vCPUs indefinitely.",
  remediationSteps:
    "Set timeout: { attemptDurationSeconds } on the aws.batch.JobDefinition (at least 60 seconds).",
  severity: "high",
  enforcementLevel: "advisory",
  tags: ["operations", "cost"],
  types: [aws.batch.JobDefinition],
  knobs: { maxAttemptSeconds: integer("Longest allowed attempt duration in seconds", 14400, 60) },
  defaults: { maxAttemptSeconds: 14400 },
  check: ({ subject, props, config, report }) => {
    const t = readNumber(get(props, "timeout", "attemptDurationSeconds"));
    if (report.unclear(subject, "timeout.attemptDurationSeconds", t)) return;
    const fix = `set timeout.attemptDurationSeconds between ${MIN_ATTEMPT_SECONDS} and ${config.maxAttemptSeconds}`;
    if (t.state === "absent") {
      report.violation(subject, "job definition has no timeout.attemptDurationSeconds", fix);
    } else if (t.value < MIN_ATTEMPT_SECONDS || t.value > config.maxAttemptSeconds) {
      report.violation(
        subject,
        `timeout.attemptDurationSeconds is ${t.value}, outside ${MIN_ATTEMPT_SECONDS}..${config.maxAttemptSeconds}`,
        fix,
      );
    }
  },
});
