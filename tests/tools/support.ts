/** Shared helpers of tests/tools: schema validators for the reports, and the CLI run in-process. */
import * as fs from "fs";
import * as path from "path";
import Ajv, { ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { CliIo, main, processIo } from "../../tools/plan/cli";
import { PolicySession } from "../../tools/policy-runner";

export const ROOT = path.resolve(__dirname, "..", "..");

const SCHEMAS = path.join(ROOT, "tools", "reports", "schemas");

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function errorsOf(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 10)
    .map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`)
    .join("\n");
}

let sarif07: ValidateFunction | undefined;
let sarif2020: ValidateFunction | undefined;

/**
 * Validates a SARIF log against the SARIF 2.1.0 schema, with ajv's draft-07 validator (the schema's
 * meta-schema reference switched to draft-07; it uses no keyword whose meaning differs) and with the
 * 2020-12 validator the file declares. Returns the problems, empty when valid.
 */
export function sarifProblems(log: unknown): string[] {
  if (!sarif07 || !sarif2020) {
    const schema = readJson(path.join(SCHEMAS, "sarif-schema-2.1.0.json"));
    const ajv07 = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv07);
    const draft07 = { ...schema, $schema: "http://json-schema.org/draft-07/schema#" };
    if (!ajv07.validateSchema(draft07))
      throw new Error(`SARIF schema is not draft-07: ${ajv07.errorsText()}`);
    sarif07 = ajv07.compile(draft07);
    const ajv2020 = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv2020);
    sarif2020 = ajv2020.compile(schema);
  }
  const problems: string[] = [];
  if (!sarif07(log)) problems.push(`draft-07: ${errorsOf(sarif07)}`);
  if (!sarif2020(log)) problems.push(`2020-12: ${errorsOf(sarif2020)}`);
  return problems;
}

let report: ValidateFunction | undefined;

/** Validates a JSON plan report against tools/reports/schemas/plan-report.schema.json. */
export function planReportProblems(value: unknown): string[] {
  if (!report) {
    const ajv = new Ajv({ strict: true, allErrors: true });
    addFormats(ajv);
    report = ajv.compile(readJson(path.join(SCHEMAS, "plan-report.schema.json")));
  }
  return report(value) ? [] : [errorsOf(report)];
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the plan CLI's main() in this process. Runs with the default pack reuse `shared` (a
 * running PolicySession) instead of starting the pack again; other packs start as usual.
 */
export async function runMain(args: string[], shared?: PolicySession): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    openPolicySession: async (packDir, start) =>
      shared && path.resolve(packDir) === path.join(ROOT, "policies")
        ? { session: shared, release: async () => undefined }
        : processIo.openPolicySession(packDir, start),
  };
  const status = await main(args, io);
  return { status, stdout, stderr };
}

/** Writes a policy config file into `dir` and returns its path. */
export function writeConfig(dir: string, name: string, config: Record<string, unknown>): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
