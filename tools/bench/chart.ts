/**
 * The benchmark's chart: time and memory against the number of pipelines, as a standalone SVG (two
 * panels side by side, linear axes, so linear growth shows as a straight line).
 */

export interface Series {
  label: string;
  /** [pipelines, value] */
  points: [number, number][];
  color: string;
  dashed?: boolean;
}

export interface Panel {
  title: string;
  unit: string;
  series: Series[];
  /** A horizontal line for a target, if any. */
  limit?: { value: number; label: string };
}

const PANEL_WIDTH = 420;
const PANEL_HEIGHT = 330;
/** The bottom margin holds the axis label and the legend. */
const MARGIN = { left: 58, right: 16, top: 36, bottom: 76 };

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** 1, 2 or 5 times a power of ten, so that `max` spans about five ticks. */
export function tickStep(max: number): number {
  if (!(max > 0)) return 1;
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((f) => f * power).find((step) => step >= rough)!;
}

function format(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString("en-US") : String(Number(value.toPrecision(3)));
}

function panel(p: Panel, offsetX: number, xs: number[]): string {
  const plotWidth = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const xMax = Math.max(...xs);
  // Room above the highest value and the limit line, so neither runs along the top edge.
  const top = Math.max(...p.series.flatMap((s) => s.points.map(([, y]) => y)), p.limit?.value ?? 0) * 1.1;
  const yStep = tickStep(top);
  const yMax = Math.ceil(top / yStep) * yStep || yStep;
  const x = (value: number) => offsetX + MARGIN.left + (value / xMax) * plotWidth;
  const y = (value: number) => MARGIN.top + plotHeight - (value / yMax) * plotHeight;
  const parts: string[] = [];
  parts.push(
    `<text x="${offsetX + MARGIN.left}" y="20" class="title">${escapeXml(p.title)} (${escapeXml(p.unit)})</text>`,
  );
  for (let value = 0; value <= yMax + 1e-9; value += yStep) {
    parts.push(
      `<line x1="${x(0)}" x2="${x(xMax)}" y1="${y(value)}" y2="${y(value)}" class="grid"/>`,
      `<text x="${x(0) - 6}" y="${y(value) + 4}" class="tick" text-anchor="end">${format(value)}</text>`,
    );
  }
  for (const value of xs) {
    parts.push(
      `<line x1="${x(value)}" x2="${x(value)}" y1="${y(0)}" y2="${y(0) + 4}" class="axis"/>`,
      `<text x="${x(value)}" y="${y(0) + 17}" class="tick" text-anchor="middle">${format(value)}</text>`,
    );
  }
  parts.push(
    `<line x1="${x(0)}" x2="${x(xMax)}" y1="${y(0)}" y2="${y(0)}" class="axis"/>`,
    `<line x1="${x(0)}" x2="${x(0)}" y1="${y(0)}" y2="${y(yMax)}" class="axis"/>`,
    `<text x="${x(xMax / 2)}" y="${y(0) + 32}" class="tick" text-anchor="middle">pipelines</text>`,
  );
  if (p.limit) {
    parts.push(
      `<line x1="${x(0)}" x2="${x(xMax)}" y1="${y(p.limit.value)}" y2="${y(p.limit.value)}" class="limit"/>`,
      `<text x="${x(xMax)}" y="${y(p.limit.value) - 4}" class="tick limit-label" text-anchor="end">${escapeXml(p.limit.label)}</text>`,
    );
  }
  p.series.forEach((s, index) => {
    const points = s.points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(" ");
    const dash = s.dashed ? ' stroke-dasharray="5 4"' : "";
    parts.push(`<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const [px, py] of s.points) {
      parts.push(
        `<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3" fill="${s.color}"><title>${escapeXml(
          `${s.label}: ${format(px)} pipelines, ${format(py)} ${p.unit}`,
        )}</title></circle>`,
      );
    }
    const legendY = y(0) + 48 + index * 15;
    parts.push(
      `<line x1="${x(0) + 10}" x2="${x(0) + 28}" y1="${legendY}" y2="${legendY}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${x(0) + 34}" y="${legendY + 4}" class="tick">${escapeXml(s.label)}</text>`,
    );
  });
  return parts.join("\n");
}

/** Both panels as one SVG document; `caption` lines go under them (where the figures come from). */
export function chartSvg(panels: [Panel, Panel], xs: number[], caption: string[]): string {
  const width = PANEL_WIDTH * 2;
  const height = PANEL_HEIGHT + 8 + caption.length * 15;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    "<style>.title{font-size:14px;font-weight:bold}.tick{font-size:11px;fill:#333}.grid{stroke:#e4e4e4}.axis{stroke:#333}.limit{stroke:#c0392b;stroke-dasharray:2 3}.limit-label{fill:#c0392b}</style>",
    `<rect width="${width}" height="${height}" fill="white"/>`,
    panel(panels[0], 0, xs),
    panel(panels[1], PANEL_WIDTH, xs),
    ...caption.map(
      (line, index) =>
        `<text x="${MARGIN.left}" y="${PANEL_HEIGHT + 12 + index * 15}" class="tick">${escapeXml(line)}</text>`,
    ),
    "</svg>",
    "",
  ].join("\n");
}
