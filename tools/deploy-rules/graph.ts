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

  constructor(readonly resources: RecordedResource[]) {
    for (const resource of resources) {
      this.byUrn.set(resource.urn, resource);
      if (resource.parent) {
        this.children.set(resource.parent, [...(this.children.get(resource.parent) ?? []), resource]);
      }
    }
  }

  get(urn: string | undefined): RecordedResource | undefined {
    return urn === undefined ? undefined : this.byUrn.get(urn);
  }

  ofType(type: string): RecordedResource[] {
    return this.resources.filter((resource) => resource.type === type);
  }

  /** Cloud resources: custom resources other than providers. */
  cloudResources(): RecordedResource[] {
    return this.resources.filter(
      (resource) => resource.custom && !resource.type.startsWith("pulumi:providers:"),
    );
  }

  /** The resource whose physical id (as the engine reports it) is `id`, if the stack declares it. */
  byPhysicalId(id: unknown): RecordedResource | undefined {
    if (typeof id !== "string") return undefined;
    return this.resources.find((resource) => resource.custom && resource.outputs.id === id);
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

/** The region of the stack's AWS provider (the program declares exactly one), if set. */
export function providerRegion(resources: RecordedResource[]): string | undefined {
  const regions = resources
    .filter((resource) => resource.type === "pulumi:providers:aws")
    .map((resource) => resource.inputs.region)
    .filter((region): region is string => typeof region === "string");
  return regions[0];
}
