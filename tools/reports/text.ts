/**
 * Plain-text rendering of the policy check (findings by level and policy, exemptions, the verdict)
 * and of the deploy rules (findings by level and rule, why AWS rejects them, the fix).
 */
import type { DeployReportFinding, DeployRulesReport } from "./deploy-rules";
import type { FindingLevel, LocatedResource, PolicyReport } from "./model";
import { firstSentence } from "./sarif";

function where(f: Pick<LocatedResource, "component" | "location">): string {
  const parts: string[] = [];
  if (f.component) {
    const source = f.component.source ? `, ${f.component.source.file}:${f.component.source.line}` : "";
    parts.push(`component ${f.component.type} "${f.component.name}"${source}`);
  }
  parts.push(`${f.location.file}:${f.location.line}${f.location.key ? ` (${f.location.key})` : ""}`);
  return parts.join("; ");
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}

/**
 * Findings under a title, grouped by `keyOf` (policy or rule): a header line per group (`header`),
 * then each finding's subject, location and URN and its `details` lines, then the group's `footer`.
 */
function groupedSection<F extends LocatedResource>(
  title: string,
  findings: F[],
  keyOf: (f: F) => string,
  group: (key: string, list: F[]) => { header: string; footer?: string },
  details: (f: F) => string[],
): string[] {
  if (findings.length === 0) return [`${title}: none`];
  const lines = [`${title} (${findings.length})`];
  const groups = new Map<string, F[]>();
  for (const f of findings) groups.set(keyOf(f), [...(groups.get(keyOf(f)) ?? []), f]);
  for (const [key, list] of groups) {
    const { header, footer } = group(key, list);
    lines.push(`  ${header}`.trimEnd());
    for (const f of list) {
      const subject = f.resource ? `${f.resource.type} "${f.resource.name}"` : "the stack";
      lines.push(`    - ${subject}  [${where(f)}]`);
      if (f.resource) lines.push(`      ${f.resource.urn}`);
      lines.push(...details(f).map((line) => indent(line, "      ")));
    }
    if (footer) lines.push(indent(footer, "    "));
  }
  return lines;
}

function section(report: PolicyReport, level: FindingLevel): string[] {
  const rules = new Map(report.rules.map((r) => [r.name, r]));
  return groupedSection(
    level === "mandatory" ? "Mandatory findings" : "Advisory findings",
    report.findings.filter((f) => f.enforcementLevel === level),
    (f) => f.policy,
    (policy, list) => {
      const rule = rules.get(policy);
      const severity = rule?.severity ?? list[0].severity;
      return {
        header: `${policy} [${severity}] (${list.length}): ${rule ? firstSentence(rule.description) : ""}`,
        footer: rule?.remediationSteps ? `Remediation: ${rule.remediationSteps}` : undefined,
      };
    },
    (f) => [f.message],
  );
}

export function formatPolicyText(report: PolicyReport): string {
  const lines: string[] = [];
  const pack = `${report.pack.name}${report.pack.version ? ` ${report.pack.version}` : ""}`;
  const config = report.configFile
    ? `config ${report.configFile}`
    : "no config file (the pack's default levels)";
  lines.push(
    `Policy check: pack ${pack} (${report.pack.directory}), ${config}, ${report.summary.policies} policies`,
  );
  if (report.estimatedMonthlyUsd !== null) {
    lines.push(`  estimatedMonthlyUsd passed to the pack: ${report.estimatedMonthlyUsd.toFixed(2)}`);
  }
  lines.push("");
  lines.push(...section(report, "mandatory"));
  lines.push("");
  lines.push(...section(report, "advisory"));
  lines.push("");
  if (report.exemptions.length === 0) {
    lines.push("Exemptions applied: none");
  } else {
    lines.push(`Exemptions applied (${report.exemptions.length})`);
    for (const e of report.exemptions) {
      const at = e.location ? `  [${e.location.file}:${e.location.line}]` : "";
      lines.push(`  - ${e.policy}: ${e.resource.type} "${e.resource.name}" (matched "${e.pattern}")${at}`);
      lines.push(`    reason: ${e.reason}`);
    }
  }
  lines.push("");
  const { mandatory, advisory } = report.summary;
  const counts = `${mandatory} mandatory, ${advisory} advisory finding${mandatory + advisory === 1 ? "" : "s"}`;
  lines.push(
    report.failed
      ? `Policy result: FAILED (${counts}; --fail-on ${report.failOn})`
      : `Policy result: passed (${counts}; --fail-on ${report.failOn})`,
  );
  return `${lines.join("\n")}\n`;
}

function deploySection(report: DeployRulesReport, level: DeployReportFinding["level"]): string[] {
  const rules = new Map(report.rules.map((r) => [r.name, r]));
  return groupedSection(
    level === "error" ? "Errors (AWS rejects the stack)" : "Warnings",
    report.findings.filter((f) => f.level === level),
    (f) => f.rule,
    (name, list) => {
      const rule = rules.get(name);
      return {
        header: `${name} [${list[0].family}] (${list.length}): ${rule ? firstSentence(rule.description) : ""}`,
      };
    },
    (f) => [`why: ${f.message}`, `fix: ${f.fix}`],
  );
}

export function formatDeployRulesText(report: DeployRulesReport): string {
  const region = report.region ? `, Region ${report.region}` : "";
  const lines = [
    `Deploy rules: ${report.summary.rules} rules (creation order, names, quotas, network)${region}`,
    "",
    ...deploySection(report, "error"),
    "",
    ...deploySection(report, "warning"),
    "",
  ];
  const { errors, warnings } = report.summary;
  const counts = `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  lines.push(
    report.rejected
      ? `Deploy result: AWS would reject this stack (${counts}; exit code 2)`
      : `Deploy result: passed (${counts})`,
  );
  return `${lines.join("\n")}\n`;
}
