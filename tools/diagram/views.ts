/**
 * The diagrams a reader can take in at a glance, cut from the full architecture model:
 *
 * - the overview: each pipeline one node, the data flowing from the raw zone through the pipelines
 *   to the curated and analytics zones and the warehouse, and the alert path to the topic and its
 *   recipients. Pipelines whose engines run in the VPC (EMR, Batch on Fargate) sit inside the
 *   network cluster; Glue runs on AWS-managed capacity outside it.
 * - one diagram per pipeline: its trigger, orchestration, engines (inside the network when they
 *   run there), the buckets and databases it reads and writes, its alarms and where they alert.
 *
 * Pure: model in, model out.
 */
import type { ArchitectureModel, DiagramEdge, DiagramNode, NodeKind } from "./graph";

/** Engine kinds that run in the stack's private subnets. */
const VPC_ENGINE_KINDS: ReadonlySet<NodeKind> = new Set([
  "emr-cluster",
  "emr-serverless",
  "batch-queue",
  "batch-job",
]);

/** Shared nodes the overview keeps: where data lands and is served, and who gets the alerts. */
const OVERVIEW_SHARED_KINDS: ReadonlySet<NodeKind> = new Set([
  "bucket",
  "database",
  "warehouse",
  "topic",
  "subscriber",
  "vpc",
]);

/** Shared nodes a pipeline's diagram keeps when the pipeline's nodes connect to them. */
const PIPELINE_NEIGHBOUR_KINDS: ReadonlySet<NodeKind> = new Set([
  "bucket",
  "database",
  "warehouse",
  "topic",
  "subscriber",
  "crawler",
  "container-repository",
  // What starts it, when the schedule or rule is not tagged with the pipeline.
  "schedule",
  "event-rule",
]);

/** The pipeline a node belongs to: its `pipeline` tag, or the pipeline cluster it is drawn in. */
export function pipelineOf(node: DiagramNode): string | undefined {
  if (node.pipeline) return node.pipeline;
  if (node.group.startsWith("pipeline:") && node.group !== "pipeline:shared") return node.group.slice(9);
  return undefined;
}

/** The pipelines of the model, sorted. */
export function pipelinesOf(model: ArchitectureModel): string[] {
  return [
    ...new Set(model.nodes.map(pipelineOf).filter((name): name is string => name !== undefined)),
  ].sort();
}

/** Merges edges with the same ends and kind, joining their labels; drops loops. */
function mergeEdges(edges: DiagramEdge[]): DiagramEdge[] {
  const merged = new Map<string, DiagramEdge>();
  for (const edge of edges) {
    if (edge.from === edge.to) continue;
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.kind}`;
    const existing = merged.get(key);
    if (existing) existing.labels = [...new Set([...existing.labels, ...edge.labels])];
    else merged.set(key, { ...edge, labels: [...edge.labels] });
  }
  return [...merged.values()];
}

const ENGINE_NAMES: Partial<Record<NodeKind, string>> = {
  "glue-job": "Glue",
  "emr-cluster": "EMR on EC2",
  "emr-serverless": "EMR Serverless",
  "batch-queue": "AWS Batch",
  "batch-job": "AWS Batch",
  "state-machine": "Step Functions",
  "glue-workflow": "Glue workflow",
  schedule: "schedule",
  "event-rule": "EventBridge rule",
};

/** Each pipeline as one node; shared storage, catalog, warehouse and alerting kept; the rest left out. */
export function overviewModel(model: ArchitectureModel): ArchitectureModel {
  const byPipeline = new Map<string, DiagramNode[]>();
  for (const node of model.nodes) {
    const pipeline = pipelineOf(node);
    if (pipeline) byPipeline.set(pipeline, [...(byPipeline.get(pipeline) ?? []), node]);
  }
  const target = new Map<string, string>();
  const nodes: DiagramNode[] = [];
  for (const [pipeline, members] of [...byPipeline].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const id = `pipeline:${pipeline}`;
    const kinds = new Set(members.map((node) => node.kind));
    const runs = [...new Set([...kinds].map((kind) => ENGINE_NAMES[kind]).filter(Boolean))];
    const tier = members.find((node) => node.slaTier)?.slaTier;
    nodes.push({
      id,
      kind: "pipeline",
      lines: [`pipeline ${pipeline}`, ...(tier ? [`${tier} tier`] : []), runs.join(" · ")],
      group: [...kinds].some((kind) => VPC_ENGINE_KINDS.has(kind)) ? "network" : "managed",
      refs: [],
      pipeline,
      slaTier: tier,
    });
    for (const member of members) target.set(member.id, id);
  }
  for (const node of model.nodes) {
    if (target.has(node.id) || !OVERVIEW_SHARED_KINDS.has(node.kind)) continue;
    // Platform buckets (artifacts, logs) are plumbing at this scale.
    if (node.kind === "bucket" && node.group === "zone:platform") continue;
    nodes.push(node);
    target.set(node.id, node.id);
  }
  const edges = model.edges
    .filter((edge) => edge.kind !== "watch" && edge.kind !== "image")
    .filter((edge) => target.has(edge.from) && target.has(edge.to))
    .map((edge) => ({
      ...edge,
      from: target.get(edge.from)!,
      to: target.get(edge.to)!,
      // Inside a pipeline node the object keys say little; the overview names the flow only.
      labels: [],
    }));
  return { stack: model.stack, nodes, edges: mergeEdges(edges) };
}

/** One pipeline with what it touches; engines that run in the VPC drawn inside the network. */
export function pipelineModel(model: ArchitectureModel, pipeline: string): ArchitectureModel {
  const own = new Set(model.nodes.filter((node) => pipelineOf(node) === pipeline).map((node) => node.id));
  const kept = new Set(own);
  for (const edge of model.edges) {
    if (edge.kind === "watch") continue;
    const [inside, other] = own.has(edge.from) ? [edge.from, edge.to] : [edge.to, edge.from];
    if (!own.has(inside)) continue;
    const node = model.nodes.find((candidate) => candidate.id === other);
    if (node && !pipelineOf(node) && PIPELINE_NEIGHBOUR_KINDS.has(node.kind)) kept.add(other);
  }
  // Alerts reach recipients through the topic: keep the topic's subscribers.
  for (const edge of model.edges) {
    if (edge.kind === "alert" && kept.has(edge.from)) kept.add(edge.to);
  }
  const usesVpc = model.nodes.some((node) => own.has(node.id) && VPC_ENGINE_KINDS.has(node.kind));
  const nodes = model.nodes
    .filter((node) => kept.has(node.id) || (usesVpc && node.kind === "vpc"))
    .map((node) =>
      own.has(node.id) && VPC_ENGINE_KINDS.has(node.kind) ? { ...node, group: "network" } : node,
    );
  const ids = new Set(nodes.map((node) => node.id));
  const edges = model.edges.filter((edge) => edge.kind !== "watch" && ids.has(edge.from) && ids.has(edge.to));
  return { stack: `${model.stack} · pipeline ${pipeline}`, nodes, edges };
}
