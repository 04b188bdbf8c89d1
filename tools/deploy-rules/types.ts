/**
 * The deploy-rules stage of the offline plan: checks a synthesized program against what AWS itself
 * validates when `pulumi up` creates the resources (creation order, physical names, account quotas,
 * network prerequisites). Mocks accept anything; these rules encode what AWS does not.
 */
import type { RecordedResource } from "../synth/mock-run";
import type { ResourceGraph } from "./graph";

/** The rule families, one source file each. */
export const DEPLOY_RULE_FAMILIES = ["creation-order", "names", "quotas", "network"] as const;
export type DeployRuleFamily = (typeof DEPLOY_RULE_FAMILIES)[number];

/**
 * error: AWS rejects the deployment (or the first run fails for a reason the stack itself causes);
 * warning: the deployment may pass, but only after something outside the stack changes (a quota
 * increase) or with a race that can fail.
 */
export type DeployFindingLevel = "error" | "warning";

export interface DeployFinding {
  /** The rule's name, e.g. `role-policies-before-use`. */
  rule: string;
  level: DeployFindingLevel;
  /** URN of the resource at fault; undefined for findings about the stack as a whole. */
  urn?: string;
  /** Why AWS rejects it (or will fail at first use), in one or two sentences. */
  message: string;
  /** What to change in the program or the stack config. */
  fix: string;
}

/** What every rule gets: the recorded resources, indexed, and the region they deploy to. */
export interface DeployRuleContext {
  resources: RecordedResource[];
  graph: ResourceGraph;
  /** The AWS region of the stack's provider, when known. */
  region?: string;
  /** The IAM principal that runs `pulumi up` (batch-data-platform:deployment.roleArn), when known. */
  deployer?: string;
}

export interface DeployRule {
  name: string;
  family: DeployRuleFamily;
  /** One sentence: what AWS checks. */
  description: string;
  /** AWS (or Pulumi) documentation the rule encodes. */
  docs: string[];
  check(context: DeployRuleContext): DeployFinding[];
}
