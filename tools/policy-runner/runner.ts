/**
 * Runs a policy pack over the resources of a (mocked) program run, talking the analyzer gRPC
 * protocol the way the Pulumi engine does during `pulumi preview --policy-pack DIR
 * --policy-pack-config FILE`:
 *
 *   GetAnalyzerInfo -> GetPluginInfo -> Configure (reconciled policy config) -> ConfigureStack
 *   -> Analyze (every custom resource, inputs) -> AnalyzeStack (all resources, outputs)
 *
 * One PolicySession keeps one pack process; evaluate() may be called several times (each call
 * configures the pack afresh). begin() starts an evaluation fed resource by resource while the
 * program runs (PolicyEvaluation), as the engine feeds a pack during a preview. runPolicyPack() is
 * the one-shot form. The process is always ended.
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
import { releaseGarbage } from "./memory";
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
  /** Analyze calls in flight at once (default DEFAULT_CONCURRENCY). */
  concurrency?: number;
}

/**
 * Analyze calls in flight at once. While the program is still being synthesized, the plan's event
 * loop only turns between batches of pipelines (infra/pacing.ts), so enough calls must be under
 * way for the pack to have work until the next turn (spread over the pack's channels, see
 * PACK_CHANNELS).
 */
export const DEFAULT_CONCURRENCY = 128;

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

export class PolicySession {
  private info?: { pack: PackInfo; policies: PolicyInfo[]; pluginVersion?: string };

  private constructor(
    readonly pack: PolicyPackProcess,
    readonly packDir: string,
    /** The file the pack records applied exemptions in. */
    readonly exemptionsFile: string,
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

  /**
   * Starts an evaluation to be fed resource by resource (PolicyEvaluation); `evaluate` is the
   * one-call form.
   */
  begin(settings: EvaluationSettings): PolicyEvaluation {
    return PolicyEvaluation.begin(Promise.resolve(this), settings);
  }

  async evaluate(options: EvaluateOptions): Promise<PolicyRunResult> {
    return this.begin(options).finish(options.resources, options.estimatedMonthlyUsd);
  }

  /** Ends the pack process and removes the temporary exemptions file. */
  async close(): Promise<void> {
    await this.pack.stop();
    if (this.ownsExemptionsFile) {
      fs.rmSync(path.dirname(this.exemptionsFile), { recursive: true, force: true });
    }
  }
}

/** Everything an evaluation needs besides the resources and the cost estimate. */
export type EvaluationSettings = Omit<EvaluateOptions, "resources" | "estimatedMonthlyUsd">;

interface Configured {
  session: PolicySession;
  described: Awaited<ReturnType<PolicySession["describe"]>>;
  fileConfig: PolicyConfigFile;
  stderrMark: number;
  fileMark: number;
}

/**
 * One evaluation, fed as a program registers its resources, the way the engine runs a pack during
 * a preview: Analyze for each custom resource as soon as it is registered (while the program goes
 * on declaring the rest), AnalyzeStack once the program is done.
 *
 * `add` takes resources as they are recorded, and may be called before the pack is ready (they
 * wait). A resource whose provider has not been recorded yet waits until `finish`, so that its
 * request carries the provider as the engine's does. `finish` takes every resource of the run,
 * sends what was not added, waits for the Analyze calls, configures the pack again when the cost
 * estimate (known only once the program is done) is one of the policy config's values, and sends
 * AnalyzeStack. An evaluation that is never finished (the program failed) ends quietly with its
 * session.
 */
export class PolicyEvaluation {
  private readonly index = new ResourceIndex([]);
  private readonly queue: RecordedResource[] = [];
  private head = 0;
  private readonly queued = new Set<string>();
  /** Custom resources waiting for their provider to be recorded. */
  private readonly waitingForProvider: RecordedResource[] = [];
  private finishing = false;
  private configured?: Configured;
  private inFlight = 0;
  private failure?: { error: unknown };
  private idleWaiters: (() => void)[] = [];
  private readonly findings: PolicyFinding[] = [];
  private readonly notApplicable: AppliedExemption[] = [];
  private analyzeStart?: number;
  private analyzeEnd?: number;
  private readonly ready: Promise<Configured>;

  private constructor(
    session: Promise<PolicySession>,
    private readonly settings: EvaluationSettings,
  ) {
    this.ready = session.then((s) => this.configure(s));
    this.ready.then(
      (configured) => {
        this.configured = configured;
        this.pump();
      },
      (error) => this.fail(error),
    );
  }

  /** Starts an evaluation on the session `session` will be (the pack may still be starting). */
  static begin(session: Promise<PolicySession>, settings: EvaluationSettings): PolicyEvaluation {
    return new PolicyEvaluation(session, settings);
  }

  /** Resolves once the pack is configured for this evaluation and Analyze calls go out. */
  async whenConfigured(): Promise<void> {
    await this.ready;
  }

  /** Takes a recorded resource; a custom one is analyzed as soon as the pack can take it. */
  add(resource: RecordedResource): void {
    this.index.add(resource);
    if (!resource.custom || this.queued.has(resource.urn)) return;
    this.queued.add(resource.urn);
    this.queue.push(resource);
    this.pump();
  }

  /** Every resource of the run, and its estimated monthly cost: Analyze for the rest, then AnalyzeStack. */
  async finish(
    resources: readonly RecordedResource[],
    estimatedMonthlyUsd?: number,
  ): Promise<PolicyRunResult> {
    const configured = await this.ready;
    for (const resource of resources) this.add(resource);
    // Every provider is known now.
    this.finishing = true;
    this.queue.push(...this.waitingForProvider.splice(0));
    this.pump();
    await new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.notifyIfIdle();
    });
    if (this.failure) throw this.failure.error;

    const { session, described, fileConfig } = configured;
    const client = session.pack.client;
    const estimate =
      estimatedMonthlyUsd !== undefined && Number.isFinite(estimatedMonthlyUsd)
        ? Math.round(estimatedMonthlyUsd * 100) / 100
        : undefined;
    const resolved = this.resolve(described.policies, fileConfig, estimate);
    if (estimate !== undefined && resolved.estimateApplies) {
      // The estimate is a value of the policy config the engine would read from the config file:
      // the pack is configured again with it before the stack policies run.
      await call("Configure", client.configure.bind(client), configureRequest(resolved.config));
    }
    const policies = described.policies.map((p) => ({
      ...p,
      enforcementLevel: resolved.config.get(p.name)?.enforcementLevel ?? p.defaultEnforcementLevel,
    }));
    const sentEstimate = resolved.config.get(COST_POLICY)?.properties[COST_KNOB];

    const stackStart = performance.now();
    // Not kept here: gRPC copies the request into its frame, and the 76 MB of a 1,000-pipeline
    // stack's request can then be collected while the pack works.
    const stackCall = callEncoded("AnalyzeStack", client, await this.index.stackRequest(resources));
    setImmediate(releaseGarbage);
    this.collect(await stackCall, "stack");
    const timings = {
      analyzeMs: (this.analyzeEnd ?? stackStart) - (this.analyzeStart ?? stackStart),
      analyzeStackMs: performance.now() - stackStart,
    };

    await session.pack.settle();
    const stderr = session.pack.stderrSince(configured.stderrMark);
    const fromStderr = stderr.map(parseExemptionLine).filter((e): e is AppliedExemption => !!e);
    const fromFile = readExemptionsFile(session.exemptionsFile, configured.fileMark);
    const byUrn = this.index.byUrn;
    const exemptions = mergeExemptions(fromFile, fromStderr, this.notApplicable).map((e) => {
      const r = byUrn.get(e.urn);
      return { ...e, name: e.name ?? r?.name, type: e.type ?? r?.type };
    });

    return {
      pack: described.pack,
      ...(described.pluginVersion ? { pluginVersion: described.pluginVersion } : {}),
      policies,
      findings: this.findings,
      exemptions,
      ...(this.settings.configFile ? { configFile: this.settings.configFile } : {}),
      ...(typeof sentEstimate === "number" ? { estimatedMonthlyUsd: sentEstimate } : {}),
      analyzed: { resources: this.queued.size, stackResources: resources.length },
      timings,
      stderr,
    };
  }

  /** The policy config to send: the file's, with the cost estimate as COST_KNOB unless the file sets it. */
  private resolve(
    policies: readonly PolicyInfo[],
    fileConfig: PolicyConfigFile,
    estimate: number | undefined,
  ): { config: ReturnType<typeof resolvePolicyConfig>; estimateApplies: boolean } {
    const costPolicy = policies.find((p) => p.name === COST_POLICY);
    const estimateApplies = costPolicy?.configSchema?.properties[COST_KNOB] !== undefined;
    const overrides: Record<string, Record<string, unknown>> = {};
    if (estimate !== undefined && estimateApplies) overrides[COST_POLICY] = { [COST_KNOB]: estimate };
    const label = this.settings.configFile ? `policy config ${this.settings.configFile}` : "policy config";
    return { config: resolvePolicyConfig(policies, fileConfig, overrides, label), estimateApplies };
  }

  /** Configure and ConfigureStack, as the engine does before the first Analyze. */
  private async configure(session: PolicySession): Promise<Configured> {
    if (!session.pack.alive)
      throw new PolicyRunnerError("rpc", `policy pack ${session.packDir} is no longer running`);
    const client = session.pack.client;
    const described = await session.describe();
    const { settings } = this;
    const fileConfig =
      settings.config ?? (settings.configFile ? readPolicyConfigFile(settings.configFile) : {});
    const resolved = this.resolve(described.policies, fileConfig, undefined);
    await call("Configure", client.configure.bind(client), configureRequest(resolved.config));

    const stackReq = new AnalyzerStackConfigureRequest();
    stackReq.setStack(settings.stack);
    stackReq.setProject(settings.project);
    stackReq.setOrganization(settings.organization ?? "organization");
    stackReq.setDryRun(settings.dryRun ?? true);
    for (const [key, value] of Object.entries(settings.stackConfig ?? {}))
      stackReq.getConfigMap().set(key, value);
    await call("ConfigureStack", client.configureStack.bind(client), stackReq);
    return {
      session,
      described,
      fileConfig,
      stderrMark: session.pack.stderrMark,
      fileMark: fileSize(session.exemptionsFile),
    };
  }

  /** Sends queued Analyze calls, up to `concurrency` at a time. */
  private pump(): void {
    const configured = this.configured;
    const concurrency = this.settings.concurrency ?? DEFAULT_CONCURRENCY;
    while (configured && !this.failure && this.inFlight < concurrency && this.head < this.queue.length) {
      const resource = this.queue[this.head++];
      if (!this.finishing && !this.index.knowsProviderOf(resource)) {
        this.waitingForProvider.push(resource);
        continue;
      }
      this.inFlight++;
      this.analyze(configured, resource).then(
        () => {
          this.inFlight--;
          this.pump();
        },
        (error) => {
          this.inFlight--;
          this.fail(error);
        },
      );
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    this.notifyIfIdle();
  }

  private async analyze(configured: Configured, resource: RecordedResource): Promise<void> {
    const request = await this.index.analyzeRequest(resource);
    this.analyzeStart ??= performance.now();
    const response = await callEncoded("Analyze", configured.session.pack.nextChannel(), request);
    this.analyzeEnd = performance.now();
    this.collect(response, "resource", resource.urn);
  }

  private fail(error: unknown): void {
    this.failure ??= { error };
    this.notifyIfIdle();
  }

  private notifyIfIdle(): void {
    // Only finish() waits, once everything is queued.
    const done = this.inFlight === 0 && (this.failure !== undefined || this.head === this.queue.length);
    if (!done) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private collect(response: AnalyzeResponse, phase: "resource" | "stack", urn?: string): void {
    for (const d of response.getDiagnosticsList()) {
      const findingUrn = d.getUrn() || urn;
      this.findings.push({
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
        this.notApplicable.push({
          policy: na.getPolicyName(),
          urn,
          pattern: "",
          reason: reason.slice(NOT_APPLICABLE_PREFIX.length),
        });
      }
    }
  }
}

function configureRequest(config: ReturnType<typeof resolvePolicyConfig>): ConfigureAnalyzerRequest {
  const request = new ConfigureAnalyzerRequest();
  for (const [name, c] of config) {
    const pc = new PolicyConfig();
    pc.setEnforcementlevel(TO_PB_LEVEL[c.enforcementLevel]);
    pc.setProperties(Struct.fromJavaScript(c.properties as Record<string, any>));
    request.getPolicyconfigMap().set(name, pc);
  }
  return request;
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
