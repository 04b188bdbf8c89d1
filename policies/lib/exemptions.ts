/**
 * Exemptions are configuration. Every policy accepts
 *
 *   "exemptions": [{ "resource": "<resource name, URN, or glob over either>", "reason": "<why, >= 10 chars>" }]
 *
 * An exempted resource is not judged by that policy and produces no violation. Each exemption that
 * takes effect is recorded (once per policy and resource):
 *   - in the in-process list returned by `appliedExemptions()` (runners and tests read it),
 *   - as one line on stderr: `[bdp-policy] exemption applied: policy=... resource=... reason="..."`,
 *   - as one JSON line appended to the file named by `BDP_POLICY_EXEMPTIONS_FILE`, when set (CI
 *     uploads it next to the policy results),
 *   - and, for resource policies, as the engine's "not applicable" reason
 *     (`exempted by config: <reason>`), which the Pulumi CLI records with the policy results.
 * We deliberately do not report exemptions as violations: an exemption is an accepted decision,
 * and advisory noise on every preview would hide real findings.
 */
import * as fs from "fs";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { PolicyConfigError } from "./errors";
import { globMatch } from "./glob";
import { describe, get, isRecord, readArray } from "./values";

export const MIN_REASON_LENGTH = 10;

export interface Exemption {
  /** Resource name (logical name), full URN, or a glob (`*`, `?`) over either. */
  resource: string;
  /** Why the resource is exempt; at least 10 characters. */
  reason: string;
}

export interface AppliedExemption {
  policy: string;
  urn: string;
  name: string;
  type: string;
  resource: string;
  reason: string;
}

export const EXEMPTIONS_SCHEMA: PolicyConfigJSONSchema = {
  type: "array",
  description: "Resources this policy skips. Each entry needs the resource (name, URN or glob) and a reason.",
  default: [],
  items: {
    type: "object",
    required: ["resource", "reason"],
    additionalProperties: false,
    properties: {
      resource: {
        type: "string",
        minLength: 1,
        description: "Resource name, URN, or a glob (* ?) over either",
      },
      reason: {
        type: "string",
        minLength: MIN_REASON_LENGTH,
        description: "Why the exemption is acceptable (ticket, owner, expiry)",
      },
    },
  },
};

/** Validates the `exemptions` config value; a missing or short reason is a config error. */
export function validateExemptions(policy: string, raw: unknown): Exemption[] {
  if (raw === undefined || raw === null) return [];
  const list = readArray(raw);
  if (list.state !== "ok") {
    throw new PolicyConfigError(
      policy,
      "exemptions",
      `expected a list, got ${describe(raw)}`,
      'use [{"resource": "<name or URN glob>", "reason": "<why>"}]',
    );
  }
  return list.value.map((entry, i) => {
    const resource = get(entry, "resource");
    const reason = get(entry, "reason");
    if (!isRecord(entry) || typeof resource !== "string" || resource.trim() === "") {
      throw new PolicyConfigError(
        policy,
        `exemptions[${i}].resource`,
        `missing resource name or URN glob (got ${describe(entry)})`,
        'give each exemption a "resource" (resource name, URN, or glob such as "*-logs")',
      );
    }
    if (typeof reason !== "string" || reason.trim().length < MIN_REASON_LENGTH) {
      throw new PolicyConfigError(
        policy,
        `exemptions[${i}].reason`,
        `exemption for "${resource}" has no reason or one shorter than ${MIN_REASON_LENGTH} characters`,
        'add a "reason" that says why the exemption is acceptable (ticket, owner, expiry)',
      );
    }
    return { resource: resource.trim(), reason: reason.trim() };
  });
}

export interface ExemptionSubject {
  type: string;
  name: string;
  urn: string;
}

/** The first exemption whose pattern matches the resource's name or URN. */
export function findExemption(
  exemptions: readonly Exemption[],
  subject: ExemptionSubject,
): Exemption | undefined {
  return exemptions.find(
    (e) =>
      e.resource === subject.name ||
      e.resource === subject.urn ||
      globMatch(e.resource, subject.name) ||
      globMatch(e.resource, subject.urn),
  );
}

const applied: AppliedExemption[] = [];
const seen = new Set<string>();

export type ExemptionSink = (line: string, record: AppliedExemption) => void;

const defaultSink: ExemptionSink = (line, record) => {
  process.stderr.write(`${line}\n`);
  const file = process.env.BDP_POLICY_EXEMPTIONS_FILE;
  if (file) {
    try {
      fs.appendFileSync(file, `${JSON.stringify(record)}\n`);
    } catch {
      // Recording must never break policy evaluation.
    }
  }
};
let sink: ExemptionSink = defaultSink;

/** Replaces where exemption lines go (tests capture them); returns the previous sink. */
export function setExemptionSink(next: ExemptionSink | undefined): ExemptionSink {
  const prev = sink;
  sink = next ?? defaultSink;
  return prev;
}

export function recordExemption(
  policy: string,
  subject: ExemptionSubject,
  exemption: Exemption,
): AppliedExemption {
  const record: AppliedExemption = {
    policy,
    urn: subject.urn,
    name: subject.name,
    type: subject.type,
    resource: exemption.resource,
    reason: exemption.reason,
  };
  const key = `${policy}\u0000${subject.urn}\u0000${exemption.resource}`;
  if (!seen.has(key)) {
    seen.add(key);
    applied.push(record);
    sink(
      `[bdp-policy] exemption applied: policy=${policy} resource=${subject.urn} (matched "${exemption.resource}") reason="${exemption.reason}"`,
      record,
    );
  }
  return record;
}

/** Every exemption that took effect in this process, in order. */
export function appliedExemptions(): readonly AppliedExemption[] {
  return applied.slice();
}

export function clearAppliedExemptions(): void {
  applied.length = 0;
  seen.clear();
}
