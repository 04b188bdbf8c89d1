/**
 * The offline plan: synthesize a stack from its Pulumi.<stack>.yaml under mocks, describe what it
 * declares, grouped by component, and run the deploy rules (what AWS would reject) over it. A
 * library function; cli.ts is the thin front.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT, stackConfigFromEntries } from "../../infra/config";
import { DEPLOY_RULES, runDeployRules } from "../deploy-rules/registry";
import { sharedAccountError } from "./accounts";
import { heapLimitMb, pipelineCount, stackSizeError } from "./capacity";
import { buildDeployRulesReport, DeployRulesReport } from "../reports/deploy-rules";
import { RecordedResource } from "../synth/mock-run";
import { synthesizePlatform } from "../synth/program";
import { knownStacks, readStackConfig, stackFilePath } from "../synth/stack-config";

export interface ComponentGroup {
  /** Component type token, e.g. bdp:storage:DataLake, or "(stack)" for top-level resources. */
  type: string;
  name: string;
  resources: { type: string; name: string }[];
}

export interface PlanReport {
  stack: string;
  stackFile: string;
  components: ComponentGroup[];
  totals: { resources: number; components: number; byType: Record<string, number> };
  stackOutputs: Record<string, unknown>;
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

/** Plans `stack`; `stackConfig` is its config map when the caller has read it already (a large file parses slowly). */
export async function runPlan(stack: string, stackConfig?: Record<string, string>): Promise<PlanReport> {
  let config: Record<string, string>;
  try {
    config = stackConfig ?? readStackConfig(stack, PROJECT);
  } catch (error) {
    throw new PlanUsageError((error as Error).message);
  }
  const stackFile = stackFilePath(stack);
  const sharedAccount = sharedAccountError(stack, readableStacks(stack, config));
  if (sharedAccount) throw new PlanUsageError(`${stackFile}: ${sharedAccount}`);
  const tooLarge = stackSizeError(pipelineCount(config), heapLimitMb());
  if (tooLarge) throw new PlanUsageError(`${stackFile}: ${tooLarge}`);
  let synthesis;
  try {
    synthesis = await synthesizePlatform(config, stack);
  } catch (error) {
    // Config errors and components rejecting their args are RunErrors: their messages say it all.
    if (error instanceof pulumi.RunError) throw new PlanUsageError(`${stackFile}: ${error.message}`);
    throw error;
  }
  const { resources, stackOutputs } = synthesis;
  // Validated by the synthesis above, so this cannot throw; the deploy rules need the deployer.
  const { deployment } = stackConfigFromEntries(config);
  return {
    stack,
    stackFile,
    components: groupByComponent(resources),
    totals: {
      resources: resources.filter((resource) => resource.custom).length,
      components: resources.filter((resource) => isPlatformComponent(resource)).length,
      byType: countByType(resources.filter((resource) => resource.custom)),
    },
    stackOutputs,
    resources,
    deployRules: buildDeployRulesReport(
      { stackFile, resources },
      runDeployRules(resources, DEPLOY_RULES, { deployer: deployment.roleArn }),
    ),
  };
}

function isPlatformComponent(resource: RecordedResource): boolean {
  return !resource.custom && resource.type.startsWith("bdp:");
}

/** Groups cloud resources under their nearest platform component (bdp:*). */
export function groupByComponent(resources: RecordedResource[]): ComponentGroup[] {
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  const groups = new Map<string, ComponentGroup>();
  const top: ComponentGroup = { type: "(stack)", name: "(stack)", resources: [] };
  for (const resource of resources) {
    if (!resource.custom && !resource.type.startsWith("awsx:")) continue;
    let owner = resource.parent ? byUrn.get(resource.parent) : undefined;
    while (owner && !isPlatformComponent(owner)) owner = owner.parent ? byUrn.get(owner.parent) : undefined;
    let group = top;
    if (owner) {
      group = groups.get(owner.urn) ?? { type: owner.type, name: owner.name, resources: [] };
      groups.set(owner.urn, group);
    }
    group.resources.push({ type: resource.type, name: resource.name });
  }
  const ordered = [...groups.values()];
  return top.resources.length > 0 ? [top, ...ordered] : ordered;
}

function countByType(resources: RecordedResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of resources) counts[resource.type] = (counts[resource.type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

export function formatPlanText(report: PlanReport): string {
  const lines: string[] = [];
  lines.push(`Stack ${report.stack} (${report.stackFile}): offline plan under mocks, no AWS calls`);
  lines.push("");
  for (const group of report.components) {
    lines.push(`${group.type}  ${group.name}  (${group.resources.length} resources)`);
    for (const resource of group.resources) lines.push(`    ${resource.type}  ${resource.name}`);
  }
  lines.push("");
  lines.push(`Totals: ${report.totals.resources} resources in ${report.totals.components} components`);
  for (const [type, count] of Object.entries(report.totals.byType)) {
    lines.push(`    ${String(count).padStart(4)}  ${type}`);
  }
  return lines.join("\n");
}
