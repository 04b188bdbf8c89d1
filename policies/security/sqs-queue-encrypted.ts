/**
 * sqs-queue-encrypted: dead-letter queues hold the events of failed triggers (object keys, job
 * parameters). Queues are encrypted at rest: SSE-SQS, or KMS when the knob requires it.
 */
import * as aws from "@pulumi/aws";
import { flag } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readBool, readString } from "../lib/values";

export interface SqsConfig {
  requireKms: boolean;
}

export const sqsQueueEncrypted = resourcePolicy<SqsConfig>({
  name: "sqs-queue-encrypted",
  description:
    "Every SQS queue sets kmsMasterKeyId or sqsManagedSseEnabled true (only kmsMasterKeyId when requireKms).",
  remediationSteps:
    "Set sqsManagedSseEnabled: true, or kmsMasterKeyId to the environment's key, on the aws.sqs.Queue.",
  severity: "medium",
  enforcementLevel: "mandatory",
  tags: ["security"],
  types: [aws.sqs.Queue],
  knobs: { requireKms: flag("Require a KMS key (SSE-SQS is not enough)", false) },
  defaults: { requireKms: false },
  check: ({ subject, props, config, report }) => {
    const key = readString(get(props, "kmsMasterKeyId"));
    const sse = readBool(get(props, "sqsManagedSseEnabled"));
    if (key.state === "ok" && key.value.trim() !== "") return;
    if (report.unclear(subject, "kmsMasterKeyId", key)) return;
    if (config.requireKms) {
      report.violation(
        subject,
        "queue is not encrypted with a KMS key",
        "set kmsMasterKeyId to the environment's KMS key",
      );
      return;
    }
    if (report.unclear(subject, "sqsManagedSseEnabled", sse)) return;
    if (!(sse.state === "ok" && sse.value)) {
      report.violation(subject, "queue is not encrypted", "set sqsManagedSseEnabled: true or kmsMasterKeyId");
    }
  },
});
