/**
 * An EventBridge pattern matcher for tests, following the content-filtering rules in
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */

/**
 * Whether an event matches an EventBridge pattern, for the pattern features the platform uses:
 * exact values, prefix, suffix and wildcard (`*` any characters, `\*` and `\\` literal). Values in
 * an array are OR-ed, fields are AND-ed; any other filter throws, so a test cannot pass by accident.
 */
export function matches(pattern: any, event: any): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const value = event?.[field];
    if (!Array.isArray(expected)) return matches(expected, value);
    return expected.some((candidate: any) => {
      if (typeof candidate !== "object") return candidate === value;
      if (typeof value !== "string") return false;
      if ("prefix" in candidate) return value.startsWith(candidate.prefix);
      if ("suffix" in candidate) return value.endsWith(candidate.suffix);
      if ("wildcard" in candidate) {
        let source = "";
        const text: string = candidate.wildcard;
        for (let index = 0; index < text.length; index++) {
          const character = text[index];
          if (character === "\\") source += text[++index].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          else if (character === "*") source += ".*";
          else source += character.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
        }
        return new RegExp(`^${source}$`, "s").test(value);
      }
      throw new Error(`unsupported filter ${JSON.stringify(candidate)}`);
    });
  });
}
