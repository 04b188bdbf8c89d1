/**
 * emr-security-configuration: an EMR security configuration turns on at-rest (S3, local disk) and
 * in-transit encryption and Lake Formation / IAM integration; every cluster uses one.
 */
import * as aws from "@pulumi/aws";
import { flag } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readString } from "../lib/values";

export interface EmrSecurityConfig {
  requireLogEncryptionKey: boolean;
}

export const emrSecurityConfiguration = resourcePolicy<EmrSecurityConfig>({
  name: "emr-security-configuration",
  description:
    "Every EMR cluster names a securityConfiguration (encryption at rest and in transit); with " +
    "requireLogEncryptionKey, its logUri logs are encrypted with logEncryptionKmsKeyId.",
  remediationSteps:
    "Create an aws.emr.SecurityConfiguration (S3 SSE-KMS, local disk KMS, in-transit TLS) and set " +
    "securityConfiguration: secConfig.name on the cluster; set logEncryptionKmsKeyId with logUri.",
  severity: "high",
  enforcementLevel: "mandatory",
  tags: ["security"],
  types: [aws.emr.Cluster],
  knobs: { requireLogEncryptionKey: flag("Require logEncryptionKmsKeyId", false) },
  defaults: { requireLogEncryptionKey: false },
  check: ({ subject, props, config, report }) => {
    const sc = readString(get(props, "securityConfiguration"));
    if (
      !report.unclear(subject, "securityConfiguration", sc) &&
      (sc.state === "absent" || sc.value.trim() === "")
    ) {
      report.violation(
        subject,
        "cluster has no securityConfiguration (no at-rest/in-transit encryption)",
        "set securityConfiguration to an aws.emr.SecurityConfiguration name",
      );
    }
    if (config.requireLogEncryptionKey) {
      const key = readString(get(props, "logEncryptionKmsKeyId"));
      if (
        !report.unclear(subject, "logEncryptionKmsKeyId", key) &&
        (key.state === "absent" || key.value === "")
      ) {
        report.violation(
          subject,
          "cluster logs are not encrypted with a KMS key",
          "set logEncryptionKmsKeyId (and logUri)",
        );
      }
    }
  },
});
