/**
 * `npx ts-node --transpile-only tools/diagram/cli.ts --stack <name> [--out <dir>]`: synthesizes the
 * stack under mocks and writes its architecture diagram (DOT and SVG). Exit codes: 0 ok, 2 usage
 * or config error.
 */
import * as fs from "fs";
import * as path from "path";
import { CliOutput, defineCli, parseCommandLine, processOutput } from "../cli/args";
import { ConfigError, PROJECT } from "../../infra/config";
import { synthesizePlatform } from "../synth/program";
import { readStackConfig, REPO_ROOT, StackFileError } from "../synth/stack-config";
import { writeDiagram } from "./diagram";
import { renderPng } from "./png";

/** Writes NAME.png beside NAME.svg; returns its path. */
function writePng(svgPath: string): string {
  const pngPath = svgPath.replace(/\.svg$/, ".png");
  fs.writeFileSync(pngPath, renderPng(fs.readFileSync(svgPath, "utf8")));
  return pngPath;
}

export const DIAGRAM_CLI = defineCli({
  command: "npx ts-node --transpile-only tools/diagram/cli.ts",
  summary: "Synthesizes the stack under mocks and writes its architecture diagram (DOT and SVG).",
  flags: {
    stack: { type: "string", valueName: "NAME", required: true, description: "the stack: Pulumi.NAME.yaml" },
    out: {
      type: "string",
      valueName: "DIR",
      default: path.join(REPO_ROOT, "out", "diagram"),
      description: "where to write architecture-NAME.dot and .svg (and one pair per pipeline)",
    },
    png: { type: "boolean", default: false, description: "also write a PNG beside each SVG" },
  },
  epilogue: "Exit codes: 0 ok, 2 usage or config error.",
});

export async function main(argv: string[], output: CliOutput = processOutput): Promise<number> {
  const commandLine = parseCommandLine(DIAGRAM_CLI, argv, output);
  if (!commandLine.run) return commandLine.exitCode;
  const { stack, out, png } = commandLine.options;
  try {
    const config = readStackConfig(stack, PROJECT);
    const { resources } = await synthesizePlatform(config, stack);
    const written = await writeDiagram(resources, stack, out);
    const svgs = [written.svgPath, ...written.pipelineSvgPaths];
    const pngs = png ? svgs.map((svg) => writePng(svg)) : [];
    output.stdout(`${[written.sourcePath, ...svgs, ...pngs].join("\n")}\n`);
    return 0;
  } catch (error) {
    if (error instanceof StackFileError || error instanceof ConfigError) {
      output.stderr(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`diagram failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
