/**
 * The deploy-rules part of a plan report (tools/deploy-rules): its rules, and findings tied to
 * resources, components and stack file lines like the policy findings, with why AWS rejects the
 * stack and the fix. `rejected` (an error finding) makes `npm run plan` exit 2.
 */
import { PROJECT } from "../../infra/config";
import type { DeployRulesResult } from "../deploy-rules/registry";
import type { DeployFindingLevel, DeployRuleFamily } from "../deploy-rules/types";
import type { RecordedResource } from "../synth/mock-run";
import { LocatedResource, ResourceLocator } from "./model";

export interface DeployRuleInfo {
  name: string;
  family: DeployRuleFamily;
  description: string;
  docs: string[];
}

export interface DeployReportFinding extends LocatedResource {
  rule: string;
  family: DeployRuleFamily;
  level: DeployFindingLevel;
  /** Why AWS rejects it (or the first run fails). */
  message: string;
  fix: string;
}

export interface DeployRulesReport {
  /** The Region the rules judged against (the stack's AWS provider), or null. */
  region: string | null;
  /** True when a finding is an error: AWS would reject the stack. */
  rejected: boolean;
  summary: { rules: number; errors: number; warnings: number };
  rules: DeployRuleInfo[];
  /** Errors first, then by rule, resource and message. */
  findings: DeployReportFinding[];
}

export function buildDeployRulesReport(
  plan: { stackFile: string; resources: RecordedResource[] },
  result: DeployRulesResult,
  project = PROJECT,
): DeployRulesReport {
  const locator = new ResourceLocator(plan.resources, plan.stackFile, project);
  const families = new Map(result.rules.map((rule) => [rule.name, rule.family]));
  const findings: DeployReportFinding[] = result.findings.map((finding) => ({
    rule: finding.rule,
    family: families.get(finding.rule)!,
    level: finding.level,
    message: finding.message,
    fix: finding.fix,
    ...locator.locate(finding.urn),
  }));
  const errors = findings.filter((finding) => finding.level === "error").length;
  return {
    region: result.region ?? null,
    rejected: errors > 0,
    summary: { rules: result.rules.length, errors, warnings: findings.length - errors },
    rules: result.rules
      .map(({ name, family, description, docs }) => ({ name, family, description, docs: [...new Set(docs)] }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    findings,
  };
}
