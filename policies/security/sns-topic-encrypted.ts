/**
 * sns-topic-encrypted: alert and event topics carry job names, paths and error text. Topics are
 * encrypted at rest with KMS.
 */
import * as aws from "@pulumi/aws";
import { flag } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readString } from "../lib/values";

export interface SnsConfig {
  allowAwsManagedKey: boolean;
}

export const snsTopicEncrypted = resourcePolicy<SnsConfig>({
  name: "sns-topic-encrypted",
  description:
    "Every SNS topic sets kmsMasterKeyId; with allowAwsManagedKey false, not the AWS managed alias/aws/sns key.",
  remediationSteps:
    "Set kmsMasterKeyId to the environment's KMS key (whose policy lets CloudWatch, EventBridge and Budgets use it) on the aws.sns.Topic.",
  severity: "medium",
  enforcementLevel: "mandatory",
  tags: ["security"],
  types: [aws.sns.Topic],
  knobs: { allowAwsManagedKey: flag("Accept the AWS managed alias/aws/sns key", true) },
  defaults: { allowAwsManagedKey: true },
  check: ({ subject, props, config, report }) => {
    const key = readString(get(props, "kmsMasterKeyId"));
    if (report.unclear(subject, "kmsMasterKeyId", key)) return;
    if (key.state === "absent" || key.value.trim() === "") {
      report.violation(
        subject,
        "topic is not encrypted",
        "set kmsMasterKeyId to a KMS key the publishing services may use",
      );
    } else if (!config.allowAwsManagedKey && /alias\/aws\/sns$/.test(key.value)) {
      report.violation(
        subject,
        "topic uses the AWS managed alias/aws/sns key",
        "use a customer-managed key (CloudWatch alarms cannot publish to aws/sns-encrypted topics)",
      );
    }
  },
});
