/** Reading EMR instance fleets/groups and EMR configuration classifications. */
import {
  Dict,
  get,
  isRecord,
  isUnknown,
  keys,
  Read,
  readArray,
  readJson,
  readNumber,
  readString,
  unwrap,
} from "./values";

export interface Capacity {
  /** Where it was read from, e.g. "coreInstanceFleet". */
  where: string;
  /** Known instance types. */
  types: string[];
  /** Some instance types were unknown or malformed. */
  typesUnclear: boolean;
  /** Spot: target Spot capacity > 0 (fleets) or a bid price (groups). */
  spot: Read<boolean>;
}

/** An instance fleet (cluster `coreInstanceFleet` / `masterInstanceFleet`, or an InstanceFleet resource). */
export function readFleet(where: string, fleet: unknown): Capacity | undefined {
  const f = unwrap(fleet);
  if (f === undefined || f === null) return undefined;
  const cap: Capacity = { where, types: [], typesUnclear: false, spot: { state: "absent" } };
  if (isUnknown(f) || !isRecord(f)) {
    cap.typesUnclear = true;
    cap.spot = isUnknown(f) ? { state: "unknown" } : { state: "invalid", got: "not an object" };
    return cap;
  }
  const configs = readArray(get(f, "instanceTypeConfigs"));
  if (configs.state === "ok") {
    for (const c of configs.value) {
      const t = readString(get(c, "instanceType"));
      if (t.state === "ok" && t.value !== "") cap.types.push(t.value);
      else cap.typesUnclear = true;
    }
  } else if (configs.state !== "absent") {
    cap.typesUnclear = true;
  }
  const spotUnits = readNumber(get(f, "targetSpotCapacity"));
  cap.spot = spotUnits.state === "ok" ? { state: "ok", value: spotUnits.value > 0 } : spotUnits;
  if (cap.spot.state === "absent") cap.spot = { state: "ok", value: false };
  return cap;
}

/** An instance group (cluster `coreInstanceGroup` / `masterInstanceGroup`, or an InstanceGroup resource). */
export function readGroup(where: string, group: unknown): Capacity | undefined {
  const g = unwrap(group);
  if (g === undefined || g === null) return undefined;
  const cap: Capacity = { where, types: [], typesUnclear: false, spot: { state: "ok", value: false } };
  if (isUnknown(g) || !isRecord(g)) {
    cap.typesUnclear = true;
    cap.spot = isUnknown(g) ? { state: "unknown" } : { state: "invalid", got: "not an object" };
    return cap;
  }
  const t = readString(get(g, "instanceType"));
  if (t.state === "ok" && t.value !== "") cap.types.push(t.value);
  else cap.typesUnclear = true;
  const bid = readString(get(g, "bidPrice"));
  cap.spot =
    bid.state === "ok"
      ? { state: "ok", value: bid.value.trim() !== "" }
      : bid.state === "absent"
        ? { state: "ok", value: false }
        : bid;
  return cap;
}

/** Core and primary capacity declared on an EMR cluster. */
export function clusterCapacities(props: Dict): Capacity[] {
  return [
    readFleet("masterInstanceFleet", get(props, "masterInstanceFleet")),
    readFleet("coreInstanceFleet", get(props, "coreInstanceFleet")),
    readGroup("masterInstanceGroup", get(props, "masterInstanceGroup")),
    readGroup("coreInstanceGroup", get(props, "coreInstanceGroup")),
  ].filter((c): c is Capacity => !!c);
}

export interface Classification {
  classification: string;
  properties: Dict;
  /** Where it came from, for messages. */
  source: string;
}

function field(obj: unknown, name: string): unknown {
  const exact = get(obj, name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  const k = keys(obj).find((x) => x.toLowerCase() === lower);
  return k === undefined ? undefined : get(obj, k);
}

function flatten(list: unknown, source: string, out: Classification[], depth = 0): boolean {
  const arr = unwrap(list);
  if (depth > 10) return true;
  const items = Array.isArray(arr) ? arr : isRecord(arr) ? [arr] : [];
  let clear = Array.isArray(arr) || isRecord(arr);
  for (const item of items) {
    const c = unwrap(field(item, "Classification"));
    const p = unwrap(field(item, "Properties"));
    if (typeof c === "string" && !isUnknown(c)) {
      out.push({ classification: c.toLowerCase(), properties: isRecord(p) ? p : {}, source });
    } else {
      clear = false;
    }
    const nested = field(item, "Configurations");
    if (nested !== undefined && nested !== null) clear = flatten(nested, source, out, depth + 1) && clear;
  }
  return clear;
}

/**
 * All classifications of an EMR cluster (`configurationsJson`, and the older `configurations`
 * string) or EMR Serverless application (`runtimeConfigurations`), nested ones flattened.
 */
export function readClassifications(props: Dict): Read<Classification[]> {
  const out: Classification[] = [];
  let unknown = false;
  let invalid: string | undefined;
  let any = false;
  for (const key of ["configurationsJson", "configurations"]) {
    const doc = readJson(get(props, key));
    if (doc.state === "absent") continue;
    any = true;
    if (doc.state === "unknown") unknown = true;
    else if (doc.state === "invalid") invalid = `${key}: ${doc.got}`;
    else if (!flatten(doc.value, key, out)) invalid = `${key}: entries without a Classification`;
  }
  const runtime = readArray(get(props, "runtimeConfigurations"));
  if (runtime.state !== "absent") {
    any = true;
    if (runtime.state === "unknown") unknown = true;
    else if (runtime.state === "invalid") invalid = `runtimeConfigurations: ${runtime.got}`;
    else if (!flatten(runtime.value, "runtimeConfigurations", out))
      invalid = "runtimeConfigurations: entries without a classification";
  }
  if (unknown) return { state: "unknown" };
  if (invalid) return { state: "invalid", got: invalid };
  return any ? { state: "ok", value: out } : { state: "absent" };
}

/** Value of a property in a classification's properties, key matched case-insensitively. */
export function propertyValue(c: Classification, key: string): unknown {
  return field(c.properties, key);
}
