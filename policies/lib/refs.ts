/**
 * Correlating resources in stack policies: "does this lifecycle configuration belong to that
 * bucket?". Two kinds of evidence are used:
 *   1. the engine's property dependencies (`propertyDependencies.bucket` lists the bucket resource
 *      when the program passed `bucket.id`) — available even in preview when the value is unknown;
 *   2. the value itself, compared with the target's identifying outputs (id, arn, name, ...).
 * When neither says yes and the value is unknown, the answer is "unknown" and the policy reports
 * that it cannot judge instead of failing.
 */
import { StackResource } from "./define";
import { get, isUnknown, unwrap } from "./values";

export type RefAnswer = "yes" | "no" | "unknown";

/** Identifying values of a resource: the ones other resources use to point at it. */
export function identifiers(r: StackResource): Set<string> {
  const ids = new Set<string>();
  for (const k of [
    "id",
    "arn",
    "name",
    "bucket",
    "clusterIdentifier",
    "clusterId",
    "namespaceName",
    "workgroupName",
    "applicationId",
  ]) {
    const v = get(r.props, k);
    if (typeof v === "string" && v !== "" && !isUnknown(v)) ids.add(v);
  }
  if (r.type.startsWith("aws:s3/bucket")) {
    for (const v of [...ids]) if (!v.startsWith("arn:")) ids.add(`arn:aws:s3:::${v}`);
  }
  return ids;
}

/** Direct dependency evidence: `from.<prop>` was computed from `target`. */
export function dependsVia(from: StackResource, prop: string, target: StackResource): boolean {
  const deps = from.propertyDependencies[prop];
  return Array.isArray(deps) && deps.includes(target);
}

/** Compares one value (string or list of strings) with the target's identifiers. */
export function valueRefers(value: unknown, target: StackResource): RefAnswer {
  const u = unwrap(value);
  if (isUnknown(u)) return "unknown";
  const ids = identifiers(target);
  const candidates = Array.isArray(u) ? u.map(unwrap) : [u];
  let unknown = false;
  for (const c of candidates) {
    if (isUnknown(c)) unknown = true;
    else if (typeof c === "string" && ids.has(c)) return "yes";
  }
  return unknown ? "unknown" : "no";
}

function isAncestor(candidate: StackResource, of: StackResource): boolean {
  for (let p = of.parent, i = 0; p && i < 50; p = p.parent, i++) if (p === candidate) return true;
  return false;
}

/** Does `from.<prop>` (top-level property) refer to `target`? */
export function refersTo(from: StackResource, prop: string, target: StackResource): RefAnswer {
  if (dependsVia(from, prop, target)) return "yes";
  const answer = valueRefers(get(from.props, prop), target);
  if (answer !== "unknown") return answer;
  // Unknown value: the dependencies still tell which resources it can have come from.
  const deps = from.propertyDependencies[prop];
  if (Array.isArray(deps) && deps.length > 0 && !deps.some((d) => isAncestor(d, target))) return "no";
  return "unknown";
}

/**
 * Resources of `candidates` whose `prop` refers to `target`, plus whether some candidate could not
 * be resolved (its reference is unknown).
 */
export function referrers(
  candidates: readonly StackResource[],
  prop: string,
  target: StackResource,
): { matches: StackResource[]; unresolved: StackResource[] } {
  const matches: StackResource[] = [];
  const unresolved: StackResource[] = [];
  for (const c of candidates) {
    const a = refersTo(c, prop, target);
    if (a === "yes") matches.push(c);
    else if (a === "unknown") unresolved.push(c);
  }
  return { matches, unresolved };
}
