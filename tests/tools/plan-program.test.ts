import { strict as assert } from "assert";
import * as fs from "fs";
import Module from "module";
import * as os from "os";
import * as path from "path";
import { runDeployRules } from "../../tools/deploy-rules/registry";
import { physicalNameCollisions } from "../../tools/deploy-rules/unique-names";
import { programTarget } from "../../tools/plan/target";
import { PolicySession } from "../../tools/policy-runner";
import { synthesizeProject } from "../../tools/synth/project";
import { planReportProblems, ROOT, runMain } from "./support";

const PROGRAMS = path.join(ROOT, "tests", "fixtures", "programs");
const PLAIN = path.join(PROGRAMS, "plain-noncompliant");
const TWO_TEAMS = path.join(PROGRAMS, "two-teams");

describe("npm run plan -- --program DIR: any Pulumi program under the mocks, pack and deploy rules", function () {
  this.timeout(180_000);
  let session: PolicySession;
  before(async () => {
    session = await PolicySession.start(path.join(ROOT, "policies"));
  });
  after(async () => {
    await session?.close();
  });

  describe("a plain program that uses no platform component and breaks the pack's rules", () => {
    let text: Awaited<ReturnType<typeof runMain>>;
    let json: Awaited<ReturnType<typeof runMain>>;
    before(async () => {
      text = await runMain(["--program", PLAIN], session);
      json = await runMain(["--program", PLAIN, "--format", "json"], session);
    });

    it("reports its violations and exits 1 (mandatory findings under the pack's own levels)", () => {
      assert.equal(text.status, 1, text.stderr);
      // Its only stack file is the stack; the program's own project names the URNs.
      assert.match(
        text.stdout,
        /^Stack sandbox: Region eu-west-1 \(.*plain-noncompliant\/Pulumi\.sandbox\.yaml\)/,
      );
      assert.match(text.stdout, /^Pipelines: not a batch-data-platform stack/m);
      assert.match(text.stdout, /Mandatory findings \(\d+\)/);
      for (const policy of ["s3-bucket-sse-kms", "s3-bucket-public-access-block", "s3-bucket-tls-only"]) {
        assert.match(
          text.stdout,
          new RegExp(`${policy} \\[\\w+\\] \\(1\\):[\\s\\S]*?aws:s3/bucket:Bucket "landing"`),
        );
      }
      assert.match(text.stdout, /glue-job-timeout[\s\S]*?aws:glue\/job:Job "etl": job has no timeout/);
      assert.match(text.stdout, /urn:pulumi:sandbox::plain-noncompliant::/);
      assert.match(text.stdout, /Policy result: FAILED/);
      assert.match(text.stdout, /No --policy-config: the pack's own levels apply/);
    });

    it("says what it cannot judge on a program without the platform's tags and cost estimate", () => {
      assert.match(
        text.stdout,
        /flexible-tier-spot-or-graviton[\s\S]*?aws:glue\/job:Job "etl": cannot judge the SLA tier \(tag sla-tier\)/,
      );
      assert.match(text.stdout, /Monthly cost estimate: not available/);
      assert.match(text.stdout, /estimated-cost-within-budget[\s\S]*?cannot judge the estimated cost/);
      assert.match(
        text.stdout,
        /^Could not judge \(3 policies; the advisories above say what and why\): catalog-encryption-settings \(1\), estimated-cost-within-budget \(1\), flexible-tier-spot-or-graviton \(1\)$/m,
      );
    });

    it("writes the same JSON report, under the program's project", () => {
      assert.equal(json.status, 1, json.stderr);
      const report = JSON.parse(json.stdout);
      assert.deepEqual(planReportProblems(report), []);
      assert.equal(report.project, "plain-noncompliant");
      assert.equal(report.stack, "sandbox");
      assert.ok(report.policies.summary.mandatory >= 4, JSON.stringify(report.policies.summary));
    });
  });

  it("plans two teams' lakes and Glue jobs of one environment with no duplicate physical names", async () => {
    const plan = await programTarget(TWO_TEAMS, "dev").plan();
    const jobs = plan.resources.filter((resource) => resource.type === "aws:glue/job:Job");
    assert.deepEqual(jobs.map((job) => job.inputs.name).sort(), [
      "finance-dev-daily-sales",
      "ingest-dev-daily-sales",
    ]);
    assert.equal(plan.resources.filter((resource) => resource.type === "aws:s3/bucket:Bucket").length, 10);
    assert.deepEqual(physicalNameCollisions(plan.resources), []);
    assert.equal(plan.deployRules.rejected, false, JSON.stringify(plan.deployRules.findings, null, 2));
    // The program uses the default provider: the deploy rules read its Region from the stack config.
    assert.equal(plan.deployRules.region, "eu-west-1");
  });

  it("plans an example that has no package installed against this checkout's source", async () => {
    const example = path.join(ROOT, "examples", "glue-on-existing-bucket");
    const loader = Module as unknown as { _resolveFilename: unknown };
    const resolver = loader._resolveFilename;
    const plan = await programTarget(example, "dev").plan();
    const jobs = plan.resources.filter((resource) => resource.type === "aws:glue/job:Job");
    assert.deepEqual(
      jobs.map((job) => job.inputs.name),
      ["orders-dev-clean-orders"],
    );
    assert.equal(plan.deployRules.rejected, false, JSON.stringify(plan.deployRules.findings, null, 2));
    // Only for the plan: afterwards modules resolve as Node alone resolves them.
    assert.equal(loader._resolveFilename, resolver);
  });

  it("finds the names the same program's two lakes share when both take the environment's prefix", async () => {
    const config = {
      "aws:region": "eu-west-1",
      "two-teams:environment": "dev",
      "two-teams:sharedPrefix": "true",
    };
    const synthesis = await synthesizeProject(TWO_TEAMS, { stack: "dev", config });
    assert.equal(synthesis.error, undefined);
    const collisions = physicalNameCollisions(synthesis.resources);
    assert.deepEqual(
      collisions.map((collision) => `${collision.type} ${collision.name}`),
      ["aws:kms/alias:Alias alias/bdp-dev-data-lake"],
    );
    assert.ok(runDeployRules(synthesis.resources).findings.some((f) => f.rule === "unique-physical-names"));
  });

  describe("folders that cannot be planned are usage errors (exit 2), never stack traces", () => {
    let tmp: string;
    before(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-program-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    const project = (name: string, files: Record<string, string>) => {
      const dir = path.join(tmp, name);
      fs.mkdirSync(dir, { recursive: true });
      for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), content);
      }
      return dir;
    };
    const nodeProject = "name: broken\nruntime: nodejs\n";

    const cases: [string, () => string[], RegExp][] = [
      [
        "neither --stack nor --program",
        () => [],
        /--stack is required \(or --program DIR to plan another program\)/,
      ],
      [
        "a folder without Pulumi.yaml",
        () => ["--program", project("empty", {})],
        /is not a Pulumi project: it has no Pulumi\.yaml/,
      ],
      [
        "a program in another language",
        () => ["--program", project("python", { "Pulumi.yaml": "name: py\nruntime: python\n" })],
        /runtime is "python"; only Node\.js programs \(runtime: nodejs\) run under these mocks/,
      ],
      [
        "several stacks and no --stack",
        () => [
          "--program",
          project("stacks", {
            "Pulumi.yaml": nodeProject,
            "Pulumi.a.yaml": "config: {}\n",
            "Pulumi.b.yaml": "config: {}\n",
          }),
        ],
        /has several stacks \(a, b\): name one with --stack/,
      ],
      [
        "a stack the folder has no file for",
        () => [
          "--program",
          project("one", { "Pulumi.yaml": nodeProject, "Pulumi.a.yaml": "config: {}\n" }),
          "--stack",
          "b",
        ],
        /unknown stack "b": no Pulumi\.b\.yaml; known stacks: a/,
      ],
      [
        "a program whose dependencies are not installed",
        () => [
          "--program",
          project("uninstalled", {
            "Pulumi.yaml": nodeProject,
            "index.ts": 'import "bdp-test-not-installed";\n',
          }),
          "--no-policies",
        ],
        /the program failed: it imports "bdp-test-not-installed", which is not installed for it: run npm install in /,
      ],
      [
        "a program with a broken copy of the package (not replaced by this checkout)",
        () => [
          "--program",
          project("broken-copy", {
            "Pulumi.yaml": nodeProject,
            "index.ts":
              'import { DataLake } from "batch-data-platform";\nexport const lake = String(DataLake);\n',
            "node_modules/batch-data-platform/package.json":
              '{ "name": "batch-data-platform", "main": "dist/index.js" }',
          }),
          "--no-policies",
        ],
        /the program failed: it imports ".*broken-copy\/node_modules\/batch-data-platform\/dist\/index\.js", which is not installed/,
      ],
      [
        "a program that throws",
        () => [
          "--program",
          project("throws", {
            "Pulumi.yaml": nodeProject,
            "index.ts": 'throw new Error("no bucket for you");\n',
          }),
          "--no-policies",
        ],
        /the program failed: Error: no bucket for you/,
      ],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const run = await runMain(args(), session);
        assert.equal(run.status, 2, run.stdout);
        assert.match(run.stderr, message);
        assert.doesNotMatch(run.stderr, /^\s+at .*tools\/plan/m);
      });
    }
  });
});
