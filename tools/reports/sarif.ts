/**
 * SARIF 2.1.0 for the policy check (`npm run plan -- --format sarif`), for code scanning
 * annotations on pull requests.
 *
 * - One rule per policy of the pack: id = policy name, shortDescription (first sentence),
 *   fullDescription, help (remediation steps), defaultConfiguration.level from the level configured
 *   for the run (mandatory/remediate -> error, advisory -> warning, disabled -> none, not enabled).
 * - One result per finding, level from the finding (a "cannot judge" advisory of a mandatory policy
 *   is a warning), located in the stack config file Pulumi.<stack>.yaml (uri relative to the
 *   repository root, %SRCROOT%) at the line of the resource's pipeline / config key, else line 1;
 *   a logical location names the resource URN (and the declaring component); a related location
 *   points at the component's source file where known.
 * - One suppressed result (suppressions[].kind "external", justification = reason) per applied
 *   exemption, so reviewers see what was waived and why.
 * - A second run, tool "bdp-deploy-rules", for the deploy rules (tools/deploy-rules): one rule per
 *   deploy rule (helpUri: its first AWS documentation page), one result per finding (error or
 *   warning), located like the policy findings; the message says why AWS rejects it and the fix.
 */
import { createHash } from "crypto";
import * as path from "path";
import { pathToFileURL } from "url";
import type * as sarif from "sarif";
import type { PlanReport } from "../plan/plan";
import type { EnforcementLevel } from "../policy-runner/types";
import { repoRelative } from "./locations";
import type { DeployRulesReport } from "./deploy-rules";
import type { LocatedResource, PolicyReport, ReportFinding, ReportRule } from "./model";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
export const SRCROOT = "%SRCROOT%";

export function sarifLevel(level: EnforcementLevel): sarif.ReportingConfiguration.level {
  switch (level) {
    case "mandatory":
    case "remediate":
      return "error";
    case "advisory":
      return "warning";
    default:
      return "none";
  }
}

/** The first sentence of a description (SARIF shortDescription). */
export function firstSentence(text: string): string {
  const m = /^(.+?[.!?])(\s|$)/s.exec(text.trim());
  return (m ? m[1] : text.trim()).replace(/\s+/g, " ");
}

const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function rule(r: ReportRule): sarif.ReportingDescriptor {
  const level = sarifLevel(r.enforcementLevel);
  const properties: sarif.PropertyBag = {
    tags: r.tags,
    severity: r.severity,
    enforcementLevel: r.enforcementLevel,
    defaultEnforcementLevel: r.defaultEnforcementLevel,
    policyType: r.policyType,
  };
  if (r.tags.includes("security") && SECURITY_SEVERITY[r.severity]) {
    properties["security-severity"] = SECURITY_SEVERITY[r.severity];
  }
  return {
    id: r.name,
    ...(r.displayName ? { name: r.displayName } : {}),
    shortDescription: { text: firstSentence(r.description) || r.name },
    fullDescription: { text: r.description || r.name },
    help: {
      text: r.remediationSteps ? `Remediation: ${r.remediationSteps}` : `See the policy ${r.name}.`,
      markdown: r.remediationSteps
        ? `**${r.name}**: ${r.description}\n\n**Remediation**: ${r.remediationSteps}`
        : `**${r.name}**: ${r.description}`,
    },
    defaultConfiguration: { level, enabled: r.enforcementLevel !== "disabled" },
    properties,
  };
}

/** Repository files are relative to %SRCROOT%; files elsewhere (a config in /tmp) get a file: URI. */
function artifact(file: string): sarif.ArtifactLocation {
  return path.isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: file, uriBaseId: SRCROOT };
}

function fingerprint(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

function location(f: Pick<ReportFinding, "location" | "resource" | "component">): sarif.Location {
  const logical: sarif.LogicalLocation[] = [];
  if (f.resource) {
    logical.push({
      fullyQualifiedName: f.resource.urn,
      name: f.resource.name,
      kind: "resource",
      properties: {
        type: f.resource.type,
        ...(f.component
          ? { componentType: f.component.type, componentSource: f.component.source?.file ?? null }
          : {}),
      },
    });
  }
  if (f.component) {
    logical.push({
      fullyQualifiedName: f.component.urn,
      name: f.component.name,
      kind: "module",
      properties: { type: f.component.type, source: f.component.source?.file ?? null },
    });
  }
  return {
    physicalLocation: {
      artifactLocation: artifact(f.location.file),
      region: { startLine: f.location.line },
    },
    ...(logical.length > 0 ? { logicalLocations: logical } : {}),
  };
}

function related(f: Pick<ReportFinding, "component">): sarif.Location[] | undefined {
  const source = f.component?.source;
  if (!f.component || !source) return undefined;
  return [
    {
      id: 0,
      physicalLocation: {
        artifactLocation: artifact(source.file),
        region: { startLine: source.line },
      },
      message: { text: `Declared by component ${f.component.type} "${f.component.name}"` },
    },
  ];
}

/** A result for a finding about a resource of the plan (policy or deploy rule). */
function findingResult(
  f: LocatedResource & { message: string },
  ruleId: string,
  ruleIndex: Map<string, number>,
  result: {
    level: sarif.Result.level;
    text: string;
    fingerprintKey: string;
    properties: Record<string, unknown>;
  },
): sarif.Result {
  const rel = related(f);
  return {
    ruleId,
    ...(ruleIndex.has(ruleId) ? { ruleIndex: ruleIndex.get(ruleId) } : {}),
    kind: "fail",
    level: result.level,
    message: { text: result.text },
    locations: [location(f)],
    ...(rel ? { relatedLocations: rel } : {}),
    partialFingerprints: { [result.fingerprintKey]: fingerprint(ruleId, f.resource?.urn ?? "", f.message) },
    properties: {
      ...result.properties,
      urn: f.resource?.urn ?? null,
      pipeline: f.pipeline,
      configKey: f.location.key,
    },
  };
}

/** The deploy rules as a SARIF run of their own. */
export function deployRulesRun(stack: string, report: DeployRulesReport): sarif.Run {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.name, i]));
  const rules: sarif.ReportingDescriptor[] = report.rules.map((r) => ({
    id: r.name,
    shortDescription: { text: firstSentence(r.description) },
    fullDescription: { text: r.description },
    ...(r.docs[0] ? { helpUri: r.docs[0] } : {}),
    help: { text: `AWS documentation: ${r.docs.join(" ")}` },
    defaultConfiguration: { level: "error" },
    properties: { family: r.family, docs: r.docs },
  }));
  const results: sarif.Result[] = report.findings.map((f) =>
    findingResult(f, f.rule, ruleIndex, {
      level: f.level,
      text: `${f.message} Fix: ${f.fix}`,
      fingerprintKey: "bdpDeployFinding/v1",
      properties: { family: f.family },
    }),
  );
  return {
    tool: { driver: { name: "bdp-deploy-rules", fullName: "batch-data-platform deploy rules", rules } },
    automationDetails: { id: `bdp-deploy-rules/${stack}/` },
    originalUriBaseIds: { [SRCROOT]: { description: { text: "The repository root" } } },
    invocations: [{ executionSuccessful: true }],
    results,
    properties: { stack, region: report.region, rejected: report.rejected },
  };
}

export function buildSarif(
  plan: Pick<PlanReport, "stack" | "stackFile">,
  report: PolicyReport,
  deployRules?: DeployRulesReport,
): sarif.Log {
  const rules = report.rules.map(rule);
  const ruleIndex = new Map(report.rules.map((r, i) => [r.name, i]));
  const results: sarif.Result[] = report.findings.map((f) =>
    findingResult(f, f.policy, ruleIndex, {
      level: sarifLevel(f.enforcementLevel) as sarif.Result.level,
      text: f.message,
      fingerprintKey: "bdpPolicyFinding/v1",
      properties: { enforcementLevel: f.enforcementLevel, severity: f.severity },
    }),
  );
  for (const e of report.exemptions) {
    const level = sarifLevel(report.rules.find((r) => r.name === e.policy)?.enforcementLevel ?? "advisory");
    results.push({
      ruleId: e.policy,
      ...(ruleIndex.has(e.policy) ? { ruleIndex: ruleIndex.get(e.policy) } : {}),
      kind: "fail",
      level: (level === "none" ? "note" : level) as sarif.Result.level,
      message: { text: `${e.resource.type} "${e.resource.name}" is exempt from ${e.policy}: ${e.reason}` },
      locations: [
        location({
          location: {
            file: e.location?.file ?? repoRelative(plan.stackFile),
            line: e.location?.line ?? 1,
            key: null,
          },
          resource: e.resource,
          component: null,
        }),
      ],
      suppressions: [{ kind: "external", status: "accepted", justification: e.reason }],
      partialFingerprints: { "bdpPolicyFinding/v1": fingerprint(e.policy, e.resource.urn, "exemption") },
      properties: { exemptionPattern: e.pattern, urn: e.resource.urn },
    });
  }
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.pack.name,
            ...(report.pack.displayName ? { fullName: `${report.pack.displayName} policy pack` } : {}),
            ...(report.pack.version ? { version: report.pack.version } : {}),
            rules,
          },
        },
        automationDetails: { id: `bdp-policy/${plan.stack}/` },
        originalUriBaseIds: { [SRCROOT]: { description: { text: "The repository root" } } },
        invocations: [{ executionSuccessful: true }],
        results,
        properties: {
          stack: plan.stack,
          policyPackDirectory: report.pack.directory,
          policyConfigFile: report.configFile,
          estimatedMonthlyUsd: report.estimatedMonthlyUsd,
          failOn: report.failOn,
          failed: report.failed,
        },
      },
      ...(deployRules ? [deployRulesRun(plan.stack, deployRules)] : []),
    ],
  };
}

export function formatSarif(log: sarif.Log): string {
  return `${JSON.stringify(log, null, 2)}\n`;
}
