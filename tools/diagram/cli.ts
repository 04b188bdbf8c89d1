/**
 * `npx ts-node --transpile-only tools/diagram/cli.ts --stack <name> [--out <dir>]`: synthesizes the
 * stack under mocks and writes its architecture diagram (DOT and SVG). Exit codes: 0 ok, 2 usage
 * or config error.
 */
import * as path from "path";
import { CliOutput, defineCli, parseCommandLine, processOutput } from "../cli/args";
import { ConfigError, PROJECT } from "../../infra/config";
import { synthesizePlatform } from "../synth/program";
import { readStackConfig, REPO_ROOT, StackFileError } from "../synth/stack-config";
import { writeDiagram } from "./diagram";

export const DIAGRAM_CLI = defineCli({
  command: "npx ts-node --transpile-only tools/diagram/cli.ts",
  summary: "Synthesizes the stack under mocks and writes its architecture diagram (DOT and SVG).",
  flags: {
    stack: { type: "string", valueName: "NAME", required: true, description: "the stack: Pulumi.NAME.yaml" },
    out: {
      type: "string",
      valueName: "DIR",
      default: path.join(REPO_ROOT, "out", "diagram"),
      description: "where to write architecture-NAME.dot and .svg",
    },
  },
  epilogue: "Exit codes: 0 ok, 2 usage or config error.",
});

export async function main(argv: string[], output: CliOutput = processOutput): Promise<number> {
  const commandLine = parseCommandLine(DIAGRAM_CLI, argv, output);
  if (!commandLine.run) return commandLine.exitCode;
  const { stack, out } = commandLine.options;
  try {
    const config = readStackConfig(stack, PROJECT);
    const { resources } = await synthesizePlatform(config, stack);
    const written = await writeDiagram(resources, stack, out);
    output.stdout(`${written.sourcePath}\n${written.svgPath}\n`);
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
