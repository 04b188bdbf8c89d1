/** Helpers of the deploy-rules tests: synthesize a small program and run one rule family on it. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../../infra/config";
import { DeployRuleOptions, DeployRulesResult, runDeployRules } from "../../../tools/deploy-rules/registry";
import type { DeployFinding, DeployRule } from "../../../tools/deploy-rules/types";
import { synthesize } from "../../../tools/synth/mock-run";
import { Synthesized } from "../../support/synth";

export interface RuleRun {
  synthesized: Synthesized;
  result: DeployRulesResult;
  findings: DeployFinding[];
}

/** Options for what a test program declares, all with the stack's one explicit provider. */
export interface Scope {
  /** For aws.* resources. */
  resource: pulumi.CustomResourceOptions;
  /** For the platform's components. */
  component: pulumi.ComponentResourceOptions;
}

/** Synthesizes `build` with an explicit provider in `region`, then runs `rules` over it. */
export async function runRules(
  rules: DeployRule[],
  build: (scope: Scope) => void,
  region = "eu-west-1",
  options: DeployRuleOptions = {},
): Promise<RuleRun> {
  const { resources } = await synthesize(
    () => {
      const provider = new aws.Provider("aws", { region: region as aws.Region });
      build({ resource: { provider }, component: { providers: { aws: provider } } });
      return {};
    },
    { project: PROJECT, stack: "test", config: { "aws:region": region } },
  );
  const synthesized = new Synthesized(resources);
  const result = runDeployRules(resources, rules, options);
  return { synthesized, result, findings: result.findings };
}

/** Findings as `level rule resource-name` lines, for readable assertions. */
export function summarize(findings: DeployFinding[], synthesized: Synthesized): string[] {
  return findings.map(
    (finding) =>
      `${finding.level} ${finding.rule} ${finding.urn ? synthesized.byUrn(finding.urn)?.name : "(stack)"}`,
  );
}

/** A trust policy any role of the tests can use. */
export const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
