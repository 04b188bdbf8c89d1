/**
 * The architecture diagram of a stack: Graphviz DOT derived from the recorded resources
 * (model.ts), rendered to SVG with Graphviz compiled to WebAssembly (@viz-js/viz, no downloads).
 *
 *   diagramSource(resources, stack)          -> DOT of everything in one picture (pure)
 *   diagramSet(resources, stack)             -> DOT of the overview and of each pipeline (views.ts)
 *   writeDiagram(resources, stack, outDir)   -> <outDir>/architecture-<stack>[-<pipeline>].dot and .svg
 *
 * Text is set in DejaVu Sans (./font.ts): nodes are sized from the font file's metrics.
 */
import * as fs from "fs";
import * as path from "path";
import { instance, type Viz } from "@viz-js/viz";
import type { RecordedResource } from "../synth/mock-run";
import { attributeList, Attributes, quote, safeId } from "./dot";
import { FONT_FAMILY, FONT_STACK, lineHeight, textWidth } from "./font";
import { overviewModel, pipelineModel, pipelinesOf } from "./views";
import { ArchitectureModel, buildModel, DiagramEdge, DiagramNode, EdgeKind, NodeKind } from "./model";

interface ClusterStyle {
  label: string;
  fill: string;
  border: string;
}

/** Top-level clusters in drawing order; `zone:*` and `pipeline:*` groups are derived. */
const CLUSTERS: Record<string, ClusterStyle> = {
  network: {
    label: "Network: the VPC's private subnets, where EMR and Batch run",
    fill: "#f2f2f2",
    border: "#9e9e9e",
  },
  managed: { label: "AWS-managed capacity (Glue), outside the VPC", fill: "#eef4fb", border: "#6b8fbf" },
  "zone:raw": { label: "Data lake · raw zone", fill: "#edf7ed", border: "#66a366" },
  triggers: { label: "Triggers", fill: "#fff4e5", border: "#e0a040" },
  orchestration: { label: "Orchestration", fill: "#f3effa", border: "#8e7cc3" },
  engines: { label: "Engines (one box per pipeline)", fill: "#eef4fb", border: "#6b8fbf" },
  catalog: { label: "Central catalog (Glue Data Catalog)", fill: "#fdf8e4", border: "#c9a227" },
  "zone:curated": { label: "Data lake · curated zone", fill: "#edf7ed", border: "#66a366" },
  "zone:analytics": { label: "Data lake · analytics zone", fill: "#edf7ed", border: "#66a366" },
  "zone:platform": { label: "Data lake · platform buckets", fill: "#f5f5f5", border: "#a0a0a0" },
  warehouse: { label: "Warehouse", fill: "#e8f6f8", border: "#4aa3b5" },
  monitoring: { label: "Monitoring and alerts", fill: "#fdeeee", border: "#d46a6a" },
  cost: { label: "Cost", fill: "#f7f2ea", border: "#a08060" },
};

const NODE_STYLES: Record<NodeKind, Attributes> = {
  vpc: { shape: "box", fillcolor: "#e0e0e0" },
  endpoint: { shape: "box", fillcolor: "#e0e0e0" },
  "security-group": { shape: "box", fillcolor: "#e0e0e0" },
  bucket: { shape: "cylinder", fillcolor: "#c8e6c9" },
  database: { shape: "cylinder", fillcolor: "#fff3c4" },
  crawler: { shape: "box", fillcolor: "#ffe8a3" },
  connection: { shape: "box", fillcolor: "#ffe8a3" },
  "glue-job": { shape: "box", fillcolor: "#cfe2f3" },
  "glue-workflow": { shape: "box", fillcolor: "#e1d5f5" },
  "emr-cluster": { shape: "box3d", fillcolor: "#cfe2f3" },
  "emr-serverless": { shape: "box", fillcolor: "#cfe2f3" },
  "batch-queue": { shape: "box", fillcolor: "#cfe2f3" },
  "batch-job": { shape: "box", fillcolor: "#dbe9f7" },
  "container-repository": { shape: "folder", fillcolor: "#e3ecf5" },
  "state-machine": { shape: "box", fillcolor: "#e1d5f5" },
  schedule: { shape: "box", fillcolor: "#ffe0b2" },
  "event-rule": { shape: "box", fillcolor: "#ffe0b2" },
  warehouse: { shape: "cylinder", fillcolor: "#b2ebf2" },
  topic: { shape: "box", fillcolor: "#f8c0c0" },
  subscriber: { shape: "note", fillcolor: "#ffffff" },
  alarms: { shape: "note", fillcolor: "#fbe3e3" },
  dashboard: { shape: "box", fillcolor: "#ffffff" },
  budget: { shape: "box", fillcolor: "#eadbc8" },
  function: { shape: "box", fillcolor: "#cfe2f3" },
  pipeline: { shape: "box", fillcolor: "#dbe9f7", penwidth: 1.6 },
};

const EDGE_STYLES: Record<EdgeKind, Attributes> = {
  data: { color: "#2e7d32", penwidth: 1.8 },
  control: { color: "#1565c0" },
  event: { color: "#ef6c00", penwidth: 1.4 },
  catalog: { color: "#8d6e00", style: "dashed" },
  alert: { color: "#c62828", penwidth: 1.4 },
  watch: { color: "#9e9e9e", style: "dotted", arrowhead: "open" },
  image: { color: "#607d8b", style: "dashed", arrowhead: "empty" },
};

const LEGEND =
  "edges: green = data · blue = control (starts, runs) · orange = S3 events · " +
  "dashed brown = catalog · red = alerts · dashed grey = container image";

/**
 * Font sizes (points) of the title, cluster titles, node text and edge labels. Graphviz sizes
 * clusters and edge labels with its own table of DejaVu Sans metrics (it knows the font by that
 * exact name, not by a list, and no bold); nodes are sized here from the font file.
 */
const TITLE_SIZE = 13;
const CLUSTER_SIZE = 12;
const NODE_SIZE = 10;
const EDGE_SIZE = 8;
/** Graphviz sets lines of text this many font sizes apart. */
const LINE_SPACING = 1.2;
/** Room between a node's text and its outline, in points. */
const NODE_PADDING = { x: 10, y: 6 };
/** What a shape's outline takes from its box beyond a rectangle's (cylinder caps, 3-D edge, tab). */
const SHAPE_EXTRA: Partial<Record<string, { x: number; y: number }>> = {
  cylinder: { x: 0, y: 16 },
  box3d: { x: 6, y: 6 },
  folder: { x: 6, y: 8 },
  note: { x: 10, y: 0 },
};

/** A node's width and height (inches) from its measured label, for `fixedsize`. */
function nodeSize(kind: NodeKind, lines: string[]): { width: number; height: number } {
  const extra = SHAPE_EXTRA[String(NODE_STYLES[kind].shape)] ?? { x: 0, y: 0 };
  const textW = Math.max(0, ...lines.map((line) => textWidth(line, NODE_SIZE)));
  const textH = Math.max(1, lines.length) * Math.max(NODE_SIZE * LINE_SPACING, lineHeight(NODE_SIZE));
  const inches = (points: number) => Math.ceil((points / 72) * 100) / 100;
  return {
    width: inches(textW + 2 * NODE_PADDING.x + extra.x),
    height: inches(textH + 2 * NODE_PADDING.y + extra.y),
  };
}

export interface DiagramOptions {
  /**
   * Draw an edge from every watched resource to the failure rule or alarm that watches it.
   * Off by default: they cross the whole picture; the watchers' labels count them instead.
   */
  watchEdges?: boolean;
}

/** Graphviz DOT for the stack's architecture: clusters per component, data flow and alert paths. */
export function diagramSource(
  resources: RecordedResource[],
  stack: string,
  options: DiagramOptions = {},
): string {
  const model = buildModel(resources, stack);
  const recorded = resources.filter((resource) => resource.custom).length;
  const project = resources[0]?.urn.split("::")[1] ?? "";
  return renderModel(options.watchEdges ? model : foldWatchEdges(model), project, recorded);
}

/** The diagrams `writeDiagram` writes: the overview and one per pipeline (DOT sources). */
export interface DiagramSet {
  overview: string;
  pipelines: { pipeline: string; source: string }[];
}

/** The overview (pipelines as single nodes) and one diagram per pipeline, as DOT. */
export function diagramSet(resources: RecordedResource[], stack: string): DiagramSet {
  const model = foldWatchEdges(buildModel(resources, stack));
  const recorded = resources.filter((resource) => resource.custom).length;
  const project = resources[0]?.urn.split("::")[1] ?? "";
  return {
    overview: renderModel(overviewModel(model), project, recorded),
    pipelines: pipelinesOf(model).map((pipeline) => ({
      pipeline,
      source: renderModel(pipelineModel(model, pipeline), project, recorded),
    })),
  };
}

const KIND_NAMES: Partial<Record<NodeKind, [string, string]>> = {
  "glue-job": ["Glue job", "Glue jobs"],
  crawler: ["crawler", "crawlers"],
  "batch-queue": ["Batch queue", "Batch queues"],
  "batch-job": ["Batch job", "Batch jobs"],
  "emr-cluster": ["EMR cluster", "EMR clusters"],
  "emr-serverless": ["EMR Serverless app", "EMR Serverless apps"],
  "state-machine": ["state machine", "state machines"],
  "event-rule": ["rule", "rules"],
  schedule: ["schedule", "schedules"],
  topic: ["topic", "topics"],
  pipeline: ["pipeline", "pipelines"],
};

/** Replaces watch edges by a "watches ..." line on the watching node. */
function foldWatchEdges(model: ArchitectureModel): ArchitectureModel {
  const nodes = new Map(model.nodes.map((node) => [node.id, { ...node, lines: [...node.lines] }]));
  const watched = new Map<string, Map<NodeKind, number>>();
  for (const edge of model.edges.filter((candidate) => candidate.kind === "watch")) {
    const kind = nodes.get(edge.from)?.kind;
    if (!kind) continue;
    const counts = watched.get(edge.to) ?? new Map<NodeKind, number>();
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    watched.set(edge.to, counts);
  }
  for (const [id, counts] of watched) {
    const parts = [...counts.entries()].map(([kind, count]) => {
      const [one, many] = KIND_NAMES[kind] ?? [kind, `${kind}s`];
      return `${count} ${count === 1 ? one : many}`;
    });
    const node = nodes.get(id)!;
    node.lines.splice(node.kind === "alarms" ? 2 : node.lines.length, 0, `watches ${parts.join(", ")}`);
  }
  return {
    ...model,
    nodes: model.nodes.map((node) => nodes.get(node.id)!),
    edges: model.edges.filter((edge) => edge.kind !== "watch"),
  };
}

function renderModel(model: ArchitectureModel, project: string, recorded: number): string {
  const lines: string[] = [];
  lines.push(`digraph ${quote(`architecture-${model.stack}`)} {`);
  lines.push(
    `  graph${attributeList({
      label: `${project ? `${project} · ` : ""}stack ${model.stack}: ${model.nodes.length} nodes drawn from ${recorded} resources\n${LEGEND}`,
      labelloc: "t",
      fontname: FONT_FAMILY,
      fontsize: TITLE_SIZE,
      rankdir: "LR",
      compound: "true",
      newrank: "true",
      nodesep: 0.25,
      ranksep: 0.6,
      pad: 0.3,
    })};`,
  );
  lines.push(
    `  node${attributeList({ shape: "box", style: "rounded,filled", fontname: FONT_FAMILY, fontsize: NODE_SIZE, fixedsize: "true" })};`,
  );
  lines.push(`  edge${attributeList({ fontname: FONT_FAMILY, fontsize: EDGE_SIZE, arrowsize: 0.7 })};`);

  const byGroup = new Map<string, DiagramNode[]>();
  for (const node of model.nodes) {
    const list = byGroup.get(node.group) ?? [];
    list.push(node);
    byGroup.set(node.group, list);
  }
  const pipelineGroups = [...byGroup.keys()].filter((group) => group.startsWith("pipeline:")).sort();
  const known = new Set([...Object.keys(CLUSTERS), ...pipelineGroups]);
  const zoneGroups = [...byGroup.keys()]
    .filter((group) => group.startsWith("zone:") && !known.has(group))
    .sort();

  for (const group of [...Object.keys(CLUSTERS), ...zoneGroups]) {
    if (group === "engines") {
      if (pipelineGroups.length === 0) continue;
      const style = CLUSTERS.engines;
      lines.push(...clusterOpen("cluster_engines", style.label, style, "  "));
      for (const pipelineGroup of pipelineGroups) {
        const nodes = byGroup.get(pipelineGroup)!;
        const name = pipelineGroup.slice("pipeline:".length);
        const tier = nodes.find((node) => node.slaTier)?.slaTier;
        const label = name === "shared" ? "shared engines" : `pipeline ${name}${tier ? ` · ${tier}` : ""}`;
        lines.push(
          ...clusterOpen(`cluster_pipeline_${safeId(name)}`, label, { ...style, fill: "#ffffff" }, "    "),
        );
        lines.push(...nodes.map((node) => `      ${nodeStatement(node)}`));
        lines.push("    }");
      }
      lines.push("  }");
      continue;
    }
    const nodes = byGroup.get(group);
    if (!nodes) continue;
    const style = CLUSTERS[group] ?? {
      label: `Data lake · ${group.slice("zone:".length)}`,
      fill: "#edf7ed",
      border: "#66a366",
    };
    lines.push(...clusterOpen(`cluster_${safeId(group.replace(":", "_"))}`, style.label, style, "  "));
    lines.push(...nodes.map((node) => `    ${nodeStatement(node)}`));
    lines.push("  }");
  }
  for (const node of byGroup.get("other") ?? []) lines.push(`  ${nodeStatement(node)}`);

  for (const edge of model.edges) lines.push(`  ${edgeStatement(edge)}`);
  const ordered = columns(model);
  ordered.forEach((column, index) => {
    if (column.length > 1) lines.push(`  { rank="same"; ${column.map((id) => `${quote(id)};`).join(" ")} }`);
    // An invisible edge keeps the columns in their left-to-right order.
    const next = ordered[index + 1];
    if (next) lines.push(`  ${quote(column[0])} -> ${quote(next[0])} [style="invis", weight="0"];`);
  });
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/**
 * Left-to-right columns: sources, triggers, orchestration, engines, targets, catalog, warehouse,
 * monitoring, alert topic, recipients. Pinning each kind to a column keeps clusters compact
 * (without it, a cluster whose members sit at different depths of the flow spans the whole width).
 */
function columnOf(node: DiagramNode, targets: Set<string>): number {
  switch (node.kind) {
    case "vpc":
    case "endpoint":
    case "security-group":
      return 0;
    case "bucket":
      return targets.has(node.id) ? 5 : 0;
    case "connection":
      return 5;
    case "schedule":
      return 1;
    case "event-rule":
      return node.group === "monitoring" ? 9 : 1;
    case "state-machine":
    case "glue-workflow":
      return 2;
    case "batch-queue":
    case "container-repository":
      return 3;
    case "glue-job":
    case "emr-cluster":
    case "emr-serverless":
    case "batch-job":
    case "function":
    case "pipeline":
      return 4;
    case "crawler":
      return 6;
    case "database":
      return 7;
    case "warehouse":
      return 8;
    case "alarms":
    case "budget":
    case "dashboard":
      return 9;
    case "topic":
      return 10;
    case "subscriber":
      return 11;
  }
}

function columns(model: ArchitectureModel): string[][] {
  const targets = new Set(model.edges.filter((edge) => edge.kind === "data").map((edge) => edge.to));
  const byColumn = new Map<number, string[]>();
  for (const node of model.nodes) {
    const column = columnOf(node, targets);
    byColumn.set(column, [...(byColumn.get(column) ?? []), node.id]);
  }
  return [...byColumn.entries()].sort(([a], [b]) => a - b).map(([, ids]) => ids);
}

function clusterOpen(id: string, label: string, style: ClusterStyle, indent: string): string[] {
  return [
    `${indent}subgraph ${quote(id)} {`,
    `${indent}  graph${attributeList({
      label,
      style: "rounded,filled",
      fillcolor: style.fill,
      color: style.border,
      fontname: FONT_FAMILY,
      fontsize: CLUSTER_SIZE,
      margin: 12,
    })};`,
  ];
}

function nodeStatement(node: DiagramNode): string {
  const labelLines = node.lines.filter((line) => line.length > 0);
  return `${quote(node.id)}${attributeList({
    ...NODE_STYLES[node.kind],
    ...nodeSize(node.kind, labelLines),
    label: labelLines.join("\n"),
    tooltip: node.refs.filter((ref) => ref.startsWith("arn:")).sort()[0] ?? node.id,
  })};`;
}

function edgeStatement(edge: DiagramEdge): string {
  return `${quote(edge.from)} -> ${quote(edge.to)}${attributeList({
    ...EDGE_STYLES[edge.kind],
    label: edge.labels.join("\n"),
    tooltip: `${edge.kind}: ${edge.from} -> ${edge.to}`,
  })};`;
}

let vizInstance: Promise<Viz> | undefined;

/** Renders DOT to SVG with the dot layout engine; throws with Graphviz's messages when it cannot. */
export async function renderSvg(dot: string): Promise<string> {
  vizInstance ??= instance();
  const viz = await vizInstance;
  const result = viz.render(dot, { format: "svg", engine: "dot" });
  if (result.status !== "success") {
    throw new Error(
      `Graphviz could not render the diagram: ${result.errors.map((e) => e.message).join("; ")}`,
    );
  }
  // Name the fallbacks too, for viewers without DejaVu Sans (Graphviz writes the one name it measured).
  return result.output.split(`font-family="${FONT_FAMILY}"`).join(`font-family="${FONT_STACK}"`);
}

/** File name part for a stack name (stack names are `[\w.-]+`; anything else is replaced). */
function fileSafe(stack: string): string {
  return stack.replace(/[^\w.-]/g, "_");
}

export interface WrittenDiagrams {
  /** The overview. */
  svgPath: string;
  sourcePath: string;
  /** One SVG per pipeline (each with its .dot beside it). */
  pipelineSvgPaths: string[];
}

/**
 * Writes `<outDir>/architecture-<stack>.dot` and `.svg` (the overview) and
 * `architecture-<stack>-<pipeline>.dot` and `.svg` per pipeline; creates outDir.
 */
export async function writeDiagram(
  resources: RecordedResource[],
  stack: string,
  outDir: string,
): Promise<WrittenDiagrams> {
  const set = diagramSet(resources, stack);
  await fs.promises.mkdir(outDir, { recursive: true });
  const write = async (name: string, source: string): Promise<string> => {
    const base = path.join(outDir, name);
    await fs.promises.writeFile(`${base}.dot`, source, "utf8");
    await fs.promises.writeFile(`${base}.svg`, await renderSvg(source), "utf8");
    return `${base}.svg`;
  };
  const svgPath = await write(`architecture-${fileSafe(stack)}`, set.overview);
  const pipelineSvgPaths: string[] = [];
  for (const { pipeline, source } of set.pipelines) {
    pipelineSvgPaths.push(await write(`architecture-${fileSafe(stack)}-${fileSafe(pipeline)}`, source));
  }
  return { svgPath, sourcePath: svgPath.replace(/\.svg$/, ".dot"), pipelineSvgPaths };
}
