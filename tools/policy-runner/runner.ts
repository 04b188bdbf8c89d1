/**
 * Runs a policy pack over the resources of a (mocked) program run, talking the analyzer gRPC
 * protocol the way the Pulumi engine does during `pulumi preview --policy-pack DIR
 * --policy-pack-config FILE`:
 *
 *   GetAnalyzerInfo -> GetPluginInfo -> Configure (reconciled policy config) -> ConfigureStack
 *   -> Analyze (every custom resource, inputs) -> AnalyzeStack (all resources, outputs)
 *
 * One PolicySession keeps one pack process; evaluate() may be called several times (each call
 * configures the pack afresh). runPolicyPack() is the one-shot form. The process is always ended.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import * as grpc from "@grpc/grpc-js";
import {
  AnalyzeResponse,
  AnalyzerInfo,
  AnalyzerStackConfigureRequest,
  ConfigureAnalyzerRequest,
  EnforcementLevel as PbEnforcementLevel,
  PolicyConfig,
  PolicySeverity,
  PolicyType as PbPolicyType,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerService } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { RecordedResource } from "../synth/mock-run";
import { PolicyConfigFile, readPolicyConfigFile, resolvePolicyConfig } from "./config";
import { PolicyRunnerError } from "./errors";
import {
  EXEMPTIONS_FILE_ENV,
  fileSize,
  mergeExemptions,
  NOT_APPLICABLE_PREFIX,
  parseExemptionLine,
  readExemptionsFile,
} from "./exemptions";
import { PolicyPackProcess, StartOptions } from "./pack-process";
import { ResourceIndex } from "./resources";
import {
  AppliedExemption,
  EnforcementLevel,
  PackInfo,
  PolicyFinding,
  PolicyInfo,
  PolicyRunResult,
  PolicyType,
  Severity,
} from "./types";

/** The policy that judges the cost estimate, and its knob (policies/cost/estimated-cost-within-budget.ts). */
export const COST_POLICY = "estimated-cost-within-budget";
export const COST_KNOB = "estimatedMonthlyUsd";

export interface EvaluateOptions {
  stack: string;
  project: string;
  organization?: string;
  /** The engine's dry-run flag: true for preview (the default), false for update. */
  dryRun?: boolean;
  resources: readonly RecordedResource[];
  /** Path of a config file in --policy-pack-config format. */
  configFile?: string;
  /** Or the decoded config itself (wins over configFile). */
  config?: PolicyConfigFile;
  /** The stack's estimated monthly cost; sent as COST_KNOB of COST_POLICY unless the config sets it. */
  estimatedMonthlyUsd?: number;
  /** Stack config (namespace:key -> value) for ConfigureStack. */
  stackConfig?: Record<string, string>;
  /** Parallel Analyze calls in flight. */
  concurrency?: number;
}

const LEVELS: Record<number, EnforcementLevel> = {
  [PbEnforcementLevel.ADVISORY]: "advisory",
  [PbEnforcementLevel.MANDATORY]: "mandatory",
  [PbEnforcementLevel.DISABLED]: "disabled",
  [PbEnforcementLevel.REMEDIATE]: "remediate",
};

const TO_PB_LEVEL: Record<EnforcementLevel, PbEnforcementLevel> = {
  advisory: PbEnforcementLevel.ADVISORY,
  mandatory: PbEnforcementLevel.MANDATORY,
  disabled: PbEnforcementLevel.DISABLED,
  remediate: PbEnforcementLevel.REMEDIATE,
};

const SEVERITIES: Record<number, Severity> = {
  [PolicySeverity.POLICY_SEVERITY_UNSPECIFIED]: "unspecified",
  [PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

const TYPES: Record<number, PolicyType> = {
  [PbPolicyType.POLICY_TYPE_UNKNOWN]: "unknown",
  [PbPolicyType.POLICY_TYPE_RESOURCE]: "resource",
  [PbPolicyType.POLICY_TYPE_STACK]: "stack",
};

function rpcError(method: string, error: grpc.ServiceError): PolicyRunnerError {
  const details = (error.details || error.message || "").trim();
  // A policy's PolicyConfigError (bad knob or exemption) fails the call: that is a config error.
  const lines = details.split("\n").map((line) => line.trim());
  const configLine = lines.find((line) => /policy config error/.test(line));
  if (configLine) {
    const context = lines[0].replace(/:$/, "");
    return new PolicyRunnerError("config", `${configLine.replace(/^PolicyConfigError: /, "")} (${context})`);
  }
  return new PolicyRunnerError("rpc", `policy pack call ${method} failed: ${lines.slice(0, 5).join("\n  ")}`);
}

function call<Req, Res>(
  method: string,
  fn: (req: Req, callback: (error: grpc.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) =>
    fn(req, (error, res) => (error ? reject(rpcError(method, error)) : resolve(res))),
  );
}

/** Analyze and AnalyzeStack with a request encoded beforehand (resources.ts), as bytes. */
function callEncoded(
  method: "Analyze" | "AnalyzeStack",
  client: grpc.Client,
  request: Buffer,
): Promise<AnalyzeResponse> {
  const definition = method === "Analyze" ? AnalyzerService.analyze : AnalyzerService.analyzeStack;
  return new Promise<AnalyzeResponse>((resolve, reject) =>
    client.makeUnaryRequest(
      definition.path,
      (bytes: Buffer) => bytes,
      definition.responseDeserialize,
      request,
      (error, response) => (error ? reject(rpcError(method, error)) : resolve(response!)),
    ),
  );
}

function policyInfos(info: AnalyzerInfo): PolicyInfo[] {
  return info.getPoliciesList().map((p) => {
    const schema = p.getConfigschema();
    const level = LEVELS[p.getEnforcementlevel()] ?? "advisory";
    return {
      name: p.getName(),
      displayName: p.getDisplayname(),
      description: p.getDescription(),
      remediationSteps: p.getRemediationSteps(),
      severity: SEVERITIES[p.getSeverity()] ?? "unspecified",
      policyType: TYPES[p.getPolicyType()] ?? "unknown",
      tags: p.getTagsList(),
      defaultEnforcementLevel: level,
      enforcementLevel: level,
      ...(schema
        ? {
            configSchema: {
              properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
              required: schema.getRequiredList(),
            },
          }
        : {}),
    };
  });
}

/** Runs `fn` over `items`, `size` at a time; stops taking new items after the first failure. */
async function pool<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.max(1, Math.min(size, items.length)) }, async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  const settled = await Promise.allSettled(workers);
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (rejected) throw rejected.reason;
  return results;
}

export class PolicySession {
  private info?: { pack: PackInfo; policies: PolicyInfo[]; pluginVersion?: string };

  private constructor(
    readonly pack: PolicyPackProcess,
    readonly packDir: string,
    private readonly exemptionsFile: string,
    private readonly ownsExemptionsFile: boolean,
  ) {}

  /** Starts the pack in `packDir`. Exemptions go to $BDP_POLICY_EXEMPTIONS_FILE or a temporary file. */
  static async start(packDir: string, options: StartOptions = {}): Promise<PolicySession> {
    const given = options.env?.[EXEMPTIONS_FILE_ENV] ?? process.env[EXEMPTIONS_FILE_ENV];
    const exemptionsFile =
      given || path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bdp-policy-")), "exemptions.jsonl");
    const pack = await PolicyPackProcess.start(packDir, {
      ...options,
      env: { ...options.env, [EXEMPTIONS_FILE_ENV]: exemptionsFile },
    });
    return new PolicySession(pack, packDir, exemptionsFile, !given);
  }

  /** The pack's name, version and policies (GetAnalyzerInfo, GetPluginInfo), fetched once. */
  async describe(): Promise<{ pack: PackInfo; policies: PolicyInfo[]; pluginVersion?: string }> {
    if (this.info) return this.info;
    const client = this.pack.client;
    const info = await call<Empty, AnalyzerInfo>(
      "GetAnalyzerInfo",
      client.getAnalyzerInfo.bind(client),
      new Empty(),
    );
    let pluginVersion: string | undefined;
    try {
      const plugin = await call<Empty, PluginInfo>(
        "GetPluginInfo",
        client.getPluginInfo.bind(client),
        new Empty(),
      );
      pluginVersion = plugin.getVersion() || undefined;
    } catch {
      // Optional, as for the engine.
    }
    this.info = {
      pack: {
        name: info.getName(),
        version: info.getVersion(),
        displayName: info.getDisplayname(),
        description: info.getDescription(),
        directory: this.packDir,
      },
      policies: policyInfos(info),
      pluginVersion,
    };
    return this.info;
  }

  async evaluate(options: EvaluateOptions): Promise<PolicyRunResult> {
    if (!this.pack.alive)
      throw new PolicyRunnerError("rpc", `policy pack ${this.packDir} is no longer running`);
    const client = this.pack.client;
    const described = await this.describe();
    const fileConfig = options.config ?? (options.configFile ? readPolicyConfigFile(options.configFile) : {});
    const costPolicy = described.policies.find((p) => p.name === COST_POLICY);
    const estimate =
      options.estimatedMonthlyUsd !== undefined && Number.isFinite(options.estimatedMonthlyUsd)
        ? Math.round(options.estimatedMonthlyUsd * 100) / 100
        : undefined;
    const overrides: Record<string, Record<string, unknown>> = {};
    if (estimate !== undefined && costPolicy?.configSchema?.properties[COST_KNOB]) {
      overrides[COST_POLICY] = { [COST_KNOB]: estimate };
    }
    const resolved = resolvePolicyConfig(
      described.policies,
      fileConfig,
      overrides,
      options.configFile ? `policy config ${options.configFile}` : "policy config",
    );
    const policies = described.policies.map((p) => ({
      ...p,
      enforcementLevel: resolved.get(p.name)?.enforcementLevel ?? p.defaultEnforcementLevel,
    }));
    const sentEstimate = resolved.get(COST_POLICY)?.properties[COST_KNOB];

    const configure = new ConfigureAnalyzerRequest();
    for (const [name, c] of resolved) {
      const pc = new PolicyConfig();
      pc.setEnforcementlevel(TO_PB_LEVEL[c.enforcementLevel]);
      pc.setProperties(Struct.fromJavaScript(c.properties as Record<string, any>));
      configure.getPolicyconfigMap().set(name, pc);
    }
    await call("Configure", client.configure.bind(client), configure);

    const stackReq = new AnalyzerStackConfigureRequest();
    stackReq.setStack(options.stack);
    stackReq.setProject(options.project);
    stackReq.setOrganization(options.organization ?? "organization");
    stackReq.setDryRun(options.dryRun ?? true);
    for (const [key, value] of Object.entries(options.stackConfig ?? {}))
      stackReq.getConfigMap().set(key, value);
    await call("ConfigureStack", client.configureStack.bind(client), stackReq);

    const stderrMark = this.pack.stderrMark;
    const fileMark = fileSize(this.exemptionsFile);
    const index = new ResourceIndex(options.resources);
    const custom = options.resources.filter((r) => r.custom);
    const findings: PolicyFinding[] = [];
    const notApplicable: AppliedExemption[] = [];
    const collect = (response: AnalyzeResponse, phase: "resource" | "stack", urn?: string) => {
      for (const d of response.getDiagnosticsList()) {
        const findingUrn = d.getUrn() || urn;
        findings.push({
          policy: d.getPolicyname(),
          policyPack: d.getPolicypackname(),
          policyPackVersion: d.getPolicypackversion(),
          description: d.getDescription(),
          message: d.getMessage(),
          enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
          severity: SEVERITIES[d.getSeverity()] ?? "unspecified",
          ...(findingUrn ? { urn: findingUrn } : {}),
          phase,
        });
      }
      for (const na of response.getNotApplicableList()) {
        const reason = na.getReason();
        if (urn && reason.startsWith(NOT_APPLICABLE_PREFIX)) {
          notApplicable.push({
            policy: na.getPolicyName(),
            urn,
            pattern: "",
            reason: reason.slice(NOT_APPLICABLE_PREFIX.length),
          });
        }
      }
    };

    const analyzeStart = performance.now();
    await pool(custom, options.concurrency ?? 8, async (resource) => {
      const req = await index.analyzeRequest(resource);
      collect(await callEncoded("Analyze", client, req), "resource", resource.urn);
    });

    const stackStart = performance.now();
    const stackRequest = await index.stackRequest(options.resources);
    collect(await callEncoded("AnalyzeStack", client, stackRequest), "stack");
    const timings = { analyzeMs: stackStart - analyzeStart, analyzeStackMs: performance.now() - stackStart };

    await this.pack.settle();
    const stderr = this.pack.stderrSince(stderrMark);
    const fromStderr = stderr.map(parseExemptionLine).filter((e): e is AppliedExemption => !!e);
    const fromFile = readExemptionsFile(this.exemptionsFile, fileMark);
    const byUrn = index.byUrn;
    const exemptions = mergeExemptions(fromFile, fromStderr, notApplicable).map((e) => {
      const r = byUrn.get(e.urn);
      return { ...e, name: e.name ?? r?.name, type: e.type ?? r?.type };
    });

    return {
      pack: described.pack,
      ...(described.pluginVersion ? { pluginVersion: described.pluginVersion } : {}),
      policies,
      findings,
      exemptions,
      ...(options.configFile ? { configFile: options.configFile } : {}),
      ...(typeof sentEstimate === "number" ? { estimatedMonthlyUsd: sentEstimate } : {}),
      analyzed: { resources: custom.length, stackResources: options.resources.length },
      timings,
      stderr,
    };
  }

  /** Ends the pack process and removes the temporary exemptions file. */
  async close(): Promise<void> {
    await this.pack.stop();
    if (this.ownsExemptionsFile) {
      fs.rmSync(path.dirname(this.exemptionsFile), { recursive: true, force: true });
    }
  }
}

/** Starts the pack in `packDir`, evaluates once and always ends the pack. */
export async function runPolicyPack(
  packDir: string,
  options: EvaluateOptions,
  start: StartOptions = {},
): Promise<PolicyRunResult> {
  const session = await PolicySession.start(packDir, start);
  try {
    return await session.evaluate(options);
  } finally {
    await session.close();
  }
}
