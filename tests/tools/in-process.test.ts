/**
 * The in-process runner (tools/policy-runner/in-process.ts) over resources a mocked run recorded:
 * links, the properties each phase sees, and a stack policy reading the links.
 */
import { strict as assert } from "assert";
import { StackValidationPolicy } from "@pulumi/policy";
import { fromRecorded, runStack } from "../../tools/policy-runner/in-process";
import type { RecordedResource } from "../../tools/synth/mock-run";

function recorded(
  partial: Partial<RecordedResource> & Pick<RecordedResource, "type" | "name">,
): RecordedResource {
  return {
    urn: `urn:pulumi:dev::p::${partial.type}::${partial.name}`,
    custom: true,
    inputs: {},
    outputs: {},
    propertyDependencies: {},
    options: {
      protect: false,
      retainOnDelete: false,
      dependsOn: [],
      ignoreChanges: [],
      deleteBeforeReplace: false,
    },
    ...partial,
  };
}

describe("in-process runner over recorded resources", () => {
  const provider = recorded({ type: "pulumi:providers:aws", name: "aws", inputs: { region: "eu-west-1" } });
  const component = recorded({ type: "bdp:storage:DataLake", name: "lake", custom: false });
  const bucket = recorded({
    type: "aws:s3/bucket:Bucket",
    name: "raw",
    inputs: { bucket: "raw" },
    outputs: { arn: "arn:aws:s3:::raw" },
    parent: component.urn,
    provider: `${provider.urn}::provider-id`,
  });
  const policy = recorded({
    type: "aws:s3/bucketPolicy:BucketPolicy",
    name: "raw-tls",
    inputs: { bucket: "raw" },
    parent: component.urn,
    propertyDependencies: { bucket: [bucket.urn], missing: ["urn:pulumi:dev::p::x::gone"] },
  });
  const all = [provider, component, bucket, policy];

  it("links parent, provider (from the engine's urn::id reference) and property dependencies", () => {
    const byUrn = fromRecorded(all, (r) => r.inputs);
    const res = byUrn.get(bucket.urn)!;
    assert.equal(res.parent, byUrn.get(component.urn));
    assert.equal(res.provider, byUrn.get(provider.urn));
    assert.equal(res.qualifiedType, "aws:s3/bucket:Bucket");
    assert.deepEqual(res.props, { bucket: "raw" });
    const dependent = byUrn.get(policy.urn)!;
    assert.deepEqual(dependent.deps, { bucket: [res], missing: [] });
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
          if (r.type === "aws:s3/bucket:Bucket" && r.props.arn !== "arn:aws:s3:::raw") report("no arn");
        }
      },
    };
    const byUrn = fromRecorded(all, (r) => ({ ...r.inputs, ...r.outputs }));
    const result = await runStack(check, [...byUrn.values()]);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(seen, [
      "aws parent=- deps=",
      "lake parent=- deps=",
      "raw parent=lake deps=",
      "raw-tls parent=lake deps=raw",
    ]);
  });
});
