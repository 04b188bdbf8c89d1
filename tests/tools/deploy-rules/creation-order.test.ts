import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PipelineStateMachine } from "../../../components/orchestration/state-machine";
import { CREATION_ORDER_RULES, ROLE_USERS } from "../../../tools/deploy-rules/creation-order";
import { crawler, glueJob, STEP_KINDS, TOPIC } from "../../decisions/orchestration/fixtures";
import { testJobGrants } from "../../support/foundation";
import { runRules, summarize, TRUST } from "./support";

/** A state machine with logging whose role gets its policy from a separate RolePolicy. */
function stateMachine(name: string, opts: pulumi.CustomResourceOptions, waitForPolicy: boolean): void {
  const role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: TRUST }, opts);
  const policy = new aws.iam.RolePolicy(
    `${name}-role`,
    {
      role: role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["logs:CreateLogDelivery"], Resource: "*" }],
      }),
    },
    opts,
  );
  const group = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/aws/vendedlogs/states/${name}` }, opts);
  new aws.sfn.StateMachine(
    `${name}-machine`,
    {
      roleArn: role.arn,
      definition: JSON.stringify({ StartAt: "Done", States: { Done: { Type: "Succeed" } } }),
      loggingConfiguration: { logDestination: pulumi.interpolate`${group.arn}:*`, level: "ALL" },
    },
    { ...opts, dependsOn: waitForPolicy ? [policy] : [] },
  );
}

describe("deploy rules: creation order", () => {
  it("rejects a state machine the engine may create before its role's policy (CreateStateMachine checks it)", async () => {
    const { findings, synthesized } = await runRules(CREATION_ORDER_RULES, ({ resource }) => {
      stateMachine("early", resource, false);
      stateMachine("ordered", resource, true);
    });
    assert.deepEqual(summarize(findings, synthesized), ["error role-policies-before-use early-machine"]);
    assert.match(findings[0].message, /CreateStateMachine checks the role/);
    assert.match(findings[0].message, /aws:iam\/rolePolicy:RolePolicy "early-role"/);
    assert.equal(findings[0].fix, 'Add "early-role" to the dependsOn of "early-machine".');
  });

  it("passes the platform's state machine component, which waits for its role's policy", async () => {
    const { findings } = await runRules(CREATION_ORDER_RULES, ({ component: opts }) => {
      new PipelineStateMachine(
        "daily-sales",
        {
          machineName: "bdp-test-daily-sales",
          spec: {
            pipelineName: "daily-sales",
            timeoutSeconds: 3600,
            alertTopicArn: TOPIC,
            steps: [glueJob(), crawler()],
          },
          stepKinds: STEP_KINDS,
          logRetentionDays: 30,
          logKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
        },
        opts,
      );
    });
    assert.deepEqual(findings, []);
  });

  it("follows an instance profile to its role (EMR provisions with it at creation)", async () => {
    const { findings, synthesized } = await runRules(CREATION_ORDER_RULES, ({ resource: opts }) => {
      const role = new aws.iam.Role("nodes", { assumeRolePolicy: TRUST }, opts);
      new aws.iam.RolePolicyAttachment(
        "nodes",
        {
          role: role.name,
          policyArn: "arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceforEC2Role",
        },
        opts,
      );
      const profile = new aws.iam.InstanceProfile("nodes", { role: role.name }, opts);
      new aws.emr.Cluster(
        "cluster",
        {
          releaseLabel: "emr-7.5.0",
          serviceRole: "arn:aws:iam::123456789012:role/EMR_DefaultRole",
          ec2Attributes: { instanceProfile: profile.arn, subnetId: "subnet-0a1b2c3d4e5f60001" },
          masterInstanceGroup: { instanceType: "m7g.xlarge" },
        },
        opts,
      );
    });
    assert.deepEqual(summarize(findings, synthesized), ["error role-policies-before-use cluster"]);
    assert.match(findings[0].message, /RolePolicyAttachment "nodes".*role "nodes"/);
  });

  it("warns when a service uses the role only at the first run (Glue job), instead of rejecting", async () => {
    const { findings, synthesized } = await runRules(CREATION_ORDER_RULES, ({ resource: opts }) => {
      const role = new aws.iam.Role("job", { assumeRolePolicy: TRUST }, opts);
      new aws.iam.RolePolicy("job", { role: role.id, policy: "{}" }, opts);
      new aws.glue.Job(
        "job",
        { roleArn: role.arn, command: { scriptLocation: "s3://scripts/job.py" }, glueVersion: "5.0" },
        opts,
      );
    });
    assert.deepEqual(summarize(findings, synthesized), ["warning role-policies-before-use job"]);
  });

  it("documents every role user with an AWS page", () => {
    for (const user of ROLE_USERS) {
      assert.ok(
        user.docs.length > 0 && user.docs.every((doc) => doc.startsWith("https://docs.aws.amazon.com/")),
      );
    }
  });

  describe("Lake Formation grants", () => {
    const lakeFormation = (opts: pulumi.CustomResourceOptions, ordered: boolean, registered = true) => {
      const settings = new aws.lakeformation.DataLakeSettings(
        "settings",
        { admins: ["arn:aws:iam::123456789012:role/admin"] },
        opts,
      );
      const location = registered
        ? new aws.lakeformation.Resource("zone", { arn: "arn:aws:s3:::zone-bucket" }, opts)
        : undefined;
      new aws.lakeformation.Permissions(
        "location-grant",
        {
          principal: "arn:aws:iam::123456789012:role/job",
          permissions: ["DATA_LOCATION_ACCESS"],
          dataLocation: { arn: "arn:aws:s3:::zone-bucket" },
        },
        { ...opts, dependsOn: ordered ? [settings, ...(location ? [location] : [])] : [] },
      );
      new aws.lakeformation.Permissions(
        "database-grant",
        {
          principal: "arn:aws:iam::123456789012:role/job",
          permissions: ["DESCRIBE"],
          database: { name: "sales" },
        },
        { ...opts, dependsOn: ordered ? [settings] : [] },
      );
    };

    it("rejects grants made before the data lake settings, and a location grant before its registration", async () => {
      const { findings, synthesized } = await runRules(CREATION_ORDER_RULES, ({ resource: opts }) =>
        lakeFormation(opts, false),
      );
      assert.deepEqual(summarize(findings, synthesized), [
        "error lake-formation-grant-order database-grant",
        "error lake-formation-grant-order location-grant",
        "error lake-formation-grant-order location-grant",
      ]);
      assert.ok(
        findings.some((finding) =>
          /only on registered locations.*before .*"zone" registers it/.test(finding.message),
        ),
      );
    });

    it("rejects a location grant on a location the stack never registers", async () => {
      const { findings } = await runRules(CREATION_ORDER_RULES, ({ resource }) =>
        lakeFormation(resource, true, false),
      );
      assert.equal(findings.length, 1);
      assert.match(
        findings[0].message,
        /registers no aws:lakeformation\/resource:Resource for arn:aws:s3:::zone-bucket/,
      );
    });

    it("rejects settings that drop the deployer from the admins while the stack grants", async () => {
      const deployer = "arn:aws:iam::123456789012:role/deployer";
      const run = (deployerArn?: string) =>
        runRules(CREATION_ORDER_RULES, ({ resource }) => lakeFormation(resource, true), "eu-west-1", {
          deployer: deployerArn,
        });
      const { findings, synthesized } = await run(deployer);
      assert.deepEqual(summarize(findings, synthesized), ["error lake-formation-grants-by-admin settings"]);
      assert.match(
        findings[0].message,
        /replaces the account's data lake administrators with arn:aws:iam::123456789012:role\/admin, but the stack's 2 Lake Formation grants are made by the deployer, arn:aws:iam::123456789012:role\/deployer/,
      );
      assert.match(
        findings[0].fix,
        /Add arn:aws:iam::123456789012:role\/deployer \(batch-data-platform:deployment.roleArn\)/,
      );
      // The admin itself deploying, or no deployer known: nothing to report.
      assert.deepEqual((await run("arn:aws:iam::123456789012:role/admin")).findings, []);
      assert.deepEqual((await run()).findings, []);
    });

    it("passes the platform's catalog, which keeps the deployer an admin", async () => {
      const deployer = "arn:aws:iam::111122223333:role/deployer";
      const { findings } = await runRules(
        CREATION_ORDER_RULES,
        ({ component }) => testJobGrants(component),
        "eu-west-1",
        { deployer },
      );
      assert.deepEqual(findings, []);
      const stranger = await runRules(
        CREATION_ORDER_RULES,
        ({ component }) => testJobGrants(component),
        "eu-west-1",
        { deployer: "arn:aws:iam::111122223333:role/someone-else" },
      );
      assert.deepEqual(
        stranger.findings.map((finding) => finding.rule),
        ["lake-formation-grants-by-admin"],
      );
    });

    it("passes ordered grants and the platform's CatalogGrants component", async () => {
      assert.deepEqual(
        (await runRules(CREATION_ORDER_RULES, ({ resource }) => lakeFormation(resource, true))).findings,
        [],
      );
      const { findings } = await runRules(CREATION_ORDER_RULES, ({ component }) => testJobGrants(component));
      assert.deepEqual(findings, []);
    });
  });
});
