/**
 * Policy config in the format `pulumi preview --policy-pack-config FILE` takes, reconciled with the
 * pack's policies the way the engine does before it calls Configure:
 *
 *   { "all": "mandatory", "glue-job-timeout": { "enforcementLevel": "advisory", "maxTimeoutMinutes": 480 } }
 *
 * - `all` (a level, or `{ "enforcementLevel": ... }`) sets the level of every policy;
 * - a policy's entry is a level, or an object with an optional `enforcementLevel` and its knobs;
 * - the level of a policy is: its entry's level, else `all`, else the pack's default for it;
 * - knobs are the schema defaults overlaid with the entry's values, validated against the policy's
 *   configSchema (as the engine does; a violation is a config error, not a finding);
 * - an entry for a policy the pack does not have is a config error (a typo would silently do nothing).
 */
import * as fs from "fs";
import Ajv from "ajv";
import { PolicyRunnerError } from "./errors";
import { EnforcementLevel, PolicyInfo } from "./types";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = [
  "advisory",
  "mandatory",
  "remediate",
  "disabled",
];

/** The decoded file: policy name (or "all") -> level or { enforcementLevel?, ...knobs }. */
export type PolicyConfigFile = Record<string, unknown>;

export interface ResolvedPolicyConfig {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/** Reads and shape-checks a config file; every problem is a PolicyRunnerError of kind "config". */
export function readPolicyConfigFile(file: string): PolicyConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PolicyRunnerError(
      "config",
      code === "ENOENT"
        ? `policy config file ${file} does not exist`
        : `cannot read policy config file ${file}: ${code}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PolicyRunnerError(
      "config",
      `policy config file ${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (!isRecord(parsed)) {
    throw new PolicyRunnerError(
      "config",
      `policy config file ${file} must hold a JSON object of policy names`,
    );
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (isLevel(value)) continue;
    if (isRecord(value)) {
      const level = value.enforcementLevel;
      if (level !== undefined && !isLevel(level)) {
        problems.push(
          `"${key}".enforcementLevel: ${JSON.stringify(level)} is not one of ${ENFORCEMENT_LEVELS.join(", ")}`,
        );
      }
      if (key === "all" && Object.keys(value).some((k) => k !== "enforcementLevel")) {
        problems.push(`"all" takes only an enforcementLevel`);
      }
      continue;
    }
    problems.push(
      `"${key}": expected an enforcement level (${ENFORCEMENT_LEVELS.join(", ")}) or an object, got ${JSON.stringify(value)}`,
    );
  }
  if (problems.length > 0) {
    throw new PolicyRunnerError("config", `policy config file ${file}:\n  - ${problems.join("\n  - ")}`);
  }
  return parsed;
}

function schemaDefaults(policy: PolicyInfo): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if (isRecord(schema) && "default" in schema) defaults[key] = schema.default;
  }
  return defaults;
}

/**
 * The config to send with Configure, for every policy of the pack. `overrides` are knobs the runner
 * adds (e.g. the cost estimate); values the file sets explicitly win over them.
 */
export function resolvePolicyConfig(
  policies: readonly PolicyInfo[],
  file: PolicyConfigFile = {},
  overrides: Record<string, Record<string, unknown>> = {},
  source = "policy config",
): Map<string, ResolvedPolicyConfig> {
  const byName = new Map(policies.map((p) => [p.name, p]));
  const problems: string[] = [];
  for (const key of Object.keys(file)) {
    if (key !== "all" && !byName.has(key)) {
      problems.push(`"${key}" is not a policy of this pack (known: ${[...byName.keys()].sort().join(", ")})`);
    }
  }
  const allEntry = file.all;
  const allLevel = isLevel(allEntry) ? allEntry : isRecord(allEntry) ? allEntry.enforcementLevel : undefined;

  const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: false });
  const resolved = new Map<string, ResolvedPolicyConfig>();
  for (const policy of policies) {
    const entry = file[policy.name];
    const { enforcementLevel: entryLevel, ...knobs } = isRecord(entry) ? entry : { enforcementLevel: entry };
    const level =
      (isLevel(entryLevel) ? entryLevel : undefined) ?? (isLevel(allLevel) ? allLevel : undefined);
    const properties: Record<string, unknown> = {
      ...schemaDefaults(policy),
      ...overrides[policy.name],
      ...knobs,
    };
    if (policy.configSchema) {
      const validate = ajv.compile({
        type: "object",
        properties: policy.configSchema.properties,
        required: policy.configSchema.required,
      });
      if (!validate(properties)) {
        for (const e of validate.errors ?? []) {
          problems.push(`"${policy.name}"${e.instancePath.replace(/\//g, ".")}: ${e.message}`);
        }
      }
    }
    resolved.set(policy.name, { enforcementLevel: level ?? policy.defaultEnforcementLevel, properties });
  }
  if (problems.length > 0) {
    throw new PolicyRunnerError("config", `${source}:\n  - ${problems.join("\n  - ")}`);
  }
  return resolved;
}
