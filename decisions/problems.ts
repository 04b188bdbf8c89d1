/**
 * What validators return: plain problems, each naming the field it is about and what is
 * allowed. Components turn a non-empty list into one error (components/shared/args.ts); the stack
 * config reports each problem under the config key the field came from.
 */

/** A path to a field, e.g. ["source", "prefix"] or ["emails", 3]; empty for the whole value. */
export type FieldPath = (string | number)[];

/** One problem with one field of some arguments. */
export interface ArgsProblem {
  path: FieldPath;
  /** What is wrong and what is allowed, e.g. "must be at most 10 addresses". */
  message: string;
  /** The value given, when showing it helps the reader. */
  given?: unknown;
}

/** A problem at `path` when `message` is defined (a decision's `...Error` result), else none. */
export function problemAt(path: FieldPath, message: string | undefined, given?: unknown): ArgsProblem[] {
  if (message === undefined) return [];
  return [given === undefined ? { path, message } : { path, message, given }];
}

/** Problems of a nested value, re-rooted under `at` (e.g. a location's problems under "source"). */
export function nestedProblems(at: FieldPath, problems: ArgsProblem[]): ArgsProblem[] {
  return problems.map((problem) => ({ ...problem, path: [...at, ...problem.path] }));
}

/** A problem at `<list>[index].<field>` for every entry whose value an earlier entry already has. */
export function repeatedProblems(
  list: string,
  field: string,
  values: readonly string[],
  message: (value: string) => string,
): ArgsProblem[] {
  return values.flatMap((value, index) =>
    problemAt([list, index, field], values.indexOf(value) < index ? message(value) : undefined, value),
  );
}

/** `source.prefix`, `emails[3]`: a path as a reader writes it. */
export function formatPath(path: FieldPath): string {
  return path.reduce<string>(
    (text, part) => (typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${part}` : part),
    "",
  );
}

/** One line per problem: `field: message (given: value)`. */
export function formatArgsProblem(problem: ArgsProblem): string {
  const field = formatPath(problem.path);
  const given = problem.given === undefined ? "" : ` (given: ${JSON.stringify(problem.given)})`;
  return `${field ? `${field}: ` : ""}${problem.message}${given}`;
}
