/**
 * The architecture graph's data types and the index it is built in (see model.ts for how
 * resources become nodes and edges).
 */
import type { RecordedResource } from "../synth/mock-run";
import { wrapLabel } from "./dot";
import { DataRef, str, tagsOf } from "./inputs";

export type NodeKind =
  | "vpc"
  | "endpoint"
  | "security-group"
  | "bucket"
  | "database"
  | "crawler"
  | "connection"
  | "glue-job"
  | "glue-workflow"
  | "emr-cluster"
  | "emr-serverless"
  | "batch-queue"
  | "batch-job"
  | "container-repository"
  | "state-machine"
  | "schedule"
  | "event-rule"
  | "warehouse"
  | "topic"
  | "subscriber"
  | "alarms"
  | "dashboard"
  | "budget"
  | "function"
  /** A whole pipeline as one node (the overview). */
  | "pipeline";

export type EdgeKind = "data" | "control" | "event" | "catalog" | "alert" | "watch" | "image";

export interface DiagramNode {
  id: string;
  kind: NodeKind;
  /** Lines of the label, first line the resource kind. */
  lines: string[];
  /** Cluster key (see GROUPS): "network", "zone:raw", "pipeline:daily-sales", ... */
  group: string;
  /** Names, ARNs and IDs other resources use to refer to this one. */
  refs: string[];
  /** The `pipeline` tag, when the resource belongs to one pipeline. */
  pipeline?: string;
  slaTier?: string;
}

export interface DiagramEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  labels: string[];
}

export interface ArchitectureModel {
  stack: string;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The graph under construction: nodes indexed by every name, ARN and ID other resources use to
 * refer to them, merged edges, and the component tree of the recorded resources.
 */
export class ArchitectureGraph {
  readonly nodes = new Map<string, DiagramNode>();
  protected readonly edges = new Map<string, DiagramEdge>();
  private readonly byUrn = new Map<string, RecordedResource>();
  private readonly refIndex = new Map<string, Set<string>>();
  private readonly nodeOfUrn = new Map<string, string>();

  /** The resources in URN order: the registration order of a run must not change the picture. */
  protected readonly resources: RecordedResource[];

  constructor(
    resources: readonly RecordedResource[],
    protected readonly stack: string,
  ) {
    this.resources = [...resources].sort((a, b) => compareText(a.urn, b.urn));
    for (const resource of this.resources) this.byUrn.set(resource.urn, resource);
  }

  /** The nearest component ancestor (a non-custom resource other than the stack). */
  component(resource: RecordedResource): RecordedResource | undefined {
    let parent = resource.parent ? this.byUrn.get(resource.parent) : undefined;
    while (parent && (parent.custom || parent.type === "pulumi:pulumi:Stack")) {
      if (parent.type === "pulumi:pulumi:Stack") return undefined;
      parent = parent.parent ? this.byUrn.get(parent.parent) : undefined;
    }
    return parent;
  }

  /** `bdp:<area>:<Name>` -> area of the outermost platform component. */
  area(resource: RecordedResource): string | undefined {
    let component = this.component(resource);
    let area: string | undefined;
    while (component) {
      const match = /^[\w-]+:([\w-]+):/.exec(component.type);
      if (match) area = match[1];
      component = this.component(component);
    }
    return area;
  }

  addNode(
    resource: RecordedResource | undefined,
    node: Omit<DiagramNode, "refs" | "pipeline" | "slaTier"> & {
      refs?: (string | undefined)[];
      pipeline?: string;
      slaTier?: string;
    },
  ): DiagramNode {
    const tags = resource ? tagsOf(resource) : {};
    const existing = this.nodes.get(node.id);
    const refs = [
      ...(node.refs ?? []),
      ...(resource
        ? [
            str(resource.outputs.arn),
            str(resource.inputs.arn),
            str(resource.outputs.id),
            str(resource.inputs.name),
            str(resource.outputs.name),
          ]
        : []),
    ].filter((ref): ref is string => ref !== undefined);
    const merged: DiagramNode = existing ?? {
      id: node.id,
      kind: node.kind,
      lines: node.lines,
      group: node.group,
      refs: [],
      pipeline: node.pipeline ?? tags.pipeline,
      slaTier: node.slaTier ?? tags["sla-tier"],
    };
    for (const ref of refs) {
      if (!merged.refs.includes(ref)) merged.refs.push(ref);
      let set = this.refIndex.get(ref);
      if (!set) this.refIndex.set(ref, (set = new Set()));
      set.add(merged.id);
    }
    this.nodes.set(merged.id, merged);
    if (resource) this.nodeOfUrn.set(resource.urn, merged.id);
    return merged;
  }

  /** Nodes that go by `ref` (ARN, name, id), optionally only of the given kinds. */
  resolve(ref: string | undefined, kinds?: NodeKind[]): DiagramNode[] {
    if (!ref) return [];
    const candidates = [ref];
    // A Batch job definition ARN with a revision also names the definition without it.
    const withoutRevision = /^(arn:[^:]+:batch:.*:job-definition\/[^:]+):\d+$/.exec(ref);
    if (withoutRevision) candidates.push(withoutRevision[1]);
    const ids = new Set<string>();
    for (const candidate of candidates) for (const id of this.refIndex.get(candidate) ?? []) ids.add(id);
    return [...ids]
      .map((id) => this.nodes.get(id)!)
      .filter((node) => !kinds || kinds.includes(node.kind))
      .sort((a, b) => compareText(a.id, b.id));
  }

  nodesOfKind(kind: NodeKind): DiagramNode[] {
    return [...this.nodes.values()].filter((node) => node.kind === kind);
  }

  nodeOf(resource: RecordedResource): string | undefined {
    return this.nodeOfUrn.get(resource.urn);
  }

  addEdge(from: string | undefined, to: string | undefined, kind: EdgeKind, label?: string): void {
    if (!from || !to || from === to || !this.nodes.has(from) || !this.nodes.has(to)) return;
    const key = `${from}\u0000${to}\u0000${kind}`;
    let edge = this.edges.get(key);
    if (!edge) this.edges.set(key, (edge = { from, to, kind, labels: [] }));
    if (label && !edge.labels.includes(label)) edge.labels.push(label);
  }

  /** Data edges between an engine node and the buckets its arguments name. */
  addDataRefs(engine: string | undefined, refs: DataRef[]): void {
    for (const ref of refs) {
      for (const bucket of this.resolve(ref.bucket, ["bucket"])) {
        if (ref.direction === "in") this.addEdge(bucket.id, engine, "data", wrapLabel(ref.label, 44));
        else this.addEdge(engine, bucket.id, "data", wrapLabel(ref.label, 44));
      }
    }
  }

  /** The graph as plain data, sorted so that the same resources always give the same text. */
  toModel(): ArchitectureModel {
    const nodes = [...this.nodes.values()].sort((a, b) => compareText(a.id, b.id));
    const edges = [...this.edges.values()].sort(
      (a, b) => compareText(a.from, b.from) || compareText(a.to, b.to) || compareText(a.kind, b.kind),
    );
    return { stack: this.stack, nodes, edges };
  }
}
