/**
 * PNG rendering of the diagrams (`--png`), to look at them as a reader would: resvg with the
 * diagram's own font files (./font.ts), no system fonts, so the picture is the same on every machine.
 */
import type { Resvg as ResvgClass } from "@resvg/resvg-js";
import { FONT_FAMILY, fontFiles } from "./font";

/** The SVG as PNG bytes, at `zoom` times its size in points. */
export function renderPng(svg: string, zoom = 1.5): Buffer {
  // Loaded on demand: a development dependency, needed only for --png.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Resvg } = require("@resvg/resvg-js") as { Resvg: typeof ResvgClass };
  const renderer = new Resvg(svg, {
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    fitTo: { mode: "zoom", value: zoom },
  });
  return renderer.render().asPng();
}
