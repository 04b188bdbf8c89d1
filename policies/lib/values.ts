/**
 * Safe access to resource properties as the policy engine delivers them.
 *
 * The engine hands policies `props` wrapped in a proxy that throws when an unknown (preview-time)
 * value is read, and in remediation mode secrets arrive wrapped in `Secret` objects. Policies here
 * never read through that proxy: `unwrap` takes the raw object, and the readers below turn unknown
 * sentinels, absent values and odd shapes (numbers where strings were expected, JSON strings that
 * do not parse, arrays where objects were expected) into explicit states a policy can report on,
 * instead of throwing.
 */
import { Secret } from "@pulumi/policy";

/**
 * The engine's sentinels for values that are not known during preview. They are part of the plugin
 * protocol (the same strings the Pulumi engine sends), mirrored from `@pulumi/policy/proxy`; a test
 * checks that they stay in sync.
 */
export const UNKNOWN_SENTINELS: readonly string[] = [
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
];
const SENTINELS = new Set(UNKNOWN_SENTINELS);

/** Marker returned by `get` when a value on the path is unknown. */
export const UNKNOWN: unique symbol = Symbol.for("bdp.policy.unknown");
export type Unknown = typeof UNKNOWN;

const IS_PROXY = "__isSpecialProxy";
const PROXY_TARGET = "__getSpecialProxyTarget";

export type Dict = Record<string, unknown>;

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN || (typeof v === "string" && SENTINELS.has(v));
}

/** Strips the engine's proxies and secret wrappers; never throws. */
export function unwrap(v: unknown): unknown {
  let cur = v;
  for (let i = 0; i < 6; i++) {
    if (cur instanceof Secret) {
      cur = cur.value;
      continue;
    }
    if (cur === null || (typeof cur !== "object" && typeof cur !== "function")) {
      return cur;
    }
    let next: unknown;
    try {
      if ((cur as Dict)[IS_PROXY] !== true) {
        return cur;
      }
      next = (cur as Dict)[PROXY_TARGET];
    } catch {
      return cur;
    }
    if (next === undefined || next === cur) {
      return cur;
    }
    cur = next;
  }
  return cur;
}

/** A plain object (not an array, not null). */
export function isRecord(v: unknown): v is Dict {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function own(obj: unknown, key: string | number): unknown {
  if (Array.isArray(obj)) {
    return typeof key === "number" || /^\d+$/.test(String(key)) ? obj[Number(key)] : undefined;
  }
  if (!isRecord(obj)) {
    return undefined;
  }
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key as string] : undefined;
}

/**
 * Reads a nested value. Returns `UNKNOWN` when the value or anything on the way is unknown, and
 * `undefined` when the path does not exist or runs through a non-object.
 */
export function get(obj: unknown, ...path: (string | number)[]): unknown {
  let cur = unwrap(obj);
  for (const key of path) {
    if (isUnknown(cur)) {
      return UNKNOWN;
    }
    cur = unwrap(own(cur, key));
  }
  return isUnknown(cur) ? UNKNOWN : cur;
}

/** Own keys of an object; empty for anything else. */
export function keys(v: unknown): string[] {
  const u = unwrap(v);
  return isRecord(u) ? Object.keys(u) : [];
}

/** The outcome of reading one value. */
export type Read<T> =
  { state: "ok"; value: T } | { state: "absent" } | { state: "unknown" } | { state: "invalid"; got: string };

const ABSENT = { state: "absent" } as const;
const UNKNOWN_READ = { state: "unknown" } as const;

function pre(v: unknown): { done: Read<never> } | { value: unknown } {
  const u = unwrap(v);
  if (isUnknown(u)) {
    return { done: UNKNOWN_READ };
  }
  if (u === undefined || u === null) {
    return { done: ABSENT };
  }
  return { value: u };
}

export function readString(v: unknown): Read<string> {
  const p = pre(v);
  if ("done" in p) return p.done;
  const u = p.value;
  if (typeof u === "string") return { state: "ok", value: u };
  if (typeof u === "number" && Number.isFinite(u)) return { state: "ok", value: String(u) };
  if (typeof u === "boolean") return { state: "ok", value: String(u) };
  return { state: "invalid", got: describe(u) };
}

export function readNumber(v: unknown): Read<number> {
  const p = pre(v);
  if ("done" in p) return p.done;
  const u = p.value;
  if (typeof u === "number" && Number.isFinite(u)) return { state: "ok", value: u };
  if (typeof u === "string" && u.trim() !== "" && Number.isFinite(Number(u))) {
    return { state: "ok", value: Number(u) };
  }
  return { state: "invalid", got: describe(u) };
}

export function readBool(v: unknown): Read<boolean> {
  const p = pre(v);
  if ("done" in p) return p.done;
  const u = p.value;
  if (typeof u === "boolean") return { state: "ok", value: u };
  if (typeof u === "string" && /^(true|false)$/i.test(u.trim())) {
    return { state: "ok", value: u.trim().toLowerCase() === "true" };
  }
  return { state: "invalid", got: describe(u) };
}

export function readArray(v: unknown): Read<unknown[]> {
  const p = pre(v);
  if ("done" in p) return p.done;
  return Array.isArray(p.value)
    ? { state: "ok", value: p.value }
    : { state: "invalid", got: describe(p.value) };
}

export function readRecord(v: unknown): Read<Dict> {
  const p = pre(v);
  if ("done" in p) return p.done;
  return isRecord(p.value) ? { state: "ok", value: p.value } : { state: "invalid", got: describe(p.value) };
}

/**
 * Reads a value that AWS takes as a JSON document (policies, definitions, configurations). Already
 * parsed objects and arrays are accepted as they are.
 */
export function readJson(v: unknown): Read<unknown> {
  const p = pre(v);
  if ("done" in p) return p.done;
  const u = p.value;
  if (typeof u !== "string") {
    return isRecord(u) || Array.isArray(u)
      ? { state: "ok", value: u }
      : { state: "invalid", got: describe(u) };
  }
  if (UNKNOWN_SENTINELS.some((s) => u.includes(s))) {
    return UNKNOWN_READ;
  }
  try {
    return { state: "ok", value: JSON.parse(u) as unknown };
  } catch (e) {
    return { state: "invalid", got: `text that is not JSON (${errorText(e)})` };
  }
}

/** True when `v` (deeply) holds an unknown value. */
export function containsUnknown(v: unknown, depth = 0): boolean {
  const u = unwrap(v);
  if (isUnknown(u)) return true;
  if (depth > 20) return false;
  if (Array.isArray(u)) return u.some((e) => containsUnknown(e, depth + 1));
  if (isRecord(u)) return Object.keys(u).some((k) => containsUnknown(u[k], depth + 1));
  return false;
}

/** Visits every (key, value) pair of a nested structure; keys of arrays are indexes. */
export function walk(v: unknown, visit: (key: string, value: unknown) => void, depth = 0): void {
  const u = unwrap(v);
  if (depth > 30) return;
  if (Array.isArray(u)) {
    u.forEach((e, i) => {
      visit(String(i), unwrap(e));
      walk(e, visit, depth + 1);
    });
  } else if (isRecord(u)) {
    for (const k of Object.keys(u)) {
      visit(k, unwrap(u[k]));
      walk(u[k], visit, depth + 1);
    }
  }
}

/** A short, safe rendering of any value for messages; never throws. */
export function describe(v: unknown): string {
  const u = unwrap(v);
  if (isUnknown(u)) return "(unknown during preview)";
  if (u === undefined) return "undefined";
  if (typeof u === "string") return JSON.stringify(u.length > 60 ? `${u.slice(0, 57)}...` : u);
  if (typeof u === "number" || typeof u === "boolean" || u === null) return String(u);
  if (typeof u === "bigint") return `${u.toString()}n`;
  if (typeof u === "symbol" || typeof u === "function") return typeof u;
  if (Array.isArray(u)) return `an array of ${u.length}`;
  try {
    const s = JSON.stringify(u, (_k, val: unknown) => (typeof val === "bigint" ? val.toString() : val));
    if (typeof s === "string") return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    // fall through
  }
  return "an object";
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return describe(e);
}

/** A shallow copy that keeps odd keys such as "__proto__" as plain data. */
export function shallowCopy(obj: unknown): Dict {
  const out: Dict = {};
  const u = unwrap(obj);
  if (isRecord(u)) {
    for (const k of Object.keys(u)) {
      Object.defineProperty(out, k, { value: u[k], enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

/** Sets a property as plain data (safe for any key). */
export function setProp(obj: Dict, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
