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

/**
 * `text` as lines of at most `width` characters, broken after a separator (`/ _ - , . :` or a
 * space) where one is near, else mid-word: nothing is dropped, so one long value grows the node or
 * label downwards instead of stretching the layout or losing its end.
 */
export function wrapLines(text: string, width = 44): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const window = rest.slice(0, width);
    const lastBreak = Math.max(
      ...["/", "_", "-", ",", ".", ":", " "].map((mark) => window.lastIndexOf(mark)),
    );
    const cut = lastBreak >= width / 2 ? lastBreak + 1 : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || lines.length === 0) lines.push(rest);
  return lines;
}

/** `text` wrapped as one multi-line label (see wrapLines). */
export function wrapLabel(text: string, width = 44): string {
  return wrapLines(text, width).join("\n");
}
