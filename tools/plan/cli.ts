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
import {
  assertPolicyPackDir,
  PolicyRunnerError,
  PolicyEvaluation,
  PolicySession,
  readPolicyConfigFile,
  releaseGarbage,
} from "../policy-runner";
import type { StartOptions } from "../policy-runner/pack-process";
import { buildJsonReport, costEstimateOf, formatJsonReport } from "../reports/json-report";
import { buildPolicyReport, FAIL_ON_VALUES, FailOn, PolicyReport } from "../reports/model";
import { buildSarif, formatSarif } from "../reports/sarif";
import { buildSummary, formatSummaryText, monthlyTotalUsd } from "../reports/summary";
import { formatDeployRulesText, formatPolicyText } from "../reports/text";
import { REPO_ROOT } from "../synth/stack-config";
import { BaseRefError, planAtBase } from "./base";
import {
  diffSnapshots,
  formatChangeMarkdown,
  formatChangeText,
  PlanChange,
  snapshotFindings,
  snapshotOf,
} from "./change";
import { writeOutDir } from "./outputs";
import { formatPlanText, PlanReport, PlanUsageError } from "./plan";
import { PlanTarget, programTarget, repositoryTarget } from "./target";

const FORMATS = ["text", "json", "sarif", "markdown"] as const;
type Format = (typeof FORMATS)[number];

export const PLAN_CLI = defineCli({
  command: "npm run plan --",
  summary: "What a stack declares, its monthly cost estimate and the policy pack's verdict on it, offline.",
  flags: {
    stack: {
      type: "string",
      valueName: "NAME",
      description: "the stack: Pulumi.NAME.yaml (required without --program)",
    },
    program: {
      type: "string",
      valueName: "DIR",
      description:
        "plan another Pulumi TypeScript program: its folder (Pulumi.yaml; --stack defaults to its only stack file)",
    },
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
    base: {
      type: "string",
      valueName: "REF",
      description: "also plan the stack at git REF (a temporary worktree) and report what changes",
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
    "--format markdown (with --base) writes the change as a pull-request comment.\n" +
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
  stack?: string;
  program?: string;
  format: Format;
  policies: boolean;
  packDir: string;
  configFile?: string;
  failOn: FailOn;
  out?: string;
  base?: string;
  startTimeoutMs: number;
}

/** The plan's rules across flags, on top of what the declaration checks. */
function toOptions(
  values: ParsedFlags<typeof PLAN_CLI.flags>,
  given: ReadonlySet<keyof typeof PLAN_CLI.flags>,
): Options {
  if (values.stack === undefined && values.program === undefined) {
    throw new UsageError("--stack is required (or --program DIR to plan another program)");
  }
  if (!values.policies) {
    for (const flag of ["policy-pack", "policy-config", "policy-timeout"] as const) {
      if (given.has(flag)) throw new UsageError(`--${flag} cannot be combined with --no-policies`);
    }
    if (values.format === "sarif")
      throw new UsageError("--format sarif reports the policy check; drop --no-policies");
  }
  if (values.format === "markdown" && values.base === undefined)
    throw new UsageError("--format markdown writes the change since a base: add --base REF");
  if (values.base !== undefined && (values.format === "json" || values.format === "sarif"))
    throw new UsageError(`--base reports its change as text or markdown, not --format ${values.format}`);
  if (values.base !== undefined && values.program !== undefined)
    throw new UsageError(
      "--base plans this repository's stacks at a git ref; it cannot be combined with --program",
    );
  if (values.base !== undefined && values.base.trim() === "")
    throw new UsageError("--base needs a git ref (a branch, tag or commit), e.g. --base origin/main");
  return {
    stack: values.stack,
    program: values.program,
    format: values.format,
    policies: values.policies,
    packDir: values["policy-pack"] ?? "policies",
    configFile: values["policy-config"],
    failOn: values["fail-on"],
    out: values.out,
    base: values.base,
    startTimeoutMs: values["policy-timeout"] * 1000,
  };
}

/** Summary first (one screen), then the cost, policy and deploy-rule details, then every resource. */
export function renderText(
  plan: PlanReport,
  policies: PolicyReport | null,
  notes: string[],
  files: string[] = [],
  change?: PlanChange,
): string {
  const parts = [formatSummaryText(buildSummary(plan, policies, files)).trimEnd()];
  if (change) parts.push(formatChangeText(change).trimEnd());
  const estimate = costEstimateOf(plan);
  parts.push(estimate ? formatCostReport(estimate).trimEnd() : "Monthly cost estimate: not available");
  parts.push(policies ? formatPolicyText(policies).trimEnd() : "Policy check: skipped (--no-policies)");
  parts.push(formatDeployRulesText(plan.deployRules).trimEnd());
  parts.push(formatPlanText(plan));
  if (notes.length > 0) parts.push(notes.join("\n"));
  return `${parts.join("\n\n")}\n`;
}

/** The policy config the check uses: --policy-config, or the target's default (or a note why there is none). */
function policyConfigFile(options: Options, target: PlanTarget, notes: string[]): string | undefined {
  if (options.configFile !== undefined) return options.configFile;
  const fallback = target.defaultPolicyConfig(path.resolve(options.packDir));
  if ("file" in fallback) return fallback.file;
  notes.push(fallback.note);
  return undefined;
}

/** Finishes the evaluation fed during the synthesis (AnalyzeStack with the cost estimate) and judges it. */
async function checkPolicies(
  options: Options,
  target: PlanTarget,
  plan: PlanReport,
  opened: OpenedSession,
  evaluation: PolicyEvaluation,
): Promise<PolicyReport> {
  try {
    const result = await evaluation.finish(plan.resources, monthlyTotalUsd(plan));
    return buildPolicyReport(plan, result, options.failOn, target.project);
  } finally {
    await opened.release();
  }
}

/** Plans the stack at `ref` too and compares it with this plan. */
async function changeSinceBase(
  options: Options,
  ref: string,
  plan: PlanReport,
  policies: PolicyReport | null,
): Promise<PlanChange> {
  const findings = policies ? snapshotFindings(policies.findings) : null;
  const head = snapshotOf(plan.stack, plan.resources, costEstimateOf(plan), findings, REPO_ROOT);
  // --base comes with --stack only (toOptions), so the stack is known.
  const base = await planAtBase({ root: REPO_ROOT, ref, stack: options.stack!, policies: options.policies });
  return diffSnapshots(base, head, ref);
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
    const target = options.program
      ? programTarget(options.program, options.stack)
      : repositoryTarget(options.stack!);
    const notes: string[] = [];
    // The pack starts while the stack is synthesized, and analyzes each resource as the synthesis
    // records it, as the engine has a pack analyze resources during a preview.
    const opening = options.policies
      ? io.openPolicySession(path.resolve(options.packDir), { startTimeoutMs: options.startTimeoutMs })
      : undefined;
    const evaluation = opening
      ? PolicyEvaluation.begin(
          opening.then((opened) => opened.session),
          {
            stack: target.stack,
            project: target.project,
            configFile: policyConfigFile(options, target, notes),
            stackConfig: target.stackConfig,
          },
        )
      : undefined;
    const { result: plan, opened } = await alongside(
      () => target.plan(evaluation && ((resource) => evaluation.add(resource))),
      opening,
      (session) => session.release(),
    );
    // The synthesis is over: what it held is garbage now, before the pack's peak (AnalyzeStack).
    releaseGarbage();
    const policies =
      opened && evaluation ? await checkPolicies(options, target, plan, opened, evaluation) : null;

    const change = options.base ? await changeSinceBase(options, options.base, plan, policies) : undefined;

    const json = formatJsonReport(buildJsonReport(plan, target.project, policies));
    const sarif = policies ? formatSarif(buildSarif(plan, policies, plan.deployRules)) : undefined;
    let text = renderText(plan, policies, notes, [], change);
    if (options.out) {
      const written = await writeOutDir(options.out, { text, json, sarif }, plan.resources, plan.stack);
      for (const warning of written.warnings) io.stderr(`warning: ${warning}\n`);
      notes.push(...written.notes);
      // The summary names the files written, report.txt among them: write it again with them.
      if (change) {
        const comment = path.join(options.out, "change.md");
        fs.writeFileSync(comment, formatChangeMarkdown(change));
        written.files.push(comment);
      }
      text = renderText(plan, policies, notes, written.files, change);
      fs.writeFileSync(path.join(options.out, "report.txt"), text);
    }
    if (options.format === "json") io.stdout(json);
    else if (options.format === "sarif") io.stdout(sarif!);
    else if (options.format === "markdown") io.stdout(formatChangeMarkdown(change!));
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
    if (
      error instanceof PlanUsageError ||
      error instanceof PolicyRunnerError ||
      error instanceof BaseRefError
    ) {
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
