/**
 * Test harness for the policy pack: resource builders for tests and the pack bound to the in-process
 * runner of tools/policy-runner/in-process.ts (which calls a policy's validateResource /
 * validateStack / remediateResource with the arguments @pulumi/policy's analyzer server builds).
 */
import { AppliedExemption, clearAppliedExemptions, setExemptionSink } from "../../policies/lib/exemptions";
import { PackPolicy, policies } from "../../policies/pack";
import { PolicyConfig, Res, RunResult, runPolicies, sdkProxy } from "../../tools/policy-runner/in-process";

export type { PolicyConfig, Res, RunResult } from "../../tools/policy-runner/in-process";
export {
  resourceArgs,
  runPolicy,
  runRemediate,
  runResource,
  runStack,
  sdkProxy,
} from "../../tools/policy-runner/in-process";

/** The engine's unknown sentinels, for building preview-time inputs. */
export const UNKNOWN = {
  string: sdkProxy.unknownStringValue,
  number: sdkProxy.unknownNumberValue,
  boolean: sdkProxy.unknownBooleanValue,
  array: sdkProxy.unknownArrayValue,
  object: sdkProxy.unknownObjectValue,
};

/** Exemption log lines of this test process (the harness keeps tests quiet instead of writing stderr). */
export const exemptionLog: string[] = [];
setExemptionSink((line) => {
  exemptionLog.push(line);
});

export const STACK = "dev";
export const PROJECT = "batch-data-platform";

export interface ResOptions {
  parent?: Res;
  provider?: Res;
  deps?: Record<string, Res[]>;
}

export function res(type: string, name: string, props: Record<string, any> = {}, opts: ResOptions = {}): Res {
  const qualifiedType = opts.parent ? `${opts.parent.qualifiedType}$${type}` : type;
  return {
    type,
    name,
    qualifiedType,
    urn: `urn:pulumi:${STACK}::${PROJECT}::${qualifiedType}::${name}`,
    props,
    parent: opts.parent,
    provider: opts.provider,
    deps: opts.deps ?? {},
  };
}

export function component(type: string, name: string, parent?: Res): Res {
  return res(type, name, {}, { parent });
}

/** An aws provider whose default tags are sent as the JSON string generated providers send. */
export function awsProvider(tags: Record<string, string>, name = "aws"): Res {
  return res("pulumi:providers:aws", name, { region: "eu-west-1", defaultTags: JSON.stringify({ tags }) });
}

/** A copy of `r` with props replaced by `fn(copy of props)`; links are kept. */
export function withProps(r: Res, fn: (p: Record<string, any>) => void): Res {
  const props = structuredClone(r.props);
  fn(props);
  return { ...r, props };
}

export function withOpts(r: Res, opts: Partial<Pick<Res, "provider" | "deps" | "parent">>): Res {
  const next = { ...r, ...opts };
  if ("parent" in opts) {
    next.qualifiedType = opts.parent ? `${opts.parent.qualifiedType}$${r.type}` : r.type;
    next.urn = `urn:pulumi:${STACK}::${PROJECT}::${next.qualifiedType}::${r.name}`;
  }
  return next;
}

/** Runs every policy of the pack; config is keyed by policy name. */
export function runPack(
  list: readonly Res[],
  configs: Record<string, PolicyConfig> = {},
): Promise<Record<string, RunResult>> {
  return runPolicies(policies, list, configs);
}

export function policyByName(name: string): PackPolicy {
  const p = policies.find((x) => x.name === name);
  if (!p) throw new Error(`no policy named ${name}`);
  return p;
}

/** Captures exemption log lines while `fn` runs (the in-process record is cleared first). */
export async function captureExemptionLog<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; lines: string[]; records: AppliedExemption[] }> {
  clearAppliedExemptions();
  const lines: string[] = [];
  const records: AppliedExemption[] = [];
  const prev = setExemptionSink((line, record) => {
    lines.push(line);
    records.push(record);
    exemptionLog.push(line);
  });
  try {
    return { result: await fn(), lines, records };
  } finally {
    setExemptionSink(prev);
  }
}

/** Messages of a result, for assertion output. */
export function messages(r: RunResult): string[] {
  return r.findings.map((f) => `[${f.kind}/${f.enforcementLevel}] ${f.message}`);
}
