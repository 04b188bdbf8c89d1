/** Reading IAM policy documents (JSON strings or objects) into statements. */
import { get, isRecord, Read, readJson, unwrap, isUnknown } from "./values";

export interface Statement {
  index: number;
  sid?: string;
  effect: string;
  actions: string[];
  notActions: string[];
  /** Some action entries were unknown during preview. */
  unknownActions: boolean;
}

function stringsOf(v: unknown): { values: string[]; unknown: boolean } {
  const u = unwrap(v);
  if (isUnknown(u)) return { values: [], unknown: true };
  const list = Array.isArray(u) ? u : u === undefined || u === null ? [] : [u];
  const values: string[] = [];
  let unknown = false;
  for (const e of list) {
    const x = unwrap(e);
    if (isUnknown(x)) unknown = true;
    else if (typeof x === "string") values.push(x);
    else if (typeof x === "number" || typeof x === "boolean") values.push(String(x));
  }
  return { values, unknown };
}

export function readPolicyDocument(v: unknown): Read<Statement[]> {
  const doc = readJson(v);
  if (doc.state !== "ok") return doc;
  const raw = get(doc.value, "Statement");
  if (isUnknown(raw)) return { state: "unknown" };
  const u = unwrap(raw);
  const list = Array.isArray(u) ? u : isRecord(u) ? [u] : undefined;
  if (!list) return { state: "invalid", got: "a policy document without a Statement list" };
  const statements = list.map((s, index): Statement => {
    const effect = get(s, "Effect");
    const sid = get(s, "Sid");
    const actions = stringsOf(get(s, "Action"));
    const notActions = stringsOf(get(s, "NotAction"));
    const notActionPresent = get(s, "NotAction") !== undefined;
    return {
      index,
      sid: typeof sid === "string" && !isUnknown(sid) ? sid : undefined,
      effect: typeof effect === "string" && !isUnknown(effect) ? effect : "Allow",
      actions: actions.values,
      notActions: notActionPresent && notActions.values.length === 0 ? ["(unknown)"] : notActions.values,
      unknownActions: actions.unknown || notActions.unknown,
    };
  });
  return { state: "ok", value: statements };
}

/** `*`, `*:*`, or a whole service (`s3:*`). */
export function isWildcardAction(action: string): boolean {
  const a = action.trim();
  return /^\*+$/.test(a) || /^[^:]*:\*+$/.test(a);
}
