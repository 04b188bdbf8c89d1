/** Glob matching for exemption patterns and instance-type allow lists: `*` any run, `?` one character. */
const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string, caseInsensitive = false): RegExp {
  const key = `${caseInsensitive ? "i" : "s"}:${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const body = pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")))
      .join("");
    re = new RegExp(`^${body}$`, caseInsensitive ? "is" : "s");
    cache.set(key, re);
  }
  return re;
}

export function globMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  return globToRegExp(pattern, caseInsensitive).test(value);
}
