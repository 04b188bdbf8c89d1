/**
 * `npm run plan -- --stack <name>`: what a stack declares, its monthly cost estimate, the policy
 * pack's verdict on it, and the deploy rules (what AWS would reject), offline (mocks, no AWS, no
 * Pulumi CLI).
 *
 * The flags are declared once in PLAN_CLI below (`npm run plan -- --help` prints them).
 *
 * Exit codes: 0 ok, 1 a finding at or above --fail-on, 2 a stack AWS would reject (a deploy-rules
 * error), or a usage, config, policy-pack or internal error.
 */
import * as fs from "fs";
import * as path from "path";
import { CliOutput, defineCli, ParsedFlags, parseCommandLine, processOutput, UsageError } from "../cli/args";
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

const FORMATS = ["text", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];

export const PLAN_CLI = defineCli({
  command: "npm run plan --",
  summary: "What a stack declares, its monthly cost estimate and the policy pack's verdict on it, offline.",
  flags: {
    stack: { type: "string", valueName: "NAME", required: true, description: "the stack: Pulumi.NAME.yaml" },
    format: { type: "string", choices: FORMATS, default: "text", description: "output on stdout" },
    "policy-pack": {
      type: "string",
      valueName: "DIR",
      description: "the policy pack to run (default policies)",
    },
    "policy-config": {
      type: "string",
      valueName: "FILE",
      description: "policy config, --policy-pack-config format (default DIR/config/NAME.json if present)",
    },
    policies: { type: "boolean", default: true, description: "skip the policy check" },
    "fail-on": {
      type: "string",
      choices: FAIL_ON_VALUES,
      default: "mandatory",
      description: "which findings exit 1",
    },
    out: {
      type: "string",
      valueName: "DIR",
      description: "also write report.txt, report.json, report.sarif and the diagram to DIR",
    },
    "policy-timeout": {
      type: "number",
      valueName: "SECONDS",
      above: 0,
      default: 60,
      description: "how long the pack may take to start",
    },
  },
  epilogue:
    "Exit codes: 0 ok, 1 a finding at or above --fail-on, 2 usage, config, policy-pack or internal error.",
});

/** A policy session handed to main(); `release` ends it (or, for a shared one, does nothing). */
export interface OpenedSession {
  session: PolicySession;
  release(): Promise<void>;
}

export interface CliIo extends CliOutput {
  /** Starts the pack; tests pass one that reuses a running pack. */
  openPolicySession(packDir: string, start: StartOptions): Promise<OpenedSession>;
}

export const processIo: CliIo = {
  ...processOutput,
  openPolicySession: async (packDir, start) => {
    const session = await PolicySession.start(packDir, start);
    return { session, release: () => session.close() };
  },
};

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

/** The plan's rules across flags, on top of what the declaration checks. */
function toOptions(
  values: ParsedFlags<typeof PLAN_CLI.flags>,
  given: ReadonlySet<keyof typeof PLAN_CLI.flags>,
): Options {
  if (!values.policies) {
    for (const flag of ["policy-pack", "policy-config", "policy-timeout"] as const) {
      if (given.has(flag)) throw new UsageError(`--${flag} cannot be combined with --no-policies`);
    }
    if (values.format === "sarif")
      throw new UsageError("--format sarif reports the policy check; drop --no-policies");
  }
  return {
    stack: values.stack,
    format: values.format,
    policies: values.policies,
    packDir: values["policy-pack"] ?? "policies",
    configFile: values["policy-config"],
    failOn: values["fail-on"],
    out: values.out,
    startTimeoutMs: values["policy-timeout"] * 1000,
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
  opened: OpenedSession,
  stackConfig: Record<string, string>,
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
  try {
    const result = await opened.session.evaluate({
      stack: options.stack,
      project: PROJECT,
      resources: plan.resources,
      configFile,
      estimatedMonthlyUsd: costEstimateOf(plan)?.total,
      stackConfig,
    });
    return buildPolicyReport(plan, result, options.failOn);
  } finally {
    await opened.release();
  }
}

/** The stack's config map; an unknown or unreadable stack file is a usage error. */
function stackConfigOf(stack: string): Record<string, string> {
  try {
    return readStackConfig(stack, PROJECT);
  } catch (error) {
    throw new PlanUsageError((error as Error).message);
  }
}

/**
 * Runs `work` while `opening` (something slow to start, such as the policy pack) gets ready: both
 * are under way at once. Returns work's result and what was opened. When `work` fails, what was
 * opened is released and work's error thrown; when only the opening fails, its error is thrown
 * once `work` is done (so a synthesis error still comes first, as when nothing ran alongside).
 */
export async function alongside<T, O>(
  work: () => Promise<T>,
  opening: Promise<O> | undefined,
  release: (opened: O) => Promise<void>,
): Promise<{ result: T; opened?: O }> {
  // Handled below; this keeps an early failure from counting as unhandled meanwhile.
  opening?.catch(() => undefined);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await opening?.then(release, () => undefined);
    throw error;
  }
  return { result, opened: await opening };
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const commandLine = parseCommandLine(PLAN_CLI, argv, io, toOptions);
  if (!commandLine.run) return commandLine.exitCode;
  const options = commandLine.options;
  try {
    if (options.policies) {
      // Fail fast on a bad pack or config file, before the synthesis.
      assertPolicyPackDir(options.packDir);
      if (options.configFile) readPolicyConfigFile(options.configFile);
    }
    const stackConfig = stackConfigOf(options.stack);
    // The pack starts while the stack is synthesized: the two share nothing until evaluate().
    const { result: plan, opened } = await alongside(
      () => runPlan(options.stack, stackConfig),
      options.policies
        ? io.openPolicySession(path.resolve(options.packDir), { startTimeoutMs: options.startTimeoutMs })
        : undefined,
      (session) => session.release(),
    );
    const notes: string[] = [];
    const policies = opened ? await checkPolicies(options, plan, opened, stackConfig, notes) : null;

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
