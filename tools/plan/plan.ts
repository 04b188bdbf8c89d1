/**
 * The offline plan: synthesize a stack from its Pulumi.<stack>.yaml under mocks, describe what it
 * declares, grouped by component, and run the deploy rules (what AWS would reject) over it. A
 * library function; cli.ts is the thin front.
 */
import { ConfigError, PROJECT } from "../../infra/config";
import { runDeployRules } from "../deploy-rules/registry";
import { buildDeployRulesReport, DeployRulesReport } from "../reports/deploy-rules";
import { RecordedResource } from "../synth/mock-run";
import { synthesizePlatform } from "../synth/program";
import { readStackConfig, stackFilePath } from "../synth/stack-config";

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

export async function runPlan(stack: string): Promise<PlanReport> {
  let config: Record<string, string>;
  try {
    config = readStackConfig(stack, PROJECT);
  } catch (error) {
    throw new PlanUsageError((error as Error).message);
  }
  let synthesis;
  try {
    synthesis = await synthesizePlatform(config, stack);
  } catch (error) {
    if (error instanceof ConfigError) throw new PlanUsageError(`${stackFilePath(stack)}: ${error.message}`);
    throw error;
  }
  const { resources, stackOutputs } = synthesis;
  const stackFile = stackFilePath(stack);
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
    deployRules: buildDeployRulesReport({ stackFile, resources }, runDeployRules(resources)),
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
