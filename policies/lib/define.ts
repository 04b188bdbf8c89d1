/**
 * Builders for the pack's policies. They add what every policy shares: config defaults and
 * validation, the `exemptions` knob, exemption handling and recording, unwrapping of the engine's
 * proxies, the reporter, and a guard that turns an unexpected exception into an advisory finding
 * (marked with INTERNAL_ERROR_PREFIX) instead of failing the whole preview.
 *
 * Every policy declares the resource types it judges or reads (`types`); the built policy selects
 * resources by that list and publishes it as `resourceTypes`, so tests and documentation read the
 * same list the policy uses.
 */
import {
  EnforcementLevel,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
  remediateResourceOfType,
  validateResourceOfType,
} from "@pulumi/policy";
import { Resource } from "@pulumi/pulumi";
import { BaseConfig, configSchema, Knobs, readConfig } from "./config";
import { PolicyConfigError } from "./errors";
import { findExemption, recordExemption } from "./exemptions";
import { Reporter, STACK_SUBJECT, Subject } from "./report";
import { Dict, errorText, isRecord, unwrap } from "./values";

/** A @pulumi/aws resource class (only its type token is used). */
export type ResourceClass = { new (name: string, args: any, ...rest: any[]): Resource };

export interface PolicyMeta<C extends object> {
  /** Stable kebab-case name; config files and exemptions refer to it. */
  name: string;
  /** What the policy requires and why. */
  description: string;
  /** What to change when the policy fails. */
  remediationSteps: string;
  severity: Severity;
  /** Default level; `policies/config/<env>.json` overrides it per environment. */
  enforcementLevel: EnforcementLevel;
  /** JSON schema of each knob (the `exemptions` knob is added automatically). */
  knobs: Knobs;
  /** Knob values used when the config does not set them. */
  defaults: C;
  tags: string[];
}

/** What the pack's policies carry besides the SDK's fields. */
export interface PackPolicyMeta {
  /** Pulumi type tokens of the resources the policy judges or reads; "any" for every resource. */
  resourceTypes: readonly string[] | "any";
}

export type PackResourcePolicy = ResourceValidationPolicy & PackPolicyMeta;
export type PackStackPolicy = StackValidationPolicy & PackPolicyMeta;

export interface ProviderInfo {
  type: string;
  name: string;
  urn: string;
  props: Dict;
}

export interface ResourceContext<C extends object> {
  policy: string;
  subject: Subject;
  /** The resource's inputs, unwrapped (unknowns appear as the engine's sentinel strings). */
  props: Dict;
  provider?: ProviderInfo;
  /** URN of the parent resource, if any. */
  parentUrn?: string;
  config: C & BaseConfig;
  report: Reporter;
}

export interface ResourcePolicySpec<C extends object> extends PolicyMeta<C> {
  /** Resource classes the policy applies to; "any" for every resource. */
  types: ResourceClass[] | "any";
  check: (ctx: ResourceContext<C>) => void;
  /** Returns the full, fixed property bag, or undefined when nothing is safe to change. */
  remediate?: (ctx: Omit<ResourceContext<C>, "report">) => Dict | undefined;
}

function providerInfo(p: unknown): ProviderInfo | undefined {
  const u = unwrap(p);
  if (!isRecord(u)) return undefined;
  const props = unwrap(u.props);
  return {
    type: typeof u.type === "string" ? u.type : "",
    name: typeof u.name === "string" ? u.name : "",
    urn: typeof u.urn === "string" ? u.urn : "",
    props: isRecord(props) ? props : {},
  };
}

function typeToken(cls: ResourceClass): string {
  const t = (cls as unknown as { __pulumiType?: unknown }).__pulumiType;
  return typeof t === "string" ? t : cls.name;
}

function rethrowIfControl(e: unknown): void {
  // Config errors must fail the run; the engine's NotApplicable/UnknownValue errors are its own.
  if (e instanceof PolicyConfigError) throw e;
  if (e instanceof Error && (e.constructor.name === "NotApplicableError" || e.name === "NotApplicable"))
    throw e;
}

function metaOf<C extends object>(spec: PolicyMeta<C>) {
  return {
    name: spec.name,
    description: spec.description,
    remediationSteps: spec.remediationSteps,
    severity: spec.severity,
    enforcementLevel: spec.enforcementLevel,
    configSchema: configSchema(spec.knobs),
    tags: spec.tags,
  };
}

export function resourcePolicy<C extends object>(spec: ResourcePolicySpec<C>): PackResourcePolicy {
  const types = spec.types;
  const tokens = types === "any" ? [] : Object.freeze(types.map(typeToken));

  /** Returns the context, or undefined when the resource is exempt (after recording it). */
  const prepare = (args: ResourceValidationArgs, rv: ReportViolation): ResourceContext<C> | undefined => {
    const config = readConfig(spec.name, args.getConfig(), spec.defaults);
    const subject: Subject = { type: args.type, name: args.name, urn: args.urn };
    const exemption = findExemption(config.exemptions, subject);
    if (exemption) {
      recordExemption(spec.name, subject, exemption);
      args.notApplicable(`exempted by config: ${exemption.reason}`);
      return undefined;
    }
    const props = unwrap(args.props);
    const opts = unwrap(args.opts);
    const parent = isRecord(opts) ? unwrap(opts.parent) : undefined;
    return {
      policy: spec.name,
      subject,
      props: isRecord(props) ? props : {},
      provider: providerInfo(args.provider),
      parentUrn: typeof parent === "string" ? parent : undefined,
      config,
      report: new Reporter(rv, false),
    };
  };

  const validate = (args: ResourceValidationArgs, rv: ReportViolation): void => {
    const ctx = prepare(args, rv);
    if (!ctx) return;
    try {
      spec.check(ctx);
    } catch (e) {
      rethrowIfControl(e);
      ctx.report.internalError(ctx.subject, errorText(e));
    }
  };

  const remediate = (args: ResourceValidationArgs): Dict | undefined => {
    if (!spec.remediate) return undefined;
    const ctx = prepare(args, () => undefined);
    if (!ctx) return undefined;
    try {
      return spec.remediate(ctx);
    } catch (e) {
      rethrowIfControl(e);
      return undefined;
    }
  };

  const policy: PackResourcePolicy = { ...metaOf(spec), resourceTypes: types === "any" ? "any" : tokens };
  if (types !== "any" && types.length === 1) {
    // The SDK helpers attach the type token, so the engine skips other types cheaply.
    policy.validateResource = validateResourceOfType(types[0], (_props, args, rv) => validate(args, rv));
    if (spec.remediate) {
      policy.remediateResource = remediateResourceOfType(types[0], (_props, args) => remediate(args));
    }
  } else {
    const applies = (args: ResourceValidationArgs): boolean =>
      types === "any" || types.some((t) => args.isType(t));
    const reason = `Policy only applies to resources of type ${tokens.join(", ")}`;
    const notApplicable = (args: ResourceValidationArgs): never => {
      // The SDK answers by throwing an Error, for every resource of another type: skip its stack
      // trace, which nothing reads, and most of its cost.
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        return args.notApplicable(reason);
      } finally {
        Error.stackTraceLimit = limit;
      }
    };
    policy.validateResource = (args, rv) => (applies(args) ? validate(args, rv) : notApplicable(args));
    if (spec.remediate) {
      policy.remediateResource = (args) => (applies(args) ? remediate(args) : notApplicable(args));
    }
  }
  return policy;
}

/** A resource of the stack, unwrapped, with parent and dependency links. */
export interface StackResource extends Subject {
  props: Dict;
  parent?: StackResource;
  dependencies: StackResource[];
  propertyDependencies: Record<string, StackResource[]>;
  provider?: ProviderInfo;
}

export interface StackContext<C extends object> {
  policy: string;
  /** Every resource of the stack, for stack-wide facts (a sum of tags, whether a service is used); read-only. */
  resources: readonly StackResource[];
  config: C & BaseConfig;
  report: Reporter;
  /** The types the policy declares (its spec's `types`). */
  types: readonly string[];
  /**
   * All resources of the given types. Asking for a type the policy does not declare is a bug in the
   * policy (reported as an internal error).
   */
  ofType: (...types: string[]) => StackResource[];
  /** Like ofType, without exempt resources (they are recorded and skipped). */
  subjects: (...types: string[]) => StackResource[];
}

export interface StackPolicySpec<C extends object> extends PolicyMeta<C> {
  /** Type tokens of the resources the policy judges and of those it correlates them with. */
  types: readonly string[];
  check: (ctx: StackContext<C>) => void;
}

/** Converts the engine's resources into unwrapped StackResources, keeping the links. */
export function toStackResources(input: readonly PolicyResource[]): StackResource[] {
  const list = Array.isArray(input) ? input : [];
  const map = new Map<unknown, StackResource>();
  const out: StackResource[] = [];
  for (const r of list) {
    const u = unwrap(r);
    if (!isRecord(u)) continue;
    const props = unwrap(u.props);
    const res: StackResource = {
      type: typeof u.type === "string" ? u.type : "",
      name: typeof u.name === "string" ? u.name : "",
      urn: typeof u.urn === "string" ? u.urn : "",
      props: isRecord(props) ? props : {},
      dependencies: [],
      propertyDependencies: {},
      provider: providerInfo(u.provider),
    };
    map.set(r, res);
    out.push(res);
  }
  const link = (v: unknown): StackResource | undefined => map.get(v);
  for (const r of list) {
    const res = map.get(r);
    if (!res) continue;
    const u = unwrap(r) as Dict;
    res.parent = link(u.parent);
    const deps = unwrap(u.dependencies);
    res.dependencies = Array.isArray(deps) ? deps.map(link).filter((d): d is StackResource => !!d) : [];
    const pd = unwrap(u.propertyDependencies);
    if (isRecord(pd)) {
      for (const k of Object.keys(pd)) {
        const v = unwrap(pd[k]);
        res.propertyDependencies[k] = Array.isArray(v)
          ? v.map(link).filter((d): d is StackResource => !!d)
          : [];
      }
    }
  }
  return out;
}

/** The conversion of the request being analyzed, with what it was converted from (see sharedStackResources). */
let lastConversion:
  { props: unknown[]; urns: unknown[]; parents: unknown[]; resources: readonly StackResource[] } | undefined;

function urnOf(resource: unknown): unknown {
  const u = unwrap(resource);
  return isRecord(u) ? u.urn : undefined;
}

function parentUrnOf(resource: unknown): unknown {
  const u = unwrap(resource);
  return isRecord(u) ? urnOf(u.parent) : undefined;
}

/**
 * toStackResources, converted once per AnalyzeStack request and shared by the stack policies.
 *
 * The SDK hands every stack policy its own copy of the stack's resources, but their property bags
 * are the same frozen objects (shared-properties.ts). A list holding the very property bags, URNs
 * and parents of the previous conversion is the same request, and that conversion is reused:
 * fifteen stack policies over 20,000 resources would otherwise build 300,000 of them. The shared
 * resources are frozen, so no policy can change what the next one reads. The SDK runs the stack
 * policies of a request one after another without yielding to the event loop, so the conversion
 * is dropped at the next turn of the loop instead of being kept until the next request.
 */
export function sharedStackResources(input: readonly PolicyResource[]): readonly StackResource[] {
  const list = Array.isArray(input) ? input : [];
  const props = list.map((r) => {
    const u = unwrap(r);
    return isRecord(u) ? unwrap(u.props) : undefined;
  });
  const last = lastConversion;
  const sameRequest =
    last !== undefined &&
    last.props.length === list.length &&
    list.every(
      (r, i) =>
        props[i] === last.props[i] &&
        isRecord(props[i]) &&
        Object.isFrozen(props[i]) &&
        urnOf(r) === last.urns[i] &&
        parentUrnOf(r) === last.parents[i],
    );
  if (sameRequest) return last.resources;

  const resources = toStackResources(list);
  for (const resource of resources) {
    Object.freeze(resource.dependencies);
    for (const deps of Object.values(resource.propertyDependencies)) Object.freeze(deps);
    Object.freeze(resource.propertyDependencies);
    Object.freeze(resource);
  }
  Object.freeze(resources);
  lastConversion = { props, urns: list.map(urnOf), parents: list.map(parentUrnOf), resources };
  setImmediate(() => {
    lastConversion = undefined;
  }).unref();
  return resources;
}

export function stackPolicy<C extends object>(spec: StackPolicySpec<C>): PackStackPolicy {
  const declared = Object.freeze([...spec.types]);
  return {
    ...metaOf(spec),
    resourceTypes: declared,
    validateStack: (args: StackValidationArgs, rv: ReportViolation) => {
      const config = readConfig(spec.name, args.getConfig(), spec.defaults);
      const resources = sharedStackResources(args.resources);
      const report = new Reporter(rv, true);
      const ofType = (...types: string[]) => {
        const undeclared = types.filter((t) => !declared.includes(t));
        if (undeclared.length > 0) {
          throw new Error(`${spec.name} reads ${undeclared.join(", ")}, which its types do not declare`);
        }
        return resources.filter((r) => types.includes(r.type));
      };
      const subjects = (...types: string[]) =>
        ofType(...types).filter((r) => {
          const exemption = findExemption(config.exemptions, r);
          if (exemption) recordExemption(spec.name, r, exemption);
          return !exemption;
        });
      try {
        spec.check({ policy: spec.name, resources, config, report, types: declared, ofType, subjects });
      } catch (e) {
        rethrowIfControl(e);
        report.internalError(STACK_SUBJECT, errorText(e));
      }
    },
  };
}
