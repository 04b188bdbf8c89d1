/**
 * The in-process runner (tools/policy-runner/in-process.ts) over resources a mocked run recorded:
 * links, the properties each phase sees, and a stack policy reading the links.
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackValidationPolicy } from "@pulumi/policy";
import { fromRecorded, runStack } from "../../tools/policy-runner/in-process";
import { RecordedResource, synthesize } from "../../tools/synth/mock-run";

class Lake extends pulumi.ComponentResource {
  constructor(name: string, provider: aws.Provider) {
    super("test:storage:Lake", name);
    const bucket = new aws.s3.Bucket(`${name}-raw`, { bucket: `${name}-raw` }, { parent: this, provider });
    new aws.s3.BucketPolicy(
      `${name}-raw-tls`,
      { bucket: bucket.id, policy: "{}" },
      { parent: this, provider },
    );
    this.registerOutputs({});
  }
}

describe("in-process runner over recorded resources", () => {
  let recorded: RecordedResource[];
  const find = (type: string) => recorded.find((r) => r.type === type)!;

  before(async () => {
    ({ resources: recorded } = await synthesize(
      () => {
        new Lake("lake", new aws.Provider("aws", { region: "eu-west-1" }));
        return {};
      },
      { project: "p", stack: "dev", config: {} },
    ));
  });

  it("links parent, provider (from the engine's urn::id reference) and property dependencies", () => {
    const byUrn = fromRecorded(recorded, (r) => r.inputs);
    const bucket = byUrn.get(find("aws:s3/bucket:Bucket").urn)!;
    assert.equal(bucket.parent, byUrn.get(find("test:storage:Lake").urn));
    assert.equal(bucket.provider, byUrn.get(find("pulumi:providers:aws").urn));
    assert.equal(bucket.qualifiedType, "test:storage:Lake$aws:s3/bucket:Bucket");
    assert.deepEqual(bucket.props, { bucket: "lake-raw" });
    assert.deepEqual(byUrn.get(find("aws:s3/bucketPolicy:BucketPolicy").urn)!.deps.bucket, [bucket]);
  });

  it("gives a stack policy the chosen properties and the links as the analyzer server does", async () => {
    const seen: string[] = [];
    const check: StackValidationPolicy = {
      name: "sees-links",
      description: "test",
      enforcementLevel: "mandatory",
      validateStack: (args, report) => {
        for (const r of args.resources) {
          seen.push(
            `${r.name} parent=${r.parent?.name ?? "-"} deps=${r.dependencies.map((d) => d.name).join(",")}`,
          );
          if (r.type === "aws:s3/bucket:Bucket" && r.props.arn !== "arn:aws:s3:::lake-raw") report("no arn");
        }
      },
    };
    const byUrn = fromRecorded(recorded, (r) => ({ ...r.inputs, ...r.outputs }));
    const result = await runStack(check, [...byUrn.values()]);
    assert.deepEqual(result.findings, []);
    // The stack resource (p-dev) parents everything declared at the top.
    assert.deepEqual(seen.sort(), [
      "aws parent=p-dev deps=",
      "lake parent=p-dev deps=",
      "lake-raw parent=lake deps=",
      "lake-raw-tls parent=lake deps=lake-raw",
      "p-dev parent=- deps=",
    ]);
  });
});
