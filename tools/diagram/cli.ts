/**
 * `npx ts-node --transpile-only tools/diagram/cli.ts --stack <name> [--out <dir>]`: synthesizes the
 * stack under mocks and writes its architecture diagram (DOT and SVG). Exit codes: 0 ok, 2 usage
 * or config error.
 */
import * as path from "path";
import { parseArgs } from "util";
import { ConfigError, PROJECT } from "../../infra/config";
import { synthesizePlatform } from "../synth/program";
import { readStackConfig, REPO_ROOT, StackFileError } from "../synth/stack-config";
import { writeDiagram } from "./diagram";

const USAGE = "usage: ts-node tools/diagram/cli.ts --stack <name> [--out <dir>]  (default out: out/diagram)";

export async function main(argv: string[]): Promise<number> {
  let values: { stack?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        out: { type: "string", default: path.join(REPO_ROOT, "out", "diagram") },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.stack) {
    process.stderr.write(`error: --stack is required\n${USAGE}\n`);
    return 2;
  }
  try {
    const config = readStackConfig(values.stack, PROJECT);
    const { resources } = await synthesizePlatform(config, values.stack);
    const written = await writeDiagram(resources, values.stack, values.out!);
    process.stdout.write(`${written.sourcePath}\n${written.svgPath}\n`);
    return 0;
  } catch (error) {
    if (error instanceof StackFileError || error instanceof ConfigError) {
      process.stderr.write(`error: ${error.message}\n`);
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
