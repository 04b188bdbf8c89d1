import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT } from "../../infra/config";
import { accountOf, sharedAccountError } from "../../tools/plan/accounts";
import { alongside, main } from "../../tools/plan/cli";
import { formatPlanText, PlanUsageError, runPlan } from "../../tools/plan/plan";
import { knownStacks, readStackConfig } from "../../tools/synth/stack-config";
import { deployRulesRun, SARIF_SCHEMA_URI } from "../../tools/reports/sarif";
import { deferred } from "../support/deferred";
import { planReportProblems, runMain, sarifProblems } from "./support";

const ROOT = path.resolve(__dirname, "..", "..");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI as `npm run plan` does, asynchronously so several runs share the machine; from the
 * repository root, or from another directory (`cwd`), as someone working in a subfolder would.
 */
function runCli(args: string[], cwd = ROOT): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", path.join(ROOT, "tools/compile/register.js"), path.join(ROOT, "tools/plan/cli.ts"), ...args],
      {
        cwd,
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

const DEV_ACCOUNT = "111122223333";

/** The dev stack file moved to another account (and its deployer role with it). */
function devInAccount(account: string): string {
  const dev = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
  assert.match(dev, new RegExp(`accountId: "${DEV_ACCOUNT}"`));
  return dev
    .replace(`accountId: "${DEV_ACCOUNT}"`, `accountId: "${account}"`)
    .replace(
      `arn:aws:iam::${DEV_ACCOUNT}:role/bdp-dev-deployer`,
      `arn:aws:iam::${account}:role/bdp-dev-deployer`,
    );
}

/** Replaces exactly one occurrence of `from` in a stack file's text. */
function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const changed = text.replace(from, to);
  assert.notEqual(changed, text, `${String(from)} not found`);
  return changed;
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
    assert.equal(report.deployRules.rejected, false);
    assert.deepEqual(report.deployRules.findings, []);
    assert.equal(report.deployRules.region, "eu-west-1");
    assert.deepEqual([...new Set(report.deployRules.rules.map((rule) => rule.family))].sort(), [
      "creation-order",
      "names",
      "network",
      "quotas",
    ]);
  });

  it("rejects an unknown stack with the known ones listed", async () => {
    await assert.rejects(runPlan("staging"), (error: Error) => {
      assert.ok(error instanceof PlanUsageError);
      assert.match(error.message, /unknown stack "staging".*known stacks: dev, prod/);
      return true;
    });
  });

  describe("a stack AWS would reject (dev as it was: two AZs for Redshift Serverless)", function () {
    this.timeout(150_000);
    // A stack file of its own next to the committed ones, removed after the tests.
    const stack = `deploy-rules-test-${process.pid}`;
    const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
    let text: Run;
    let json: Run;

    before(async () => {
      // Its own account: one account per environment.
      const dev = devInAccount("222233334444");
      assert.match(dev, /^ {4}availabilityZones: 3$/m);
      fs.writeFileSync(file, dev.replace(/^ {4}availabilityZones: 3$/m, "    availabilityZones: 2"));
      [text, json] = await Promise.all([
        runCli(["--stack", stack, "--no-policies"]),
        runCli(["--stack", stack, "--no-policies", "--format", "json"]),
      ]);
    });

    after(() => fs.rmSync(file, { force: true }));

    it("exits 2 and says why AWS rejects it and the fix, in text", () => {
      assert.equal(text.status, 2, text.stderr);
      assert.match(text.stderr, /^error: AWS would reject stack deploy-rules-test-\d+: 1 deploy-rule error /);
      assert.match(
        text.stdout,
        /Errors \(AWS rejects the stack\) \(1\)\n {2}redshift-serverless-subnets \[network\] \(1\)/,
      );
      assert.match(
        text.stdout,
        /why: CreateWorkgroup requires at least three subnets spanning 3 Availability Zones/,
      );
      assert.match(text.stdout, /fix: Give the network at least 3 Availability Zones/);
      assert.match(
        text.stdout,
        /Deploy result: AWS would reject this stack \(1 error, 0 warnings; exit code 2\)/,
      );
    });

    it("reports the finding in the JSON report (schema version 2) and as a valid SARIF run", () => {
      assert.equal(json.status, 2, json.stderr);
      const report = JSON.parse(json.stdout);
      assert.deepEqual(planReportProblems(report), []);
      assert.equal(report.schemaVersion, 3);
      const { deployRules } = report;
      assert.equal(deployRules.rejected, true);
      assert.deepEqual(deployRules.summary, { rules: deployRules.rules.length, errors: 1, warnings: 0 });
      const [finding] = deployRules.findings;
      assert.equal(finding.rule, "redshift-serverless-subnets");
      assert.equal(finding.family, "network");
      assert.equal(finding.resource.type, "aws:redshiftserverless/workgroup:Workgroup");
      assert.equal(finding.location.file, `Pulumi.${stack}.yaml`);
      const log = {
        version: "2.1.0" as const,
        $schema: SARIF_SCHEMA_URI,
        runs: [deployRulesRun(stack, deployRules)],
      };
      assert.deepEqual(sarifProblems(log), []);
      const [result] = log.runs[0].results!;
      assert.equal(result.level, "error");
      assert.equal(result.ruleId, "redshift-serverless-subnets");
      assert.match(result.message.text!, /Fix: Give the network at least 3/);
    });
  });

  describe("stack configs the plan rejects, run end to end from another directory", function () {
    this.timeout(150_000);
    interface BadStack {
      what: string;
      /** The stack file's text, from dev's (already in an account of its own unless the case says). */
      text: (dev: string) => string;
      /** The full keys the error names. */
      keys: string[];
      says: RegExp;
    }
    const BAD_STACKS: BadStack[] = [
      {
        what: "a region without prices",
        text: (dev) => replaceOnce(dev, "aws:region: eu-west-1", "aws:region: ap-south-1"),
        keys: ["aws:region"],
        says: /has no prices in the cost estimate's price table/,
      },
      {
        what: "a job script that does not exist",
        text: (dev) =>
          replaceOnce(
            dev,
            /(mode: transient\n\s+script: )jobs\/spark\/sales_by_store\.py/,
            "$1jobs/spark/weekly_report.py",
          ),
        keys: ['batch-data-platform:pipelines[2].emr.script [pipeline "weekly-store-report"]'],
        says: /does not exist \(relative paths are looked up from the project folder/,
      },
      {
        what: "an owner left empty and an account id without quotes",
        text: (dev) =>
          replaceOnce(
            replaceOnce(dev, /owner: data-platform-team/, "owner:"),
            /accountId: "\d{12}"/,
            "accountId: 012345678901",
          ),
        keys: ["batch-data-platform:owner", "batch-data-platform:deployment.accountId"],
        says: /reads as a missing value[\s\S]*YAML reads it unquoted as a number/,
      },
      {
        what: "the account of another stack (a copy of dev)",
        text: () => devInAccount(DEV_ACCOUNT),
        keys: ["batch-data-platform:deployment.accountId"],
        says: /account 111122223333 is also the account of Pulumi\.dev\.yaml\. Each environment needs an account of its own/,
      },
    ];
    const files: string[] = [];
    const runs: Run[] = [];

    before(async () => {
      const tmp = os.tmpdir();
      const stacks = BAD_STACKS.map((bad, index) => {
        const stack = `bad-config-${index}-${process.pid}`;
        const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
        files.push(file);
        fs.writeFileSync(file, bad.text(devInAccount(`3000000000${String(index).padStart(2, "0")}`)));
        return stack;
      });
      runs.push(
        ...(await Promise.all(stacks.map((stack) => runCli(["--stack", stack, "--no-policies"], tmp)))),
      );
    });

    after(() => files.forEach((file) => fs.rmSync(file, { force: true })));

    BAD_STACKS.forEach((bad, index) => {
      it(`exits 2 for ${bad.what}, naming ${bad.keys.join(" and ")}, without a stack trace`, () => {
        const run = runs[index];
        assert.equal(run.status, 2, run.stderr);
        assert.equal(run.stdout, "");
        assert.match(run.stderr, /^error: .*Pulumi\.bad-config-\d+-\d+\.yaml: /);
        for (const key of bad.keys)
          assert.ok(run.stderr.includes(`${key}: `), `${key} not in:\n${run.stderr}`);
        assert.match(run.stderr, bad.says);
        assert.doesNotMatch(run.stderr, /\n\s+at .*:\d+:\d+/);
      });
    });
  });

  it("finds each committed stack in an account of its own", () => {
    const configs = Object.fromEntries(
      knownStacks().map((stack) => [stack, readStackConfig(stack, PROJECT)]),
    );
    assert.deepEqual(Object.keys(configs).sort(), ["dev", "prod"]);
    for (const stack of Object.keys(configs))
      assert.equal(sharedAccountError(stack, configs), undefined, stack);
    assert.notEqual(accountOf(configs.dev), accountOf(configs.prod));
    const copy = { ...configs, staging: configs.prod };
    assert.match(
      sharedAccountError("staging", copy)!,
      /^batch-data-platform:deployment\.accountId: account 444455556666 is also the account of Pulumi\.prod\.yaml\./,
    );
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
      // The cost advisor's lines, largest first.
      assert.match(
        prod.stdout,
        /^Cost advisor: savings still open[^\n]*\n +\$[\d,.]+ +Redshift Serverless at 8 base RPUs instead of 2 x ra3\.xlplus/m,
      );
      assert.match(prod.stdout, /^ +\$[\d,.]+ +one NAT gateway instead of 3/m);
      assert.match(prod.stdout, /config policies\/config\/prod\.json, 37 policies/);
      assert.match(prod.stdout, /Policy result: passed \(0 mandatory/);
      assert.match(prod.stdout, /Deploy rules: \d+ rules .*, Region eu-west-1/);
      assert.match(prod.stdout, /Deploy result: passed \(0 errors, 0 warnings\)/);
    });

    it("writes JSON with --format json", () => {
      assert.equal(devJson.status, 0, devJson.stderr);
      const report = JSON.parse(devJson.stdout);
      assert.equal(report.stack, "dev");
      assert.ok(report.totals.resources > 0);
      assert.equal(report.policies, null);
      assert.equal(report.deployRules.rejected, false);
      assert.deepEqual(planReportProblems(report), []);
      // dev's advice: Intelligent-Tiering for the zones that expire after more than 30 days, and
      // the standard-tier replay on Glue FLEX.
      assert.deepEqual(report.costEstimate.advice.map((saving: { id: string }) => saving.id).sort(), [
        "pipelines.sales-replay.flexibleTier",
        "storage.analytics.intelligentTiering",
        "storage.curated.intelligentTiering",
      ]);
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
      // The deploy rules follow as a run of their own, with nothing to report for dev.
      assert.equal(log.runs.length, 2);
      assert.equal(log.runs[1].tool.driver.name, "bdp-deploy-rules");
      assert.deepEqual(log.runs[1].results, []);
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
        [["--stack", "dev", "--format", "xml"], /--format must be text, json, sarif or markdown/],
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
