/**
 * Runs policies in this process, with the arguments @pulumi/policy's analyzer server builds
 * (server.js: makeAnalyzeRpcFun, makeAnalyzeStackRpcFun, makeRemediateRpcFun):
 *   - props (and provider props) wrapped in the SDK's unknownCheckingProxy,
 *   - isType/asType by the class's Pulumi type token,
 *   - getConfig returning the policy's config without enforcementLevel,
 *   - notApplicable throwing,
 *   - reportViolation accepting a message (+ urn) or an object with an enforcementLevel override,
 *   - the SDK's per-type fast path (a validation tagged with __pulumiType skips other types).
 * Stack resources get parent, dependencies and propertyDependencies linked to resource objects.
 *
 * The policy tests (tests/policies/harness.ts) and the benchmark's in-process backend use it; the
 * offline plan talks to the pack over gRPC instead (runner.ts).
 */
import {
  EnforcementLevel,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { RecordedResource } from "../synth/mock-run";
import { providerUrn } from "./resources";

/** A resource or stack policy, as a pack lists them. */
export type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

interface ProxyModule {
  unknownCheckingProxy: (o: unknown) => any;
  UnknownValueError: new (...args: any[]) => Error;
  unknownStringValue: string;
  unknownNumberValue: string;
  unknownBooleanValue: string;
  unknownArrayValue: string;
  unknownObjectValue: string;
}
// The SDK's proxy module has no type declarations for these internals.
export const sdkProxy: ProxyModule = module.require("@pulumi/policy/proxy");

/** A resource as the runner takes it: its properties and its links to other resources. */
export interface Res {
  type: string;
  name: string;
  urn: string;
  /** Qualified type chain (parent types $ own type) used in the URN. */
  qualifiedType: string;
  props: Record<string, any>;
  parent?: Res;
  provider?: Res;
  /** Property name -> resources it was computed from. */
  deps: Record<string, Res[]>;
}

export interface Finding {
  policy: string;
  message: string;
  urn?: string;
  enforcementLevel: EnforcementLevel;
  /** "violation": reported with a message; "advisory": object form with a level override (cannot judge). */
  kind: "violation" | "advisory";
}

export interface RunResult {
  findings: Finding[];
  violations: Finding[];
  advisories: Finding[];
  /** Reasons the policy declared itself not applicable. */
  notApplicable: string[];
  /** Errors the engine would turn into "can't run during preview" (policies should never cause them). */
  unknownValueErrors: string[];
}

export type PolicyConfig = Record<string, unknown> & { enforcementLevel?: EnforcementLevel };

/** What args.notApplicable() throws here (the SDK's own error class is not exported). */
class NotApplicable extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "not applicable");
    this.name = "NotApplicable";
  }
}

function emptyResult(): RunResult {
  return { findings: [], violations: [], advisories: [], notApplicable: [], unknownValueErrors: [] };
}

function levelOf(policy: AnyPolicy, config: PolicyConfig | undefined): EnforcementLevel {
  return config?.enforcementLevel ?? policy.enforcementLevel ?? "advisory";
}

function makeReporter(policy: AnyPolicy, level: EnforcementLevel, out: RunResult) {
  return (message: any, urn?: string): void => {
    let f: Finding;
    if (typeof message === "object" && message !== null) {
      f = {
        policy: policy.name,
        message: message.message ?? policy.description,
        urn: message.urn,
        enforcementLevel: message.enforcementLevel ?? level,
        kind: "advisory",
      };
    } else {
      f = { policy: policy.name, message: String(message), urn, enforcementLevel: level, kind: "violation" };
    }
    out.findings.push(f);
    (f.kind === "violation" ? out.violations : out.advisories).push(f);
  };
}

function typeMatches(type: string, cls: any): boolean {
  const token = cls?.__pulumiType;
  if (typeof token === "string" && token.length > 0) return token === type;
  return typeof cls?.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

function configWithoutLevel(config: PolicyConfig | undefined): Record<string, unknown> {
  const { enforcementLevel: _ignored, ...rest } = config ?? {};
  return rest;
}

function providerArg(p: Res | undefined) {
  if (!p) return undefined;
  return { type: p.type, name: p.name, urn: p.urn, props: sdkProxy.unknownCheckingProxy(p.props) };
}

/** The options the server passes along: only the parent here, the rest at the engine's defaults. */
function resourceOptions(r: Res): ResourceValidationArgs["opts"] {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(r.parent ? { parent: r.parent.urn } : {}),
  };
}

export function resourceArgs(
  r: Res,
  config?: PolicyConfig,
  props: unknown = r.props,
): ResourceValidationArgs {
  const proxied = sdkProxy.unknownCheckingProxy(props);
  const args: ResourceValidationArgs = {
    type: r.type,
    props: proxied,
    urn: r.urn,
    name: r.name,
    opts: resourceOptions(r),
    stackTags: new Map(),
    isType: (cls: any) => typeMatches(r.type, cls),
    asType: ((cls: any) => (typeMatches(r.type, cls) ? proxied : undefined)) as any,
    getConfig: <T extends object>() => configWithoutLevel(config) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
  const provider = providerArg(r.provider);
  if (provider) args.provider = provider;
  return args;
}

function handleError(e: unknown, out: RunResult): void {
  if (e instanceof NotApplicable) out.notApplicable.push(e.reason ?? "");
  else if (e instanceof sdkProxy.UnknownValueError) out.unknownValueErrors.push(e.message);
  else throw e;
}

/** Runs a resource policy's validations on one resource, as the engine's analyze call does. */
export async function runResource(policy: AnyPolicy, r: Res, config?: PolicyConfig): Promise<RunResult> {
  const out = emptyResult();
  const p = policy as ResourceValidationPolicy;
  if (!p.validateResource) throw new Error(`${policy.name} is not a resource policy`);
  const level = levelOf(policy, config);
  if (level === "disabled") return out;
  const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
  if (!Array.isArray(p.validateResource)) {
    const token = (p.validateResource as any).__pulumiType;
    if (typeof token === "string" && token !== r.type) {
      out.notApplicable.push(`Policy only applies to resources of type '${token}'`);
      return out;
    }
  }
  const report = makeReporter(policy, level === "remediate" ? "mandatory" : level, out);
  for (const v of validations) {
    try {
      await Promise.resolve(v(resourceArgs(r, config), report));
    } catch (e) {
      handleError(e, out);
    }
  }
  return out;
}

/** Builds the stack resources the way the analyzer server does (linked parents and dependencies). */
export function stackResources(list: readonly Res[]): PolicyResource[] {
  const map = new Map<Res, PolicyResource>();
  for (const r of list) {
    const props = sdkProxy.unknownCheckingProxy(r.props);
    const pr: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: resourceOptions(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls: any) => typeMatches(r.type, cls),
      asType: ((cls: any) => (typeMatches(r.type, cls) ? props : undefined)) as any,
    };
    const provider = providerArg(r.provider);
    if (provider) pr.provider = provider;
    map.set(r, pr);
  }
  for (const r of list) {
    const pr = map.get(r)!;
    if (r.parent && map.has(r.parent)) pr.parent = map.get(r.parent);
    const all = new Set<PolicyResource>();
    for (const [k, deps] of Object.entries(r.deps)) {
      pr.propertyDependencies[k] = deps.map((d) => map.get(d)).filter((d): d is PolicyResource => !!d);
      pr.propertyDependencies[k].forEach((d) => all.add(d));
    }
    pr.dependencies = [...all];
  }
  return list.map((r) => map.get(r)!);
}

/** Runs a stack policy over a set of resources, as the engine's analyzeStack call does. */
export async function runStack(
  policy: AnyPolicy,
  list: readonly Res[],
  config?: PolicyConfig,
): Promise<RunResult> {
  const out = emptyResult();
  const p = policy as StackValidationPolicy;
  if (!p.validateStack) throw new Error(`${policy.name} is not a stack policy`);
  const level = levelOf(policy, config);
  if (level === "disabled") return out;
  const args: StackValidationArgs = {
    resources: stackResources(list),
    stackTags: new Map(),
    getConfig: <T extends object>() => configWithoutLevel(config) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
  try {
    await Promise.resolve(
      p.validateStack(args, makeReporter(policy, level === "remediate" ? "mandatory" : level, out)),
    );
  } catch (e) {
    handleError(e, out);
  }
  return out;
}

/** Runs a policy the right way for its kind: resource policies on each resource, stack policies once. */
export async function runPolicy(
  policy: AnyPolicy,
  list: readonly Res[],
  config?: PolicyConfig,
): Promise<RunResult> {
  if ("validateStack" in policy && typeof policy.validateStack === "function")
    return runStack(policy, list, config);
  const out = emptyResult();
  for (const r of list) {
    const one = await runResource(policy, r, config);
    // Resource policies report without a URN; attribute findings to the resource for assertions.
    for (const f of one.findings) f.urn = f.urn ?? r.urn;
    out.findings.push(...one.findings);
    out.violations.push(...one.violations);
    out.advisories.push(...one.advisories);
    out.notApplicable.push(...one.notApplicable);
    out.unknownValueErrors.push(...one.unknownValueErrors);
  }
  return out;
}

/** Runs every policy of `policies`; config is keyed by policy name. */
export async function runPolicies(
  policies: readonly AnyPolicy[],
  list: readonly Res[],
  configs: Record<string, PolicyConfig> = {},
): Promise<Record<string, RunResult>> {
  const out: Record<string, RunResult> = {};
  for (const p of policies) out[p.name] = await runPolicy(p, list, configs[p.name]);
  return out;
}

/** Calls remediateResource as the engine's remediate call does; returns the new props or undefined. */
export async function runRemediate(
  policy: AnyPolicy,
  r: Res,
  config?: PolicyConfig,
): Promise<{ props?: Record<string, any>; notApplicable: string[] }> {
  const p = policy as ResourceValidationPolicy;
  if (!p.remediateResource) throw new Error(`${policy.name} has no remediation`);
  const token = (p.remediateResource as any).__pulumiType;
  if (typeof token === "string" && token !== r.type) return { notApplicable: [`only ${token}`] };
  try {
    const result = await Promise.resolve(p.remediateResource(resourceArgs(r, config)));
    return { props: (result ?? undefined) as Record<string, any> | undefined, notApplicable: [] };
  } catch (e) {
    if (e instanceof NotApplicable) return { notApplicable: [e.reason ?? ""] };
    throw e;
  }
}

/**
 * Resources recorded by a mocked program run as linked Res, keyed by URN, with the properties
 * `props` picks (inputs for Analyze, inputs and outputs for AnalyzeStack).
 */
export function fromRecorded(
  resources: readonly RecordedResource[],
  props: (r: RecordedResource) => Record<string, any>,
): Map<string, Res> {
  const byUrn = new Map<string, Res>();
  for (const r of resources) {
    byUrn.set(r.urn, {
      type: r.type,
      name: r.name,
      urn: r.urn,
      qualifiedType: r.urn.split("::")[2] ?? r.type,
      props: props(r),
      deps: {},
    });
  }
  for (const r of resources) {
    const res = byUrn.get(r.urn)!;
    if (r.parent) res.parent = byUrn.get(r.parent);
    const provider = providerUrn(r.provider);
    if (provider) res.provider = byUrn.get(provider);
    for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
      res.deps[key] = urns.map((urn) => byUrn.get(urn)).filter((d): d is Res => d !== undefined);
    }
  }
  return byUrn;
}
