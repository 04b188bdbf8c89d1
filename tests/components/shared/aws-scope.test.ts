import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import type { MockCallArgs } from "@pulumi/pulumi/runtime/mocks";
import { DataLake } from "../../../components/storage/data-lake";
import { UnresolvedScopeError } from "../../../components/shared/aws-scope";
import { platformMocks } from "../../../tools/synth/mock-outputs";
import { synthesize } from "../../../tools/synth/mock-run";

const ZONE = { noncurrentVersionExpireDays: 7 };
const LAKE = {
  zones: { raw: ZONE, curated: ZONE, analytics: ZONE },
  abortIncompleteUploadDays: 3,
  logsExpireDays: 30,
  artifactsNoncurrentExpireDays: 7,
  retainOnDelete: false,
};

/** A lake under mocks that answer resources like the platform's but calls through `call`. */
function lakeUnder(call: (args: MockCallArgs) => Record<string, any>) {
  const platform = platformMocks();
  return synthesize(
    () => {
      const provider = new aws.Provider("aws", { region: "eu-west-1" });
      new DataLake("lake", LAKE, { providers: { aws: provider } });
      return {};
    },
    {
      project: "team",
      stack: "test",
      config: { "aws:region": "eu-west-1" },
      mocks: { newResource: platform.newResource, call },
    },
  );
}

describe("AWS scope lookups", () => {
  it("name the call, the field and the value in their error", () => {
    const error = new UnresolvedScopeError("aws:index/getRegion:getRegion", "region", "");
    assert.equal(error.name, "UnresolvedScopeError");
    assert.match(error.message, /^aws:index\/getRegion:getRegion returned no region \(got ""\)/);
  });

  const tokens = [
    "aws:index/getCallerIdentity:getCallerIdentity",
    "aws:index/getPartition:getPartition",
    "aws:index/getRegion:getRegion",
  ];
  for (const token of tokens) {
    it(`fail with the call's name when mocks leave ${token.split(":").pop()} unanswered, instead of "undefined" in ARNs`, async () => {
      const platform = platformMocks();
      await assert.rejects(
        lakeUnder((args) => (args.token === token ? {} : platform.call(args))),
        (error: unknown) => {
          // The SDK reports the failed input of the first resource that takes the value.
          const message = (error as Error).message;
          assert.match(
            message,
            new RegExp(`${token} returned no \\w+ \\(got undefined\\), so ARNs cannot be built`),
          );
          assert.match(message, /batch-data-platform\/testing: mockCall answers it/);
          return true;
        },
      );
    });
  }

  it("build ARNs from the answers when the mocks give them", async () => {
    const result = await lakeUnder(platformMocks({ accountId: "210987654321", region: "eu-west-1" }).call);
    const key = result.resources.find((resource) => resource.type === "aws:kms/key:Key")!;
    const policy = JSON.parse(key.inputs.policy);
    assert.equal(policy.Statement[0].Principal.AWS, "arn:aws:iam::210987654321:root");
    assert.ok(!key.inputs.policy.includes("undefined"));
  });
});
