import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { commentMarker } from "../../tools/plan/change";

const ROOT = path.resolve(__dirname, "..", "..");
const WORKFLOW = path.join(ROOT, ".github", "workflows", "pull-request.yml");

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> };
type Job = {
  if?: string;
  needs?: string[];
  permissions?: Record<string, string>;
  strategy?: { matrix: { stack?: string[]; include?: Record<string, string>[] } };
  env?: Record<string, string>;
  steps: Step[];
};

/** Every `if:` in the workflow, with where it is. */
function conditions(jobs: Record<string, Job>): { where: string; condition: string }[] {
  const found: { where: string; condition: string }[] = [];
  for (const [name, job] of Object.entries(jobs)) {
    if (job.if) found.push({ where: name, condition: job.if });
    job.steps.forEach((step, index) => {
      if (step.if) found.push({ where: `${name}.steps[${index}]`, condition: step.if });
    });
  }
  return found;
}

describe("pull request workflow", () => {
  const text = fs.readFileSync(WORKFLOW, "utf8");
  const workflow = parse(text) as {
    on: Record<string, any>;
    jobs: Record<string, Job>;
    env?: Record<string, string>;
  };
  const { jobs } = workflow;
  const runs = (job: Job) => job.steps.map((step) => step.run ?? "").filter(Boolean);
  const uses = (job: Job, action: string) => job.steps.find((step) => step.uses?.startsWith(`${action}@`));
  const matrixStacks = (job: Job) =>
    job.strategy?.matrix.stack ?? (job.strategy?.matrix.include ?? []).map((entry) => entry.stack);

  it("is valid YAML with the expected triggers and jobs", () => {
    assert.ok("pull_request" in workflow.on);
    assert.deepEqual(workflow.on.push.branches, ["main"]);
    assert.deepEqual(Object.keys(jobs).sort(), ["change", "examples", "plan", "preview", "test"]);
    for (const [name, job] of Object.entries(jobs)) {
      assert.ok(Array.isArray(job.steps) && job.steps.length > 0, name);
      for (const step of job.steps) {
        if (step.uses)
          assert.match(
            step.uses,
            /^[\w.-]+\/[\w./-]+@v\d+$/,
            `${name}: ${step.uses} pinned to a major version`,
          );
      }
    }
    const opened = text.split("${{").length - 1;
    const closed = text.split("}}").length - 1;
    assert.equal(opened, closed, "every ${{ is closed");
  });

  it("tests on Node 20 with the npm cache: ci, lint, typecheck, unit tests", () => {
    const test = jobs.test;
    assert.ok(uses(test, "actions/checkout"));
    const node = uses(test, "actions/setup-node")!;
    assert.equal(
      String(node.with?.["node-version"]).replace("${{ env.NODE_VERSION }}", workflow.env!.NODE_VERSION),
      "20",
    );
    assert.equal(node.with?.cache, "npm");
    assert.deepEqual(
      runs(test).map((run) => run.split(" --")[0]),
      ["npm ci", "npm run lint", "npm run typecheck", "npm run test:unit"],
    );
  });

  it("checks the API reference and the examples against the packed package", () => {
    const examples = jobs.examples;
    assert.ok(uses(examples, "actions/setup-node"));
    assert.deepEqual(
      runs(examples).map((run) => run.split(" --")[0]),
      ["npm ci", "npm run docs:check", "npm run examples"],
    );
  });

  it("plans dev and prod offline with SARIF, failing only prod on mandatory findings", () => {
    const plan = jobs.plan;
    assert.deepEqual(matrixStacks(plan), ["dev", "prod"]);
    assert.equal(plan.permissions?.["security-events"], "write");
    const failOn = Object.fromEntries(
      (plan.strategy!.matrix.include ?? []).map((e) => [e.stack, e["fail-on"]]),
    );
    assert.deepEqual(failOn, { dev: "none", prod: "mandatory" });
    const command = runs(plan).find((run) => run.includes("npm run plan"))!;
    assert.ok(
      command.includes(
        "npm run plan -- --stack ${{ matrix.stack }} --format sarif --out out/${{ matrix.stack }}",
      ),
      command,
    );
    assert.ok(command.includes("--fail-on ${{ matrix.fail-on }}"));
    const artifact = uses(plan, "actions/upload-artifact")!;
    assert.equal(artifact.with?.path, "out/${{ matrix.stack }}");
    assert.match(
      artifact.if ?? "",
      /always\(\)|!cancelled\(\)/,
      "the report is uploaded when the check fails",
    );
    const sarif = uses(plan, "github/codeql-action/upload-sarif")!;
    assert.equal(sarif.with?.sarif_file, "out/${{ matrix.stack }}/report.sarif");
    assert.match(String(sarif.with?.category), /\$\{\{ matrix\.stack \}\}/);
    assert.match(sarif.if ?? "", /!cancelled\(\)|always\(\)/);
  });

  it("previews with the policy pack only when cloud credentials and a backend are configured", () => {
    const preview = jobs.preview;
    assert.match(preview.if ?? "", /vars\.AWS_ROLE_ARN != ''/);
    assert.equal(preview.permissions?.["id-token"], "write");
    assert.deepEqual(matrixStacks(preview), ["dev", "prod"]);
    assert.equal(preview.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
    assert.equal(preview.env?.PULUMI_BACKEND_URL, "${{ vars.PULUMI_BACKEND_URL }}");
    assert.equal(preview.env?.PULUMI_CONFIG_PASSPHRASE, "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
    const aws = uses(preview, "aws-actions/configure-aws-credentials")!;
    assert.equal(aws.with?.["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}");
    const pulumi = uses(preview, "pulumi/actions")!;
    assert.equal(pulumi.uses, "pulumi/actions@v6");
    assert.equal(pulumi.with?.command, "preview");
    assert.equal(pulumi.with?.policyPacks, "policies");
    for (const step of preview.steps.filter(
      (s) => s.uses || s.run?.startsWith("npm") || s.run?.includes("jq"),
    )) {
      assert.match(
        step.if ?? "",
        /env\.PULUMI_ACCESS_TOKEN != '' \|\| env\.PULUMI_BACKEND_URL != ''/,
        `${step.uses ?? step.run} needs a backend`,
      );
    }
  });

  it("posts the change since the base branch as one pull-request comment per stack, updated in place", () => {
    const job = jobs.change;
    assert.match(job.if ?? "", /github\.event_name == 'pull_request'/);
    assert.equal(job.permissions?.["pull-requests"], "write");
    assert.deepEqual(matrixStacks(job), ["dev", "prod"]);
    assert.equal(uses(job, "actions/checkout")?.with?.["fetch-depth"], 0);
    const plan = runs(job).find((run) => run.includes("npm run plan"))!;
    assert.match(plan, /--base origin\/\$\{\{ github\.base_ref \}\}/);
    assert.match(plan, /--format markdown/);
    assert.match(plan, /> change-\$\{\{ matrix\.stack \}\}\.md$/);
    const post = uses(job, "actions/github-script")!;
    const script = String(post.with?.script);
    // The marker tools/plan/change.ts writes on the first line.
    assert.ok(commentMarker("dev").startsWith("<!-- bdp-plan-change:"));
    assert.match(script, /startsWith\("<!-- bdp-plan-change:"\)/);
    assert.match(script, /github\.paginate\(github\.rest\.issues\.listComments/);
    assert.match(script, /updateComment\(/);
    assert.match(script, /createComment\(/);
  });

  it("creates a missing stack, with the configured backend and secrets provider", () => {
    const pulumi = uses(jobs.preview, "pulumi/actions")!;
    assert.equal(pulumi.with?.upsert, true);
    assert.equal(pulumi.with?.["cloud-url"], "${{ env.PULUMI_BACKEND_URL }}");
    assert.equal(pulumi.with?.["secrets-provider"], "${{ vars.PULUMI_SECRETS_PROVIDER }}");
  });

  it("passes the offline plan's cost estimate to the pack during preview", () => {
    const steps = jobs.preview.steps;
    const estimate = steps.findIndex((step) => step.run?.includes("npm run -s plan"));
    const preview = steps.findIndex((step) => step.uses?.startsWith("pulumi/actions@"));
    assert.ok(estimate >= 0 && estimate < preview, "the estimate is written before the preview");
    const run = steps[estimate].run!;
    assert.match(
      run,
      /npm run -s plan -- --stack \$\{\{ matrix\.stack \}\} --no-policies --format json > "\$RUNNER_TEMP\/plan\.json"/,
    );
    assert.match(
      run,
      /"estimated-cost-within-budget"\.estimatedMonthlyUsd = \$plan\[0\]\.costEstimate\.total/,
    );
    assert.match(
      run,
      /policies\/config\/\$\{\{ matrix\.stack \}\}\.json > "\$RUNNER_TEMP\/policy-config\.json"/,
    );
    assert.equal(steps[preview].with?.policyPackConfigs, "${{ runner.temp }}/policy-config.json");
  });

  it("never reads secrets in an if: (GitHub does not allow it)", () => {
    for (const { where, condition } of conditions(jobs)) assert.doesNotMatch(condition, /secrets\./, where);
  });

  it("refers only to scripts, stacks and policy configs that exist", () => {
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: object }
    ).scripts;
    for (const run of Object.values(jobs).flatMap(runs)) {
      for (const match of run.matchAll(/npm run (?:-s )?([\w:-]+)/g))
        assert.ok(match[1] in scripts, `script ${match[1]}`);
    }
    for (const job of [jobs.plan, jobs.preview]) {
      for (const stack of matrixStacks(job)) {
        assert.ok(fs.existsSync(path.join(ROOT, `Pulumi.${stack}.yaml`)), stack);
        assert.ok(fs.existsSync(path.join(ROOT, "policies", "config", `${stack}.json`)), stack);
      }
    }
    assert.ok(fs.existsSync(path.join(ROOT, "policies", "PulumiPolicy.yaml")));
  });
});
