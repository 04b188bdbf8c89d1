/**
 * The policy check end to end with the real pack (policies/), started once the way the engine
 * starts it and reused: the committed stacks pass, a deliberately bad program fails with the
 * expected mandatory findings, exemptions are reported with their reasons, the cost estimate
 * reaches estimated-cost-within-budget, config errors are config errors, and the CLI's exit codes,
 * JSON report and SARIF log are right.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { PROJECT } from "../../infra/config";
import { PACK_NAME, policies } from "../../policies/pack";
import { PlanReport, runPlan } from "../../tools/plan/plan";
import {
  PolicyEvaluation,
  PolicyRunnerError,
  PolicyRunResult,
  PolicySession,
} from "../../tools/policy-runner";
import { buildPolicyReport, countsAsFailure } from "../../tools/reports/model";
import { RecordedResource, synthesize } from "../../tools/synth/mock-run";
import { planReportProblems, ROOT, runMain, sarifProblems, writeConfig } from "./support";

const CONFIG = (stack: string) => path.join(ROOT, "policies", "config", `${stack}.json`);

function describeFindings(result: PolicyRunResult): string {
  return result.findings
    .map(
      (f) =>
        `  - [${f.enforcementLevel}] ${f.policy} on ${f.urn ?? "(stack)"}: ${f.message.split("\n").pop()}`,
    )
    .join("\n");
}

/** A small program with deliberately non-compliant resources. */
async function badProgram(): Promise<RecordedResource[]> {
  const { resources } = await synthesize(
    () => {
      const bucket = new aws.s3.Bucket("public-bucket", { tags: { environment: "bad" } });
      new aws.s3.BucketPublicAccessBlock("public-bucket", {
        bucket: bucket.id,
        blockPublicAcls: false,
        blockPublicPolicy: false,
        ignorePublicAcls: false,
        restrictPublicBuckets: false,
      });
      new aws.glue.Job("no-timeout-job", {
        roleArn: "arn:aws:iam::123456789012:role/glue",
        command: { name: "glueetl", scriptLocation: "s3://scripts/job.py" },
        workerType: "G.1X",
        numberOfWorkers: 2,
      });
      // A catalog database of its own, and no catalog encryption settings for it.
      new aws.glue.CatalogDatabase("bad-database", { name: "bad_database" });
      new aws.sns.Topic("plain-topic", {});
      new aws.sqs.Queue("scratch-queue", {});
      new aws.budgets.Budget("tiny-budget", {
        budgetType: "COST",
        limitAmount: "10",
        limitUnit: "USD",
        timeUnit: "MONTHLY",
        notifications: [
          {
            comparisonOperator: "GREATER_THAN",
            threshold: 80,
            thresholdType: "PERCENTAGE",
            notificationType: "ACTUAL",
            subscriberEmailAddresses: ["ops@example.com"],
          },
        ],
      });
      return { bucket: bucket.id };
    },
    { project: PROJECT, stack: "bad", config: { "aws:region": "eu-west-1" } },
  );
  return resources;
}

describe("policy check with the real pack", function () {
  this.timeout(120_000);
  let session: PolicySession;
  const plans: Record<string, PlanReport> = {};
  let tmp: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bdp-policy-check-"));
    session = await PolicySession.start(path.join(ROOT, "policies"));
    plans.dev = await runPlan("dev");
    plans.prod = await runPlan("prod");
  });

  after(async () => {
    await session?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("reads every policy's metadata from GetAnalyzerInfo", async () => {
    const { pack, policies: served } = await session.describe();
    assert.equal(pack.name, PACK_NAME);
    assert.deepEqual(
      served.map((p) => p.name),
      policies.map((p) => p.name),
    );
    for (const p of served) {
      const source = policies.find((q) => q.name === p.name)!;
      assert.equal(p.description, source.description);
      assert.equal(p.remediationSteps, source.remediationSteps);
      assert.equal(p.severity, source.severity);
      assert.equal(p.defaultEnforcementLevel, source.enforcementLevel);
      assert.ok(p.configSchema?.properties.exemptions, p.name);
    }
  });

  for (const stack of ["dev", "prod"]) {
    it(`finds no mandatory violation in the committed ${stack} stack`, async () => {
      const plan = plans[stack];
      const estimate = (plan.stackOutputs.costEstimate as { total: number }).total;
      const result = await session.evaluate({
        stack,
        project: PROJECT,
        resources: plan.resources,
        configFile: CONFIG(stack),
        estimatedMonthlyUsd: estimate,
      });
      assert.equal(result.analyzed.resources, plan.resources.filter((r) => r.custom).length);
      assert.equal(result.analyzed.stackResources, plan.resources.length);
      assert.ok(
        result.timings.analyzeMs > 0 && result.timings.analyzeStackMs > 0,
        JSON.stringify(result.timings),
      );
      assert.equal(result.estimatedMonthlyUsd, Math.round(estimate * 100) / 100);
      const expected = stack === "prod" ? "mandatory" : "advisory";
      assert.ok(result.policies.every((p) => p.enforcementLevel === expected));
      const mandatory = result.findings.filter((f) => f.enforcementLevel === "mandatory");
      assert.equal(
        mandatory.length,
        0,
        `COMPONENTS TO FIX: the committed ${stack} stack has mandatory policy violations:\n${describeFindings(result)}`,
      );
      const violations = result.findings.filter((f) => !/cannot judge/.test(f.message));
      assert.equal(violations.length, 0, `advisory violations in ${stack}:\n${describeFindings(result)}`);
      assert.equal(buildPolicyReport(plan, result).failed, false);
    });
  }

  describe("a non-compliant program", () => {
    let resources: RecordedResource[];
    let result: PolicyRunResult;

    before(async () => {
      resources = await badProgram();
      result = await session.evaluate({
        stack: "bad",
        project: PROJECT,
        resources,
        config: {
          all: "mandatory",
          "sqs-queue-encrypted": {
            exemptions: [{ resource: "scratch-queue", reason: "scratch queue for the tests, emptied daily" }],
          },
        },
        estimatedMonthlyUsd: 500,
      });
    });

    const urn = (type: string, name: string) =>
      `urn:pulumi:bad::${PROJECT}::pulumi:pulumi:Stack$${type}::${name}`;
    const has = (policy: string, subject?: string) =>
      result.findings.find(
        (f) =>
          f.policy === policy &&
          (subject === undefined || f.urn === subject) &&
          f.enforcementLevel === "mandatory",
      );

    it("reports the expected policies as mandatory on the right resources", () => {
      const expected: [string, string | undefined][] = [
        ["s3-bucket-public-access-block", urn("aws:s3/bucket:Bucket", "public-bucket")],
        ["s3-bucket-sse-kms", urn("aws:s3/bucket:Bucket", "public-bucket")],
        ["s3-bucket-versioning", urn("aws:s3/bucket:Bucket", "public-bucket")],
        ["glue-job-timeout", urn("aws:glue/job:Job", "no-timeout-job")],
        ["glue-security-configuration", urn("aws:glue/job:Job", "no-timeout-job")],
        ["sns-topic-encrypted", urn("aws:sns/topic:Topic", "plain-topic")],
        ["catalog-encryption-settings", undefined],
      ];
      for (const [policy, subject] of expected) {
        assert.ok(has(policy, subject), `${policy} on ${subject}; got:\n${describeFindings(result)}`);
      }
      const glue = has("glue-job-timeout")!;
      assert.match(glue.message, /aws:glue\/job:Job "no-timeout-job": .*Fix: /s);
      assert.equal(glue.phase, "resource");
      assert.equal(has("s3-bucket-sse-kms")!.phase, "stack");
    });

    it("passes the cost estimate to estimated-cost-within-budget", () => {
      assert.equal(result.estimatedMonthlyUsd, 500);
      const cost = has("estimated-cost-within-budget", urn("aws:budgets/budget:Budget", "tiny-budget"));
      assert.ok(cost, describeFindings(result));
      assert.match(
        cost.message,
        /estimated monthly cost \$500\.00 \(policy config estimatedMonthlyUsd\) exceeds/,
      );
    });

    it("applies and reports the configured exemption with its reason", () => {
      const queue = urn("aws:sqs/queue:Queue", "scratch-queue");
      assert.equal(
        result.findings.some((f) => f.policy === "sqs-queue-encrypted" && f.urn === queue),
        false,
      );
      assert.deepEqual(result.exemptions, [
        {
          policy: "sqs-queue-encrypted",
          urn: queue,
          pattern: "scratch-queue",
          reason: "scratch queue for the tests, emptied daily",
          name: "scratch-queue",
          type: "aws:sqs/queue:Queue",
        },
      ]);
      assert.ok(
        result.stderr.some((line) =>
          line.startsWith("[bdp-policy] exemption applied: policy=sqs-queue-encrypted"),
        ),
      );
    });

    it("fails the run (exit code 1), also when only advisory findings count", () => {
      const report = buildPolicyReport(
        { stack: "bad", stackFile: path.join(ROOT, "Pulumi.bad.yaml"), resources },
        result,
        "mandatory",
      );
      assert.equal(report.failed, true);
      assert.ok(report.summary.mandatory >= 7);
      assert.equal(report.exemptions[0].reason, "scratch queue for the tests, emptied daily");
      assert.equal(countsAsFailure("advisory", "mandatory"), false);
      assert.equal(countsAsFailure("advisory", "advisory"), true);
      assert.equal(countsAsFailure("mandatory", "none"), false);
    });
  });

  describe("config errors", () => {
    const run = (config: Record<string, unknown>) =>
      session.evaluate({ stack: "dev", project: PROJECT, resources: plans.dev.resources, config });
    const isConfigError = (pattern: RegExp) => (error: Error) => {
      assert.ok(error instanceof PolicyRunnerError, String(error));
      assert.equal(error.kind, "config");
      assert.match(error.message, pattern);
      return true;
    };

    it("rejects an unknown policy name, a bad level and a knob of the wrong type", async () => {
      await assert.rejects(
        run({ "glue-job-timout": { maxTimeoutMinutes: 5 } }),
        isConfigError(/"glue-job-timout" is not a policy/),
      );
      await assert.rejects(
        run({ "glue-job-timeout": { maxTimeoutMinutes: "soon" } }),
        isConfigError(/"glue-job-timeout"\.maxTimeoutMinutes: must be integer/),
      );
    });

    it("turns a config error raised inside the pack into a config error", async () => {
      await assert.rejects(
        run({ "flexible-tier-spot-or-graviton": { gravitonFamilyPattern: "([" } }),
        isConfigError(/policy config error in "flexible-tier-spot-or-graviton", key "gravitonFamilyPattern"/),
      );
      // The pack is still serving: the next run works.
      const again = await run({ all: "advisory" });
      assert.equal(again.findings.filter((f) => f.enforcementLevel === "mandatory").length, 0);
    });

    it("rejects an exemption without a reason", async () => {
      await assert.rejects(
        run({ "s3-bucket-versioning": { exemptions: [{ resource: "bdp-dev-lake-logs" }] } }),
        isConfigError(/"s3-bucket-versioning"\.exemptions\.0: must have required property 'reason'/),
      );
    });

    it("rejects a config file that is missing or not JSON", async () => {
      const notJson = path.join(tmp, "broken.json");
      fs.writeFileSync(notJson, "{ all: mandatory");
      for (const [file, pattern] of [
        [path.join(tmp, "missing.json"), /does not exist/],
        [notJson, /is not valid JSON/],
      ] as const) {
        await assert.rejects(
          session.evaluate({ stack: "dev", project: PROJECT, resources: [], configFile: file }),
          isConfigError(pattern),
        );
      }
    });
  });

  describe("CLI (in-process, sharing the running pack)", () => {
    let strictGlue: string;
    let advisoryGlue: string;

    before(() => {
      // Glue jobs of both stacks run longer than 1 minute, so these configs produce findings.
      strictGlue = writeConfig(tmp, "strict.json", {
        all: "mandatory",
        "glue-job-timeout": { maxTimeoutMinutes: 1 },
      });
      advisoryGlue = writeConfig(tmp, "advisory.json", {
        all: "advisory",
        "glue-job-timeout": { maxTimeoutMinutes: 1 },
      });
    });

    it("prints the plan, the cost estimate and the policy verdict for dev, exit 0", async () => {
      const run = await runMain(["--stack", "dev"], session);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^Stack dev: environment dev, Region eu-west-1 .*offline plan under mocks/);
      assert.match(run.stdout, /Monthly cost estimate: eu-west-1, USD/);
      assert.match(
        run.stdout,
        /Policy check: pack batch-data-platform .*config policies\/config\/dev\.json, 37 policies/,
      );
      assert.match(run.stdout, /Mandatory findings: none/);
      assert.match(run.stdout, /Policy result: passed/);
    });

    it("exits 0 on advisory findings, 1 with --fail-on advisory", async () => {
      const lenient = await runMain(["--stack", "dev", "--policy-config", advisoryGlue], session);
      assert.equal(lenient.status, 0, lenient.stderr);
      assert.match(lenient.stdout, /Advisory findings \(\d+\)\n {2}glue-job-timeout \[high\]/);
      assert.match(lenient.stdout, /Remediation: /);
      const strict = await runMain(
        ["--stack", "dev", "--policy-config", advisoryGlue, "--fail-on", "advisory"],
        session,
      );
      assert.equal(strict.status, 1, strict.stderr);
      assert.match(
        strict.stdout,
        /Policy result: FAILED \(0 mandatory, \d+ advisory findings; --fail-on advisory\)/,
      );
    });

    it("exits 1 on a mandatory finding and writes valid SARIF located at the pipeline", async () => {
      const out = path.join(tmp, "out");
      const run = await runMain(
        ["--stack", "prod", "--policy-config", strictGlue, "--format", "sarif", "--out", out],
        session,
      );
      assert.equal(run.status, 1, run.stderr);
      const log = JSON.parse(run.stdout);
      assert.deepEqual(sarifProblems(log), []);
      const sarifRun = log.runs[0];
      assert.equal(sarifRun.tool.driver.name, PACK_NAME);
      assert.equal(sarifRun.tool.driver.rules.length, policies.length);
      const rule = sarifRun.tool.driver.rules.find((r: any) => r.id === "glue-job-timeout");
      assert.equal(rule.defaultConfiguration.level, "error");
      assert.ok(rule.shortDescription.text.length > 10);
      assert.ok(rule.fullDescription.text.length >= rule.shortDescription.text.length);
      assert.match(rule.help.text, /^Remediation: /);
      const results = sarifRun.results.filter((r: any) => r.ruleId === "glue-job-timeout");
      assert.ok(results.length > 0);
      const stackFile = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8").split("\n");
      for (const result of results) {
        assert.equal(result.level, "error");
        assert.equal(sarifRun.tool.driver.rules[result.ruleIndex].id, "glue-job-timeout");
        const [location] = result.locations;
        assert.equal(location.physicalLocation.artifactLocation.uri, "Pulumi.prod.yaml");
        const line = stackFile[location.physicalLocation.region.startLine - 1];
        assert.match(line, /^\s*- name: [a-z0-9-]+\s*$/, `startLine points at a pipeline entry: ${line}`);
        assert.ok(line.includes(result.properties.pipeline), `${line} names ${result.properties.pipeline}`);
        assert.match(
          location.logicalLocations[0].fullyQualifiedName,
          /^urn:pulumi:prod::batch-data-platform::.*aws:glue\/job:Job::/,
        );
        assert.equal(location.logicalLocations[0].properties.componentSource, "components/glue/etl-job.ts");
        const related = result.relatedLocations[0].physicalLocation;
        assert.equal(related.artifactLocation.uri, "components/glue/etl-job.ts");
        const sourceLine = fs.readFileSync(path.join(ROOT, "components/glue/etl-job.ts"), "utf8").split("\n")[
          related.region.startLine - 1
        ];
        assert.match(sourceLine, /"bdp:glue:EtlJob"/);
      }

      // --out wrote the same reports as files; the JSON one names the component and pipeline entry.
      assert.match(
        run.stderr,
        new RegExp(`Reports written to ${out}: report\\.txt, report\\.json, report\\.sarif`),
      );
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, "report.sarif"), "utf8")), log);
      assert.match(
        fs.readFileSync(path.join(out, "report.txt"), "utf8"),
        /Mandatory findings \(\d+\)\n {2}glue-job-timeout/,
      );
      const failed = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8"));
      assert.deepEqual(planReportProblems(failed), []);
      assert.equal(failed.policies.failed, true);
      const finding = failed.policies.findings.find((f: any) => f.policy === "glue-job-timeout");
      assert.equal(finding.enforcementLevel, "mandatory");
      assert.equal(finding.component.type, "bdp:glue:EtlJob");
      assert.equal(finding.component.source.file, "components/glue/etl-job.ts");
      assert.match(finding.location.key, /^pipelines\[name=/);
      if (fs.existsSync(path.join(ROOT, "tools", "diagram", "diagram.ts"))) {
        assert.match(run.stderr, /Diagram written to /);
      } else {
        assert.match(run.stderr, /Diagram skipped/);
      }
    });

    it("writes a stable JSON report that matches its documented schema", async () => {
      const first = await runMain(["--stack", "dev", "--format", "json"], session);
      assert.equal(first.status, 0, first.stderr);
      const report = JSON.parse(first.stdout);
      assert.deepEqual(planReportProblems(report), []);
      assert.equal(report.schemaVersion, 3);
      assert.equal(report.deployRules.rejected, false);
      assert.equal(report.stack, "dev");
      assert.equal(report.stackFile, "Pulumi.dev.yaml");
      assert.equal(report.policies.pack.directory, "policies");
      assert.equal(report.policies.configFile, "policies/config/dev.json");
      // The ledger total every report prints (decisions/cost/ledger.ts).
      assert.equal(report.policies.estimatedMonthlyUsd, report.costLedger.totalCents / 100);
      assert.equal(report.policies.rules.length, policies.length);
      // Keys sorted at every level: re-serializing with sorted keys gives the same text.
      const sortKeys = (v: any): any =>
        Array.isArray(v)
          ? v.map(sortKeys)
          : v && typeof v === "object"
            ? Object.fromEntries(
                Object.keys(v)
                  .sort()
                  .map((k) => [k, sortKeys(v[k])]),
              )
            : v;
      assert.equal(first.stdout, `${JSON.stringify(sortKeys(report), null, 2)}\n`);
      const names = report.policies.rules.map((r: any) => r.name);
      assert.deepEqual(names, [...names].sort());
      const second = await runMain(["--stack", "dev", "--format", "json"], session);
      assert.equal(second.stdout, first.stdout, "two runs give identical JSON");
    });

    it("skips the policy check with --no-policies", async () => {
      const run = await runMain(["--stack", "dev", "--no-policies", "--format", "json"], session);
      assert.equal(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout);
      assert.equal(report.policies, null);
      assert.deepEqual(planReportProblems(report), []);
    });
  });
});

/** A finding's identity, for comparing verdicts regardless of the order the responses came in. */
const findingKeys = (result: PolicyRunResult) =>
  result.findings.map((f) => `${f.policy} ${f.urn ?? ""} ${f.enforcementLevel} ${f.message}`).sort();

/** A program whose tags come only from the default provider's aws:defaultTags. */
async function taggedByProvider(): Promise<RecordedResource[]> {
  const tags = { environment: "dev", owner: "data", "cost-center": "analytics", "managed-by": "pulumi" };
  const { resources } = await synthesize(
    () => {
      new aws.sqs.Queue("work", { sqsManagedSseEnabled: true });
      return {};
    },
    {
      project: PROJECT,
      stack: "tagged",
      config: { "aws:region": "eu-west-1", "aws:defaultTags": JSON.stringify({ tags }) },
    },
  );
  return resources;
}

describe("policy evaluation fed while the program runs", function () {
  this.timeout(120_000);
  let session: PolicySession;
  let dev: PlanReport;
  const settings = { stack: "dev", project: PROJECT, configFile: CONFIG("dev") };

  before(async () => {
    // The pack starts alongside the synthesis, as in the plan.
    const starting = PolicySession.start(path.join(ROOT, "policies"));
    dev = await runPlan("dev");
    session = await starting;
  });

  after(async () => {
    await session?.close();
  });

  it("takes resources while the pack is still starting and reaches the one-call verdict", async () => {
    const estimate = (dev.stackOutputs.costEstimate as { total: number }).total;
    const starting = PolicySession.start(path.join(ROOT, "policies"));
    const evaluation = PolicyEvaluation.begin(starting, settings);
    const plan = await runPlan("dev", undefined, (resource) => evaluation.add(resource));
    try {
      const streamed = await evaluation.finish(plan.resources, estimate);
      const oneCall = await session.evaluate({
        ...settings,
        resources: dev.resources,
        estimatedMonthlyUsd: estimate,
      });
      assert.deepEqual(findingKeys(streamed), findingKeys(oneCall));
      assert.deepEqual(streamed.analyzed, oneCall.analyzed);
      assert.equal(streamed.analyzed.resources, dev.resources.filter((r) => r.custom).length);
      assert.deepEqual(
        streamed.exemptions.map((e) => `${e.policy} ${e.urn}`).sort(),
        oneCall.exemptions.map((e) => `${e.policy} ${e.urn}`).sort(),
      );
      assert.equal(streamed.estimatedMonthlyUsd, Math.round(estimate * 100) / 100);
    } finally {
      await (await starting).close();
    }
  });

  it("holds a resource back until its provider is recorded, so its request carries the provider", async () => {
    const resources = await taggedByProvider();
    const providers = resources.filter((r) => r.type.startsWith("pulumi:providers:"));
    assert.equal(providers.length, 1);
    const others = resources.filter((r) => !providers.includes(r));
    const judge = async (first: RecordedResource[], later: RecordedResource[]) => {
      const evaluation = session.begin({ stack: "tagged", project: PROJECT });
      // Added to a configured pack as a synthesis records them, the provider a while later.
      await evaluation.whenConfigured();
      for (const resource of first) evaluation.add(resource);
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const resource of later) evaluation.add(resource);
      const result = await evaluation.finish([...first, ...later]);
      return result.findings.filter((f) => f.policy === "required-tags");
    };
    // Provider recorded last: the queue's tags still come from it.
    assert.deepEqual(await judge(others, providers), []);
    // Without the provider the same queue has no tags: the check above is not vacuous.
    const untagged = await judge(others, []);
    assert.equal(untagged.length, 1);
    assert.match(untagged[0].message, /environment/);
  });

  it("ends quietly when it is never finished (the program failed) and its pack stops", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const own = await PolicySession.start(path.join(ROOT, "policies"));
      const evaluation = own.begin(settings);
      for (const resource of dev.resources) evaluation.add(resource);
      await own.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("fails at finish with the error of a pack that could not start", async () => {
    const failed = Promise.reject(new PolicyRunnerError("start-failed", "cannot start policy pack nowhere"));
    const evaluation = PolicyEvaluation.begin(failed, settings);
    evaluation.add(dev.resources.find((r) => r.custom)!);
    await assert.rejects(evaluation.finish(dev.resources), /cannot start policy pack nowhere/);
  });
});
