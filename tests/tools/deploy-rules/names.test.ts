import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { NAME_RULES, NameRule } from "../../../tools/deploy-rules/name-table";
import { NAME_RULES_LIST, nameProblem, predictName } from "../../../tools/deploy-rules/names";
import { runRules, summarize, TRUST } from "./support";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** `new aws.glue.Job(` in source -> `aws:glue/job:Job`; `new awsx.ec2.Vpc(` -> `awsx:ec2:Vpc`. */
function declaredTypes(): Set<string> {
  const types = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".ts")) {
        const text = fs.readFileSync(file, "utf8");
        for (const [, pkg, mod, type] of text.matchAll(
          /new (aws|awsx)\.([a-z0-9]+)\.([A-Z][A-Za-z0-9]*)\(/g,
        )) {
          types.add(
            pkg === "awsx"
              ? `awsx:${mod}:${type}`
              : `aws:${mod}/${type.charAt(0).toLowerCase()}${type.slice(1)}:${type}`,
          );
        }
      }
    }
  };
  walk(path.join(ROOT, "components"));
  walk(path.join(ROOT, "infra"));
  return types;
}

const rule = (type: string, index = 0): NameRule => {
  const spec = NAME_RULES[type];
  if (!spec || "none" in spec) throw new Error(`${type} has no name rule`);
  return spec[index];
};

/** What predictName reads of a recorded resource. */
const resource = (name: string, inputs: Record<string, unknown>) => ({ name, inputs });

describe("deploy rules: names", () => {
  it("knows every resource type the program can declare (components/ and infra/)", () => {
    const declared = [...declaredTypes()];
    assert.ok(declared.length > 50, `found only ${declared.length} types`);
    const unknown = declared.filter((type) => NAME_RULES[type] === undefined);
    assert.deepEqual(unknown, [], "add these types to tools/deploy-rules/name-table.ts");
  });

  it("warns about a declared type the names rule does not know, instead of passing it silently", async () => {
    const { findings, synthesized } = await runRules(NAME_RULES_LIST, ({ resource: opts }) => {
      new aws.sqs.RedrivePolicy("redrive", { queueUrl: "https://sqs/q", redrivePolicy: "{}" }, opts);
    });
    assert.deepEqual(summarize(findings, synthesized), ["warning physical-names redrive"]);
    assert.match(findings[0].message, /does not know aws:sqs\/redrivePolicy:RedrivePolicy/);
  });

  describe("predicting the physical name", () => {
    it("takes an explicit name as given", () => {
      const role = resource("logical", { name: "explicit-name" });
      assert.deepEqual(predictName(role, rule("aws:iam/role:Role")), {
        source: "explicit",
        value: "explicit-name",
      });
    });

    it("completes a prefix with the provider's 26-character suffix", () => {
      const bucket = resource("lake", { bucketPrefix: "bdp-dev-raw-" });
      const name = predictName(bucket, rule("aws:s3/bucket:Bucket"));
      assert.equal(name?.source, "prefix");
      assert.equal(name && "value" in name ? name.value.length : 0, "bdp-dev-raw-".length + 26);
    });

    it("autonames from the logical name, lower-cased for buckets, prefixed with alias/ for KMS aliases", () => {
      const bucket = predictName(resource("Lake-Raw", {}), rule("aws:s3/bucket:Bucket"));
      assert.equal(bucket && "value" in bucket && bucket.value, "lake-raw-0a1b2c3");
      const alias = predictName(resource("lake", {}), rule("aws:kms/alias:Alias"));
      assert.equal(alias && "value" in alias && alias.value, "alias/lake-0a1b2c3");
      const database = predictName(resource("Sales", {}), rule("aws:glue/catalogDatabase:CatalogDatabase"));
      assert.equal(database && "value" in database && database.value, "sales_abcdefgh");
    });

    it("knows that a required name without a value has no autoname", () => {
      const cluster = resource("warehouse", {});
      assert.deepEqual(predictName(cluster, rule("aws:redshift/cluster:Cluster")), {
        source: "required-missing",
      });
    });
  });

  describe("AWS's name rules", () => {
    const cases: [string, string, number, string | undefined][] = [
      ["aws:iam/role:Role", "a".repeat(64), 0, undefined],
      ["aws:iam/role:Role", "a".repeat(65), 0, "longer than 64 characters"],
      ["aws:iam/role:Role", "has space", 0, "not made of letters, numbers and +=,.@_-"],
      ["aws:sfn/stateMachine:StateMachine", "a".repeat(81), 0, "longer than 80 characters"],
      [
        "aws:sfn/stateMachine:StateMachine",
        "with.dot",
        0,
        "not made of letters, numbers, '-' and '_' (required for logging to CloudWatch Logs)",
      ],
      ["aws:cloudwatch/eventRule:EventRule", "r".repeat(65), 0, "longer than 64 characters"],
      [
        "aws:s3/bucket:Bucket",
        "Upper-Case",
        0,
        "not made of lower-case letters, numbers, '.' and '-', starting and ending with a letter or number",
      ],
      ["aws:s3/bucket:Bucket", "a..b", 0, "contains two adjacent periods"],
      ["aws:s3/bucket:Bucket", "192.168.0.1", 0, "is formatted as an IP address"],
      ["aws:redshift/cluster:Cluster", "bdp-warehouse", 0, undefined],
      ["aws:redshift/cluster:Cluster", "bdp--warehouse", 0, "contains two consecutive hyphens"],
      ["aws:redshift/cluster:Cluster", "bdp-warehouse-", 0, "ends with a hyphen"],
      ["aws:redshift/cluster:Cluster", "final--snapshot", 1, "contains two consecutive hyphens"],
      ["aws:redshiftserverless/workgroup:Workgroup", "ab", 0, "shorter than 3 characters"],
      ["aws:kms/alias:Alias", "alias/aws/lake", 0, 'starts with the reserved "alias/aws/"'],
      ["aws:ec2/securityGroup:SecurityGroup", "sg-jobs", 0, 'starts with "sg-"'],
      ["aws:ecr/repository:Repository", "sales-aggregator", 0, undefined],
      [
        "aws:ecr/repository:Repository",
        "1sales",
        0,
        "not made of lower-case letters, numbers, '.', '_', '-' and '/', starting with a letter",
      ],
      ["aws:budgets/budget:Budget", "monthly/action/x", 0, 'contains "/action/"'],
    ];
    for (const [type, name, index, problem] of cases) {
      it(`${type}: "${name.length > 30 ? `${name.slice(0, 10)}... (${name.length})` : name}" ${problem ?? "is accepted"}`, () => {
        assert.equal(nameProblem(name, rule(type, index)), problem);
      });
    }
  });

  it("rejects a stack whose names AWS or Pulumi refuse, naming the property and the fix", async () => {
    const { findings, synthesized } = await runRules(NAME_RULES_LIST, ({ resource: opts }) => {
      // 57 characters + "-" + 7 random > the 64 Pulumi allows for IAM roles.
      new aws.iam.Role("r".repeat(57), { assumeRolePolicy: TRUST }, opts);
      new aws.iam.Role("prefixed", { namePrefix: "p".repeat(39), assumeRolePolicy: TRUST }, opts);
      new aws.s3.Bucket("bucket", { bucketPrefix: "b".repeat(38) }, opts);
      new aws.sfn.StateMachine(
        "machine",
        { name: "m".repeat(81), roleArn: "arn:aws:iam::123456789012:role/r", definition: "{}" },
        opts,
      );
      new aws.redshiftserverless.Workgroup("wg", { workgroupName: "Warehouse", namespaceName: "ns" }, opts);
      new aws.iam.Role("fine", { assumeRolePolicy: TRUST }, opts);
    });
    assert.deepEqual(summarize(findings, synthesized).sort(), [
      "error physical-names bucket",
      "error physical-names machine",
      "error physical-names prefixed",
      `error physical-names ${"r".repeat(57)}`,
      "error physical-names wg",
    ]);
    const byName = (name: string) =>
      findings.find((finding) => synthesized.byUrn(finding.urn)?.name === name)!;
    assert.match(
      byName("r".repeat(57)).message,
      /Pulumi refuses to create it: the autoname for name .* longer than the 64 characters/,
    );
    assert.match(
      byName("prefixed").message,
      /prefix "p{39}" plus the provider's 26-character suffix \(65 characters\).*longer than 64 characters/,
    );
    assert.match(byName("prefixed").fix, /Shorten or change namePrefix \(at most 38 characters/);
    assert.match(byName("bucket").fix, /at most 37 characters/);
    assert.match(byName("wg").message, /workgroupName "Warehouse".*lower-case letters/);
  });
});
