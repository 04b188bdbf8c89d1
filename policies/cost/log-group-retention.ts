/**
 * log-group-retention: CloudWatch Logs keeps data forever by default and bills storage monthly.
 * Every log group sets retentionInDays to a valid value no longer than the knob. Remediation sets
 * the default retention when none is set (safe: nothing existing is deleted sooner than configured).
 */
import * as aws from "@pulumi/aws";
import { integer } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readNumber, setProp, shallowCopy } from "../lib/values";

export interface LogRetentionConfig {
  defaultRetentionDays: number;
  maxRetentionDays: number;
}

/** The values CloudWatch Logs accepts for retentionInDays (0 means never expire). */
export const VALID_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export const logGroupRetention = resourcePolicy<LogRetentionConfig>({
  name: "log-group-retention",
  description:
    "Every CloudWatch log group sets retentionInDays to a valid CloudWatch value of at most maxRetentionDays " +
    "(default: logs never expire and storage grows forever). Remediation sets defaultRetentionDays when unset.",
  remediationSteps:
    "Set retentionInDays on the aws.cloudwatch.LogGroup (e.g. 30 in dev, 365 in prod); for log groups created by " +
    'services, declare them yourself with the service\'s name. With enforcement level "remediate" the pack sets ' +
    "defaultRetentionDays itself.",
  severity: "low",
  enforcementLevel: "advisory",
  tags: ["cost"],
  types: [aws.cloudwatch.LogGroup],
  knobs: {
    defaultRetentionDays: {
      type: "integer",
      enum: VALID_RETENTION_DAYS,
      description: "Retention set by remediation",
      default: 30,
    },
    maxRetentionDays: integer("Longest allowed retention in days", 3653, 1),
  },
  defaults: { defaultRetentionDays: 30, maxRetentionDays: 3653 },
  check: ({ subject, props, config, report }) => {
    const days = readNumber(get(props, "retentionInDays"));
    if (report.unclear(subject, "retentionInDays", days)) return;
    const fix = `set retentionInDays to a CloudWatch value up to ${config.maxRetentionDays} (e.g. ${config.defaultRetentionDays})`;
    if (days.state === "absent" || days.value === 0) {
      report.violation(subject, "log group has no retention (logs are kept forever)", fix);
    } else if (!VALID_RETENTION_DAYS.includes(days.value)) {
      report.violation(subject, `retentionInDays ${days.value} is not a value CloudWatch accepts`, fix);
    } else if (days.value > config.maxRetentionDays) {
      report.violation(
        subject,
        `retentionInDays ${days.value} exceeds the maximum of ${config.maxRetentionDays}`,
        fix,
      );
    }
  },
  remediate: ({ props, config }) => {
    const days = readNumber(get(props, "retentionInDays"));
    if (days.state !== "absent" && !(days.state === "ok" && days.value === 0)) return undefined;
    const out = shallowCopy(props);
    setProp(out, "retentionInDays", config.defaultRetentionDays);
    return out;
  },
});
