import { strict as assert } from "assert";
import { Synthesized, synthesizeCommittedStack, synthesizeProgram } from "../support/synth";
import { validConfig } from "../support/config";
import { invalidActions } from "../support/iam";
import { regionPrices } from "../../decisions/cost/prices";
import { runningHoursPerMonth } from "../../decisions/warehouse/pause-schedule";

describe("the program on the committed stacks", () => {
  const stacks: Record<string, Synthesized> = {};
  before(async () => {
    stacks.dev = await synthesizeCommittedStack("dev");
    stacks.prod = await synthesizeCommittedStack("prod");
  });

  for (const stack of ["dev", "prod"]) {
    it(`${stack}: one explicit AWS provider with region and the four default tags, used by every AWS resource`, () => {
      const result = stacks[stack];
      const providers = result.ofType("pulumi:providers:aws");
      assert.equal(providers.length, 1);
      const provider = providers[0];
      assert.equal(provider.inputs.region, "eu-west-1");
      assert.deepEqual(JSON.parse(provider.inputs.defaultTags).tags, {
        environment: stack,
        owner: "data-platform-team",
        "cost-center": "cc-4711-analytics",
        "managed-by": "pulumi",
      });
      const awsResources = result.cloudResources().filter((resource) => resource.type.startsWith("aws:"));
      assert.ok(awsResources.length > 40);
      for (const resource of awsResources) {
        assert.ok(
          resource.provider?.startsWith(`${provider.urn}::`),
          `${resource.name} uses ${resource.provider}`,
        );
      }
    });

    it(`${stack}: every IAM, key, bucket, topic and queue policy uses real actions and allows no wildcard`, async () => {
      const result = stacks[stack];
      const documents = result.cloudResources().flatMap((resource) =>
        ["policy", "assumeRolePolicy"]
          .filter(
            (input) => typeof resource.inputs[input] === "string" && resource.inputs[input].startsWith("{"),
          )
          .map((input) => ({
            where: `${resource.name}.${input}`,
            document: JSON.parse(resource.inputs[input]),
          }))
          // ECR lifecycle policies are JSON too, but not access policies.
          .filter(({ document }) => Array.isArray(document.Statement)),
      );
      assert.ok(documents.length > 40, `only ${documents.length} policy documents found`);
      for (const { where, document } of documents) {
        for (const statement of document.Statement) {
          const actions: string[] = [].concat(statement.Action ?? []);
          assert.ok(!statement.NotAction, `${where} uses NotAction`);
          if (statement.Effect === "Allow") {
            assert.deepEqual(await invalidActions(actions), [], `${where} ${statement.Sid ?? ""}`);
          }
        }
      }
    });

    it(`${stack}: activates the cost allocation tags the budget filters on (the stack owns its account)`, () => {
      const tags = stacks[stack].ofType("aws:costexplorer/costAllocationTag:CostAllocationTag");
      assert.deepEqual(tags.map((tag) => tag.inputs.tagKey).sort(), ["cost-center", "environment"]);
      const budget = stacks[stack].one("aws:budgets/budget:Budget");
      assert.deepEqual(budget.inputs.costFilters, [
        { name: "TagKeyValue", values: [`user:environment$${stack}`] },
      ]);
    });

    it(`${stack}: every cloud resource belongs to a platform component`, () => {
      const result = stacks[stack];
      for (const resource of result.cloudResources()) {
        assert.match(result.componentOf(resource) ?? "", /^bdp:/, resource.name);
      }
    });

    it(`${stack}: exports bucket names, key ARN, database names and the VPC id`, () => {
      const outputs = stacks[stack].stackOutputs as any;
      assert.equal(outputs.vpcId, "vpc-0a1b2c3d4e5f60000");
      assert.match(outputs.dataLakeKeyArn, /^arn:aws:kms:eu-west-1:123456789012:key\//);
      assert.deepEqual(Object.keys(outputs.buckets).sort(), [
        "analytics",
        "artifacts",
        "curated",
        "logs",
        "raw",
      ]);
      assert.deepEqual(outputs.databases, {
        sales_raw: `${stack}_sales_raw`,
        sales_curated: `${stack}_sales_curated`,
        sales_analytics: `${stack}_sales_analytics`,
      });
    });
  }

  it("auto scales every Glue job in dev and prod; the estimate bills prod's expected workers", () => {
    for (const stack of ["dev", "prod"]) {
      const jobs = stacks[stack].ofType("aws:glue/job:Job");
      assert.equal(jobs.length, 2, stack);
      for (const job of jobs)
        assert.equal(job.inputs.defaultArguments["--enable-auto-scaling"], "true", job.name);
    }
    const prodJob = stacks.prod.one("aws:glue/job:Job", "-daily-sales");
    assert.equal(prodJob.inputs.numberOfWorkers, 10);
    const estimate = (stacks.prod.stackOutputs as any).costEstimate;
    const daily = estimate.pipelines.find((pipeline: any) => pipeline.name === "daily-sales");
    // 4 expected of 10 workers: the compute is 40% of the baseline's (both STANDARD, critical tier).
    assert.ok(Math.abs(daily.compute / daily.baselineCompute - 0.4) < 1e-9, JSON.stringify(daily));
  });

  it("pauses prod's cluster on its schedule; the estimate bills the running hours only", () => {
    const actions = stacks.prod.ofType("aws:redshift/scheduledAction:ScheduledAction");
    assert.deepEqual(
      actions.map((action) => [action.inputs.schedule, Object.keys(action.inputs.targetAction)[0]]),
      [
        ["cron(0 19 ? * MON-FRI *)", "pauseCluster"],
        ["cron(0 5 ? * SAT,SUN *)", "pauseCluster"],
        ["cron(30 0 * * ? *)", "resumeCluster"],
      ],
    );
    const hours = runningHoursPerMonth({
      resume: ["cron(30 0 * * ? *)"],
      pause: ["cron(0 19 ? * MON-FRI *)", "cron(0 5 ? * SAT,SUN *)"],
    });
    // 18.5 h on weekdays, 4.5 h on weekend days: about 441 of 730 hours a month.
    assert.ok(hours > 430 && hours < 450, String(hours));
    const estimate = (stacks.prod.stackOutputs as any).costEstimate;
    const nodeHour = regionPrices("eu-west-1").redshift.provisionedPerNodeHour["ra3.xlplus"];
    assert.ok(Math.abs(estimate.components.warehouse - 2 * hours * nodeHour) < 1e-6);
    assert.ok(Math.abs(estimate.baselineComponents.warehouse - 2 * 730 * nodeHour) < 1e-6);
    assert.equal(
      stacks.dev.ofType("aws:redshift/scheduledAction:ScheduledAction").length,
      0,
      "dev is serverless",
    );
  });

  it("dev is cheap: one NAT gateway, three AZs (Redshift Serverless needs them), nothing retained", () => {
    const dev = stacks.dev;
    assert.deepEqual(dev.one("awsx:ec2:Vpc").inputs.natGateways, { strategy: "Single" });
    assert.equal(dev.one("awsx:ec2:Vpc").inputs.numberOfAvailabilityZones, 3);
    assert.ok(dev.cloudResources().every((resource) => !resource.options.retainOnDelete));
  });

  it("prod is highly available and keeps its data: one NAT per AZ, data, keys and warehouse retained", () => {
    const prod = stacks.prod;
    assert.deepEqual(prod.one("awsx:ec2:Vpc").inputs.natGateways, { strategy: "OnePerAz" });
    assert.equal(prod.one("awsx:ec2:Vpc").inputs.numberOfAvailabilityZones, 3);
    const retained = prod.cloudResources().filter((resource) => resource.options.retainOnDelete);
    assert.deepEqual(retained.map((resource) => resource.name).sort(), [
      "bdp-prod-alerts-key",
      "bdp-prod-lake-analytics",
      "bdp-prod-lake-curated",
      "bdp-prod-lake-key",
      "bdp-prod-lake-raw",
      "bdp-prod-warehouse-cluster",
      "bdp-prod-warehouse-connectionlog",
      "bdp-prod-warehouse-useractivitylog",
      "bdp-prod-warehouse-userlog",
    ]);
  });

  it("runs Lake Formation in hybrid access mode unless catalog.enforceLakeFormation is set", async () => {
    const mode = (result: Synthesized) => ({
      defaults: result.one("aws:lakeformation/dataLakeSettings:DataLakeSettings").inputs
        .createDatabaseDefaultPermissions,
      hybridLocations: result
        .ofType("aws:lakeformation/resource:Resource")
        .map((location) => location.inputs.hybridAccessEnabled),
    });
    assert.deepEqual(mode(stacks.prod), {
      defaults: [{ principal: "IAM_ALLOWED_PRINCIPALS", permissions: ["ALL"] }],
      hybridLocations: [true, true, true],
    });
    const raw = validConfig();
    raw.catalog.enforceLakeFormation = true;
    assert.deepEqual(mode(await synthesizeProgram(raw)), {
      defaults: [],
      hybridLocations: [false, false, false],
    });
  });

  it("prod keeps logs longer than dev", () => {
    const expiry = (stack: string) =>
      stacks[stack].one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "logs-lifecycle")
        .inputs.rules[0].expiration.days;
    assert.ok(expiry("prod") > expiry("dev"));
  });
});
