/**
 * The diagram's font and its real metrics. The SVG names DejaVu Sans (shipped by the npm package
 * dejavu-fonts-ttf, and installed on most Linux desktops) with fallbacks, and every label is
 * measured here with the font file's own advance widths, so the boxes Graphviz draws fit the text
 * a renderer with DejaVu Sans sets. Graphviz compiled to WebAssembly has no fonts of its own: it
 * would estimate widths with Times metrics, too narrow for DejaVu Sans.
 */
import * as fs from "fs";
import * as path from "path";
import { Font, parse } from "opentype.js";

export const FONT_FAMILY = "DejaVu Sans";
/** What the SVG names: the measured font first, then look-alikes of similar width. */
export const FONT_STACK = "DejaVu Sans, Verdana, Bitstream Vera Sans, sans-serif";

export type FontWeight = "regular" | "bold";

const FONT_FILES: Record<FontWeight, string> = {
  regular: "DejaVuSans.ttf",
  bold: "DejaVuSans-Bold.ttf",
};

/** The TrueType files of the font, for renderers that take font files (resvg). */
export function fontFiles(): string[] {
  const dir = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
  return Object.values(FONT_FILES).map((file) => path.join(dir, file));
}

const loaded = new Map<FontWeight, Font>();

function font(weight: FontWeight): Font {
  let found = loaded.get(weight);
  if (!found) {
    const file = fontFiles()[weight === "regular" ? 0 : 1];
    const bytes = fs.readFileSync(file);
    found = parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    loaded.set(weight, found);
  }
  return found;
}

/**
 * The width of `text` set in the font at `size` points: the sum of the glyphs' advance widths.
 * Renderers may kern pairs closer, never wider, so this is what the text needs at most.
 */
export function textWidth(text: string, size: number, weight: FontWeight = "regular"): number {
  const metrics = font(weight);
  let units = 0;
  for (const char of text) units += metrics.charToGlyph(char).advanceWidth ?? metrics.unitsPerEm;
  return (units / metrics.unitsPerEm) * size;
}

/** The height of one line (ascender to descender) at `size` points. */
export function lineHeight(size: number, weight: FontWeight = "regular"): number {
  const metrics = font(weight);
  return ((metrics.ascender - metrics.descender) / metrics.unitsPerEm) * size;
}
