/**
 * ecr-scan-immutable: job images are scanned for vulnerabilities when pushed, and tags are
 * immutable so a job definition's image tag always means the same image. Remediation turns on
 * scan on push (safe); tag mutability is not changed automatically (it can break pushes).
 */
import * as aws from "@pulumi/aws";
import { stringList } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readBool, readString, setProp, shallowCopy } from "../lib/values";

export interface EcrConfig {
  allowedTagMutability: string[];
}

export const ecrScanImmutable = resourcePolicy<EcrConfig>({
  name: "ecr-scan-immutable",
  description:
    "Every ECR repository has imageScanningConfiguration.scanOnPush true and imageTagMutability in " +
    "allowedTagMutability (default IMMUTABLE, IMMUTABLE_WITH_EXCLUSION). Remediation sets scanOnPush.",
  remediationSteps:
    'Set imageScanningConfiguration: { scanOnPush: true } and imageTagMutability: "IMMUTABLE" on the ' +
    "aws.ecr.Repository; push a new tag per build (e.g. the git SHA).",
  severity: "medium",
  enforcementLevel: "mandatory",
  tags: ["security"],
  types: [aws.ecr.Repository],
  knobs: {
    allowedTagMutability: stringList("Allowed imageTagMutability values", [
      "IMMUTABLE",
      "IMMUTABLE_WITH_EXCLUSION",
    ]),
  },
  defaults: { allowedTagMutability: ["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"] },
  check: ({ subject, props, config, report }) => {
    const scan = readBool(get(props, "imageScanningConfiguration", "scanOnPush"));
    if (
      !report.unclear(subject, "imageScanningConfiguration.scanOnPush", scan) &&
      !(scan.state === "ok" && scan.value)
    ) {
      report.violation(
        subject,
        "images are not scanned on push",
        "set imageScanningConfiguration: { scanOnPush: true }",
      );
    }
    const mut = readString(get(props, "imageTagMutability"));
    if (report.unclear(subject, "imageTagMutability", mut)) return;
    const value = mut.state === "ok" ? mut.value : "MUTABLE";
    if (!config.allowedTagMutability.some((m) => m.toUpperCase() === value.toUpperCase())) {
      report.violation(
        subject,
        `image tags are ${value}${mut.state === "absent" ? " (the default)" : ""}`,
        `set imageTagMutability to "${config.allowedTagMutability[0] ?? "IMMUTABLE"}"`,
      );
    }
  },
  remediate: ({ props }) => {
    const scan = readBool(get(props, "imageScanningConfiguration", "scanOnPush"));
    if (scan.state === "ok" && scan.value) return undefined;
    if (scan.state === "unknown") return undefined;
    const out = shallowCopy(props);
    const existing = shallowCopy(get(props, "imageScanningConfiguration"));
    setProp(existing, "scanOnPush", true);
    setProp(out, "imageScanningConfiguration", existing);
    return out;
  },
});
