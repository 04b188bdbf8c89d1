/**
 * Every role of dev, prod and a generated many-pipeline stack, simulated at request level: the
 * requests its job makes at run time are Allowed by its actual policies (inline, attached managed,
 * resource policies), and requests just outside its scope are Denied. Each stack is synthesized
 * once; the simulator runs in-process.
 */
import { strict as assert } from "assert";
import { parseStackConfig, PROJECT, StackConfig } from "../../infra/config";
import { configWithPipelines, readRawStackConfig } from "../../tools/bench/generate";
import { toRuntimeConfig } from "../../tools/synth/stack-config";
import { synthesizePlatform } from "../../tools/synth/program";
import { Synthesized, synthesizeCommittedStack } from "../support/synth";
import { folderKey } from "../../components/shared/s3-folder";
import { placeOf, RoleRequests, roleRequests } from "./iam-requests";
import { describeMismatches, mismatches } from "./iam-simulation";
import { StackFacts, stackFacts } from "./stack-facts";
import { FOREIGN_WORKGROUP_ID } from "./warehouse-requests";

/** The validated config of a raw `config:` block (prefixed keys, `aws:region`). */
function validated(raw: Record<string, unknown>): StackConfig {
  const decoded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "aws:region") decoded.region = value;
    else if (key.startsWith(`${PROJECT}:`)) decoded[key.slice(PROJECT.length + 1)] = value;
  }
  const parsed = parseStackConfig(decoded);
  if (!parsed.ok) throw new Error(`invalid config: ${JSON.stringify(parsed.problems)}`);
  return parsed.config;
}

/**
 * The dev config with `count` pipelines (tools/bench/generate.ts). Replicas share their template's
 * source; each writes its own folder under the template's target, so other pipelines' targets are
 * real folders a role must not reach.
 */
function generatedConfig(count: number): Record<string, unknown> {
  const raw = configWithPipelines(readRawStackConfig("dev"), PROJECT, count);
  for (const pipeline of raw[`${PROJECT}:pipelines`] as { name: string; target: { prefix?: string } }[]) {
    if (pipeline.target.prefix !== undefined)
      pipeline.target.prefix = `${pipeline.target.prefix}${pipeline.name}/`;
  }
  return raw;
}

interface StackUnderTest {
  facts: StackFacts;
  lists: RoleRequests[];
}

const synthesizedOnce = new Map<string, Promise<StackUnderTest>>();

/** A committed stack, synthesized once for the whole file. */
function committed(stack: string): Promise<StackUnderTest> {
  if (!synthesizedOnce.has(stack)) {
    synthesizedOnce.set(
      stack,
      synthesizeCommittedStack(stack).then((synthesized) => {
        const facts = stackFacts(validated(readRawStackConfig(stack)), synthesized);
        return { facts, lists: roleRequests(facts) };
      }),
    );
  }
  return synthesizedOnce.get(stack)!;
}

async function generated(count: number): Promise<StackUnderTest> {
  const raw = generatedConfig(count);
  const result = await synthesizePlatform(toRuntimeConfig(raw, PROJECT), "dev");
  const facts = stackFacts(validated(raw), new Synthesized(result.resources, result.stackOutputs));
  return { facts, lists: roleRequests(facts) };
}

const STACKS: [string, () => Promise<StackUnderTest>][] = [
  ["dev", () => committed("dev")],
  ["prod", () => committed("prod")],
  ["a generated stack of 12 pipelines", () => generated(12)],
];

for (const [label, load] of STACKS) {
  describe(`run-time IAM requests of ${label}`, function () {
    this.timeout(180_000);
    let stack: StackUnderTest;
    before(async () => {
      stack = await load();
    });

    it("models every role, each with requests to allow and requests to deny", () => {
      assert.ok(stack.lists.length >= stack.facts.pipelines.length);
      for (const { role, allowed, denied } of stack.lists) {
        assert.ok(allowed.length > 0, `${role.name} has no run-time requests`);
        assert.ok(denied.length > 0, `${role.name} has no out-of-scope requests`);
      }
    });

    it("gives every pipeline at least one role whose requests are checked", () => {
      const owners = new Set(
        stack.lists.flatMap(({ role }) => (role.owner.kind === "pipeline" ? [role.owner.name] : [])),
      );
      assert.deepEqual(
        stack.facts.pipelines.map((pipeline) => pipeline.name).filter((name) => !owners.has(name)),
        [],
      );
    });

    it("allows every run-time request and denies every request outside each role's scope", async () => {
      const found = await mismatches(stack.lists, stack.facts);
      assert.deepEqual(describeMismatches(found), []);
    });
  });
}

describe("run-time IAM requests: the simulation catches a narrowed policy", function () {
  this.timeout(180_000);
  let stack: StackUnderTest;
  before(async () => {
    stack = await committed("dev");
  });

  it("checks the folder key and _$folder$ marker EMRFS touches, for EMR nodes and EMR Serverless jobs", () => {
    for (const kind of ["emrInstance", "emrServerlessJob"]) {
      const lists = stack.lists.filter((list) => list.kind === kind);
      assert.ok(lists.length > 0, `dev declares no ${kind} role`);
      for (const { role, allowed } of lists) {
        const pipeline = stack.facts.pipelines.find(
          (candidate) => candidate.name === (role.owner as { name: string }).name,
        )!;
        for (const location of [pipeline.source, pipeline.target]) {
          const place = placeOf(location, stack.facts);
          const folder = `${stack.facts.buckets[place.bucket].arn}/${folderKey(place.prefix)}`;
          const actions = (resource: string) =>
            allowed.filter((request) => request.resource === resource).map((request) => request.action);
          assert.ok(actions(folder).includes("s3:GetObject"), `${role.name} reads ${folder}`);
          assert.ok(
            actions(`${folder}_$folder$`).includes("s3:GetObject"),
            `${role.name} reads ${folder}_$folder$`,
          );
        }
        const target = placeOf(pipeline.target, stack.facts);
        const marker = `${stack.facts.buckets[target.bucket].arn}/${folderKey(target.prefix)}_$folder$`;
        assert.ok(
          allowed.some((request) => request.action === "s3:PutObject" && request.resource === marker),
        );
      }
    }
  });

  it("reports the marker requests once the role's policy no longer grants the markers", async () => {
    const list = stack.lists.find((candidate) => candidate.kind === "emrInstance")!;
    const narrowed = JSON.parse(JSON.stringify(list.role.inlinePolicies), (key, value) =>
      key === "Resource" && Array.isArray(value)
        ? value.filter((resource: string) => !resource.endsWith("_$folder$"))
        : value,
    );
    const found = await mismatches(
      [{ ...list, role: { ...list.role, inlinePolicies: narrowed } }],
      stack.facts,
    );
    assert.ok(found.length > 0, "the narrowed policy passed");
    for (const mismatch of found) {
      assert.equal(mismatch.expected, "Allowed");
      assert.ok(mismatch.request.resource.endsWith("_$folder$"), describeMismatches([mismatch])[0]);
    }
  });
});

describe("run-time IAM requests: the simulation catches a warehouse policy widened to every workgroup", function () {
  this.timeout(180_000);
  let stack: StackUnderTest;
  before(async () => {
    stack = await committed("dev");
  });

  it("reports the other-workgroup probes of the setup and of each loading machine", async () => {
    const lists = stack.lists.filter(
      (list) =>
        list.kind === "warehouseSetup" ||
        (list.kind === "stateMachine" &&
          list.allowed.some((request) => request.action.startsWith("redshift-data:"))),
    );
    assert.ok(
      lists.some((list) => list.kind === "warehouseSetup"),
      "dev declares no warehouse-setup role",
    );
    assert.ok(
      lists.some((list) => list.kind === "stateMachine"),
      "dev declares no loading state machine",
    );
    // What the statements granted before they named the workgroup: any workgroup in the account.
    const widened = lists.map((list) => ({
      ...list,
      role: {
        ...list.role,
        inlinePolicies: JSON.parse(
          JSON.stringify(list.role.inlinePolicies).replace(/:workgroup\/[0-9a-f-]+"/g, ':workgroup/*"'),
        ),
      },
    }));
    const found = await mismatches(widened, stack.facts);
    assert.deepEqual(
      [...new Set(found.map((mismatch) => mismatch.role))].sort(),
      lists.map((list) => list.role.name).sort(),
    );
    for (const mismatch of found) {
      assert.equal(mismatch.expected, "Denied");
      assert.match(mismatch.request.resource, new RegExp(`:workgroup/${FOREIGN_WORKGROUP_ID}$`));
    }
  });
});
