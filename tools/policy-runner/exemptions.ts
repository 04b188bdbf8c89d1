/**
 * Exemptions the pack applied. The pack (policies/lib/exemptions.ts) records each one
 *   - as a stderr line: [bdp-policy] exemption applied: policy=P resource=URN (matched "PATTERN") reason="R"
 *   - as a JSON line {policy, urn, name, type, resource, reason} appended to $BDP_POLICY_EXEMPTIONS_FILE,
 *   - and, for resource policies, as the engine's not-applicable reason "exempted by config: R".
 * All three are merged here (one record per policy, resource and pattern).
 */
import * as fs from "fs";
import { AppliedExemption } from "./types";

export const EXEMPTIONS_FILE_ENV = "BDP_POLICY_EXEMPTIONS_FILE";

const LINE =
  /^\[bdp-policy\] exemption applied: policy=(\S+) resource=(\S*) \(matched "(.*)"\) reason="(.*)"\s*$/;
export const NOT_APPLICABLE_PREFIX = "exempted by config: ";

export function parseExemptionLine(line: string): AppliedExemption | undefined {
  const m = LINE.exec(line);
  return m ? { policy: m[1], urn: m[2], pattern: m[3], reason: m[4] } : undefined;
}

/** Reads the JSON lines appended to the exemptions file from byte `offset` on. */
export function readExemptionsFile(file: string, offset = 0): AppliedExemption[] {
  let text: string;
  try {
    const buffer = fs.readFileSync(file);
    text = buffer.subarray(offset).toString("utf8");
  } catch {
    return [];
  }
  const out: AppliedExemption[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as Record<string, unknown>;
      if (typeof r.policy !== "string" || typeof r.urn !== "string") continue;
      out.push({
        policy: r.policy,
        urn: r.urn,
        pattern: typeof r.resource === "string" ? r.resource : "",
        reason: typeof r.reason === "string" ? r.reason : "",
        ...(typeof r.name === "string" ? { name: r.name } : {}),
        ...(typeof r.type === "string" ? { type: r.type } : {}),
      });
    } catch {
      // A torn or foreign line: skip it, the stderr line carries the same record.
    }
  }
  return out;
}

export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Merges records from several sources; the first with a pattern wins, later ones fill in name/type. */
export function mergeExemptions(...sources: AppliedExemption[][]): AppliedExemption[] {
  const merged = new Map<string, AppliedExemption>();
  const key = (e: AppliedExemption) => `${e.policy}\u0000${e.urn}`;
  for (const list of sources) {
    for (const e of list) {
      const k = key(e);
      const existing = merged.get(k);
      if (!existing) {
        merged.set(k, { ...e });
        continue;
      }
      if (!existing.pattern && e.pattern) existing.pattern = e.pattern;
      if (!existing.reason && e.reason) existing.reason = e.reason;
      if (!existing.name && e.name) existing.name = e.name;
      if (!existing.type && e.type) existing.type = e.type;
    }
  }
  return [...merged.values()];
}
