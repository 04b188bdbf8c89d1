import { strict as assert } from "assert";
import { main as benchMain } from "../../tools/bench/bench";
import {
  CliOutput,
  defineCli,
  helpText,
  listOr,
  parseArgv,
  parseCommandLine,
  synopsis,
  UsageError,
} from "../../tools/cli/args";
import { main as diagramMain } from "../../tools/diagram/cli";

const CLI = defineCli({
  command: "demo",
  summary: "A CLI to test the parser with.",
  flags: {
    stack: { type: "string", valueName: "NAME", required: true, description: "the stack" },
    format: { type: "string", choices: ["text", "json"], default: "text", description: "output" },
    out: { type: "string", valueName: "DIR", description: "where to write" },
    policies: { type: "boolean", default: true, description: "skip the policy check" },
    json: { type: "boolean", description: "JSON output" },
    timeout: { type: "number", valueName: "SECONDS", above: 0, default: 60, description: "start timeout" },
    "heap-mb": { type: "number", integer: true, min: 256, description: "heap limit" },
    sizes: { type: "numbers", integer: true, min: 1, default: [10, 100], description: "sizes" },
  },
  epilogue: "Exit codes: 0 ok, 2 usage.",
});

function parsed(argv: string[]) {
  const result = parseArgv(CLI, argv);
  assert.ok(!result.help, "not a help request");
  return result;
}

function rejects(argv: string[], message: RegExp): void {
  assert.throws(
    () => parseArgv(CLI, argv),
    (error: Error) => {
      assert.ok(error instanceof UsageError, `${argv.join(" ")}: ${error.stack}`);
      assert.match(error.message, message, argv.join(" "));
      return true;
    },
  );
}

function captured(): CliOutput & { out: string; err: string } {
  const output = {
    out: "",
    err: "",
    stdout: (text: string) => void (output.out += text),
    stderr: (text: string) => void (output.err += text),
  };
  return output;
}

describe("CLI argument parser", () => {
  it("fills in defaults and types the values from the declaration", () => {
    const { values, given } = parsed(["--stack", "dev"]);
    assert.deepEqual(values, {
      stack: "dev",
      format: "text",
      out: undefined,
      policies: true,
      json: false,
      timeout: 60,
      "heap-mb": undefined,
      sizes: [10, 100],
    });
    assert.deepEqual([...given], ["stack"]);
    // Compile-time: choices narrow the type, required and defaulted values are never undefined.
    const format: "text" | "json" = values.format;
    const stack: string = values.stack;
    const sizes: number[] = values.sizes;
    assert.ok(format && stack && sizes);
  });

  it("reads --flag value, --flag=value, --flag and --no-flag", () => {
    const { values, given } = parsed([
      "--stack=prod",
      "--format",
      "json",
      "--out=a=b",
      "--no-policies",
      "--json",
      "--timeout",
      "2.5",
      "--heap-mb=4096",
      "--sizes",
      "1, 20,300",
    ]);
    assert.equal(values.stack, "prod");
    assert.equal(values.format, "json");
    assert.equal(values.out, "a=b", "only the first = separates the value");
    assert.equal(values.policies, false);
    assert.equal(values.json, true);
    assert.equal(values.timeout, 2.5);
    assert.equal(values["heap-mb"], 4096);
    assert.deepEqual(values.sizes, [1, 20, 300]);
    assert.equal(given.size, 8);
    assert.equal(parsed(["--stack", "x", "--out=-dash"]).values.out, "-dash");
  });

  it("answers -h and --help before checking anything else", () => {
    assert.deepEqual(parseArgv(CLI, ["-h"]), { help: true });
    assert.deepEqual(parseArgv(CLI, ["--format", "xml", "--help"]), { help: true });
  });

  it("names the unknown flag, what is allowed and the closest match", () => {
    rejects(
      ["--stack", "dev", "--bogus"],
      /^Unknown option '--bogus'; allowed: --stack, --format, --out, --no-policies, --json, --timeout, --heap-mb, --sizes, --help$/,
    );
    rejects(["--stak", "dev"], /^Unknown option '--stak' \(did you mean --stack\?\); allowed: /);
    rejects(["--no-stack"], /^Unknown option '--no-stack'/);
    rejects(["--help=yes"], /^--help takes no value, got "yes"$/);
  });

  it("names the flag whose value is missing and what it takes", () => {
    rejects(["--stack"], /^Option '--stack NAME' argument missing: give a NAME$/);
    rejects(
      ["--stack", "dev", "--format", "--json"],
      /^Option '--format text\|json' argument missing: give text or json \(for a value that starts with "-", write --format=VALUE\)$/,
    );
    rejects(["--stack", "dev", "--heap-mb"], /argument missing: give a whole number of 256 or more$/);
    rejects([], /^--stack is required: give --stack NAME$/);
  });

  it("rejects disallowed values, naming the flag, the allowed values and the value given", () => {
    rejects(["--stack", "dev", "--format", "xml"], /^--format must be text or json, got "xml"$/);
    rejects(["--stack", "dev", "--timeout", "0"], /^--timeout must be a positive number, got "0"$/);
    rejects(["--stack", "dev", "--timeout", "soon"], /^--timeout must be a positive number, got "soon"$/);
    rejects(["--stack", "dev", "--heap-mb", "300.5"], /^--heap-mb must be a whole number of 256 or more/);
    rejects(["--stack", "dev", "--heap-mb=100"], /^--heap-mb must be a whole number of 256 or more/);
    rejects(
      ["--stack", "dev", "--sizes", "10,,100"],
      /^--sizes must be whole numbers of 1 or more separated by commas, got "10,,100"$/,
    );
    rejects(["--stack", "dev", "--sizes", "0"], /^--sizes must be whole numbers of 1 or more/);
    rejects(["--stack", " "], /^--stack must be a NAME, got " "$/);
    rejects(["--stack", "dev", "--json=false"], /^--json takes no value \(write --json or --no-json\)/);
  });

  it("rejects positional arguments and flags given twice", () => {
    rejects(["dev"], /^unexpected argument "dev": this command takes only --flags/);
    rejects(["--stack", "dev", "--", "x"], /^unexpected argument "--"/);
    rejects(["--stack", "a", "--stack=b"], /^--stack is given more than once/);
    rejects(["--stack", "a", "--policies", "--no-policies"], /^--policies is given more than once/);
  });

  it("refuses declarations the parser could not read back", () => {
    assert.throws(
      () => defineCli({ command: "x", flags: { "no-cache": { type: "boolean", description: "" } } }),
      /flag "no-cache"/,
    );
    assert.throws(
      () => defineCli({ command: "x", flags: { Stack: { type: "string", description: "" } } }),
      /flag "Stack"/,
    );
    assert.throws(
      () =>
        defineCli({
          command: "x",
          flags: { stack: { type: "string", required: true, default: "dev", description: "" } },
        }),
      /a required flag has no default/,
    );
  });

  it("writes the synopsis and the help text from the declaration", () => {
    assert.equal(
      synopsis(CLI, 60),
      [
        "usage: demo --stack NAME [--format text|json] [--out DIR]",
        "         [--no-policies] [--json] [--timeout SECONDS]",
        "         [--heap-mb N] [--sizes N,N,...] [--help]",
      ].join("\n"),
    );
    assert.equal(
      helpText(CLI),
      [
        synopsis(CLI),
        "",
        "A CLI to test the parser with.",
        "",
        "  --stack NAME        the stack (required)",
        "  --format text|json  output (default text)",
        "  --out DIR           where to write",
        "  --no-policies       skip the policy check",
        "  --json              JSON output",
        "  --timeout SECONDS   start timeout (default 60)",
        "  --heap-mb N         heap limit",
        "  --sizes N,N,...     sizes (default 10,100)",
        "  -h, --help          this text",
        "",
        "Exit codes: 0 ok, 2 usage.",
      ].join("\n"),
    );
    assert.equal(listOr(["a"]), "a");
    assert.equal(listOr(["a", "b", "c"]), "a, b or c");
  });

  describe("parseCommandLine", () => {
    it("prints the help text on stdout and exits 0", () => {
      const output = captured();
      assert.deepEqual(parseCommandLine(CLI, ["--help"], output), { run: false, exitCode: 0 });
      assert.equal(output.out, `${helpText(CLI)}\n`);
      assert.equal(output.err, "");
    });

    it("prints the error and the synopsis on stderr and exits 2, for the CLI's own checks too", () => {
      const output = captured();
      assert.deepEqual(parseCommandLine(CLI, ["--bogus"], output), { run: false, exitCode: 2 });
      assert.equal(
        output.err,
        `error: Unknown option '--bogus'; allowed: ${output.err.split("allowed: ")[1]}`,
      );
      assert.ok(output.err.endsWith(`\n${synopsis(CLI)}\n`));
      const cross = captured();
      const result = parseCommandLine(CLI, ["--stack", "dev", "--json"], cross, (values) => {
        if (values.json && values.format !== "json") throw new UsageError("--json needs --format json");
        return values;
      });
      assert.deepEqual(result, { run: false, exitCode: 2 });
      assert.match(cross.err, /^error: --json needs --format json\nusage: demo /);
    });

    it("hands the checked options on, and lets other errors through", () => {
      const output = captured();
      const result = parseCommandLine(CLI, ["--stack", "dev"], output, (values, given) => ({
        stack: values.stack,
        given: [...given],
      }));
      assert.deepEqual(result, { run: true, options: { stack: "dev", given: ["stack"] } });
      assert.equal(output.out + output.err, "");
      assert.throws(
        () =>
          parseCommandLine(CLI, ["--stack", "dev"], output, () => {
            throw new TypeError("a bug");
          }),
        TypeError,
      );
    });
  });

  describe("the CLIs that use it", () => {
    it("diagram: a usage error exits 2 before any synthesis; --help exits 0", async () => {
      const output = captured();
      assert.equal(await diagramMain(["--out", "x"], output), 2);
      assert.match(output.err, /^error: --stack is required: give --stack NAME\nusage: npx ts-node /);
      const help = captured();
      assert.equal(await diagramMain(["--help"], help), 0);
      assert.match(
        help.out,
        /--out DIR +where to write architecture-NAME\.dot and \.svg \(and one pair per pipeline\) \(default /,
      );
      assert.match(help.out, /--png +also write a PNG beside each SVG/);
    });

    it("bench: bad runner, sizes and heap exit 2 before anything runs", async () => {
      const cases: [string[], RegExp][] = [
        [["--runner", "fast"], /^error: --runner must be auto, engine or in-process, got "fast"/],
        [["--sizes", "10,x"], /^error: --sizes must be whole numbers of 1 or more separated by commas/],
        [["--heap-mb", "100"], /^error: --heap-mb must be a whole number of 256 or more, got "100"/],
        [["--json=yes"], /^error: --json takes no value/],
      ];
      for (const [argv, message] of cases) {
        const output = captured();
        assert.equal(await benchMain(argv, output), 2, argv.join(" "));
        assert.match(output.err, message);
        assert.match(output.err, /\nusage: npm run bench -- \[--sizes N,N,\.\.\.\]/);
        assert.equal(output.out, "");
      }
    });
  });
});
