/**
 * `npm run plan -- --stack <name>`: what a stack declares, its monthly cost estimate, the policy
 * pack's verdict on it, and the deploy rules (what AWS would reject), offline (mocks, no AWS, no
 * Pulumi CLI).
 *
 *   --stack NAME              the stack (Pulumi.NAME.yaml); required
 *   --format text|json|sarif  output on stdout (default text)
 *   --policy-pack DIR         the policy pack to run (default policies)
 *   --policy-config FILE      policy config in --policy-pack-config format
 *                             (default DIR/config/NAME.json when it exists, else the pack's defaults)
 *   --no-policies             skip the policy check
 *   --fail-on LEVEL           mandatory (default) | advisory | none: which findings exit 1
 *   --out DIR                 also write report.txt, report.json, report.sarif (and the diagram) to DIR
 *   --policy-timeout SECONDS  how long the pack may take to start (default 60)
 *
 * Exit codes: 0 ok, 1 a finding at or above --fail-on, 2 a stack AWS would reject (a deploy-rules
 * error), or a usage, config, policy-pack or internal error.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { formatCostReport } from "../../decisions/cost/report";
import { PROJECT } from "../../infra/config";
import {
  assertPolicyPackDir,
  PolicyRunnerError,
  PolicySession,
  readPolicyConfigFile,
} from "../policy-runner";
import type { StartOptions } from "../policy-runner/pack-process";
import { buildJsonReport, costEstimateOf, formatJsonReport } from "../reports/json-report";
import { buildPolicyReport, FAIL_ON_VALUES, FailOn, PolicyReport } from "../reports/model";
import { buildSarif, formatSarif } from "../reports/sarif";
import { formatDeployRulesText, formatPolicyText } from "../reports/text";
import { readStackConfig } from "../synth/stack-config";
import { writeOutDir } from "./outputs";
import { formatPlanText, PlanReport, PlanUsageError, runPlan } from "./plan";

const USAGE = [
  "usage: npm run plan -- --stack <name> [--format text|json|sarif] [--policy-pack DIR | --no-policies]",
  "         [--policy-config FILE] [--fail-on mandatory|advisory|none] [--out DIR] [--policy-timeout SECONDS]",
].join("\n");

const FORMATS = ["text", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];

/** A policy session handed to main(); `release` ends it (or, for a shared one, does nothing). */
export interface OpenedSession {
  session: PolicySession;
  release(): Promise<void>;
}

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Starts the pack; tests pass one that reuses a running pack. */
  openPolicySession(packDir: string, start: StartOptions): Promise<OpenedSession>;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  openPolicySession: async (packDir, start) => {
    const session = await PolicySession.start(packDir, start);
    return { session, release: () => session.close() };
  },
};

class UsageError extends Error {}

interface Options {
  stack: string;
  format: Format;
  policies: boolean;
  packDir: string;
  configFile?: string;
  failOn: FailOn;
  out?: string;
  startTimeoutMs: number;
}

function parse(argv: string[]): Options | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        format: { type: "string", default: "text" },
        "policy-pack": { type: "string" },
        "policy-config": { type: "string" },
        "no-policies": { type: "boolean" },
        "fail-on": { type: "string", default: "mandatory" },
        out: { type: "string" },
        "policy-timeout": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  const stack = values.stack as string | undefined;
  if (!stack) throw new UsageError("--stack is required");
  const format = values.format as string;
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be text, json or sarif, got "${format}"`);
  }
  const failOn = values["fail-on"] as string;
  if (!(FAIL_ON_VALUES as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be ${FAIL_ON_VALUES.join(", ")}, got "${failOn}"`);
  }
  const policies = !values["no-policies"];
  if (!policies) {
    for (const flag of ["policy-pack", "policy-config", "policy-timeout"]) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} cannot be combined with --no-policies`);
    }
    if (format === "sarif")
      throw new UsageError("--format sarif reports the policy check; drop --no-policies");
  }
  let startTimeoutMs = 60_000;
  if (values["policy-timeout"] !== undefined) {
    const seconds = Number(values["policy-timeout"]);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new UsageError(
        `--policy-timeout must be a positive number of seconds, got "${values["policy-timeout"]}"`,
      );
    }
    startTimeoutMs = seconds * 1000;
  }
  const out = values.out as string | undefined;
  if (out !== undefined && out.trim() === "") throw new UsageError("--out needs a directory");
  return {
    stack,
    format: format as Format,
    policies,
    packDir: (values["policy-pack"] as string | undefined) ?? "policies",
    configFile: values["policy-config"] as string | undefined,
    failOn: failOn as FailOn,
    out,
    startTimeoutMs,
  };
}

function renderText(plan: PlanReport, policies: PolicyReport | null, notes: string[]): string {
  const parts = [formatPlanText(plan)];
  const estimate = costEstimateOf(plan);
  parts.push(estimate ? formatCostReport(estimate).trimEnd() : "Monthly cost estimate: not available");
  parts.push(policies ? formatPolicyText(policies).trimEnd() : "Policy check: skipped (--no-policies)");
  parts.push(formatDeployRulesText(plan.deployRules).trimEnd());
  if (notes.length > 0) parts.push(notes.join("\n"));
  return `${parts.join("\n\n")}\n`;
}

async function checkPolicies(
  options: Options,
  plan: PlanReport,
  io: CliIo,
  notes: string[],
): Promise<PolicyReport> {
  const packDir = path.resolve(options.packDir);
  let configFile = options.configFile;
  if (configFile === undefined) {
    const fallback = path.join(packDir, "config", `${options.stack}.json`);
    if (fs.existsSync(fallback)) configFile = fallback;
    else
      notes.push(
        `No policy config ${path.relative(process.cwd(), fallback)}: the pack's default levels apply`,
      );
  }
  const opened = await io.openPolicySession(packDir, { startTimeoutMs: options.startTimeoutMs });
  try {
    const result = await opened.session.evaluate({
      stack: options.stack,
      project: PROJECT,
      resources: plan.resources,
      configFile,
      estimatedMonthlyUsd: costEstimateOf(plan)?.total,
      stackConfig: readStackConfig(options.stack, PROJECT),
    });
    return buildPolicyReport(plan, result, options.failOn);
  } finally {
    await opened.release();
  }
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let options: Options | "help";
  try {
    options = parse(argv);
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (options === "help") {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  try {
    if (options.policies) {
      // Fail fast on a bad pack or config file, before the synthesis.
      assertPolicyPackDir(options.packDir);
      if (options.configFile) readPolicyConfigFile(options.configFile);
    }
    const plan = await runPlan(options.stack);
    const notes: string[] = [];
    const policies = options.policies ? await checkPolicies(options, plan, io, notes) : null;

    const json = formatJsonReport(buildJsonReport(plan, PROJECT, policies));
    const sarif = policies ? formatSarif(buildSarif(plan, policies, plan.deployRules)) : undefined;
    let text = renderText(plan, policies, notes);
    if (options.out) {
      const written = await writeOutDir(options.out, { text, json, sarif }, plan.resources, plan.stack);
      for (const warning of written.warnings) io.stderr(`warning: ${warning}\n`);
      notes.push(...written.notes);
      text = renderText(plan, policies, notes);
    }
    if (options.format === "json") io.stdout(json);
    else if (options.format === "sarif") io.stdout(sarif!);
    else io.stdout(text);
    if (options.format !== "text" && notes.length > 0) io.stderr(`${notes.join("\n")}\n`);
    if (plan.deployRules.rejected) {
      const { errors } = plan.deployRules.summary;
      io.stderr(
        `error: AWS would reject stack ${plan.stack}: ${errors} deploy-rule error${errors === 1 ? "" : "s"} (see "Deploy rules" in the report)\n`,
      );
      return 2;
    }
    return policies?.failed ? 1 : 0;
  } catch (error) {
    if (error instanceof PlanUsageError || error instanceof PolicyRunnerError) {
      io.stderr(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // Exit once stdout has taken the whole report.
    (code) => process.stdout.write("", () => process.exit(code)),
    (error) => {
      process.stderr.write(`plan failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(2);
    },
  );
}
