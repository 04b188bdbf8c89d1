/**
 * `--out DIR`: the report files (report.txt, report.json, report.sarif) and the architecture
 * diagram. The diagram comes from tools/diagram/diagram.ts, loaded on demand: while that module is
 * absent the plan notes it and goes on, so neither tool blocks the other.
 */
import * as fs from "fs";
import * as path from "path";
import type { RecordedResource } from "../synth/mock-run";

export interface RenderedReports {
  text: string;
  json: string;
  /** Absent when the policy check did not run (a SARIF log without a tool run would mislead). */
  sarif?: string;
}

/** The diagram writer tools/diagram/diagram.ts is expected to export. */
export type WriteDiagram = (
  resources: RecordedResource[],
  stack: string,
  outDir: string,
) => Promise<{ svgPath: string; sourcePath: string; pipelineSvgPaths?: string[] }>;

export const DIAGRAM_MODULE = path.join(__dirname, "..", "diagram", "diagram");

/** Loads writeDiagram if the diagram module exists; undefined otherwise. */
export async function loadWriteDiagram(modulePath = DIAGRAM_MODULE): Promise<WriteDiagram | undefined> {
  try {
    require.resolve(modulePath);
  } catch {
    return undefined;
  }
  const mod = (await import(modulePath)) as { writeDiagram?: unknown };
  return typeof mod.writeDiagram === "function" ? (mod.writeDiagram as WriteDiagram) : undefined;
}

/** Writes the reports into `dir` (created if needed); returns notes for the user. */
export async function writeOutDir(
  dir: string,
  rendered: RenderedReports,
  resources: RecordedResource[],
  stack: string,
  diagramModule = DIAGRAM_MODULE,
): Promise<{ notes: string[]; warnings: string[]; files: string[] }> {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    files.push(file);
  };
  write("report.txt", rendered.text);
  write("report.json", rendered.json);
  if (rendered.sarif !== undefined) write("report.sarif", rendered.sarif);
  const notes = [`Reports written to ${dir}: ${files.map((f) => path.basename(f)).join(", ")}`];
  const warnings: string[] = [];

  const writeDiagram = await loadWriteDiagram(diagramModule).catch((error: Error) => {
    warnings.push(`diagram module failed to load: ${error.message}`);
    return undefined;
  });
  if (writeDiagram) {
    try {
      const { svgPath, sourcePath, pipelineSvgPaths = [] } = await writeDiagram(resources, stack, dir);
      files.push(svgPath, sourcePath, ...pipelineSvgPaths);
      const perPipeline =
        pipelineSvgPaths.length > 0 ? `; one per pipeline: ${pipelineSvgPaths.length} more` : "";
      notes.push(`Diagram written to ${svgPath} (source ${sourcePath})${perPipeline}`);
    } catch (error) {
      warnings.push(`diagram not written: ${(error as Error).message}`);
    }
  } else if (warnings.length === 0) {
    notes.push("Diagram skipped: tools/diagram/diagram.ts (writeDiagram) is not available");
  }
  return { notes, warnings, files };
}
