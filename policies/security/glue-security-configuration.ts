/**
 * glue-security-configuration: Glue jobs and crawlers write to S3, CloudWatch Logs and job
 * bookmarks; a Glue security configuration encrypts all three with KMS.
 */
import * as aws from "@pulumi/aws";
import { stringList } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readString } from "../lib/values";

export interface GlueSecurityConfig {
  allowedSecurityConfigurations: string[];
}

export const glueSecurityConfiguration = resourcePolicy<GlueSecurityConfig>({
  name: "glue-security-configuration",
  description:
    "Every Glue job and crawler names a securityConfiguration (S3, CloudWatch and bookmark encryption with KMS); " +
    "with allowedSecurityConfigurations set, one of those.",
  remediationSteps:
    "Create an aws.glue.SecurityConfiguration with SSE-KMS for S3, CloudWatch and job bookmarks, and set " +
    "securityConfiguration: securityConfig.name on the job or crawler.",
  severity: "high",
  enforcementLevel: "mandatory",
  tags: ["security"],
  types: [aws.glue.Job, aws.glue.Crawler],
  knobs: {
    allowedSecurityConfigurations: stringList("Names of allowed security configurations; empty: any", []),
  },
  defaults: { allowedSecurityConfigurations: [] },
  check: ({ subject, props, config, report }) => {
    const sc = readString(get(props, "securityConfiguration"));
    if (report.unclear(subject, "securityConfiguration", sc)) return;
    if (sc.state === "absent" || sc.value.trim() === "") {
      report.violation(
        subject,
        "no securityConfiguration (job output, logs and bookmarks are not KMS-encrypted)",
        "set securityConfiguration to the environment's aws.glue.SecurityConfiguration name",
      );
    } else if (
      config.allowedSecurityConfigurations.length > 0 &&
      !config.allowedSecurityConfigurations.includes(sc.value)
    ) {
      report.violation(
        subject,
        `securityConfiguration "${sc.value}" is not an approved one`,
        `use one of ${config.allowedSecurityConfigurations.join(", ")}`,
      );
    }
  },
});
