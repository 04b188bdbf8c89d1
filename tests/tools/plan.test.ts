import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { formatPlanText, PlanUsageError, runPlan } from "../../tools/plan/plan";

const ROOT = path.resolve(__dirname, "..", "..");

function runCli(args: string[]) {
  return spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "tools/plan/cli.ts", ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
    },
  );
}

describe("offline plan", () => {
  it("groups the dev stack's resources by component with totals", async () => {
    const report = await runPlan("dev");
    const types = report.components.map((group) => group.type);
    assert.ok(types.includes("bdp:network:Network"));
    assert.ok(types.includes("bdp:storage:DataLake"));
    assert.ok(types.includes("bdp:catalog:CentralCatalog"));
    const lake = report.components.find((group) => group.type === "bdp:storage:DataLake")!;
    assert.equal(lake.resources.filter((resource) => resource.type === "aws:s3/bucket:Bucket").length, 5);
    assert.equal(report.totals.byType["aws:s3/bucket:Bucket"], 5);
    assert.equal(
      report.totals.resources,
      Object.values(report.totals.byType).reduce((sum, count) => sum + count, 0),
    );
    const text = formatPlanText(report);
    assert.match(text, /bdp:storage:DataLake {2}bdp-dev-lake/);
    assert.match(text, /Totals: \d+ resources in \d+ components/);
  });

  it("rejects an unknown stack with the known ones listed", async () => {
    await assert.rejects(runPlan("staging"), (error: Error) => {
      assert.ok(error instanceof PlanUsageError);
      assert.match(error.message, /unknown stack "staging".*known stacks: dev, prod/);
      return true;
    });
  });

  describe("CLI", function () {
    this.timeout(120_000);

    it("prints the prod plan and exits 0", () => {
      const run = runCli(["--stack", "prod"]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /Stack prod/);
      assert.match(run.stdout, /aws:kms\/key:Key {2}bdp-prod-lake-key/);
    });

    it("writes JSON with --format json", () => {
      const run = runCli(["--stack", "dev", "--format", "json"]);
      assert.equal(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout);
      assert.equal(report.stack, "dev");
      assert.ok(report.totals.resources > 0);
    });

    it("exits 2 with a clear message for usage errors", () => {
      for (const args of [
        [],
        ["--stack"],
        ["--stack", "dev", "--format", "xml"],
        ["--bogus"],
        ["--stack", "nope"],
      ]) {
        const run = runCli(args);
        assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
        assert.match(run.stderr, /^error: /);
        assert.doesNotMatch(run.stderr, /\n\s+at /);
      }
    });
  });
});
