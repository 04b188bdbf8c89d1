/**
 * The recorded resources as a graph: lookups by URN, type and physical id, and the creation order
 * the Pulumi engine derives from them. The engine creates a resource only after everything it
 * depends on, directly (`dependsOn`, or an input built from another resource's output) or
 * transitively; depending on a component means depending on every resource inside it.
 */
import type { RecordedResource } from "../synth/mock-run";

export class ResourceGraph {
  private readonly byUrn = new Map<string, RecordedResource>();
  private readonly children = new Map<string, RecordedResource[]>();
  private readonly closures = new Map<string, Set<string>>();
  // Indexes built once, so that rules stay linear in the size of the stack (thousands of resources
  // at 1,000 pipelines): by type, by physical id, and who references a resource in which input.
  private readonly byType = new Map<string, RecordedResource[]>();
  private readonly byId = new Map<string, RecordedResource>();
  private readonly referrers = new Map<string, { property: string; resource: RecordedResource }[]>();

  constructor(readonly resources: RecordedResource[]) {
    for (const resource of resources) {
      this.byUrn.set(resource.urn, resource);
      if (resource.parent) pushTo(this.children, resource.parent, resource);
      pushTo(this.byType, resource.type, resource);
      const id = resource.outputs.id;
      if (resource.custom && typeof id === "string" && !this.byId.has(id)) this.byId.set(id, resource);
      for (const [property, urns] of Object.entries(resource.propertyDependencies)) {
        for (const urn of new Set(urns)) pushTo(this.referrers, urn, { property, resource });
      }
    }
  }

  get(urn: string | undefined): RecordedResource | undefined {
    return urn === undefined ? undefined : this.byUrn.get(urn);
  }

  ofType(type: string): RecordedResource[] {
    return [...(this.byType.get(type) ?? [])];
  }

  /** Cloud resources: custom resources other than providers. */
  cloudResources(): RecordedResource[] {
    return this.resources.filter(
      (resource) => resource.custom && !resource.type.startsWith("pulumi:providers:"),
    );
  }

  /** The resource whose physical id (as the engine reports it) is `id`, if the stack declares it. */
  byPhysicalId(id: unknown): RecordedResource | undefined {
    return typeof id === "string" ? this.byId.get(id) : undefined;
  }

  /**
   * The resources with an input built from `target` (the inverse of referencedBy), optionally only
   * through one input property and of one type; each once, in declaration order.
   */
  referencing(target: RecordedResource, property?: string, type?: string): RecordedResource[] {
    const found = new Set<RecordedResource>();
    for (const reference of this.referrers.get(target.urn) ?? []) {
      if (property !== undefined && reference.property !== property) continue;
      if (type !== undefined && reference.resource.type !== type) continue;
      found.add(reference.resource);
    }
    return [...found];
  }

  /** The resources an input property was built from, optionally only those of a type. */
  referencedBy(resource: RecordedResource, property: string, type?: string): RecordedResource[] {
    return (resource.propertyDependencies[property] ?? [])
      .map((urn) => this.byUrn.get(urn))
      .filter((found): found is RecordedResource => found !== undefined && (!type || found.type === type));
  }

  /** Every custom resource the engine creates before `resource`. */
  dependencies(resource: RecordedResource): Set<string> {
    const cached = this.closures.get(resource.urn);
    if (cached) return cached;
    const seen = new Set<string>();
    const pending = this.directDependencies(resource);
    while (pending.length > 0) {
      const urn = pending.pop()!;
      if (seen.has(urn)) continue;
      seen.add(urn);
      const next = this.byUrn.get(urn);
      if (next) pending.push(...this.directDependencies(next));
    }
    this.closures.set(resource.urn, seen);
    return seen;
  }

  /** True when the engine creates `dependency` before `resource`. */
  dependsOn(resource: RecordedResource, dependency: RecordedResource): boolean {
    return this.dependencies(resource).has(dependency.urn);
  }

  private directDependencies(resource: RecordedResource): string[] {
    const urns = [...resource.options.dependsOn, ...Object.values(resource.propertyDependencies).flat()];
    return urns.flatMap((urn) => this.expandComponent(urn));
  }

  /** A component stands for everything declared inside it. */
  private expandComponent(urn: string): string[] {
    const resource = this.byUrn.get(urn);
    if (!resource || resource.custom) return [urn];
    return [urn, ...(this.children.get(urn) ?? []).flatMap((child) => this.expandComponent(child.urn))];
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The region of the stack's AWS provider (the program declares exactly one), if set. */
export function providerRegion(resources: RecordedResource[]): string | undefined {
  const regions = resources
    .filter((resource) => resource.type === "pulumi:providers:aws")
    .map((resource) => resource.inputs.region)
    .filter((region): region is string => typeof region === "string");
  return regions[0];
}
