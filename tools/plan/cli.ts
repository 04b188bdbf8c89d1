/**
 * `npm run plan -- --stack <name> [--format text|json]`: what a stack declares, offline.
 * Exit codes: 0 ok, 2 usage or config error.
 */
import { parseArgs } from "util";
import { formatPlanText, PlanUsageError, runPlan } from "./plan";

const USAGE = "usage: npm run plan -- --stack <name> [--format text|json]";

export async function main(argv: string[]): Promise<number> {
  let values: { stack?: string; format?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        format: { type: "string", default: "text" },
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
  if (values.format !== "text" && values.format !== "json") {
    process.stderr.write(`error: --format must be text or json, got "${values.format}"\n${USAGE}\n`);
    return 2;
  }
  try {
    const report = await runPlan(values.stack);
    if (values.format === "json") {
      const { resources: _resources, ...summary } = report;
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      process.stdout.write(`${formatPlanText(report)}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof PlanUsageError) {
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
      process.stderr.write(`plan failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
