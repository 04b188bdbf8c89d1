/**
 * Tag reading. A resource's effective tags are its provider's default tags overlaid with its own
 * `tags` input, the same merge AWS applies (`tagsAll`). Generated AWS providers send nested config
 * such as `defaultTags` to the engine as a JSON string, so both a string and an object are accepted.
 */
import { ProviderInfo } from "./define";
import { Dict, get, isRecord, isUnknown, Read, readJson, unwrap } from "./values";

export interface TagRead {
  tags: Map<string, string>;
  /** Some tags (or the whole map) are unknown during preview. */
  unknown: boolean;
  /** Tags exist but in a shape that is not a key/value map (e.g. autoscaling's list form). */
  odd: boolean;
}

function addTags(into: TagRead, raw: unknown): void {
  const u = unwrap(raw);
  if (u === undefined || u === null) return;
  if (isUnknown(u)) {
    into.unknown = true;
    return;
  }
  if (!isRecord(u)) {
    into.odd = true;
    return;
  }
  for (const k of Object.keys(u)) {
    const v = unwrap(u[k]);
    if (isUnknown(v)) {
      into.unknown = true;
      into.tags.set(k, "");
    } else if (typeof v === "string") {
      into.tags.set(k, v);
    } else if (typeof v === "number" || typeof v === "boolean") {
      into.tags.set(k, String(v));
    } else if (v !== undefined && v !== null) {
      into.odd = true;
    }
  }
}

/** The provider's `defaultTags.tags`. */
export function providerDefaultTags(provider: ProviderInfo | undefined): TagRead {
  const out: TagRead = { tags: new Map(), unknown: false, odd: false };
  if (!provider) return out;
  const raw = get(provider.props, "defaultTags");
  if (raw === undefined || raw === null) return out;
  const parsed = readJson(raw);
  if (parsed.state === "unknown") {
    out.unknown = true;
  } else if (parsed.state === "ok") {
    // Either {tags: {...}} or, as some providers serialize it, [{tags: {...}}].
    const v = Array.isArray(parsed.value) ? parsed.value[0] : parsed.value;
    addTags(out, get(v, "tags"));
  } else {
    out.odd = true;
  }
  return out;
}

/** The resource's own `tags`. */
export function ownTags(props: Dict): TagRead {
  const out: TagRead = { tags: new Map(), unknown: false, odd: false };
  addTags(out, get(props, "tags"));
  return out;
}

/**
 * Provider default tags overlaid with the resource's own tags. Stack policies see outputs, where
 * `tagsAll` already holds the merge; it is read too.
 */
export function effectiveTags(props: Dict, provider: ProviderInfo | undefined): TagRead {
  const base = providerDefaultTags(provider);
  const all = get(props, "tagsAll");
  if (isRecord(all)) addTags(base, all);
  const own = ownTags(props);
  for (const [k, v] of own.tags) base.tags.set(k, v);
  return { tags: base.tags, unknown: base.unknown || own.unknown, odd: base.odd || own.odd };
}

/** Value of one tag; key match is exact, then case-insensitive. */
export function tagValue(tags: Map<string, string>, key: string): string | undefined {
  if (tags.has(key)) return tags.get(key);
  const lower = key.toLowerCase();
  for (const [k, v] of tags) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The value of one tag from the effective tags, as a Read (unknown when tags are unknown). */
export function readTag(props: Dict, provider: ProviderInfo | undefined, key: string): Read<string> {
  const t = effectiveTags(props, provider);
  const v = tagValue(t.tags, key);
  if (v !== undefined && v !== "") return { state: "ok", value: v };
  if (t.unknown) return { state: "unknown" };
  return { state: "absent" };
}
