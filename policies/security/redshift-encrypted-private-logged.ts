/**
 * redshift-encrypted-private-logged: the warehouse holds the curated data of the whole platform.
 * Provisioned clusters are encrypted (with a customer key), not publicly accessible, and have audit
 * logging (aws.redshift.Logging); Serverless workgroups are not publicly accessible; Serverless
 * namespaces use a customer KMS key and export the audit logs.
 * Absent publiclyAccessible / encrypted use the provider defaults (false / true) and pass.
 */
import { flag, stringList } from "../lib/config";
import { stackPolicy } from "../lib/define";
import { referrers } from "../lib/refs";
import { T } from "../lib/types";
import { get, readArray, readBool, readString } from "../lib/values";

export interface RedshiftConfig {
  requireCustomerKey: boolean;
  requiredLogExports: string[];
}

export const redshiftEncryptedPrivateLogged = stackPolicy<RedshiftConfig>({
  name: "redshift-encrypted-private-logged",
  description:
    "Redshift clusters: encrypted (not false; kmsKeyId with requireCustomerKey), publiclyAccessible not true, and " +
    "an aws.redshift.Logging for the cluster. Serverless workgroups: publiclyAccessible not true. Serverless " +
    "namespaces: kmsKeyId (with requireCustomerKey) and logExports containing requiredLogExports.",
  remediationSteps:
    'Cluster: encrypted: true, kmsKeyId: key.arn, publiclyAccessible: false, plus new aws.redshift.Logging({ clusterIdentifier: cluster.id, logDestinationType: "cloudwatch", ' +
    'logExports: ["connectionlog","userlog","useractivitylog"] }). Workgroup: publiclyAccessible: false. Namespace: kmsKeyId: key.arn, logExports: ["connectionlog","userlog","useractivitylog"].',
  severity: "high",
  enforcementLevel: "mandatory",
  tags: ["security"],
  types: [T.redshiftCluster, T.redshiftLogging, T.redshiftServerlessWorkgroup, T.redshiftServerlessNamespace],
  knobs: {
    requireCustomerKey: flag("Require a customer-managed KMS key (kmsKeyId)", true),
    requiredLogExports: stringList("Log types that must be exported", [
      "connectionlog",
      "userlog",
      "useractivitylog",
    ]),
  },
  defaults: { requireCustomerKey: true, requiredLogExports: ["connectionlog", "userlog", "useractivitylog"] },
  check: (ctx) => {
    const { report, config } = ctx;
    const loggings = ctx.ofType(T.redshiftLogging);
    for (const c of ctx.subjects(T.redshiftCluster)) {
      const enc = readBool(get(c.props, "encrypted"));
      if (!report.unclear(c, "encrypted", enc) && enc.state === "ok" && !enc.value) {
        report.violation(c, "cluster is not encrypted", "set encrypted: true with kmsKeyId");
      }
      if (config.requireCustomerKey) {
        const key = readString(get(c.props, "kmsKeyId"));
        if (!report.unclear(c, "kmsKeyId", key) && (key.state === "absent" || key.value === "")) {
          report.violation(
            c,
            "cluster is not encrypted with a customer-managed KMS key",
            "set kmsKeyId to the environment's key ARN",
          );
        }
      }
      const pub = readBool(get(c.props, "publiclyAccessible"));
      if (!report.unclear(c, "publiclyAccessible", pub) && pub.state === "ok" && pub.value) {
        report.violation(
          c,
          "cluster is publicly accessible",
          "set publiclyAccessible: false and use private subnets",
        );
      }
      const { matches, unresolved } = referrers(loggings, "clusterIdentifier", c);
      if (matches.length === 0) {
        if (unresolved.length > 0)
          report.cannotJudge(
            c,
            "audit logging",
            "a Logging resource's clusterIdentifier is unknown during preview",
          );
        else
          report.violation(
            c,
            "cluster has no audit logging (aws.redshift.Logging)",
            'add aws.redshift.Logging with clusterIdentifier: cluster.id and logDestinationType "cloudwatch" or "s3"',
          );
      }
    }
    for (const w of ctx.subjects(T.redshiftServerlessWorkgroup)) {
      const pub = readBool(get(w.props, "publiclyAccessible"));
      if (!report.unclear(w, "publiclyAccessible", pub) && pub.state === "ok" && pub.value) {
        report.violation(w, "workgroup is publicly accessible", "set publiclyAccessible: false");
      }
    }
    for (const n of ctx.subjects(T.redshiftServerlessNamespace)) {
      if (config.requireCustomerKey) {
        const key = readString(get(n.props, "kmsKeyId"));
        if (
          !report.unclear(n, "kmsKeyId", key) &&
          (key.state === "absent" || key.value === "" || key.value === "AWS_OWNED_KMS_KEY")
        ) {
          report.violation(
            n,
            "namespace is not encrypted with a customer-managed KMS key",
            "set kmsKeyId to the environment's key ARN",
          );
        }
      }
      const logs = readArray(get(n.props, "logExports"));
      if (report.unclear(n, "logExports", logs)) continue;
      const have = logs.state === "ok" ? logs.value.filter((l): l is string => typeof l === "string") : [];
      const missing = config.requiredLogExports.filter((l) => !have.includes(l));
      if (missing.length > 0) {
        report.violation(
          n,
          `namespace does not export ${missing.join(", ")} logs`,
          `set logExports to include ${config.requiredLogExports.join(", ")}`,
        );
      }
    }
  },
});
