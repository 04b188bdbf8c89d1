/** required-tags (policies/tagging/required-tags.ts) on every area (the compliant stack). */
import * as assert from "assert";
import { classTakesTags } from "../../../policies/tagging/required-tags";
import { T } from "../../../policies/lib/types";
import { compliantStack, GLUE_JOB, STACK_TAGS } from "../builders";
import { add, cannotJudge, CLEAN, policyCases, violation } from "../cases";
import { awsProvider, policyByName, res, runResource, UNKNOWN } from "../harness";

/** The compliant stack with every resource moved to another provider. */
function withProvider(provider: ReturnType<typeof awsProvider>) {
  return (s: { all: any[] }) => s.all.map((r) => (r.provider ? { ...r, provider } : r));
}

policyCases("required-tags", compliantStack, [
  { name: "passes resources tagged through the provider's default tags", expect: CLEAN },
  {
    name: "fails when the provider has no default tags and the resource none of its own",
    stack: withProvider(awsProvider({})),
    expect: violation(GLUE_JOB, "environment", "owner", "cost-center", "managed-by"),
  },
  {
    name: "fails an empty tag value",
    stack: withProvider(awsProvider({ ...STACK_TAGS, owner: "" })),
    expect: violation(GLUE_JOB, "owner"),
  },
  {
    name: "counts the resource's own tags",
    stack: add(() => [res(T.sqsQueue, "own-tags", { tags: { ...STACK_TAGS }, sqsManagedSseEnabled: true })]),
    expect: CLEAN,
  },
  {
    name: "accepts default tags sent as an object instead of a JSON string",
    stack: withProvider({ ...awsProvider({}), props: { defaultTags: { tags: STACK_TAGS } } }),
    expect: CLEAN,
  },
  {
    name: "ignores resources that take no tags (bucket policy) and components",
    stack: (s) =>
      s.all
        .filter((r) => r.type === T.s3BucketPolicy || r.type.startsWith("bdp:"))
        .map((r) => ({ ...r, provider: undefined })),
    expect: CLEAN,
  },
  {
    name: "knob requiredTags adds a key",
    config: { requiredTags: ["environment", "data-classification"] },
    expect: violation(GLUE_JOB, "data-classification"),
  },
  {
    name: "cannot judge when default tags are unknown",
    stack: withProvider({ ...awsProvider({}), props: { defaultTags: UNKNOWN.string } }),
    expect: cannotJudge(GLUE_JOB, "tags"),
  },
]);

describe("required-tags: taggability and remediation", () => {
  const policy = policyByName("required-tags");

  it("derives taggability from the @pulumi/aws classes", () => {
    assert.strictEqual(classTakesTags(T.glueJob), true);
    assert.strictEqual(classTakesTags(T.s3BucketPolicy), false);
    assert.strictEqual(classTakesTags(T.iamRolePolicy), false);
    assert.strictEqual(classTakesTags("aws:nosuch/thing:Thing"), undefined);
  });

  it("knobs ignoreTypes and typePrefixes decide which types are judged", async () => {
    const untagged = withProvider(awsProvider({}))(compliantStack());
    const job = untagged.find((r) => r.name === GLUE_JOB)!;
    const queue = untagged.find((r) => r.name === "bdp-dev-trigger-dlq")!;
    assert.strictEqual((await runResource(policy, job)).violations.length, 1);
    assert.strictEqual((await runResource(policy, job, { ignoreTypes: [T.glueJob] })).findings.length, 0);
    assert.strictEqual((await runResource(policy, job, { typePrefixes: ["aws:sqs/"] })).findings.length, 0);
    assert.strictEqual(
      (await runResource(policy, queue, { typePrefixes: ["aws:sqs/"] })).violations.length,
      1,
    );
  });

  it("falls back to the presence of a tags input for unknown types", async () => {
    const bare = res("aws:future/widget:Widget", "w", { tags: {} });
    const result = await runResource(policy, bare);
    assert.strictEqual(result.violations.length, 1);
    const untaggable = res("aws:future/widget:Widget", "w2", {});
    assert.strictEqual((await runResource(policy, untaggable)).findings.length, 0);
  });
});
