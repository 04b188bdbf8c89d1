/**
 * Graphviz DOT text helpers: quoting, safe node IDs, attribute lists. Everything that goes into
 * the DOT source passes through here, so names with quotes, backslashes or newlines cannot break
 * the graph or inject attributes.
 */

/** A double-quoted DOT string. Backslashes and quotes are escaped; newlines become centred line breaks. */
export function quote(text: string): string {
  const escaped = text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\r\n?|\n/g, "\\n");
  return `"${escaped}"`;
}

/**
 * A node or cluster ID made only of characters that need no escaping anywhere (DOT, SVG titles,
 * CSS selectors in the SVG): letters, digits and `_ . : @ / -`. Anything else becomes `_`.
 */
export function safeId(text: string): string {
  return text.replace(/[^A-Za-z0-9_.:@/-]/g, "_");
}

export type Attributes = Record<string, string | number | boolean | undefined>;

/** `[key="value", ...]`, or "" when there is nothing to set. Values are always quoted. */
export function attributeList(attributes: Attributes): string {
  const parts = Object.entries(attributes)
    .filter(([, value]) => value !== undefined && value !== "")
    .map(([key, value]) => `${key}=${quote(String(value))}`);
  return parts.length > 0 ? ` [${parts.join(", ")}]` : "";
}

/** Shortens `text` to `max` characters with an ellipsis, so one long value cannot stretch the layout. */
export function clip(text: string, max = 48): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
