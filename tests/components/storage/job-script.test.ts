import { strict as assert } from "assert";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { JobScript, JobScriptArgs, pythonModuleProblems } from "../../../components/storage/job-script";
import { testFoundation } from "../../support/foundation";
import { Synthesized, synthesizeComponents } from "../../support/synth";
import { assertOnlyProblem, invalidArgsError } from "../../support/problems";

const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const SCRIPT = "jobs/spark/sales_by_store.py";
const MODULE = "jobs/common/daily_sales.py";

/** The value of an output of a component built under the mocks. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

async function synthesizeScript(
  overrides: Partial<JobScriptArgs> = {},
): Promise<{ result: Synthesized; script: JobScript }> {
  let script: JobScript | undefined;
  const result = await synthesizeComponents((opts) => {
    const { lake } = testFoundation(opts);
    script = new JobScript(
      "sales-script",
      { pipeline: "sales", sourcePath: SCRIPT, artifacts: lake.artifacts, ...overrides },
      opts,
    );
  });
  return { result, script: script! };
}

describe("JobScript component", () => {
  it("uploads the script alone, with no spark-submit options, when it imports no modules", async () => {
    const { result, script } = await synthesizeScript();
    const objects = result
      .ofType(OBJECT)
      .filter((object) => result.componentOf(object) === "bdp:storage:JobScript");
    assert.deepEqual(
      objects.map((object) => object.inputs.key),
      ["scripts/sales/sales_by_store.py"],
    );
    assert.deepEqual(await valueOf(script.moduleUris), []);
    assert.deepEqual(await valueOf(script.pyFilesArgs), []);
  });

  it("uploads each module beside the script and submits them with --py-files", async () => {
    const { result, script } = await synthesizeScript({
      modules: [MODULE, "jobs/glue/daily_sales_by_store.py"],
    });
    const module = result.one(OBJECT, "-module-daily_sales.py");
    assert.equal(module.inputs.bucket, "lake-artifacts");
    assert.equal(module.inputs.key, "scripts/sales/daily_sales.py");
    assert.equal(module.inputs.contentType, "text/x-python");
    assert.equal(await module.inputs.source.path, path.join(REPO_ROOT, MODULE));
    assert.equal(result.componentOf(module), "bdp:storage:JobScript");
    assert.equal(
      result.one(OBJECT, "-module-daily_sales_by_store.py").inputs.key,
      "scripts/sales/daily_sales_by_store.py",
    );
    // Everything lands under the one prefix the EMR roles may read.
    assert.equal(script.prefix, "scripts/sales/");

    const uris = [
      "s3://lake-artifacts/scripts/sales/daily_sales.py",
      "s3://lake-artifacts/scripts/sales/daily_sales_by_store.py",
    ];
    assert.deepEqual(await valueOf(script.moduleUris), uris);
    assert.deepEqual(await valueOf(script.pyFilesArgs), ["--py-files", uris.join(",")]);
  });

  it("rejects bad modules with one error naming each module's index", async () => {
    await assert.rejects(
      synthesizeScript({ modules: ["jobs/common/missing.py", SCRIPT] }),
      invalidArgsError(
        "bdp:storage:JobScript sales-script",
        /modules\[0\]: does not exist in the repository \(paths are relative to its root\) \(given: "jobs\/common\/missing.py"\)/,
        /modules\[1\]: is named like another file under the script's prefix \(sales_by_store\.py\)/,
      ),
    );
  });

  it("uploads a .zip package as application/zip", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "job-script-"));
    try {
      const zip = path.join(dir, "sales_rules.zip");
      writeFileSync(zip, "");
      const { result, script } = await synthesizeScript({ modules: [zip] });
      const module = result.one(OBJECT, "-module-sales_rules.zip");
      assert.equal(module.inputs.contentType, "application/zip");
      assert.deepEqual(await valueOf(script.moduleUris), [
        "s3://lake-artifacts/scripts/sales/sales_rules.zip",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("pythonModuleProblems", () => {
  it("accepts existing modules with distinct, importable file names", () => {
    assert.deepEqual(pythonModuleProblems("modules", SCRIPT, [MODULE]), []);
  });

  const invalid: [string, string[], string, RegExp][] = [
    ["a missing module", ["jobs/common/missing.py"], "modules[0]", /does not exist/],
    [
      "a module that is not Python",
      ["jobs/sales-aggregator/src/main.ts"],
      "modules[0]",
      /must be a \.py file named like a Python module/,
    ],
    [
      "a .py module Python cannot import by its file name",
      ["jobs/common/daily-sales.py"],
      "modules[0]",
      /\.py file named like a Python module/,
    ],
    [
      "a package whose name holds the list separator",
      ["jobs/common/a,b.zip"],
      "modules[0]",
      /or a \.zip package/,
    ],
    [
      "a module named like the script",
      [SCRIPT],
      "modules[0]",
      /is named like another file under the script's prefix \(sales_by_store\.py\)/,
    ],
    ["the same module twice", [MODULE, MODULE], "modules[1]", /is named like another file/],
  ];
  for (const [what, modules, field, message] of invalid) {
    it(`rejects ${what} at ${field}`, () => {
      assertOnlyProblem(pythonModuleProblems("modules", SCRIPT, modules), field, message);
    });
  }
});
