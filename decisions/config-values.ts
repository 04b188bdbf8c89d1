/**
 * Values in a decoded stack config that stand for "nothing". A YAML key without a value, `~` or
 * `null` decodes to null, and tools that template config files write the text "null", "None" or
 * "undefined" where a value went missing. As a name, description or setting such a text is always a
 * mistake, however well it fits a name's pattern ("null" is valid kebab-case), so it is rejected
 * wherever it appears.
 */
import { ArgsProblem, FieldPath } from "./problems";

/** Texts that spell a missing value in YAML, JSON, JavaScript or Python. */
export const EMPTY_VALUE_SPELLINGS: readonly string[] = [
  "null",
  "Null",
  "NULL",
  "~",
  "undefined",
  "None",
  "nil",
  "NaN",
];

const EMPTY_MESSAGE =
  "reads as a missing value; give a real value, or leave the key out where it is optional";

/** A problem at every string in `value` (nested objects and lists too) that spells a missing value. */
export function emptyValueProblems(value: unknown, path: FieldPath = []): ArgsProblem[] {
  if (typeof value === "string") {
    return EMPTY_VALUE_SPELLINGS.includes(value.trim())
      ? [{ path, message: EMPTY_MESSAGE, given: value }]
      : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => emptyValueProblems(item, [...path, index]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => emptyValueProblems(item, [...path, key]));
  }
  return [];
}
