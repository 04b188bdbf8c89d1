/** The resource graph's lookups on hand-made resources: by type, by physical id, and who references whom. */
import { strict as assert } from "assert";
import { ResourceGraph } from "../../../tools/deploy-rules/graph";
import { NO_RESOURCE_OPTIONS } from "../../../tools/synth/default-providers";
import type { RecordedResource } from "../../../tools/synth/mock-run";

function resource(
  type: string,
  name: string,
  propertyDependencies: Record<string, string[]> = {},
  id?: string,
): RecordedResource {
  return {
    type,
    name,
    urn: `urn:pulumi:test::p::${type}::${name}`,
    custom: true,
    inputs: {},
    outputs: id === undefined ? {} : { id },
    propertyDependencies,
    options: { ...NO_RESOURCE_OPTIONS },
  };
}

const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/rolePolicy:RolePolicy";
const MACHINE = "aws:sfn/stateMachine:StateMachine";

describe("deploy rules: resource graph", () => {
  const role = resource(ROLE, "runner", {}, "runner-id");
  const other = resource(ROLE, "other", {}, "other-id");
  const inline = resource(POLICY, "inline", { role: [role.urn] });
  // Two inputs built from the role, one of them twice: still one referrer.
  const machine = resource(MACHINE, "machine", { roleArn: [role.urn, role.urn], definition: [role.urn] });
  const duplicateId = resource(ROLE, "late", {}, "runner-id");
  const graph = new ResourceGraph([role, other, inline, machine, duplicateId]);

  it("finds the resources built from a resource, by input and by type, each once", () => {
    assert.deepEqual(graph.referencing(role), [inline, machine]);
    assert.deepEqual(graph.referencing(role, "role"), [inline]);
    assert.deepEqual(graph.referencing(role, "roleArn", MACHINE), [machine]);
    assert.deepEqual(graph.referencing(role, undefined, POLICY), [inline]);
    assert.deepEqual(graph.referencing(other), []);
    // The inverse of referencedBy.
    assert.deepEqual(graph.referencedBy(inline, "role", ROLE), [role]);
  });

  it("looks resources up by type and by physical id (the first declared wins)", () => {
    assert.deepEqual(graph.ofType(ROLE), [role, other, duplicateId]);
    assert.deepEqual(graph.ofType("aws:s3/bucket:Bucket"), []);
    assert.equal(graph.byPhysicalId("runner-id"), role);
    assert.equal(graph.byPhysicalId("other-id"), other);
    assert.equal(graph.byPhysicalId("nope"), undefined);
    assert.equal(graph.byPhysicalId(42), undefined);
    // ofType hands out a copy: changing it leaves the graph alone.
    graph.ofType(ROLE).pop();
    assert.equal(graph.ofType(ROLE).length, 3);
  });
});
