/**
 * One command-line parser for the repository's CLIs (plan, diagram, bench).
 *
 * A CLI declares its flags once (type, required or default, allowed values, description); the
 * same declaration parses argv, types the result and writes the usage text, so the help and the
 * checks cannot drift apart. Accepted forms: `--flag value`, `--flag=value`, `--flag` and
 * `--no-flag` for booleans, `-h`/`--help`. Every mistake is a {@link UsageError} whose message
 * names the flag and what it allows; CLIs print it with the synopsis and exit 2.
 */

/** A command-line mistake: the message is meant for the user, as is. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

interface FlagBase {
  /** One line for the usage text. */
  description: string;
}

/** `--flag` sets true, `--no-flag` sets false; the value is false unless `default` says otherwise. */
export interface BooleanFlag extends FlagBase {
  type: "boolean";
  default?: boolean;
}

/** A flag that takes a value: `--flag VALUE` or `--flag=VALUE`. */
interface ValueFlagBase<T> extends FlagBase {
  /** The placeholder in the usage text, e.g. `DIR`; defaults to the choices or `VALUE`. */
  valueName?: string;
  required?: boolean;
  default?: T;
}

export interface StringFlag<C extends string = string> extends ValueFlagBase<C> {
  type: "string";
  /** The only values allowed, in the order the usage text lists them. */
  choices?: readonly C[];
}

/** Bounds shared by number flags; `above` is exclusive, `min` inclusive. */
interface NumberBounds {
  integer?: boolean;
  min?: number;
  above?: number;
}

export interface NumberFlag extends ValueFlagBase<number>, NumberBounds {
  type: "number";
}

/** Comma-separated numbers, e.g. `--sizes 10,100,1000`; each one meets the bounds. */
export interface NumberListFlag extends ValueFlagBase<readonly number[]>, NumberBounds {
  type: "numbers";
}

export type Flag = BooleanFlag | StringFlag | NumberFlag | NumberListFlag;
export type FlagSpecs = Record<string, Flag>;

/** What a CLI declares: how it is started (for the usage text) and its flags. */
export interface CliSpec<F extends FlagSpecs> {
  /** The command as users type it, e.g. `npm run plan --`. */
  command: string;
  /** One or two sentences for `--help`. */
  summary?: string;
  flags: F;
  /** Extra lines for `--help` (exit codes, notes). */
  epilogue?: string;
}

type Given<F> = F extends { required: true } ? true : F extends { default: unknown } ? true : false;

type ValueOf<F> = F extends BooleanFlag
  ? boolean
  : F extends StringFlag<infer C>
    ? C
    : F extends NumberFlag
      ? number
      : F extends NumberListFlag
        ? number[]
        : never;

/** The parsed flags, typed by their declaration: optional ones without a default may be undefined. */
export type ParsedFlags<F extends FlagSpecs> = {
  -readonly [K in keyof F]: F[K] extends BooleanFlag
    ? boolean
    : Given<F[K]> extends true
      ? ValueOf<F[K]>
      : ValueOf<F[K]> | undefined;
};

export type ParseResult<F extends FlagSpecs> =
  | { help: true }
  | {
      help: false;
      values: ParsedFlags<F>;
      /** The flags that appeared on the command line (not filled in from a default). */
      given: ReadonlySet<keyof F & string>;
    };

/** Declares a CLI; `const` keeps the literal choices so that parsed values get their union type. */
export function defineCli<const F extends FlagSpecs>(spec: CliSpec<F>): CliSpec<F> {
  for (const [name, flag] of Object.entries(spec.flags)) {
    if (name === "help" || name.startsWith("no-") || !/^[a-z][a-z0-9-]*$/.test(name)) {
      throw new Error(`flag "${name}": names are lower-case words joined by "-", not help or no-*`);
    }
    if (flag.type !== "boolean" && flag.required && flag.default !== undefined) {
      throw new Error(`flag "${name}": a required flag has no default`);
    }
  }
  return spec;
}

/** "a, b or c" */
export function listOr(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

function placeholder(flag: Exclude<Flag, BooleanFlag>): string {
  if (flag.valueName) return flag.valueName;
  if (flag.type === "string" && flag.choices) return flag.choices.join("|");
  return flag.type === "numbers" ? "N,N,..." : flag.type === "number" ? "N" : "VALUE";
}

/** How a flag is written in the usage text: `--stack NAME`, `--no-policies`. */
function form(name: string, flag: Flag): string {
  if (flag.type === "boolean") return flag.default ? `--no-${name}` : `--${name}`;
  return `--${name} ${placeholder(flag)}`;
}

/** What a number flag accepts, in words: "a positive whole number", "numbers of 256 or more". */
function describeNumbers(flag: NumberFlag | NumberListFlag): string {
  const plural = flag.type === "numbers";
  const noun = `${flag.integer ? "whole " : ""}number${plural ? "s" : ""}`;
  if (flag.above === 0 && flag.min === undefined) return `${plural ? "" : "a "}positive ${noun}`;
  const bounds = [
    flag.min !== undefined ? `${flag.min} or more` : undefined,
    flag.above !== undefined ? `above ${flag.above}` : undefined,
  ].filter(Boolean);
  return `${plural ? "" : "a "}${noun}${bounds.length > 0 ? ` of ${bounds.join(" and ")}` : ""}`;
}

/** What a value flag accepts, for error messages. */
function allowed(flag: Exclude<Flag, BooleanFlag>): string {
  if (flag.type === "string") return flag.choices ? listOr(flag.choices) : `a ${placeholder(flag)}`;
  if (flag.type === "number") return describeNumbers(flag);
  return `${describeNumbers(flag)} separated by commas`;
}

/** The one-paragraph synopsis printed under every usage error, wrapped at `width`. */
export function synopsis<F extends FlagSpecs>(spec: CliSpec<F>, width = 100): string {
  const parts = Object.entries(spec.flags).map(([name, flag]) => {
    const text = form(name, flag);
    return flag.type !== "boolean" && flag.required ? text : `[${text}]`;
  });
  const lines = [`usage: ${spec.command}`];
  for (const part of [...parts, "[--help]"]) {
    const last = lines.length - 1;
    if (`${lines[last]} ${part}`.length > width && lines[last].trim() !== "") lines.push(`         ${part}`);
    else lines[last] = `${lines[last]} ${part}`;
  }
  return lines.join("\n");
}

/** The `--help` text: synopsis, summary, one line per flag with its default, epilogue. */
export function helpText<F extends FlagSpecs>(spec: CliSpec<F>): string {
  const rows = Object.entries(spec.flags).map(([name, flag]) => {
    const notes: string[] = [];
    if (flag.type !== "boolean" && flag.required) notes.push("required");
    if (flag.type !== "boolean" && flag.default !== undefined) {
      notes.push(`default ${Array.isArray(flag.default) ? flag.default.join(",") : String(flag.default)}`);
    }
    const left = form(name, flag);
    return [left, notes.length > 0 ? `${flag.description} (${notes.join("; ")})` : flag.description];
  });
  rows.push(["-h, --help", "this text"]);
  const width = Math.max(...rows.map(([left]) => left.length));
  const table = rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
  return [synopsis(spec), ...(spec.summary ? ["", spec.summary] : []), "", ...table]
    .concat(spec.epilogue ? ["", spec.epilogue] : [])
    .join("\n");
}

/** Levenshtein distance, for "did you mean" on unknown flags. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

function unknownFlag<F extends FlagSpecs>(spec: CliSpec<F>, written: string): UsageError {
  const known = Object.entries(spec.flags).map(([name, flag]) => form(name, flag).split(" ")[0]);
  const close = known.filter((flag) => distance(flag, written) <= 2);
  const hint = close.length > 0 ? ` (did you mean ${listOr(close)}?)` : "";
  return new UsageError(`Unknown option '${written}'${hint}; allowed: ${[...known, "--help"].join(", ")}`);
}

function convert(name: string, flag: Exclude<Flag, BooleanFlag>, text: string): string | number | number[] {
  const invalid = () => new UsageError(`--${name} must be ${allowed(flag)}, got "${text}"`);
  if (flag.type === "string") {
    if (text.trim() === "") throw invalid();
    if (flag.choices && !flag.choices.includes(text)) throw invalid();
    return text;
  }
  const numbers = (flag.type === "numbers" ? text.split(",") : [text]).map((part) =>
    part.trim() === "" ? NaN : Number(part),
  );
  const fits = (n: number) =>
    Number.isFinite(n) &&
    (!flag.integer || Number.isInteger(n)) &&
    (flag.min === undefined || n >= flag.min) &&
    (flag.above === undefined || n > flag.above);
  if (!numbers.every(fits)) throw invalid();
  return flag.type === "numbers" ? numbers : numbers[0];
}

/**
 * Parses argv against the declaration. Returns `{ help: true }` for `-h`/`--help`, otherwise every
 * declared flag's value (defaults filled in). Throws {@link UsageError} for an unknown flag, a flag
 * given twice, a missing or disallowed value, a value given to a boolean, a positional argument,
 * or a required flag left out.
 */
export function parseArgv<F extends FlagSpecs>(spec: CliSpec<F>, argv: readonly string[]): ParseResult<F> {
  const values: Record<string, unknown> = {};
  const given = new Set<string>();
  const flags: Record<string, Flag> = spec.flags;
  // Help wins over every mistake: it is what someone who made one asks for.
  if (argv.some((token) => token === "-h" || token === "--help")) return { help: true };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith("--") || token === "--") {
      throw new UsageError(`unexpected argument "${token}": this command takes only --flags (see --help)`);
    }
    const equals = token.indexOf("=");
    const written = equals === -1 ? token : token.slice(0, equals);
    const inline = equals === -1 ? undefined : token.slice(equals + 1);
    let name = written.slice(2);
    let negated = false;
    if (!(name in flags) && name.startsWith("no-") && flags[name.slice(3)]?.type === "boolean") {
      name = name.slice(3);
      negated = true;
    }
    if (written === "--help") throw new UsageError(`--help takes no value, got "${inline}"`);
    const flag = flags[name];
    if (!Object.hasOwn(flags, name) || !flag) throw unknownFlag(spec, written);
    if (given.has(name)) throw new UsageError(`--${name} is given more than once; give it once`);
    given.add(name);
    if (flag.type === "boolean") {
      if (inline !== undefined) {
        throw new UsageError(`${written} takes no value (write --${name} or --no-${name}), got "${inline}"`);
      }
      values[name] = !negated;
      continue;
    }
    let text = inline;
    if (text === undefined) {
      const next = argv[i + 1];
      // A following flag is not a value: "--stack --format json" forgot the stack's name.
      if (next === undefined || next.startsWith("-")) {
        throw new UsageError(
          `Option '--${name} ${placeholder(flag)}' argument missing: give ${allowed(flag)}` +
            (next === undefined ? "" : ` (for a value that starts with "-", write --${name}=VALUE)`),
        );
      }
      text = next;
      i++;
    }
    values[name] = convert(name, flag, text);
  }
  for (const [name, flag] of Object.entries(flags)) {
    if (values[name] !== undefined) continue;
    if (flag.type === "boolean") values[name] = flag.default ?? false;
    else if (flag.required) throw new UsageError(`--${name} is required: give ${form(name, flag)}`);
    else values[name] = Array.isArray(flag.default) ? [...flag.default] : flag.default;
  }
  return { help: false, values: values as ParsedFlags<F>, given: given as ReadonlySet<keyof F & string> };
}

/** Where a CLI writes; main() functions take one so tests can run them in-process. */
export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processOutput: CliOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** What a CLI's main() does after parsing: run with the options, or return an exit code. */
export type CommandLine<T> = { run: true; options: T } | { run: false; exitCode: 0 | 2 };

/**
 * Parses argv for a CLI's main(): `--help` prints the help text (exit 0); a {@link UsageError},
 * from the parser or from `check` (the CLI's own rules across flags), prints `error: ...` and the
 * synopsis to stderr (exit 2). Otherwise returns `check`'s options.
 */
export function parseCommandLine<F extends FlagSpecs, T = ParsedFlags<F>>(
  spec: CliSpec<F>,
  argv: readonly string[],
  output: CliOutput,
  check: (values: ParsedFlags<F>, given: ReadonlySet<keyof F & string>) => T = (values) =>
    values as unknown as T,
): CommandLine<T> {
  try {
    const parsed = parseArgv(spec, argv);
    if (parsed.help) {
      output.stdout(`${helpText(spec)}\n`);
      return { run: false, exitCode: 0 };
    }
    return { run: true, options: check(parsed.values, parsed.given) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.stderr(`error: ${error.message}\n${synopsis(spec)}\n`);
    return { run: false, exitCode: 2 };
  }
}
