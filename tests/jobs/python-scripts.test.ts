/**
 * Checks of the Spark job scripts without Spark: they compile (py_compile), their argument
 * contract and Glue bookmark/catalog calls are what the infrastructure relies on (read from
 * the Python AST), and their control flow runs end to end against recording stand-ins for
 * the awsglue and pyspark APIs (tests/jobs/fixtures/spark-stubs), with the shared module
 * jobs/common/daily_sales.py shipped beside them as Glue and spark-submit ship it. One table of
 * good and bad input runs through both jobs, which must agree; the shared module has unit tests.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const GLUE_SCRIPT = path.join(REPO_ROOT, "jobs", "glue", "daily_sales_by_store.py");
const SPARK_SCRIPT = path.join(REPO_ROOT, "jobs", "spark", "sales_by_store.py");
const SHARED_MODULE = path.join(REPO_ROOT, "jobs", "common", "daily_sales.py");
const RUNNER = path.join(__dirname, "fixtures", "run_with_stubs.py");
const SHARED_CALLER = path.join(__dirname, "fixtures", "call_shared.py");

/** The job arguments the infrastructure passes to the Glue job (besides Glue's own JOB_NAME). */
const GLUE_ARGUMENTS = [
  "source_database",
  "source_table",
  "target_path",
  "target_database",
  "target_table",
  "write_mode",
];

type Call = [path: string, args: unknown[], kwargs: Record<string, unknown>];
interface Outcome {
  error: string | null;
  calls: Call[];
  stderr: string;
}

describe("jobs/glue and jobs/spark Python scripts", function () {
  this.timeout(20_000);
  let scratch: string;
  let pythonEnv: NodeJS.ProcessEnv;

  before(() => {
    scratch = mkdtempSync(path.join(tmpdir(), "job-scripts-"));
    // Bytecode, if any, goes to the temp dir: nothing lands in the repository.
    pythonEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: "1", PYTHONPYCACHEPREFIX: scratch };
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  function python(args: string[]): string {
    return execFileSync("python3", ["-B", ...args], { env: pythonEnv, encoding: "utf8", timeout: 15_000 });
  }

  /** One run of a job script; `pyFiles` are shipped beside it (by default the shared module). */
  interface Run {
    script: string;
    state?: Record<string, unknown>;
    args: string[];
    pyFiles?: string[];
  }

  /** Runs scripts against the stubs in one Python process, each from a clean slate. */
  function runAll(runs: Run[]): Outcome[] {
    const input = runs.map(({ script, state = {}, args, pyFiles = [SHARED_MODULE] }) => ({
      script,
      state,
      args,
      py_files: pyFiles,
    }));
    const stdout = execFileSync("python3", ["-B", RUNNER], {
      env: pythonEnv,
      encoding: "utf8",
      timeout: 15_000,
      input: JSON.stringify(input),
    });
    return JSON.parse(stdout) as Outcome[];
  }

  /** Runs pairs of runs (the Glue job and the EMR job on the same input) in one batch. */
  function runPairs(pairs: [Run, Run][]): [Outcome, Outcome][] {
    const outcomes = runAll(pairs.flat());
    return pairs.map((_, i) => [outcomes[2 * i], outcomes[2 * i + 1]]);
  }

  function runWithStubs(
    script: string,
    state: Record<string, unknown>,
    args: string[],
    pyFiles = [SHARED_MODULE],
  ): Outcome {
    return runAll([{ script, state, args, pyFiles }])[0];
  }

  const named = (outcome: Outcome, suffix: string) => outcome.calls.filter(([p]) => p.endsWith(suffix));
  const indexOf = (outcome: Outcome, suffix: string) => outcome.calls.findIndex(([p]) => p.endsWith(suffix));
  const one = (outcome: Outcome, suffix: string): Call => {
    const calls = named(outcome, suffix);
    assert.equal(calls.length, 1, `expected one call of ${suffix}, got ${calls.length}`);
    return calls[0];
  };

  const glueArgs = [
    "--JOB_NAME",
    "daily_sales_by_store",
    "--source_database",
    "dev_raw",
    "--source_table",
    "sales",
    "--target_path",
    "s3://dev-curated/daily_sales_by_store/",
    "--target_database",
    "dev_curated",
    "--target_table",
    "daily_sales_by_store",
    "--write_mode",
    "append",
    // Glue adds arguments of its own; the script must not trip over them.
    "--job-bookmark-option",
    "job-bookmark-enable",
  ];
  /** A replay: no bookmarks, every raw file read, each written sale_date partition replaced. */
  const replayArgs = [
    ...glueArgs.slice(0, glueArgs.indexOf("--write_mode")),
    "--write_mode",
    "overwrite_partitions",
    "--job-bookmark-option",
    "job-bookmark-disable",
  ];
  const sparkArgs = ["--source", "s3://dev-raw/sales/", "--target", "s3://dev-curated/sales_by_store"];

  /** Replaces the value that follows `flag` (both jobs take `--flag value`), or adds both. */
  function withArgument(args: string[], flag: string, value: string): string[] {
    const at = args.indexOf(flag);
    return at < 0 ? [...args, flag, value] : [...args.slice(0, at + 1), value, ...args.slice(at + 2)];
  }

  function pycacheDirs(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const full = path.join(dir, entry);
      if (!statSync(full).isDirectory()) return [];
      return entry === "__pycache__" ? [full] : pycacheDirs(full);
    });
  }

  for (const script of [GLUE_SCRIPT, SPARK_SCRIPT, SHARED_MODULE]) {
    it(`${path.relative(REPO_ROOT, script)} compiles with py_compile`, () => {
      const cfile = path.join(scratch, path.basename(script) + "c");
      python([
        "-c",
        "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
        script,
        cfile,
      ]);
      assert.ok(existsSync(cfile));
    });
  }

  describe("Glue job: static contract", () => {
    let source: string;
    let contract: { resolved: string[]; subscripts: string[] };
    before(() => {
      source = readFileSync(GLUE_SCRIPT, "utf8");
      // From the AST: the names passed to getResolvedOptions (a literal list or a module-level
      // constant) and every args["..."] the script reads.
      const extract = String.raw`
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
constants = {}
for node in tree.body:
    if isinstance(node, ast.Assign) and isinstance(node.value, (ast.List, ast.Tuple)):
        for target in node.targets:
            if isinstance(target, ast.Name):
                constants[target.id] = [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
resolved, subscripts = [], []
for node in ast.walk(tree):
    if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "getResolvedOptions":
        options = node.args[1]
        if isinstance(options, ast.Name):
            resolved += constants[options.id]
        else:
            resolved += [e.value for e in options.elts]
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "args":
        if isinstance(node.slice, ast.Constant):
            subscripts.append(node.slice.value)
print(json.dumps({"resolved": resolved, "subscripts": subscripts}))
`;
      contract = JSON.parse(python(["-c", extract, GLUE_SCRIPT]));
    });

    it("resolves exactly JOB_NAME and the six job arguments the infrastructure passes", () => {
      assert.deepEqual([...contract.resolved].sort(), ["JOB_NAME", ...GLUE_ARGUMENTS].sort());
    });

    it("reads every job argument, and documents it at the top", () => {
      for (const name of GLUE_ARGUMENTS) {
        assert.ok(contract.subscripts.includes(name), `args["${name}"] is never read`);
        assert.ok(source.indexOf(`--${name}`) < source.indexOf("import "), `--${name} is not documented`);
      }
    });

    it("uses job bookmarks and catalog updates", () => {
      assert.match(source, /job\.init\(args\["JOB_NAME"\], args\)/);
      assert.match(source, /job\.commit\(\)/);
      assert.match(source, /enableUpdateCatalog=True/);
      assert.match(source, /updateBehavior="UPDATE_IN_DATABASE"/);
      assert.match(source, /setFormat\("glueparquet"/);
      assert.match(source, /transformation_ctx=/);
    });
  });

  describe("Glue job: control flow against stubs", () => {
    it("inits the job, reads the bookmarked catalog table, writes partitioned glueparquet with catalog update, commits last", () => {
      const outcome = runWithStubs(GLUE_SCRIPT, {}, glueArgs);
      assert.equal(outcome.error, null);

      const [, initArgs] = one(outcome, "Job().init");
      assert.equal(initArgs[0], "daily_sales_by_store");
      assert.deepEqual(Object.keys(initArgs[1] as object).sort(), ["JOB_NAME", ...GLUE_ARGUMENTS].sort());

      const [, , read] = one(outcome, ".create_dynamic_frame.from_catalog");
      assert.equal(read.database, "dev_raw");
      assert.equal(read.table_name, "sales");
      assert.equal(typeof read.transformation_ctx, "string");
      assert.ok((read.transformation_ctx as string).length > 0);

      assert.deepEqual(one(outcome, ".spark_session.conf.set")[1], ["spark.sql.session.timeZone", "UTC"]);
      assert.deepEqual(one(outcome, ".groupBy")[1], ["sale_date", "store_id"]);

      const [, , sink] = one(outcome, ".getSink");
      assert.equal(sink.connection_type, "s3");
      assert.equal(sink.path, "s3://dev-curated/daily_sales_by_store/");
      assert.equal(sink.enableUpdateCatalog, true);
      assert.equal(sink.updateBehavior, "UPDATE_IN_DATABASE");
      assert.deepEqual(sink.partitionKeys, ["sale_date"]);
      assert.equal(one(outcome, ".getSink().setFormat")[1][0], "glueparquet");
      assert.deepEqual(one(outcome, ".getSink().setCatalogInfo")[2], {
        catalogDatabase: "dev_curated",
        catalogTableName: "daily_sales_by_store",
      });
      one(outcome, ".getSink().writeFrame");
      assert.equal(named(outcome, ".write.mode").length, 0, "a bookmarked run adds its rows");

      const order = ["Job().init", ".from_catalog", ".getSink", ".writeFrame", "Job().commit"].map((s) =>
        indexOf(outcome, s),
      );
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
        `calls out of order: ${order}`,
      );
      assert.equal(outcome.calls[outcome.calls.length - 1][0], "Job().commit");
    });

    it("a replay replaces the sale_date partitions it writes instead of appending, then registers them", () => {
      const outcome = runWithStubs(
        GLUE_SCRIPT,
        { rows: [{ sale_date: "2024-05-02" }, { sale_date: "2024-05-01" }] },
        replayArgs,
      );
      assert.equal(outcome.error, null);
      assert.equal(named(outcome, ".getSink").length, 0, "Glue sinks only append");
      assert.deepEqual(one(outcome, ".write.mode")[1], ["overwrite"]);
      assert.deepEqual(one(outcome, ".write.mode().option")[1], ["partitionOverwriteMode", "dynamic"]);
      assert.deepEqual(one(outcome, ".partitionBy")[1], ["sale_date"]);
      assert.deepEqual(one(outcome, ".parquet")[1], ["s3://dev-curated/daily_sales_by_store/"]);
      const statements = named(outcome, ".sql").map(([, args]) => args[0] as string);
      assert.match(statements[0], /^CREATE EXTERNAL TABLE IF NOT EXISTS dev_curated\.daily_sales_by_store /);
      assert.match(statements[0], /LOCATION 's3:\/\/dev-curated\/daily_sales_by_store\/'/);
      assert.equal(
        statements[1],
        "ALTER TABLE dev_curated.daily_sales_by_store ADD IF NOT EXISTS " +
          "PARTITION (sale_date='2024-05-01') PARTITION (sale_date='2024-05-02')",
      );
      const order = ["Job().init", ".parquet", ".sql", "Job().commit"].map((s) => indexOf(outcome, s));
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
        `calls out of order: ${order}`,
      );
    });

    it("refuses to overwrite partitions from a bookmarked run, and an unknown write mode, before Job.init", () => {
      const bookmarked = runWithStubs(GLUE_SCRIPT, {}, [...replayArgs.slice(0, -1), "job-bookmark-enable"]);
      assert.match(
        bookmarked.error ?? "",
        /^SalesInputError: --write_mode overwrite_partitions needs job bookmarks off: a bookmarked run reads only new files/,
      );
      const unknown = runWithStubs(GLUE_SCRIPT, {}, withArgument(glueArgs, "--write_mode", "overwrite"));
      assert.equal(
        unknown.error,
        "SalesInputError: --write_mode must be one of append, overwrite_partitions, not 'overwrite'",
      );
      for (const outcome of [bookmarked, unknown]) assert.equal(named(outcome, "Job().init").length, 0);
    });

    it("commits without writing when the bookmark has no new files", () => {
      const outcome = runWithStubs(GLUE_SCRIPT, { empty: true }, glueArgs);
      assert.equal(outcome.error, null);
      assert.equal(named(outcome, ".getSink").length, 0);
      one(outcome, "Job().commit");
    });

    it("fails without writing or committing the bookmark when rows are invalid", () => {
      const outcome = runWithStubs(GLUE_SCRIPT, { invalid_ids: ["s-17", "s-23"] }, glueArgs);
      assert.match(
        outcome.error ?? "",
        /^SalesInputError: 2 sales row\(s\) .*first sale_ids: \['s-17', 's-23'\]/,
      );
      assert.equal(named(outcome, ".writeFrame").length, 0);
      assert.equal(named(outcome, "Job().commit").length, 0);
    });

    it("fails naming a source column the table lacks", () => {
      const outcome = runWithStubs(GLUE_SCRIPT, { columns: ["sale_id", "store_id", "sold_at"] }, glueArgs);
      assert.match(outcome.error ?? "", /^SalesInputError: sales input lacks column\(s\) amount/);
      assert.equal(named(outcome, "Job().commit").length, 0);
    });

    for (const missing of GLUE_ARGUMENTS) {
      it(`stops before Job.init when --${missing} is missing`, () => {
        const at = glueArgs.indexOf(`--${missing}`);
        const outcome = runWithStubs(GLUE_SCRIPT, {}, [...glueArgs.slice(0, at), ...glueArgs.slice(at + 2)]);
        assert.match(outcome.error ?? "", new RegExp(`--${missing}`));
        assert.equal(named(outcome, "Job().init").length, 0);
      });
    }
  });

  describe("EMR Spark job", () => {
    it("parses --source and --target with argparse", () => {
      const source = readFileSync(SPARK_SCRIPT, "utf8");
      assert.match(source, /import argparse/);
      assert.match(source, /add_argument\("--source", required=True/);
      assert.match(source, /add_argument\("--target", required=True/);
    });

    it("uses Hive support, UTC, dynamic partition overwrite, and writes Parquet partitioned by sale_date", () => {
      const outcome = runWithStubs(SPARK_SCRIPT, { rows: [{ sale_date: "2024-05-01" }] }, sparkArgs);
      assert.equal(outcome.error, null);
      const configs = named(outcome, ".config").map(([, args]) => args);
      assert.deepEqual(configs, [["spark.sql.session.timeZone", "UTC"]]);
      assert.ok(indexOf(outcome, ".enableHiveSupport") < indexOf(outcome, ".getOrCreate"));
      assert.deepEqual(one(outcome, ".csv")[1], ["s3://dev-raw/sales/"]);
      assert.deepEqual(one(outcome, ".write.mode")[1], ["overwrite"]);
      assert.deepEqual(one(outcome, ".write.mode().option")[1], ["partitionOverwriteMode", "dynamic"]);
      assert.deepEqual(one(outcome, ".partitionBy")[1], ["sale_date"]);
      assert.deepEqual(one(outcome, ".parquet")[1], ["s3://dev-curated/sales_by_store/"]);
      assert.equal(named(outcome, ".sql").length, 0, "no catalog DDL without --table");
      assert.equal(outcome.calls[outcome.calls.length - 1][0].endsWith(".stop"), true);
    });

    it("registers the table and its new partitions with --table", () => {
      const outcome = runWithStubs(
        SPARK_SCRIPT,
        { rows: [{ sale_date: "2024-05-02" }, { sale_date: "2024-05-01" }] },
        [...sparkArgs, "--table", "dev_curated.sales_by_store"],
      );
      assert.equal(outcome.error, null);
      const statements = named(outcome, ".sql").map(([, args]) => args[0] as string);
      assert.equal(statements.length, 2);
      assert.match(statements[0], /^CREATE EXTERNAL TABLE IF NOT EXISTS dev_curated\.sales_by_store /);
      assert.match(statements[0], /PARTITIONED BY \(sale_date STRING\) STORED AS PARQUET/);
      assert.match(statements[0], /LOCATION 's3:\/\/dev-curated\/sales_by_store\/'/);
      assert.equal(
        statements[1],
        "ALTER TABLE dev_curated.sales_by_store ADD IF NOT EXISTS " +
          "PARTITION (sale_date='2024-05-01') PARTITION (sale_date='2024-05-02')",
      );
    });

    it("exits with a message and no traceback before writing when rows are invalid, and still stops Spark", () => {
      const outcome = runWithStubs(SPARK_SCRIPT, { invalid_ids: ["x-1"] }, sparkArgs);
      assert.match(
        outcome.error ?? "",
        /^SystemExit: sales_by_store: 1 sales row\(s\) .*first sale_ids: \['x-1'\]/,
      );
      assert.equal(named(outcome, ".parquet").length, 0);
      one(outcome, ".stop");
    });

    it("accepts the header in any case and order, and names missing columns", () => {
      const ok = runWithStubs(
        SPARK_SCRIPT,
        { columns: [" Amount", "SOLD_AT", "store_id", "sale_id", "extra"] },
        sparkArgs,
      );
      assert.equal(ok.error, null);
      const bad = runWithStubs(SPARK_SCRIPT, { columns: ["sale_id", "store_id", "amount"] }, sparkArgs);
      assert.match(bad.error ?? "", /sales input lacks column\(s\) sold_at/);
    });

    for (const [name, args, message] of [
      [
        "a missing --target",
        ["--source", "s3://dev-raw/sales/"],
        /the following arguments are required: --target/,
      ],
      [
        "a local --source",
        ["--source", "/tmp/sales", "--target", "s3://b-c/x"],
        /--source must be an s3:\/\/ URI/,
      ],
      [
        "a quote in --target",
        ["--source", "s3://b-c/x", "--target", "s3://b-c/it's"],
        /--target must be an s3:\/\/ URI/,
      ],
      [
        "a --table without a database",
        [...sparkArgs, "--table", "sales_by_store"],
        /--table must be database\.table/,
      ],
      [
        "an upper-case --table",
        [...sparkArgs, "--table", "Curated.t"],
        /the database of --table must be a lowercase/,
      ],
    ] as [string, string[], RegExp][]) {
      it(`exits 2 with a usage message on ${name}, before starting Spark`, () => {
        const outcome = runWithStubs(SPARK_SCRIPT, {}, args);
        assert.equal(outcome.error, "SystemExit(2)");
        assert.match(outcome.stderr, message);
        assert.deepEqual(outcome.calls, []);
      });
    }
  });

  describe("the shared module is shipped, not found by accident", () => {
    for (const [script, args] of [
      [GLUE_SCRIPT, glueArgs],
      [SPARK_SCRIPT, sparkArgs],
    ] as [string, string[]][]) {
      it(`${path.basename(script)} cannot start without daily_sales.py beside it`, () => {
        const outcome = runWithStubs(script, {}, args, []);
        assert.equal(outcome.error, "ModuleNotFoundError: No module named 'daily_sales'");
        assert.deepEqual(outcome.calls, []);
      });
    }
  });

  describe("both jobs: one input contract", () => {
    /** Accepted, or rejected with the message a job reports (exception, usage error or exit). */
    type Verdict = { accepted: true } | { accepted: false; message: string };

    function verdict(outcome: Outcome): Verdict {
      if (outcome.error === null) return { accepted: true };
      const raised = /^SalesInputError: (.*)$/s.exec(outcome.error);
      if (raised) return { accepted: false, message: raised[1] };
      const exited = /^SystemExit: sales_by_store: (.*)$/s.exec(outcome.error);
      if (exited) return { accepted: false, message: exited[1] };
      const usage = /: error: (.*)$/.exec(outcome.stderr.trim());
      if (outcome.error === "SystemExit(2)" && usage) return { accepted: false, message: usage[1] };
      throw new Error(`not a verdict: ${outcome.error}\n${outcome.stderr}`);
    }

    const sold = ["sale_id", "store_id", "sold_at", "amount"];
    // The sales the jobs read: the same frame (columns, their types, invalid rows) for both.
    const dataCases: [string, Record<string, unknown>, RegExp | null][] = [
      ["the four columns as text", {}, null],
      [
        "the columns in any case and order, padded, with extras",
        { columns: [" Amount", "SOLD_AT", "store_id ", "sale_id", "note"] },
        null,
      ],
      ["typed columns a crawler may infer", { types: ["bigint", "int", "timestamp", "double"] }, null],
      ["a decimal amount and string ids", { types: ["string", "string", "string", "decimal(12,2)"] }, null],
      [
        "a missing amount column",
        { columns: ["sale_id", "store_id", "sold_at"] },
        /^sales input lacks column\(s\) amount; expected sale_id, store_id, sold_at, amount$/,
      ],
      [
        "two missing columns",
        { columns: ["sale_id", "amount"] },
        /^sales input lacks column\(s\) store_id, sold_at;/,
      ],
      [
        "a column named twice once trimmed and lowercased",
        { columns: [...sold, " Sale_ID"] },
        /^sales input has column\(s\) sale_id more than once/,
      ],
      [
        "a date-only sold_at column",
        { types: ["string", "string", "date", "string"] },
        /^sales input column sold_at has type date; allowed: string, timestamp$/,
      ],
      [
        "an epoch-number sold_at column",
        { types: ["string", "string", "bigint", "string"] },
        /^sales input column sold_at has type bigint;/,
      ],
      [
        "a float amount column",
        { types: ["string", "string", "string", "float"] },
        /^sales input column amount has type float; allowed: string, tinyint, smallint, int, bigint, double, decimal$/,
      ],
      [
        "a double sale_id column",
        { types: ["double", "string", "string", "string"] },
        /^sales input column sale_id has type double;/,
      ],
      [
        "rows breaking a row rule",
        { invalid_ids: ["s-17", "s-23"] },
        /^2 sales row\(s\) have an empty sale_id or store_id, a sold_at that is not an ISO-8601 date and time, or an amount that is not a decimal number with at most 6 decimal places; first sale_ids: \['s-17', 's-23'\]$/,
      ],
    ];
    let dataOutcomes: [Outcome, Outcome][];
    before(() => {
      dataOutcomes = runPairs(
        dataCases.map(([, state]) => [
          { script: GLUE_SCRIPT, state, args: glueArgs },
          { script: SPARK_SCRIPT, state, args: sparkArgs },
        ]),
      );
    });
    dataCases.forEach(([what, , rejected], index) => {
      it(`${rejected ? "both reject" : "both accept"} ${what}, alike`, () => {
        const [glue, spark] = dataOutcomes[index].map(verdict);
        assert.deepEqual(spark, glue);
        if (rejected) {
          assert.equal(glue.accepted, false);
          assert.match((glue as { message: string }).message, rejected);
        } else assert.deepEqual(glue, { accepted: true });
      });
    });

    // The same value in the argument of each job that carries it. A rejection comes before the
    // job starts, names each job's own argument, then states the same rule about the same value.
    interface ArgumentCase {
      what: string;
      glue: [flag: string, value: string];
      spark: [flag: string, value: string];
      /** When rejected: how each job's message names the argument, and the rule it states. */
      rejected?: { subjects: [glue: string, spark: string]; rule: RegExp };
    }
    const S3_RULE =
      /^an s3:\/\/ URI of a valid bucket name, without quotes, backslashes or control characters, not ['"]/;
    const NAME_RULE =
      /^a lowercase letter, then up to 254 lowercase letters, digits or underscores, not ['"]/;
    const location = (value: string, bad = false): ArgumentCase => ({
      what: `target location ${JSON.stringify(value)}`,
      glue: ["--target_path", value],
      spark: ["--target", value],
      ...(bad && { rejected: { subjects: ["--target_path", "--target"], rule: S3_RULE } }),
    });
    const table = (value: string, bad = false): ArgumentCase => ({
      what: `target table ${JSON.stringify(value).slice(0, 40)}`,
      glue: ["--target_table", value],
      spark: ["--table", `dev_curated.${value}`],
      ...(bad && { rejected: { subjects: ["--target_table", "the table of --table"], rule: NAME_RULE } }),
    });
    const database = (value: string, bad = false): ArgumentCase => ({
      what: `target database ${JSON.stringify(value)}`,
      glue: ["--target_database", value],
      spark: ["--table", `${value}.sales_by_store`],
      ...(bad && {
        rejected: { subjects: ["--target_database", "the database of --table"], rule: NAME_RULE },
      }),
    });
    const argumentCases: ArgumentCase[] = [
      location("s3://dev-curated/daily_sales_by_store/"),
      location("s3://a.b-c/"),
      location("/tmp/daily_sales_by_store", true),
      location("s3a://dev-curated/daily/", true),
      location("s3://Dev_Curated/daily/", true),
      location("s3://ab/daily/", true),
      location("s3://dev-curated/it's/", true),
      location("s3://dev-curated/a\\b/", true),
      table("daily_sales_by_store"),
      table("Daily", true),
      table("daily-sales", true),
      table("2024_sales", true),
      table("x".repeat(256), true),
      database("dev_curated"),
      database("_curated", true),
    ];
    let argumentOutcomes: [Outcome, Outcome][];
    before(() => {
      argumentOutcomes = runPairs(
        argumentCases.map(({ glue, spark }) => [
          { script: GLUE_SCRIPT, args: withArgument(glueArgs, ...glue) },
          { script: SPARK_SCRIPT, args: withArgument(sparkArgs, ...spark) },
        ]),
      );
    });
    argumentCases.forEach(({ what, rejected }, index) => {
      it(`${rejected ? "both reject" : "both accept"} ${what}, alike`, () => {
        const [glueOutcome, sparkOutcome] = argumentOutcomes[index];
        const verdicts = [verdict(glueOutcome), verdict(sparkOutcome)];
        if (!rejected) {
          assert.deepEqual(verdicts, [{ accepted: true }, { accepted: true }]);
          return;
        }
        const rules = verdicts.map((v, i) => {
          assert.equal(v.accepted, false, `${["Glue", "EMR"][i]} accepted it`);
          const prefix = `${rejected.subjects[i]} must be `;
          const message = (v as { message: string }).message;
          assert.ok(message.startsWith(prefix), message);
          return message.slice(prefix.length);
        });
        assert.equal(rules[1], rules[0]);
        assert.match(rules[0], rejected.rule);
        assert.equal(named(glueOutcome, "Job().init").length, 0);
        assert.deepEqual(sparkOutcome.calls, []);
      });
    });

    it("check the source by the same rules: Glue its catalog names, EMR its S3 location", () => {
      const glue = verdict(runWithStubs(GLUE_SCRIPT, {}, withArgument(glueArgs, "--source_table", "Sales")));
      const spark = verdict(runWithStubs(SPARK_SCRIPT, {}, withArgument(sparkArgs, "--source", "sales.csv")));
      assert.deepEqual(glue, {
        accepted: false,
        message:
          "--source_table must be a lowercase letter, then up to 254 lowercase letters, digits or underscores, not 'Sales'",
      });
      assert.deepEqual(spark, {
        accepted: false,
        message:
          "--source must be an s3:// URI of a valid bucket name, without quotes, backslashes or control characters, not 'sales.csv'",
      });
    });
  });

  describe("jobs/common/daily_sales.py", () => {
    interface Call {
      function: string;
      args?: unknown[];
      state?: Record<string, unknown>;
    }
    interface Result {
      result: unknown;
      error: string | null;
      calls: [string, unknown[], Record<string, unknown>][];
    }
    function callShared(calls: Call[]): Result[] {
      const stdout = execFileSync("python3", ["-B", SHARED_CALLER], {
        env: pythonEnv,
        encoding: "utf8",
        timeout: 15_000,
        input: JSON.stringify({ calls }),
      });
      return JSON.parse(stdout) as Result[];
    }

    it("accepts S3 locations of valid bucket names and nothing else", () => {
      const good = ["s3://abc", "s3://abc/", `s3://${"a".repeat(63)}/x`, "s3://dev.curated-1/a b/c=1/"];
      const bad = [
        "s3://ab/x",
        `s3://${"a".repeat(64)}/x`,
        "s3://-abc/x",
        "s3://abc-/x",
        "s3://a_c/x",
        "S3://abc/x",
        "https://abc/x",
        "s3://abc/'x",
        "s3://abc/x\\y",
        "s3://abc/x\n",
        "",
      ];
      const results = callShared(
        [...good, ...bad].map((value) => ({ function: "check_s3_uri", args: ["--target", value] })),
      );
      good.forEach((value, i) => assert.deepEqual([value, results[i].error], [value, null]));
      bad.forEach((value, i) =>
        assert.match(
          results[good.length + i].error ?? "",
          /^SalesInputError: --target must be an s3:\/\/ URI of a valid bucket name, without quotes, backslashes or control characters, not /,
          value,
        ),
      );
      // The message quotes the value it refuses.
      assert.ok(results[good.length].error!.endsWith("not 's3://ab/x'"), results[good.length].error!);
    });

    it("accepts catalog names of 1 to 255 lowercase letters, digits and underscores, starting with a letter", () => {
      const good = ["a", "dev_raw", "sales_2024", `a${"b".repeat(254)}`];
      const bad = [
        "",
        `a${"b".repeat(255)}`,
        "Dev",
        "_raw",
        "9raw",
        "dev-raw",
        "dev.raw",
        "dev raw",
        "dév",
        "dev_raw\n",
      ];
      const results = callShared(
        [...good, ...bad].map((value) => ({
          function: "check_catalog_name",
          args: ["--target_table", value],
        })),
      );
      good.forEach((value, i) => assert.deepEqual([value, results[i].error], [value, null]));
      bad.forEach((value, i) =>
        assert.match(
          results[good.length + i].error ?? "",
          /^SalesInputError: --target_table must be a lowercase letter, then up to 254/,
          value,
        ),
      );
    });

    it("splits database.table and names the part that breaks the rule", () => {
      const [ok, bare, deep, upper] = callShared(
        ["dev_curated.daily", "daily", "a.b.c", "dev_curated.Daily"].map((value) => ({
          function: "check_qualified_table",
          args: ["--table", value],
        })),
      );
      assert.deepEqual(ok, { result: ["dev_curated", "daily"], error: null, calls: [] });
      assert.equal(bare.error, "SalesInputError: --table must be database.table, not 'daily'");
      assert.equal(deep.error, "SalesInputError: --table must be database.table, not 'a.b.c'");
      assert.match(
        upper.error ?? "",
        /^SalesInputError: the table of --table must be a lowercase letter.*, not 'Daily'$/,
      );
    });

    const amounts: [string, boolean][] = [
      ["12.50", true],
      ["-0.5", true],
      ["+3", true],
      ["0.123456", true],
      [" 7 ", true],
      ["0.1234567", false],
      ["1e3", false],
      ["1,000.00", false],
      [".5", false],
      ["5.", false],
      ["", false],
      ["NaN", false],
      ["12.50 EUR", false],
    ];
    const soldAts: [string, boolean][] = [
      ["2024-05-01T13:45:00Z", true],
      ["2024-05-01 13:45", true],
      ["2024-05-01T13:45:00.123+02:00", true],
      [" 2024-05-01T13:45 ", true],
      ["2024-05-01", false],
      ["01/05/2024 13:45", false],
      ["2024-5-1T13:45", false],
      ["1714571100", false],
      ["", false],
    ];
    for (const [pattern, table] of [
      ["AMOUNT_TEXT", amounts],
      ["SOLD_AT_TEXT", soldAts],
    ] as [string, [string, boolean][]][]) {
      it(`${pattern} takes exactly the text the contract allows`, () => {
        const results = callShared(table.map(([text]) => ({ function: `search:${pattern}`, args: [text] })));
        assert.deepEqual(
          results.map((r, i) => [table[i][0], r.result]),
          table,
        );
      });
    }

    it("types text columns through the row patterns, and typed columns by their values", () => {
      const [text, typed] = callShared([
        { function: "typed_sales", args: [{ frame: "raw" }] },
        {
          function: "typed_sales",
          args: [{ frame: "raw" }],
          state: { types: ["bigint", "string", "timestamp", "double"] },
        },
      ]);
      const patterns = (result: Result) =>
        result.calls.filter(([p]) => p.endsWith(".rlike")).map(([, args]) => args[0]);
      const [soldAtText, amountText] = callShared([
        { function: "SOLD_AT_TEXT" },
        { function: "AMOUNT_TEXT" },
      ]).map((constant) => constant.result);
      assert.equal(text.error, null);
      assert.deepEqual(patterns(text), [soldAtText, amountText]);
      assert.equal(typed.error, null);
      assert.deepEqual(patterns(typed), [], "typed columns are not matched as text");
      const casts = (result: Result) =>
        result.calls.filter(([p]) => p.endsWith(".cast")).map(([, args]) => args[0]);
      assert.deepEqual(casts(text), ["timestamp", "string", "string", "decimal(38,6)"]);
      assert.deepEqual(casts(typed), ["string", "string", "decimal(38,6)"]);
      // A typed amount is kept only where its decimal(38,6) cast equals it.
      const amountWhen = typed.calls.find(([p]) => p === "F.when")!;
      assert.deepEqual(amountWhen[1], [{ recorder: "(F.col().cast() op)" }, { recorder: "F.col().cast()" }]);
    });

    it("reports invalid rows with their count and at most MAX_EXAMPLES sale_ids, and passes valid ones", () => {
      const [invalid, valid, maxExamples] = callShared([
        { function: "fail_on_invalid_rows", args: [{ frame: "sales" }], state: { invalid_ids: ["a", null] } },
        { function: "fail_on_invalid_rows", args: [{ frame: "sales" }] },
        { function: "MAX_EXAMPLES" },
      ]);
      assert.match(
        invalid.error ?? "",
        /^SalesInputError: 2 sales row\(s\) have .*; first sale_ids: \['a', None\]$/,
      );
      assert.deepEqual(invalid.calls.find(([p]) => p.endsWith(".limit"))![1], [maxExamples.result]);
      assert.deepEqual([valid.error, valid.result], [null, null]);
    });

    it("aggregates per UTC day and store, counting sales and rounding the exact sum to cents", () => {
      const [daily] = callShared([{ function: "daily_sales_by_store", args: [{ frame: "sales" }] }]);
      const args = (suffix: string) => daily.calls.filter(([p]) => p.endsWith(suffix)).map(([, a]) => a);
      assert.deepEqual(args(".groupBy"), [["sale_date", "store_id"]]);
      assert.deepEqual(args("F.round"), [[{ recorder: "F.sum()" }, 2]]);
      assert.deepEqual(args("F.round().cast"), [["decimal(18,2)"]]);
      assert.deepEqual(args(".agg().select"), [["store_id", "sales_count", "total_amount", "sale_date"]]);
    });
  });

  // Mocha runs a suite's own tests before its nested suites: this one goes last.
  describe("afterwards", () => {
    it("left no __pycache__ in the repository", () => {
      for (const dir of ["jobs", "tests/jobs"]) {
        assert.deepEqual(pycacheDirs(path.join(REPO_ROOT, dir)), []);
      }
    });
  });
});
