import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { DataLake, DataLakeArgs } from "../../../components/storage/data-lake";
import { AlertTopic } from "../../../components/monitoring/alert-topic";
import { uniquePhysicalNames } from "../../../tools/deploy-rules/unique-names";
import { runRules, summarize, TRUST } from "./support";

const ZONE = { noncurrentVersionExpireDays: 7 };
const LAKE: DataLakeArgs = {
  zones: { raw: ZONE, curated: ZONE, analytics: ZONE },
  abortIncompleteUploadDays: 3,
  logsExpireDays: 30,
  artifactsNoncurrentExpireDays: 7,
  retainOnDelete: false,
};

describe("deploy rules: unique physical names", () => {
  it("passes two lakes and two alert topics named after their components", async () => {
    const { findings } = await runRules([uniquePhysicalNames], ({ component }) => {
      for (const team of ["team-a", "team-b"]) {
        new DataLake(`${team}-lake`, LAKE, component);
        new AlertTopic(`${team}-alerts`, { emails: ["oncall@example.com"] }, component);
      }
    });
    assert.deepEqual(findings, []);
  });

  it("reports every resource that takes a name another resource of its type has (two lakes, one prefix)", async () => {
    const { findings, synthesized } = await runRules([uniquePhysicalNames], ({ component }) => {
      new DataLake("team-a-lake", { ...LAKE, namePrefix: "bdp-dev" }, component);
      new DataLake("team-b-lake", { ...LAKE, namePrefix: "bdp-dev" }, component);
    });
    // The buckets get a random suffix after their prefix; the key alias is the one explicit name.
    assert.deepEqual(summarize(findings, synthesized), ["error unique-physical-names team-b-lake-key-alias"]);
    assert.match(
      findings[0].message,
      /^Its name "alias\/bdp-dev-data-lake" is also the name of team-a-lake-key-alias: AWS refuses the second resource/,
    );
    assert.match(findings[0].fix, /different names or namePrefix values/);
  });

  it("finds the topic, queue, alias and alarm two alert topics of one prefix would share", async () => {
    const { findings, synthesized } = await runRules([uniquePhysicalNames], ({ component }) => {
      new AlertTopic("a", { namePrefix: "bdp-dev", emails: ["a@example.com"] }, component);
      new AlertTopic("b", { namePrefix: "bdp-dev", emails: ["b@example.com"] }, component);
    });
    assert.deepEqual(summarize(findings, synthesized).sort(), [
      "error unique-physical-names b-dlq",
      "error unique-physical-names b-dlq-alarm",
      "error unique-physical-names b-key-alias",
      "error unique-physical-names b-topic",
    ]);
  });

  it("compares names within their parent: inline policies per role, targets per rule", async () => {
    const { findings, synthesized } = await runRules([uniquePhysicalNames], ({ resource: opts }) => {
      const first = new aws.iam.Role("first", { name: "first-role", assumeRolePolicy: TRUST }, opts);
      const second = new aws.iam.Role("second", { name: "second-role", assumeRolePolicy: TRUST }, opts);
      const policy = { name: "access", policy: "{}" };
      new aws.iam.RolePolicy("first-access", { ...policy, role: first.id }, opts);
      new aws.iam.RolePolicy("second-access", { ...policy, role: second.id }, opts);
      new aws.iam.RolePolicy("second-access-again", { ...policy, role: second.id }, opts);
      const rule = new aws.cloudwatch.EventRule("rule", { name: "uploads", eventPattern: "{}" }, opts);
      const other = new aws.cloudwatch.EventRule("other", { name: "failures", eventPattern: "{}" }, opts);
      new aws.cloudwatch.EventTarget(
        "rule-target",
        { rule: rule.name, targetId: "alert", arn: "arn:aws:sns:::t" },
        opts,
      );
      new aws.cloudwatch.EventTarget(
        "other-target",
        { rule: other.name, targetId: "alert", arn: "arn:aws:sns:::t" },
        opts,
      );
    });
    assert.deepEqual(summarize(findings, synthesized), ["error unique-physical-names second-access-again"]);
  });

  it("lets resources identified by a generated id share a name", async () => {
    const { findings } = await runRules([uniquePhysicalNames], ({ resource: opts }) => {
      for (const name of ["nightly-1", "nightly-2"]) {
        new aws.emrserverless.Application(
          name,
          { name: "nightly", releaseLabel: "emr-7.12.0", type: "spark" },
          opts,
        );
      }
    });
    assert.deepEqual(findings, []);
  });
});
