import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { alongside, main } from "../../tools/plan/cli";
import { formatPlanText, PlanUsageError, runPlan } from "../../tools/plan/plan";
import { runMain, sarifProblems } from "./support";

const ROOT = path.resolve(__dirname, "..", "..");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `npm run plan` does, asynchronously so several runs share the machine. */
function runCli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", "./tools/compile/register.js", "tools/plan/cli.ts", ...args],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += String(d)));
    child.stderr.on("data", (d) => (stderr += String(d)));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
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
    this.timeout(150_000);
    let tmp: string;
    let prod: Run;
    let devJson: Run;
    let secondPack: Run;
    let brokenPack: Run;
    let usage: Run[];

    before(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bdp-plan-cli-"));
      const broken = path.join(tmp, "broken-pack");
      fs.mkdirSync(broken);
      fs.writeFileSync(path.join(broken, "PulumiPolicy.yaml"), "runtime: nodejs\n");
      fs.writeFileSync(path.join(broken, "index.js"), 'throw new Error("this pack is broken");\n');
      // The end-to-end runs each synthesize a stack and start a pack: run them side by side.
      [prod, devJson, secondPack, brokenPack, ...usage] = await Promise.all([
        runCli(["--stack", "prod"]),
        runCli(["--stack", "dev", "--format", "json", "--no-policies"]),
        runCli(["--stack", "dev", "--policy-pack", "tests/fixtures/second-pack", "--format", "sarif"]),
        runCli(["--stack", "dev", "--policy-pack", broken]),
        runCli([]),
        runCli(["--stack", "nope"]),
      ]);
    });

    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("prints the prod plan, cost estimate and policy verdict and exits 0", () => {
      assert.equal(prod.status, 0, prod.stderr);
      assert.match(prod.stdout, /Stack prod/);
      assert.match(prod.stdout, /aws:kms\/key:Key {2}bdp-prod-lake-key/);
      assert.match(prod.stdout, /Monthly cost estimate: /);
      assert.match(prod.stdout, /config policies\/config\/prod\.json, 36 policies/);
      assert.match(prod.stdout, /Policy result: passed \(0 mandatory/);
    });

    it("writes JSON with --format json", () => {
      assert.equal(devJson.status, 0, devJson.stderr);
      const report = JSON.parse(devJson.stdout);
      assert.equal(report.stack, "dev");
      assert.ok(report.totals.resources > 0);
      assert.equal(report.policies, null);
    });

    it("runs a second policy pack with --policy-pack and exits 1 on its mandatory findings", () => {
      assert.equal(secondPack.status, 1, secondPack.stderr);
      const log = JSON.parse(secondPack.stdout);
      assert.deepEqual(sarifProblems(log), []);
      const run = log.runs[0];
      assert.equal(run.tool.driver.name, "second-pack");
      assert.deepEqual(
        run.tool.driver.rules.map((r: any) => [r.id, r.defaultConfiguration.level]),
        [["no-untagged-buckets", "error"]],
      );
      assert.match(run.tool.driver.rules[0].help.text, /^Remediation: Add tags to the bucket/);
      assert.equal(run.results.length, 5);
      const line = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").split("\n");
      for (const result of run.results) {
        assert.equal(result.level, "error");
        assert.match(
          result.message.text,
          /^aws:s3\/bucket:Bucket "bdp-dev-lake-\w+" has no "data-classification" tag/,
        );
        const location = result.locations[0];
        assert.equal(location.physicalLocation.artifactLocation.uri, "Pulumi.dev.yaml");
        assert.match(
          line[location.physicalLocation.region.startLine - 1],
          /^ {2}batch-data-platform:dataLake:/,
        );
        assert.equal(location.logicalLocations[1].properties.type, "bdp:storage:DataLake");
        assert.equal(
          result.relatedLocations[0].physicalLocation.artifactLocation.uri,
          "components/storage/data-lake.ts",
        );
      }
      // No config file for this pack: its own default levels apply, and the plan says so.
      assert.match(secondPack.stderr, /No policy config tests\/fixtures\/second-pack\/config\/dev\.json/);
    });

    it("exits 2 with the pack's error when the policy pack fails to start", () => {
      assert.equal(brokenPack.status, 2, brokenPack.stderr);
      assert.match(brokenPack.stderr, /^error: policy pack .*broken-pack failed to start/);
      assert.match(brokenPack.stderr, /this pack is broken/);
    });

    it("exits 2 with a clear message for usage errors", async () => {
      for (const run of usage) {
        assert.equal(run.status, 2, run.stderr);
        assert.match(run.stderr, /^error: /);
        assert.doesNotMatch(run.stderr, /\n\s+at /);
      }
      assert.match(usage[1].stderr, /unknown stack "nope"/);
      // The rest in-process: they fail before any synthesis or pack start.
      const missingConfig = path.join(tmp, "missing.json");
      const cases: [string[], RegExp][] = [
        [["--stack"], /argument missing/],
        [["--stack", "dev", "--format", "xml"], /--format must be text, json or sarif/],
        [["--bogus"], /Unknown option '--bogus'/],
        [["--stack", "dev", "--fail-on", "sometimes"], /--fail-on must be mandatory, advisory or none/],
        [
          ["--stack", "dev", "--policy-pack", path.join(tmp, "nowhere")],
          /policy pack directory .* does not exist/,
        ],
        [
          ["--stack", "dev", "--policy-pack", "components"],
          /components is not a policy pack: it has no PulumiPolicy\.yaml/,
        ],
        [
          ["--stack", "dev", "--policy-config", missingConfig],
          /policy config file .*missing\.json does not exist/,
        ],
        [["--stack", "dev", "--no-policies", "--format", "sarif"], /--format sarif reports the policy check/],
        [
          ["--stack", "dev", "--no-policies", "--policy-pack", "policies"],
          /cannot be combined with --no-policies/,
        ],
        [["--stack", "dev", "--policy-timeout", "0"], /--policy-timeout must be a positive number/],
      ];
      for (const [args, message] of cases) {
        const run = await runMain(args);
        assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
        assert.match(run.stderr, /^error: /, args.join(" "));
        assert.match(run.stderr, message, args.join(" "));
      }
    });
  });

  describe("the policy pack starts while the stack is synthesized", () => {
    /** A promise settled from outside, to order the two sides. */
    function deferred<T>() {
      let resolve!: (value: T) => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    }

    it("runs the work while the pack is still opening and returns both", async () => {
      const pack = deferred<string>();
      let openWhileWorking = false;
      const run = alongside(
        async () => {
          await new Promise((resolve) => setImmediate(resolve));
          openWhileWorking = true;
          pack.resolve("pack");
          return "plan";
        },
        pack.promise,
        async () => assert.fail("nothing to release"),
      );
      assert.deepEqual(await run, { result: "plan", opened: "pack" });
      assert.ok(openWhileWorking);
      assert.deepEqual(
        await alongside(
          async () => 1,
          undefined,
          async () => undefined,
        ),
        {
          result: 1,
          opened: undefined,
        },
      );
    });

    it("releases the opened pack when the work fails, and reports the work's error first", async () => {
      const released: string[] = [];
      const release = async (opened: string) => void released.push(opened);
      const pack = deferred<string>();
      setTimeout(() => pack.resolve("pack"), 20);
      await assert.rejects(
        alongside(() => Promise.reject(new Error("synthesis failed")), pack.promise, release),
        /synthesis failed/,
      );
      assert.deepEqual(released, ["pack"]);

      const broken = deferred<string>();
      broken.reject(new Error("pack failed to start"));
      await assert.rejects(
        alongside(() => Promise.reject(new Error("synthesis failed")), broken.promise, release),
        /synthesis failed/,
      );
      await assert.rejects(
        alongside(async () => "plan", broken.promise, release),
        /pack failed to start/,
      );
      assert.deepEqual(released, ["pack"]);
    });

    it("starts no pack for an unknown stack", async () => {
      let opened = 0;
      let stderr = "";
      const status = await main(["--stack", "nope"], {
        stdout: () => undefined,
        stderr: (text) => (stderr += text),
        openPolicySession: async () => {
          opened++;
          throw new Error("not expected");
        },
      });
      assert.equal(status, 2);
      assert.match(stderr, /unknown stack "nope"/);
      assert.equal(opened, 0);
    });
  });
});
