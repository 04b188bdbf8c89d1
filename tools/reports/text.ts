/** Plain-text rendering of the policy check: findings by level and policy, exemptions, the verdict. */
import type { FindingLevel, PolicyReport, ReportFinding } from "./model";
import { firstSentence } from "./sarif";

function where(f: ReportFinding): string {
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

function section(report: PolicyReport, level: FindingLevel): string[] {
  const findings = report.findings.filter((f) => f.enforcementLevel === level);
  const title = level === "mandatory" ? "Mandatory findings" : "Advisory findings";
  if (findings.length === 0) return [`${title}: none`];
  const lines = [`${title} (${findings.length})`];
  const rules = new Map(report.rules.map((r) => [r.name, r]));
  const byPolicy = new Map<string, ReportFinding[]>();
  for (const f of findings) byPolicy.set(f.policy, [...(byPolicy.get(f.policy) ?? []), f]);
  for (const [policy, list] of byPolicy) {
    const rule = rules.get(policy);
    const severity = rule?.severity ?? list[0].severity;
    lines.push(
      `  ${policy} [${severity}] (${list.length}): ${rule ? firstSentence(rule.description) : ""}`.trimEnd(),
    );
    for (const f of list) {
      const subject = f.resource ? `${f.resource.type} "${f.resource.name}"` : "the stack";
      lines.push(`    - ${subject}  [${where(f)}]`);
      if (f.resource) lines.push(`      ${f.resource.urn}`);
      lines.push(indent(f.message, "      "));
    }
    if (rule?.remediationSteps) lines.push(indent(`Remediation: ${rule.remediationSteps}`, "    "));
  }
  return lines;
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
