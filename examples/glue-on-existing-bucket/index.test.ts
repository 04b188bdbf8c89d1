/**
 * The team's own test of its program, offline: batch-data-platform/testing runs the program the
 * way `pulumi preview` would, under mocks that answer every call the components make, and
 * records what it declares. Run with `npm test` (mocha).
 */
import { strict as assert } from "assert";
import { platformMocks, RecordedResource, synthesizeProject } from "batch-data-platform/testing";

const BUCKET_ARN = "arn:aws:s3:::acme-orders-landing";

describe("glue-on-existing-bucket", function () {
  this.timeout(60_000);
  let resources: RecordedResource[];
  const ofType = (type: string) => resources.filter((resource) => resource.type === type);

  before(async () => {
    const run = await synthesizeProject(__dirname, { stack: "dev" });
    if (run.error !== undefined) throw run.error;
    resources = run.resources;
  });

  it("uses the existing bucket: declares none, uploads the script into it", () => {
    assert.deepEqual(ofType("aws:s3/bucket:Bucket"), []);
    const [script] = ofType("aws:s3/bucketObjectv2:BucketObjectv2");
    assert.equal(script.inputs.bucket, "acme-orders-landing");
    assert.equal(script.inputs.key, "scripts/clean-orders/clean_orders.py");
  });

  it("runs the job with FLEX capacity, a timeout and the team's security configuration", () => {
    const [job] = ofType("aws:glue/job:Job");
    assert.equal(job.inputs.name, "orders-dev-clean-orders");
    assert.equal(job.inputs.executionClass, "FLEX");
    assert.equal(job.inputs.timeout, 60);
    assert.equal(job.inputs.securityConfiguration, "orders-dev-glue");
    assert.equal(job.inputs.defaultArguments["--source"], "s3://acme-orders-landing/incoming/orders/");
  });

  it("lets the job's role reach only its own prefixes of the bucket", () => {
    const [access] = ofType("aws:iam/rolePolicy:RolePolicy");
    const statements: { Action: string[]; Resource: string[] | string }[] = JSON.parse(
      access.inputs.policy,
    ).Statement;
    const objectArns = statements
      .filter((statement) =>
        statement.Action.some((action) => action.startsWith("s3:") && action.endsWith("Object")),
      )
      .flatMap((statement) => statement.Resource as string[]);
    assert.ok(objectArns.length > 0);
    for (const arn of objectArns) {
      assert.match(
        arn,
        new RegExp(`^${BUCKET_ARN}/(incoming/orders|clean/orders|tmp/clean-orders|scripts/clean-orders)`),
      );
    }
  });

  it("starts every physical name it chooses with the team, so other teams' programs never collide", () => {
    const names = resources.flatMap((resource) =>
      [resource.inputs.name, resource.inputs.alarmName].filter(
        (name): name is string => typeof name === "string",
      ),
    );
    const foreign = names.filter((name) => !/^(alias\/)?orders-dev|^\/aws-glue\//.test(name));
    assert.deepEqual(foreign, []);
  });

  it("fails loudly when a test's own mocks leave the account lookup unanswered", async () => {
    const platform = platformMocks();
    const run = await synthesizeProject(__dirname, {
      stack: "dev",
      mocks: {
        newResource: platform.newResource,
        call: (args) =>
          args.token === "aws:index/getCallerIdentity:getCallerIdentity" ? {} : platform.call(args),
      },
    });
    assert.match(String(run.error), /getCallerIdentity returned no accountId/);
  });
});
