/**
 * The diagrams are readable: every text element, measured with the font the SVG names (DejaVu
 * Sans, tools/diagram/font.ts), lies inside its node's or cluster's outline, edge labels lie inside
 * the picture, and no edge of the overview passes through a pipeline it does not connect. For the
 * dev and prod stacks, the overview and every pipeline's diagram.
 */
import { strict as assert } from "assert";
import { PROJECT } from "../../infra/config";
import { diagramSet, renderSvg } from "../../tools/diagram/diagram";
import { FONT_FAMILY, textWidth } from "../../tools/diagram/font";
import { synthesizePlatform } from "../../tools/synth/program";
import { readStackConfig } from "../../tools/synth/stack-config";

interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

interface SvgText {
  text: string;
  x: number;
  y: number;
  anchor: string;
  size: number;
  bold: boolean;
  family: string;
}

interface SvgElement {
  kind: "node" | "cluster" | "edge" | "graph";
  title: string;
  box: Box | null;
  texts: SvgText[];
  /** Points along the element's paths (edges: sampled Bézier curves). */
  points: [number, number][];
}

const decode = (text: string) =>
  text
    .replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

function numbers(text: string): number[] {
  return (text.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
}

/** Points of a path's `d` (M, C and L commands as Graphviz writes them), curves sampled. */
function pathPoints(d: string): [number, number][] {
  const values = numbers(d);
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < values.length; i += 2) pairs.push([values[i], values[i + 1]]);
  if (!/C/.test(d)) return pairs;
  const points: [number, number][] = [pairs[0]];
  for (let i = 1; i + 2 < pairs.length; i += 3) {
    const [p0, p1, p2, p3] = [pairs[i - 1], pairs[i], pairs[i + 1], pairs[i + 2]];
    for (let step = 1; step <= 20; step++) {
      const t = step / 20;
      const u = 1 - t;
      points.push([
        u ** 3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t ** 3 * p3[0],
        u ** 3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t ** 3 * p3[1],
      ]);
    }
  }
  return points;
}

function boxOf(points: [number, number][]): Box | null {
  if (points.length === 0) return null;
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}

/** Graphviz's SVG: one group per graph, cluster, node and edge, in order. */
function parseSvg(svg: string): SvgElement[] {
  const starts = [...svg.matchAll(/<g id="[^"]*" class="(graph|cluster|node|edge)"[^>]*>/g)];
  return starts.map((start, index) => {
    const body = svg.slice(start.index! + start[0].length, starts[index + 1]?.index ?? svg.length);
    const outline: [number, number][] = [];
    const points: [number, number][] = [];
    for (const tag of body.match(/<(polygon|polyline|path|ellipse)\b[^>]*>/g) ?? []) {
      if (tag.startsWith("<ellipse")) {
        const [cx, cy, rx, ry] = ["cx", "cy", "rx", "ry"].map((name) => Number(attr(tag, name)));
        outline.push([cx - rx, cy - ry], [cx + rx, cy + ry]);
        continue;
      }
      const raw = attr(tag, tag.startsWith("<path") ? "d" : "points") ?? "";
      const found = pathPoints(tag.startsWith("<path") ? raw : `M${raw}`);
      points.push(...found);
      // An edge's arrowhead polygon is part of the edge, not an outline.
      outline.push(...found);
    }
    const texts = [...body.matchAll(/<text\b([^>]*)>([\s\S]*?)<\/text>/g)].map(([, tag, content]) => ({
      text: decode(content),
      x: Number(attr(tag, "x")),
      y: Number(attr(tag, "y")),
      anchor: attr(tag, "text-anchor") ?? "start",
      size: Number(attr(tag, "font-size")),
      bold: attr(tag, "font-weight") === "bold",
      family: attr(tag, "font-family") ?? "",
    }));
    return {
      kind: start[1] as SvgElement["kind"],
      title: decode(/<title>([\s\S]*?)<\/title>/.exec(body)?.[1] ?? ""),
      box: boxOf(outline),
      texts,
      points,
    };
  });
}

/** Where a text element's glyphs lie: its measured width and the font's ascent and descent. */
function textBox(text: SvgText): Box {
  const width = textWidth(text.text, text.size, text.bold ? "bold" : "regular");
  const left =
    text.anchor === "middle" ? text.x - width / 2 : text.anchor === "end" ? text.x - width : text.x;
  // DejaVu Sans: ascender 1901, descender 483 of 2048 units per em.
  return { minX: left, maxX: left + width, minY: text.y - 0.93 * text.size, maxY: text.y + 0.24 * text.size };
}

const inside = (inner: Box, outer: Box, tolerance = 0.5) =>
  inner.minX >= outer.minX - tolerance &&
  inner.maxX <= outer.maxX + tolerance &&
  inner.minY >= outer.minY - tolerance &&
  inner.maxY <= outer.maxY + tolerance;

const show = (box: Box) =>
  `[${box.minX.toFixed(1)}, ${box.minY.toFixed(1)} .. ${box.maxX.toFixed(1)}, ${box.maxY.toFixed(1)}]`;

/** Every problem of one rendered diagram (empty: readable). */
function problems(svg: string): string[] {
  const found: string[] = [];
  const elements = parseSvg(svg);
  const picture = elements.find((element) => element.kind === "graph")!.box!;
  for (const element of elements) {
    for (const text of element.texts) {
      if (!text.family.startsWith(FONT_FAMILY))
        found.push(`${element.title}: "${text.text}" in ${text.family}`);
      const box = textBox(text);
      const outer = element.kind === "node" || element.kind === "cluster" ? element.box : picture;
      if (!outer || !inside(box, outer))
        found.push(
          `${element.kind} ${element.title}: "${text.text}" ${show(box)} outside ${outer ? show(outer) : "-"}`,
        );
    }
  }
  // No edge passes through the box of a pipeline it does not connect.
  const pipelines = elements.filter(
    (element) => element.kind === "node" && element.title.startsWith("pipeline:"),
  );
  for (const edge of elements.filter((element) => element.kind === "edge")) {
    const [from, to] = edge.title.split("->");
    for (const node of pipelines) {
      if (node.title === from || node.title === to) continue;
      const box = node.box!;
      const through = edge.points.find(
        ([x, y]) => x > box.minX + 1 && x < box.maxX - 1 && y > box.minY + 1 && y < box.maxY - 1,
      );
      if (through)
        found.push(`edge ${edge.title} passes through ${node.title} at ${through.map((v) => v.toFixed(1))}`);
    }
  }
  return found;
}

describe("readable diagrams", function () {
  this.timeout(240_000);

  it("finds a label wider than its box (the check can fail)", async () => {
    const svg = await renderSvg(
      'digraph g { node [fontname="DejaVu Sans", fontsize=10, fixedsize=true, width=0.5, height=0.3]; a [label="a label far wider than half an inch"]; }',
    );
    assert.ok(
      problems(svg).some((problem) => problem.includes("a label far wider")),
      problems(svg).join("\n"),
    );
  });

  for (const stack of ["dev", "prod"]) {
    describe(stack, () => {
      let set: ReturnType<typeof diagramSet>;
      before(async () => {
        const { resources } = await synthesizePlatform(readStackConfig(stack, PROJECT), stack);
        set = diagramSet(resources, stack);
      });

      it("overview: pipelines as single nodes, text inside its boxes, no edge through another pipeline", async () => {
        const svg = await renderSvg(set.overview);
        assert.deepEqual(problems(svg), []);
        const nodes = parseSvg(svg).filter((element) => element.kind === "node");
        const pipelineNodes = nodes.filter((node) => node.title.startsWith("pipeline:"));
        assert.equal(pipelineNodes.length, set.pipelines.length);
        assert.ok(
          nodes.some((node) => node.title.startsWith("warehouse:") || node.title.includes("warehouse")),
        );
        assert.ok(
          nodes.some((node) => node.title.startsWith("topic:")),
          "the alert topic",
        );
        // Engines that run in the VPC are drawn inside the network cluster.
        assert.match(set.overview, /subgraph "cluster_network" \{[\s\S]*?"pipeline:[^"]+"/);
      });

      it("one diagram per pipeline, text inside its boxes", async () => {
        assert.ok(set.pipelines.length >= 4);
        for (const { pipeline, source } of set.pipelines) {
          assert.deepEqual(problems(await renderSvg(source)), [], pipeline);
        }
      });
    });
  }
});
