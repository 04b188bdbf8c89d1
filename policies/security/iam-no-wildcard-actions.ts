/**
 * iam-no-wildcard-actions: least privilege. No IAM policy grants every action ("*") or every action
 * of a service ("s3:*"), and none uses NotAction (which grants everything not listed).
 * Covers managed policies (aws.iam.Policy), role policies (aws.iam.RolePolicy) and the inline
 * policies of roles (aws.iam.Role inlinePolicies). Trust policies (assumeRolePolicy) are not judged.
 */
import * as aws from "@pulumi/aws";
import { flag, stringList } from "../lib/config";
import { ResourceContext, resourcePolicy } from "../lib/define";
import { isWildcardAction, readPolicyDocument } from "../lib/iam";
import { T } from "../lib/types";
import { get, readArray, readString } from "../lib/values";

export interface IamConfig {
  allowedWildcardActions: string[];
  allowNotActionInDeny: boolean;
}

function checkDocument(ctx: ResourceContext<IamConfig>, where: string, doc: unknown): void {
  const { subject, report, config } = ctx;
  const statements = readPolicyDocument(doc);
  if (report.unclear(subject, `the policy document (${where})`, statements)) return;
  if (statements.state === "absent") return;
  const allowed = config.allowedWildcardActions.map((a) => a.toLowerCase());
  for (const s of statements.value) {
    const label = `${where} statement ${s.sid ? `"${s.sid}"` : s.index}`;
    const deny = s.effect.toLowerCase() === "deny";
    if (s.notActions.length > 0 && !(deny && config.allowNotActionInDeny)) {
      report.violation(
        subject,
        `${label} uses NotAction (${s.notActions.join(", ")})`,
        "list the allowed actions explicitly in Action instead of NotAction",
      );
    }
    if (deny) continue;
    const wild = s.actions.filter((a) => isWildcardAction(a) && !allowed.includes(a.toLowerCase()));
    if (wild.length > 0) {
      report.violation(
        subject,
        `${label} allows wildcard action(s) ${wild.join(", ")}`,
        "list the specific actions the workload needs (e.g. s3:GetObject, s3:PutObject)",
      );
    }
    if (s.unknownActions)
      report.cannotJudge(subject, `actions of ${label}`, "some actions unknown during preview");
  }
}

export const iamNoWildcardActions = resourcePolicy<IamConfig>({
  name: "iam-no-wildcard-actions",
  description:
    'IAM policies (aws.iam.Policy, aws.iam.RolePolicy, aws.iam.Role inlinePolicies) allow no "*" action, no whole-service ' +
    '"service:*" action and use no NotAction.',
  remediationSteps:
    "Replace wildcard actions with the specific actions the workload calls (IAM Access Analyzer policy generation " +
    "helps); replace NotAction with an explicit Action list.",
  severity: "high",
  enforcementLevel: "mandatory",
  tags: ["security", "iam"],
  types: [aws.iam.Policy, aws.iam.RolePolicy, aws.iam.Role],
  knobs: {
    allowedWildcardActions: stringList(
      'Wildcard actions accepted anyway (e.g. "logs:*"); prefer exemptions',
      [],
    ),
    allowNotActionInDeny: flag("Accept NotAction in Deny statements", false),
  },
  defaults: { allowedWildcardActions: [], allowNotActionInDeny: false },
  check: (ctx) => {
    const { subject, props, report } = ctx;
    if (subject.type !== T.iamRole) {
      checkDocument(ctx, "policy", get(props, "policy"));
      return;
    }
    const inline = readArray(get(props, "inlinePolicies"));
    if (report.unclear(subject, "inlinePolicies", inline)) return;
    if (inline.state !== "ok") return;
    inline.value.forEach((p, i) => {
      const name = readString(get(p, "name"));
      checkDocument(ctx, `inlinePolicies[${name.state === "ok" ? name.value : i}]`, get(p, "policy"));
    });
  },
});
