/** What the policy runner returns: the pack's policies, the findings and the applied exemptions. */

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical" | "unspecified";
export type PolicyType = "resource" | "stack" | "unknown";

/** A policy as the pack announces it in GetAnalyzerInfo, with the level the run configured. */
export interface PolicyInfo {
  name: string;
  displayName: string;
  description: string;
  remediationSteps: string;
  severity: Severity;
  policyType: PolicyType;
  tags: string[];
  /** The level the pack declares for the policy (its own default, else the pack's). */
  defaultEnforcementLevel: EnforcementLevel;
  /** The level sent with Configure for this run (config file `all` / per-policy entry, else the default). */
  enforcementLevel: EnforcementLevel;
  /** JSON schema of the policy's knobs (`properties` and `required`), if it has any. */
  configSchema?: { properties: Record<string, unknown>; required: string[] };
}

export interface PackInfo {
  name: string;
  version: string;
  displayName: string;
  description: string;
  /** The pack directory as given to the runner. */
  directory: string;
}

/** One diagnostic the pack reported. */
export interface PolicyFinding {
  policy: string;
  policyPack: string;
  policyPackVersion: string;
  /** The policy's description (the engine copies it onto every diagnostic). */
  description: string;
  message: string;
  /** The level of this finding; "cannot judge" findings are advisory whatever the policy's level. */
  enforcementLevel: EnforcementLevel;
  severity: Severity;
  /** The resource the finding is about; absent for stack-wide findings. */
  urn?: string;
  /** "resource" for Analyze (per-resource) diagnostics, "stack" for AnalyzeStack ones. */
  phase: "resource" | "stack";
}

/** An exemption the pack applied (recorded by the pack on stderr and in BDP_POLICY_EXEMPTIONS_FILE). */
export interface AppliedExemption {
  policy: string;
  urn: string;
  /** The configured resource pattern that matched (name, URN or glob). */
  pattern: string;
  reason: string;
  name?: string;
  type?: string;
}

export interface PolicyRunResult {
  pack: PackInfo;
  /** The pack's plugin version (GetPluginInfo), usually the @pulumi/policy version. */
  pluginVersion?: string;
  policies: PolicyInfo[];
  findings: PolicyFinding[];
  exemptions: AppliedExemption[];
  /** The config file that was read, if any (path as given). */
  configFile?: string;
  /** The cost estimate passed to the pack as policy config, if any. */
  estimatedMonthlyUsd?: number;
  /** Resources sent with Analyze (custom resources) and AnalyzeStack (all resources). */
  analyzed: { resources: number; stackResources: number };
  /** Wall time of the Analyze calls (all of them, from the first request to the last answer) and of AnalyzeStack. */
  timings: { analyzeMs: number; analyzeStackMs: number };
  /** The pack's stderr lines during the run (type-check notes, exemption lines, logs). */
  stderr: string[];
}
