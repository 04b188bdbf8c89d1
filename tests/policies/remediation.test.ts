/**
 * remediateResource where a fix is safe: missing tags (values from config), log retention (default
 * from config), ECR scan on push. Each remediation returns the full property bag, fixes only what
 * is missing, and the policy passes on the result.
 */
import * as assert from "assert";
import { Secret } from "@pulumi/policy";
import { T } from "../../policies/lib/types";
import { STACK_TAGS } from "./builders";
import { awsProvider, policyByName, res, runRemediate, runResource, UNKNOWN } from "./harness";

describe("remediation", () => {
  describe("log-group-retention", () => {
    const policy = policyByName("log-group-retention");
    const bare = res(T.logGroup, "bdp-dev-jobs", { name: "/bdp/jobs", kmsKeyId: "k" });

    it("sets the default retention (knob defaultRetentionDays) and keeps the other inputs", async () => {
      const { props } = await runRemediate(policy, bare, { defaultRetentionDays: 14 });
      assert.deepStrictEqual(props, { name: "/bdp/jobs", kmsKeyId: "k", retentionInDays: 14 });
      assert.strictEqual((await runResource(policy, { ...bare, props: props! })).findings.length, 0);
    });

    it("uses 30 days without config and replaces 0 (never expire)", async () => {
      const { props } = await runRemediate(policy, { ...bare, props: { retentionInDays: 0 } });
      assert.strictEqual(props?.retentionInDays, 30);
    });

    it("leaves a set retention alone (shortening retention deletes logs)", async () => {
      const { props } = await runRemediate(
        policy,
        { ...bare, props: { retentionInDays: 3653 } },
        { maxRetentionDays: 30 },
      );
      assert.strictEqual(props, undefined);
    });

    it("does not touch an unknown retention", async () => {
      const { props } = await runRemediate(policy, { ...bare, props: { retentionInDays: UNKNOWN.number } });
      assert.strictEqual(props, undefined);
    });
  });

  describe("ecr-scan-immutable", () => {
    const policy = policyByName("ecr-scan-immutable");
    it("turns on scan on push, keeping other settings", async () => {
      const repo = res(T.ecrRepository, "repo", {
        name: "r",
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: false },
      });
      const { props } = await runRemediate(policy, repo);
      assert.deepStrictEqual(props, {
        name: "r",
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
      });
      assert.strictEqual((await runResource(policy, { ...repo, props: props! })).findings.length, 0);
    });
    it("does not change tag mutability (not safe)", async () => {
      const repo = res(T.ecrRepository, "repo", { name: "r" });
      const { props } = await runRemediate(policy, repo);
      assert.strictEqual(props?.imageTagMutability, undefined);
      assert.strictEqual(props?.imageScanningConfiguration.scanOnPush, true);
    });
    it("returns nothing for a compliant repository", async () => {
      const repo = res(T.ecrRepository, "repo", { imageScanningConfiguration: { scanOnPush: true } });
      assert.strictEqual((await runRemediate(policy, repo)).props, undefined);
    });
  });

  describe("required-tags", () => {
    const policy = policyByName("required-tags");
    const config = {
      tagValues: {
        "managed-by": "pulumi",
        owner: "data-platform-team",
        environment: "dev",
        "cost-center": "cc-1",
      },
    };

    it("adds the configured values of missing tags, keeping the resource's own tags", async () => {
      const q = res(
        T.sqsQueue,
        "q",
        { name: "q", tags: { pipeline: "sales" } },
        { provider: awsProvider({ environment: "dev" }) },
      );
      const { props } = await runRemediate(policy, q, config);
      assert.deepStrictEqual(props?.tags, {
        pipeline: "sales",
        owner: "data-platform-team",
        "cost-center": "cc-1",
        "managed-by": "pulumi",
      });
      assert.strictEqual(props?.name, "q");
      assert.strictEqual((await runResource(policy, { ...q, props: props! })).findings.length, 0);
    });

    it("adds only the tags it has values for (default: managed-by=pulumi)", async () => {
      const q = res(T.sqsQueue, "q", {});
      const { props } = await runRemediate(policy, q);
      assert.deepStrictEqual(props?.tags, { "managed-by": "pulumi" });
    });

    it("leaves resources alone when the provider already supplies the tags", async () => {
      const q = res(T.sqsQueue, "q", {}, { provider: awsProvider(STACK_TAGS) });
      assert.strictEqual((await runRemediate(policy, q, config)).props, undefined);
    });

    it("does not tag resources that take no tags", async () => {
      const p = res(T.s3BucketPolicy, "p", { bucket: "b", policy: "{}" });
      assert.strictEqual((await runRemediate(policy, p, config)).props, undefined);
    });

    it("keeps secret values as secrets", async () => {
      const q = res(T.sqsQueue, "q", { name: new Secret("hidden"), tags: {} });
      const { props } = await runRemediate(policy, q, config);
      assert.ok(props?.name instanceof Secret);
      assert.strictEqual(props?.tags.owner, "data-platform-team");
    });

    it("does not touch unknown tags", async () => {
      const q = res(T.sqsQueue, "q", { tags: UNKNOWN.object });
      assert.strictEqual((await runRemediate(policy, q, config)).props, undefined);
    });
  });

  it("skips exempt resources and records the exemption", async () => {
    const policy = policyByName("log-group-retention");
    const lg = res(T.logGroup, "bdp-dev-legacy-logs", {});
    const { props, notApplicable } = await runRemediate(policy, lg, {
      exemptions: [{ resource: "bdp-dev-legacy-logs", reason: "owned by the legacy team until 2027-01" }],
    });
    assert.strictEqual(props, undefined);
    assert.deepStrictEqual(notApplicable, ["exempted by config: owned by the legacy team until 2027-01"]);
  });
});
