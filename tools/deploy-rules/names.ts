/**
 * Names: the physical name each resource will get (explicit, prefix plus the provider's suffix, or
 * Pulumi's autoname) must fit the service's length and character rules. The rules per type are in
 * name-table.ts with their sources.
 */
import type { RecordedResource } from "../synth/mock-run";
import { NAME_RULES, NameRule, PROVIDER_PREFIX_SUFFIX } from "./name-table";
import type { DeployFinding, DeployRule, DeployRuleContext } from "./types";

/** How a resource's physical name comes about, and a representative value of it. */
export type PredictedName =
  | { source: "explicit"; value: string }
  | { source: "prefix"; prefix: string; value: string }
  | { source: "autoname"; logical: string; value: string; tooLongForPulumi?: number }
  | { source: "required-missing" };

/** Predicts the physical name of `resource` under `rule`; undefined when the input is not a plain string. */
export function predictName(
  resource: Pick<RecordedResource, "name" | "inputs">,
  rule: NameRule,
): PredictedName | undefined {
  const explicit = resource.inputs[rule.property];
  if (typeof explicit === "string") return { source: "explicit", value: explicit };
  if (explicit !== undefined) return undefined;
  const prefix = rule.prefixProperty ? resource.inputs[rule.prefixProperty] : undefined;
  if (typeof prefix === "string") {
    return { source: "prefix", prefix, value: `${prefix}${PROVIDER_PREFIX_SUFFIX}` };
  }
  if (prefix !== undefined) return undefined;
  const auto = rule.autoname;
  if (!auto) return { source: "required-missing" };
  const base = `${auto.lowercase ? resource.name.toLowerCase() : resource.name}${auto.separator}`;
  const generated = base + auto.random;
  return {
    source: "autoname",
    logical: resource.name,
    value: `${auto.prefix ?? ""}${generated}`,
    ...(generated.length > auto.maxLength ? { tooLongForPulumi: auto.maxLength } : {}),
  };
}

type KnownName = Exclude<PredictedName, { source: "required-missing" }>;

function describe(name: KnownName): string {
  switch (name.source) {
    case "explicit":
      return `"${name.value}" (${name.value.length} characters)`;
    case "prefix":
      return `prefix "${name.prefix}" plus the provider's 26-character suffix (${name.value.length} characters)`;
    case "autoname":
      return `the autoname "${name.logical}" plus a separator and random characters (${name.value.length} characters)`;
  }
}

/** What AWS objects to in `name`, if anything. */
export function nameProblem(name: string, rule: NameRule): string | undefined {
  if (name.length > rule.maxLength) return `longer than ${rule.maxLength} characters`;
  if (name.length < rule.minLength) return `shorter than ${rule.minLength} characters`;
  if (rule.pattern && !rule.pattern.test(name)) return `not made of ${rule.allowed}`;
  return rule.extra?.(name);
}

function fixFor(rule: NameRule, name: PredictedName): string {
  switch (name.source) {
    case "prefix":
      return `Shorten or change ${rule.prefixProperty} (at most ${rule.maxLength - PROVIDER_PREFIX_SUFFIX.length} characters of ${rule.allowed ?? "any character"}).`;
    case "autoname":
      return `Give the resource a shorter logical name or set ${rule.property} explicitly.`;
    default:
      return `Change ${rule.property} to fit ${rule.minLength}-${rule.maxLength} characters${rule.allowed ? ` of ${rule.allowed}` : ""}.`;
  }
}

export const physicalNames: DeployRule = {
  name: "physical-names",
  family: "names",
  description:
    "Every physical name (explicit, prefix plus suffix, or Pulumi's autoname) fits the service's rules.",
  docs: [
    "https://www.pulumi.com/docs/iac/concepts/resources/names/",
    "https://github.com/pulumi/pulumi-aws/blob/master/provider/resources.go",
  ],
  check({ graph }: DeployRuleContext): DeployFinding[] {
    const findings: DeployFinding[] = [];
    for (const resource of graph.cloudResources()) {
      const spec = NAME_RULES[resource.type];
      if (spec === undefined) {
        findings.push({
          rule: this.name,
          level: "warning",
          urn: resource.urn,
          message: `The names rule does not know ${resource.type}, so its physical name is not checked.`,
          fix: "Add the type to tools/deploy-rules/name-table.ts with the service's documented name rules.",
        });
        continue;
      }
      if ("none" in spec) continue;
      for (const rule of spec) {
        const name = predictName(resource, rule);
        if (!name || name.source === "required-missing") continue;
        if (name.source === "autoname" && name.tooLongForPulumi !== undefined) {
          findings.push({
            rule: this.name,
            level: "error",
            urn: resource.urn,
            message:
              `Pulumi refuses to create it: the autoname for ${rule.property} ("${name.logical}" plus a separator and ` +
              `random characters) is longer than the ${name.tooLongForPulumi} characters the provider allows.`,
            fix: fixFor(rule, name),
          });
          continue;
        }
        const problem = nameProblem(name.value, rule);
        if (!problem) continue;
        findings.push({
          rule: this.name,
          level: "error",
          urn: resource.urn,
          message: `AWS rejects the ${rule.property} ${describe(name)}: it is ${problem} (${rule.docs[0]}).`,
          fix: fixFor(rule, name),
        });
      }
    }
    return findings;
  },
};

export const NAME_RULES_LIST: DeployRule[] = [physicalNames];
