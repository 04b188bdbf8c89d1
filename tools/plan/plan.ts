/**
 * The offline plan: synthesize a stack from its Pulumi.<stack>.yaml under mocks, describe what it
 * declares, grouped by component, and run the deploy rules (what AWS would reject) over it. A
 * library function; cli.ts is the thin front.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT, stackConfigFromEntries } from "../../infra/config";
import { DEPLOY_RULES, DeployRuleOptions, runDeployRules } from "../deploy-rules/registry";
import { sharedAccountError } from "./accounts";
import { heapLimitMb, pipelineCount, stackSizeError } from "./capacity";
import { buildDeployRulesReport, DeployRulesReport } from "../reports/deploy-rules";
import { RecordedResource } from "../synth/mock-run";
import { synthesizePlatform } from "../synth/program";
import { buildResourceListing, ComponentGroup, formatListingText, ListingTotals } from "../reports/listing";
import { knownStacks, readStackConfig, stackFilePath } from "../synth/stack-config";

export type { ComponentGroup } from "../reports/listing";

export interface PlanReport {
  stack: string;
  stackFile: string;
  /**
   * The stack's flat config, as planned (`namespace:key` -> string): this repository's platform
   * config, or with `root` set, another program's own config.
   */
  config: Record<string, string>;
  components: ComponentGroup[];
  totals: ListingTotals;
  stackOutputs: Record<string, unknown>;
  /** The folder report paths are relative to: the planned program's (default: this repository). */
  root?: string;
  /** Every recorded resource, for further analysis (policies, cost, diagram). */
  resources: RecordedResource[];
  /** The deploy-rules stage over the resources. */
  deployRules: DeployRulesReport;
}

/** Error for the CLI to report without a stack trace (exit code 2). */
export class PlanUsageError extends Error {}

/** The flat config of every stack file next to `stack`'s that can be read (others are not judged here). */
function readableStacks(
  stack: string,
  config: Record<string, string>,
): Record<string, Record<string, string>> {
  const configs: Record<string, Record<string, string>> = { [stack]: config };
  for (const other of knownStacks()) {
    if (other === stack) continue;
    try {
      configs[other] = readStackConfig(other, PROJECT);
    } catch {
      // An unreadable stack file is reported when that stack is planned.
    }
  }
  return configs;
}

/** Called with each resource as the synthesis records it (the policy check analyzes it meanwhile). */
export type ResourceObserver = (resource: RecordedResource) => void;

/**
 * Plans `stack`; `stackConfig` is its config map when the caller has read it already (a large file
 * parses slowly).
 */
export async function runPlan(
  stack: string,
  stackConfig?: Record<string, string>,
  onResource?: ResourceObserver,
): Promise<PlanReport> {
  let config: Record<string, string>;
  try {
    config = stackConfig ?? readStackConfig(stack, PROJECT);
  } catch (error) {
    throw new PlanUsageError((error as Error).message);
  }
  const stackFile = stackFilePath(stack);
  const sharedAccount = sharedAccountError(stack, readableStacks(stack, config));
  if (sharedAccount) throw new PlanUsageError(`${stackFile}: ${sharedAccount}`);
  return planConfig(stack, config, stackFile, onResource);
}

/** Plans a flat stack config (as read from `stackFile`, or generated) without reading stack files. */
export async function planConfig(
  stack: string,
  config: Record<string, string>,
  stackFile: string,
  onResource?: ResourceObserver,
): Promise<PlanReport> {
  const tooLarge = stackSizeError(pipelineCount(config), heapLimitMb());
  if (tooLarge) throw new PlanUsageError(`${stackFile}: ${tooLarge}`);
  let synthesis;
  try {
    synthesis = await synthesizePlatform(config, stack, undefined, onResource);
  } catch (error) {
    // Config errors and components rejecting their args are RunErrors: their messages say it all.
    if (error instanceof pulumi.RunError) throw new PlanUsageError(`${stackFile}: ${error.message}`);
    throw error;
  }
  // Validated by the synthesis above, so this cannot throw; the deploy rules need the deployer.
  const { deployment } = stackConfigFromEntries(config);
  return planReport({ stack, stackFile, config, ...synthesis }, { deployer: deployment.roleArn });
}

/** The plan report of a synthesized stack: resources by component, totals and the deploy rules. */
export function planReport(
  synthesized: Pick<PlanReport, "stack" | "stackFile" | "config" | "resources" | "stackOutputs" | "root">,
  options: DeployRuleOptions = {},
  project = PROJECT,
): PlanReport {
  const { stack, stackFile, config, resources, stackOutputs, root } = synthesized;
  return {
    stack,
    stackFile,
    ...(root === undefined ? {} : { root }),
    config,
    ...buildResourceListing(resources),
    stackOutputs,
    resources,
    deployRules: buildDeployRulesReport(
      { stackFile, resources, root },
      runDeployRules(resources, DEPLOY_RULES, options),
      project,
    ),
  };
}

/** The full resource listing, grouped by component in data-flow order, with its totals. */
export function formatPlanText(report: PlanReport): string {
  return [
    `Resources of stack ${report.stack} (${report.stackFile}), by component in data-flow order:`,
    "",
    ...formatListingText(report),
  ].join("\n");
}
