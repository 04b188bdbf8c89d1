/**
 * The plan's resource listing: every cloud resource under its nearest platform component (bdp:*),
 * the groups in data-flow order (network, lake, catalog, what starts and runs the pipelines, the
 * warehouse, then monitoring and cost), and the resources remote components (awsx) create, which a
 * run under mocks never sees, derived by ./remote-children. The totals are counted from the
 * listed rows, so they always agree with the listing.
 */
import type { RecordedResource } from "../synth/mock-run";
import { isRemoteComponent, remoteChildren } from "./remote-children";

export interface ListedResource {
  type: string;
  name: string;
  /** For a resource a remote component creates: that component ("awsx:ec2:Vpc NAME"). */
  createdBy?: string;
}

export interface ComponentGroup {
  /** Component type token, e.g. bdp:storage:DataLake, or "(stack)" for top-level resources. */
  type: string;
  name: string;
  resources: ListedResource[];
}

export interface ListingTotals {
  /** Listed rows: declared resources plus those remote components create. */
  resources: number;
  /** Resources the program registers itself. */
  declared: number;
  /** Resources remote components (awsx) create. */
  createdByRemoteComponents: number;
  /** Groups in the listing. */
  components: number;
  /** Listed rows by resource type. */
  byType: Record<string, number>;
}

export interface ResourceListing {
  components: ComponentGroup[];
  totals: ListingTotals;
}

/**
 * Component areas (the middle of bdp:AREA:Name) in data-flow order: where jobs run, where data
 * lands and is described, what starts, runs and orchestrates the pipelines, where results are
 * queried, and what watches it all. Unknown areas come last.
 */
export const DATA_FLOW_AREAS = [
  "network",
  "storage",
  "catalog",
  "triggers",
  "containers",
  "glue",
  "emr",
  "batch",
  "orchestration",
  "warehouse",
  "monitoring",
  "cost",
] as const;

const STACK_GROUP = "(stack)";

function areaRank(type: string): number {
  if (type === STACK_GROUP) return -1;
  const rank = (DATA_FLOW_AREAS as readonly string[]).indexOf(type.split(":")[1] ?? "");
  return rank < 0 ? DATA_FLOW_AREAS.length : rank;
}

function isPlatformComponent(resource: RecordedResource): boolean {
  return !resource.custom && resource.type.startsWith("bdp:");
}

/** Groups the recorded resources by component, in data-flow order, with the totals of the rows. */
export function buildResourceListing(resources: RecordedResource[]): ResourceListing {
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  const groups = new Map<string, ComponentGroup & { order: number }>();
  const groupOf = (resource: RecordedResource): ComponentGroup & { order: number } => {
    let owner = resource.parent ? byUrn.get(resource.parent) : undefined;
    while (owner && !isPlatformComponent(owner)) owner = owner.parent ? byUrn.get(owner.parent) : undefined;
    const key = owner?.urn ?? STACK_GROUP;
    let group = groups.get(key);
    if (!group) {
      group = owner
        ? { type: owner.type, name: owner.name, resources: [], order: groups.size }
        : { type: STACK_GROUP, name: STACK_GROUP, resources: [], order: groups.size };
      groups.set(key, group);
    }
    return group;
  };
  for (const resource of resources) {
    if (resource.custom) {
      groupOf(resource).resources.push({ type: resource.type, name: resource.name });
    } else if (isRemoteComponent(resource)) {
      const createdBy = `${resource.type} ${resource.name}`;
      groupOf(resource).resources.push(...remoteChildren(resource).map((child) => ({ ...child, createdBy })));
    }
  }
  const components = [...groups.values()]
    .sort((a, b) => areaRank(a.type) - areaRank(b.type) || a.order - b.order)
    .map(({ type, name, resources: rows }) => ({ type, name, resources: rows }));
  const rows = components.flatMap((group) => group.resources);
  const byType: Record<string, number> = {};
  for (const row of rows) byType[row.type] = (byType[row.type] ?? 0) + 1;
  const remote = rows.filter((row) => row.createdBy !== undefined).length;
  return {
    components,
    totals: {
      resources: rows.length,
      declared: rows.length - remote,
      createdByRemoteComponents: remote,
      components: components.length,
      byType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}

/** The listing as text: a header per component, a row per resource, then the totals. */
export function formatListingText(listing: ResourceListing): string[] {
  const lines: string[] = [];
  for (const group of listing.components) {
    const count = group.resources.length;
    lines.push(`${group.type}  ${group.name}  (${count} resource${count === 1 ? "" : "s"})`);
    for (const resource of group.resources) {
      const origin = resource.createdBy ? `  [created by ${resource.createdBy}]` : "";
      lines.push(`    ${resource.type}  ${resource.name}${origin}`);
    }
  }
  const { totals } = listing;
  lines.push("");
  lines.push(
    `Totals: ${totals.resources} resources in ${totals.components} components ` +
      `(${totals.declared} declared, ${totals.createdByRemoteComponents} created by awsx components)`,
  );
  for (const [type, count] of Object.entries(totals.byType)) {
    lines.push(`    ${String(count).padStart(4)}  ${type}`);
  }
  return lines;
}
