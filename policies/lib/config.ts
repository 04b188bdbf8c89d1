/**
 * Policy configuration: knob defaults merged with the values from `--policy-pack-config`, and the
 * JSON schema fragments every policy shares. The engine validates config against each policy's
 * `configSchema` before the pack runs; `readConfig` repeats the important checks in code so a
 * runner that skips the engine (tests, the offline check) gets the same errors.
 */
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { PolicyConfigError } from "./errors";
import { Exemption, EXEMPTIONS_SCHEMA, validateExemptions } from "./exemptions";

export { PolicyConfigError };
import { describe, isRecord } from "./values";

export interface BaseConfig {
  exemptions: Exemption[];
}

export type Knobs = Record<string, PolicyConfigJSONSchema>;

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  return typeof v;
}

/**
 * Merges the policy's config over its defaults. Each knob must have the same JSON kind as its
 * default (array, object, string, number, boolean); `undefined`/`null` means "use the default".
 */
export function readConfig<C extends object>(policy: string, raw: unknown, defaults: C): C & BaseConfig {
  const src = isRecord(raw) ? raw : {};
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, def] of Object.entries(defaults as Record<string, unknown>)) {
    const v = src[key];
    if (v === undefined || v === null) continue;
    // Optional knobs default to `undefined`: accept any JSON value the schema allowed.
    if (def !== undefined && kindOf(v) !== kindOf(def)) {
      throw new PolicyConfigError(
        policy,
        key,
        `expected ${kindOf(def)}, got ${describe(v)}`,
        `set "${key}" to a ${kindOf(def)} (default ${describe(def)}) or remove it`,
      );
    }
    out[key] = v;
  }
  out.exemptions = validateExemptions(policy, src.exemptions);
  return out as C & BaseConfig;
}

/** The configSchema of a policy: its knobs plus the shared `exemptions` list. */
export function configSchema(knobs: Knobs): { properties: Knobs } {
  return { properties: { ...knobs, exemptions: EXEMPTIONS_SCHEMA } };
}

export const stringList = (description: string, def: string[]): PolicyConfigJSONSchema => ({
  type: "array",
  items: { type: "string", minLength: 1 },
  description,
  default: def,
});

export const integer = (description: string, def: number, minimum = 0): PolicyConfigJSONSchema => ({
  type: "integer",
  minimum,
  description,
  default: def,
});

export const text = (description: string, def: string): PolicyConfigJSONSchema => ({
  type: "string",
  description,
  default: def,
});

export const flag = (description: string, def: boolean): PolicyConfigJSONSchema => ({
  type: "boolean",
  description,
  default: def,
});

/** Compiles a regular expression from config; a bad pattern is a config error. */
export function configRegExp(policy: string, key: string, pattern: string, flags = "i"): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (e) {
    throw new PolicyConfigError(
      policy,
      key,
      `"${pattern}" is not a valid regular expression (${e instanceof Error ? e.message : "?"})`,
      "use a JavaScript regular expression",
    );
  }
}
