/**
 * The deploy-rules stage: every rule, run over the recorded resources of one synthesis. Pure: the
 * same resources give the same findings, in a stable order.
 */
import type { RecordedResource } from "../synth/mock-run";
import { CREATION_ORDER_RULES } from "./creation-order";
import { ResourceGraph, providerRegion } from "./graph";
import { NAME_RULES_LIST } from "./names";
import { NETWORK_RULES } from "./network";
import { QUOTA_RULES } from "./quotas";
import type { DeployFinding, DeployRule } from "./types";

export const DEPLOY_RULES: DeployRule[] = [
  ...CREATION_ORDER_RULES,
  ...NAME_RULES_LIST,
  ...QUOTA_RULES,
  ...NETWORK_RULES,
];

export interface DeployRulesResult {
  rules: DeployRule[];
  /** Errors first, then by rule, resource and message. */
  findings: DeployFinding[];
  region?: string;
}

const LEVEL_ORDER = { error: 0, warning: 1 } as const;

/** What the stack config tells the rules beyond the resources. */
export interface DeployRuleOptions {
  /** The IAM principal that runs `pulumi up`. */
  deployer?: string;
}

export function runDeployRules(
  resources: RecordedResource[],
  rules: DeployRule[] = DEPLOY_RULES,
  options: DeployRuleOptions = {},
): DeployRulesResult {
  const region = providerRegion(resources);
  const context = { resources, graph: new ResourceGraph(resources), region, deployer: options.deployer };
  const findings = rules.flatMap((rule) => rule.check(context));
  findings.sort(
    (a, b) =>
      LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
      a.rule.localeCompare(b.rule) ||
      (a.urn ?? "").localeCompare(b.urn ?? "") ||
      a.message.localeCompare(b.message),
  );
  return { rules, findings, ...(region ? { region } : {}) };
}
