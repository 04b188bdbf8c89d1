/**
 * Checks of the Spark job scripts without Spark: they compile (py_compile), their argument
 * contract and Glue bookmark/catalog calls are what the infrastructure relies on (read from
 * the Python AST), and their control flow runs end to end against recording stand-ins for
 * the awsglue and pyspark APIs (tests/jobs/fixtures/spark-stubs).
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const GLUE_SCRIPT = path.join(REPO_ROOT, "jobs", "glue", "daily_sales_by_store.py");
const SPARK_SCRIPT = path.join(REPO_ROOT, "jobs", "spark", "sales_by_store.py");
const RUNNER = path.join(__dirname, "fixtures", "run_with_stubs.py");

/** The job arguments the infrastructure passes to the Glue job (besides Glue's own JOB_NAME). */
const GLUE_ARGUMENTS = ["source_database", "source_table", "target_path", "target_database", "target_table"];

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

  function runWithStubs(script: string, state: Record<string, unknown>, args: string[]): Outcome {
    const result = spawnSync("python3", ["-B", RUNNER, script, JSON.stringify(state), ...args], {
      env: pythonEnv,
      encoding: "utf8",
      timeout: 15_000,
    });
    assert.equal(result.status, 0, `stub runner failed: ${result.stderr}`);
    const lastLine = result.stdout.trim().split("\n").pop()!;
    return { ...(JSON.parse(lastLine) as Omit<Outcome, "stderr">), stderr: result.stderr };
  }

  const named = (outcome: Outcome, suffix: string) => outcome.calls.filter(([p]) => p.endsWith(suffix));
  const indexOf = (outcome: Outcome, suffix: string) => outcome.calls.findIndex(([p]) => p.endsWith(suffix));
  const one = (outcome: Outcome, suffix: string): Call => {
    const calls = named(outcome, suffix);
    assert.equal(calls.length, 1, `expected one call of ${suffix}, got ${calls.length}`);
    return calls[0];
  };

  function pycacheDirs(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const full = path.join(dir, entry);
      if (!statSync(full).isDirectory()) return [];
      return entry === "__pycache__" ? [full] : pycacheDirs(full);
    });
  }

  for (const script of [GLUE_SCRIPT, SPARK_SCRIPT]) {
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

    it("resolves exactly JOB_NAME and the five job arguments the infrastructure passes", () => {
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
      // Glue adds arguments of its own; the script must not trip over them.
      "--job-bookmark-option",
      "job-bookmark-enable",
    ];

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

    it("commits without writing when the bookmark has no new files", () => {
      const outcome = runWithStubs(GLUE_SCRIPT, { empty: true }, glueArgs);
      assert.equal(outcome.error, null);
      assert.equal(named(outcome, ".getSink").length, 0);
      one(outcome, "Job().commit");
    });

    it("fails without writing or committing the bookmark when rows are invalid", () => {
      const outcome = runWithStubs(GLUE_SCRIPT, { invalid_ids: ["s-17", "s-23"] }, glueArgs);
      assert.match(outcome.error ?? "", /^ValueError: .*first sale_ids: \['s-17', 's-23'\]/);
      assert.equal(named(outcome, ".writeFrame").length, 0);
      assert.equal(named(outcome, "Job().commit").length, 0);
    });

    it("fails naming a source column the table lacks", () => {
      const outcome = runWithStubs(GLUE_SCRIPT, { columns: ["sale_id", "store_id", "sold_at"] }, glueArgs);
      assert.match(outcome.error ?? "", /source table lacks column\(s\) amount/);
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
    const sparkArgs = ["--source", "s3://dev-raw/sales/", "--target", "s3://dev-curated/sales_by_store"];

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
      assert.deepEqual(configs, [
        ["spark.sql.session.timeZone", "UTC"],
        ["spark.sql.sources.partitionOverwriteMode", "dynamic"],
      ]);
      assert.ok(indexOf(outcome, ".enableHiveSupport") < indexOf(outcome, ".getOrCreate"));
      assert.deepEqual(one(outcome, ".csv")[1], ["s3://dev-raw/sales/"]);
      assert.deepEqual(one(outcome, ".write.mode")[1], ["overwrite"]);
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

    it("fails before writing when rows are invalid, and still stops Spark", () => {
      const outcome = runWithStubs(SPARK_SCRIPT, { invalid_ids: ["x-1"] }, sparkArgs);
      assert.match(outcome.error ?? "", /^ValueError: .*first sale_ids: \['x-1'\]/);
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
      assert.match(bad.error ?? "", /header lacks column\(s\) sold_at/);
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
      ["a bad --table", [...sparkArgs, "--table", "Curated.T"], /--table must be database\.table/],
    ] as [string, string[], RegExp][]) {
      it(`exits 2 with a usage message on ${name}, before starting Spark`, () => {
        const outcome = runWithStubs(SPARK_SCRIPT, {}, args);
        assert.equal(outcome.error, "SystemExit(2)");
        assert.match(outcome.stderr, message);
        assert.deepEqual(outcome.calls, []);
      });
    }
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
