/**
 * The policy part of a plan report, independent of the output format: the pack's rules, findings
 * tied to resources, components, source files and stack file lines, the exemptions, and whether
 * the run fails. json-report.ts, sarif.ts and text.ts render it.
 */
import type { PlanReport } from "../plan/plan";
import type { EnforcementLevel, PolicyRunResult, PolicyType, Severity } from "../policy-runner/types";
import type { RecordedResource } from "../synth/mock-run";
import * as fs from "fs";
import { PROJECT } from "../../infra/config";
import {
  componentSourceIndex,
  locateInStackFile,
  owningComponent,
  repoRelative,
  SourceLocation,
  StackFileIndex,
  StackFileLocation,
} from "./locations";

/** Which findings make the run fail: mandatory ones (default), advisory ones too, or none. */
export type FailOn = "mandatory" | "advisory" | "none";
export const FAIL_ON_VALUES: readonly FailOn[] = ["mandatory", "advisory", "none"];

/** Findings are either mandatory (fail the preview) or advisory (warn). */
export type FindingLevel = "mandatory" | "advisory";

export interface ReportRule {
  name: string;
  displayName: string;
  description: string;
  remediationSteps: string;
  severity: Severity;
  policyType: PolicyType;
  tags: string[];
  /** The level configured for this run. */
  enforcementLevel: EnforcementLevel;
  /** The level the pack declares when no config sets one. */
  defaultEnforcementLevel: EnforcementLevel;
}

export interface ResourceRef {
  urn: string;
  type: string;
  name: string;
}

export interface ComponentRef extends ResourceRef {
  /** The component's source file and the line that registers its type; null when not found. */
  source: SourceLocation | null;
}

export interface ReportFinding {
  policy: string;
  enforcementLevel: FindingLevel;
  severity: Severity;
  /** The finding itself (the pack's message without the policy description the engine prepends). */
  message: string;
  /** The resource at fault; null for findings about the stack as a whole. */
  resource: ResourceRef | null;
  /** The platform component (bdp:*) that declared the resource, if any. */
  component: ComponentRef | null;
  /** The pipeline the resource belongs to, if any. */
  pipeline: string | null;
  /** Where to look in the stack config file. */
  location: StackFileLocation;
}

export interface ReportExemption {
  policy: string;
  /** The configured pattern that matched (resource name, URN or glob). */
  pattern: string;
  reason: string;
  resource: ResourceRef;
  /** Where the exemption is configured (the policy config file, at its pattern), when known. */
  location: SourceLocation | null;
}

export interface PolicyReport {
  pack: { name: string; version: string; displayName: string; description: string; directory: string };
  /** The policy config file used (repo-relative), or null for the pack's defaults. */
  configFile: string | null;
  /** The cost estimate passed to the pack (estimated-cost-within-budget), or null. */
  estimatedMonthlyUsd: number | null;
  failOn: FailOn;
  /** True when a finding at or above failOn exists (the CLI then exits 1). */
  failed: boolean;
  summary: { policies: number; mandatory: number; advisory: number; exemptions: number };
  rules: ReportRule[];
  findings: ReportFinding[];
  exemptions: ReportExemption[];
}

const LEVEL_ORDER: Record<FindingLevel, number> = { mandatory: 0, advisory: 1 };

/** Splits a URN into its type and name (urn:pulumi:stack::project::parent$type::name). */
export function parseUrn(urn: string): ResourceRef {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  return { urn, type: qualified.split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

function readLines(file: string): string[] {
  try {
    return fs.readFileSync(file, "utf8").split("\n");
  } catch {
    return [];
  }
}

function cleanMessage(message: string, description: string): string {
  const trimmed = message.trim();
  if (description && trimmed.startsWith(`${description}\n`))
    return trimmed.slice(description.length + 1).trim();
  return trimmed;
}

function compareFindings(a: ReportFinding, b: ReportFinding): number {
  return (
    LEVEL_ORDER[a.enforcementLevel] - LEVEL_ORDER[b.enforcementLevel] ||
    a.policy.localeCompare(b.policy) ||
    (a.resource?.urn ?? "").localeCompare(b.resource?.urn ?? "") ||
    a.message.localeCompare(b.message)
  );
}

export function countsAsFailure(level: FindingLevel, failOn: FailOn): boolean {
  if (failOn === "none") return false;
  return level === "mandatory" || failOn === "advisory";
}

/** Where a finding about a resource points: the resource, its component, pipeline and stack file line. */
export interface LocatedResource {
  /** null for findings about the stack as a whole. */
  resource: ResourceRef | null;
  component: ComponentRef | null;
  pipeline: string | null;
  location: StackFileLocation;
}

/** Locates findings' resources in a plan: shared by the policy check and the deploy rules. */
export class ResourceLocator {
  private readonly byUrn: Map<string, RecordedResource>;
  private readonly sources = componentSourceIndex();
  private readonly stackFile: StackFileIndex;

  constructor(resources: RecordedResource[], stackFile: string, project = PROJECT) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    this.stackFile = new StackFileIndex(stackFile, project);
  }

  ref(urn: string): ResourceRef {
    const r = this.byUrn.get(urn);
    return r ? { urn, type: r.type, name: r.name } : parseUrn(urn);
  }

  locate(urn: string | undefined): LocatedResource {
    const recorded = urn ? this.byUrn.get(urn) : undefined;
    const component = recorded ? owningComponent(recorded, this.byUrn) : undefined;
    const { pipeline, ...location } = locateInStackFile(this.stackFile, recorded, this.byUrn);
    return {
      resource: urn ? this.ref(urn) : null,
      component: component
        ? {
            urn: component.urn,
            type: component.type,
            name: component.name,
            source: this.sources.get(component.type) ?? null,
          }
        : null,
      pipeline,
      location,
    };
  }
}

export function buildPolicyReport(
  plan: Pick<PlanReport, "stack" | "stackFile" | "resources">,
  result: PolicyRunResult,
  failOn: FailOn = "mandatory",
  project = PROJECT,
): PolicyReport {
  const locator = new ResourceLocator(plan.resources, plan.stackFile, project);
  const ref = (urn: string): ResourceRef => locator.ref(urn);

  const findings: ReportFinding[] = result.findings.map((f) => ({
    policy: f.policy,
    enforcementLevel: f.enforcementLevel === "advisory" ? "advisory" : "mandatory",
    severity: f.severity,
    message: cleanMessage(f.message, f.description),
    ...locator.locate(f.urn),
  }));
  findings.sort(compareFindings);

  const configLines = result.configFile ? readLines(result.configFile) : [];
  const exemptionLine = (pattern: string): SourceLocation | null => {
    const needle = JSON.stringify(pattern);
    const at = pattern ? configLines.findIndex((line) => line.includes(needle)) : -1;
    return at >= 0 && result.configFile ? { file: repoRelative(result.configFile), line: at + 1 } : null;
  };
  const exemptions: ReportExemption[] = result.exemptions
    .map((e) => ({
      policy: e.policy,
      pattern: e.pattern,
      reason: e.reason,
      resource: { ...ref(e.urn), ...(e.type ? { type: e.type } : {}), ...(e.name ? { name: e.name } : {}) },
      location: exemptionLine(e.pattern),
    }))
    .sort((a, b) => a.policy.localeCompare(b.policy) || a.resource.urn.localeCompare(b.resource.urn));

  const rules: ReportRule[] = result.policies
    .map((p) => ({
      name: p.name,
      displayName: p.displayName,
      description: p.description,
      remediationSteps: p.remediationSteps,
      severity: p.severity,
      policyType: p.policyType,
      tags: [...p.tags].sort(),
      enforcementLevel: p.enforcementLevel,
      defaultEnforcementLevel: p.defaultEnforcementLevel,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));

  const mandatory = findings.filter((f) => f.enforcementLevel === "mandatory").length;
  return {
    pack: {
      name: result.pack.name,
      version: result.pack.version,
      displayName: result.pack.displayName,
      description: result.pack.description,
      directory: repoRelative(result.pack.directory),
    },
    configFile: result.configFile ? repoRelative(result.configFile) : null,
    estimatedMonthlyUsd: result.estimatedMonthlyUsd ?? null,
    failOn,
    failed: findings.some((f) => countsAsFailure(f.enforcementLevel, failOn)),
    summary: {
      policies: rules.length,
      mandatory,
      advisory: findings.length - mandatory,
      exemptions: exemptions.length,
    },
    rules,
    findings,
    exemptions,
  };
}
