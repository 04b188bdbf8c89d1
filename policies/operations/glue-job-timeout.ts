/**
 * glue-job-timeout: a Glue job without a timeout runs (and bills) for up to 48 hours when it
 * hangs. Every job sets `timeout` (minutes) within the environment's bounds.
 */
import * as aws from "@pulumi/aws";
import { integer } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readNumber } from "../lib/values";

export interface GlueTimeoutConfig {
  minTimeoutMinutes: number;
  maxTimeoutMinutes: number;
}

export const glueJobTimeout = resourcePolicy<GlueTimeoutConfig>({
  name: "glue-job-timeout",
  description:
    "Every Glue job sets timeout (minutes) between minTimeoutMinutes and maxTimeoutMinutes; Glue's default is " +
    "2,880 minutes (48 hours) of billed DPUs when a job hangs.",
  remediationSteps:
    "Set timeout on the aws.glue.Job to a little above the job's normal run time, within the limit.",
  severity: "high",
  enforcementLevel: "advisory",
  tags: ["operations", "cost"],
  types: [aws.glue.Job],
  knobs: {
    minTimeoutMinutes: integer("Shortest allowed timeout in minutes", 1, 1),
    maxTimeoutMinutes: integer("Longest allowed timeout in minutes", 480, 1),
  },
  defaults: { minTimeoutMinutes: 1, maxTimeoutMinutes: 480 },
  check: ({ subject, props, config, report }) => {
    const t = readNumber(get(props, "timeout"));
    if (report.unclear(subject, "timeout", t)) return;
    const fix = `set timeout (minutes) between ${config.minTimeoutMinutes} and ${config.maxTimeoutMinutes}`;
    if (t.state === "absent") {
      report.violation(subject, "job has no timeout (Glue defaults to 48 hours)", fix);
    } else if (t.value < config.minTimeoutMinutes || t.value > config.maxTimeoutMinutes) {
      report.violation(
        subject,
        `timeout is ${t.value} minutes, outside ${config.minTimeoutMinutes}..${config.maxTimeoutMinutes}`,
        fix,
      );
    }
  },
});
