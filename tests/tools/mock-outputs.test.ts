import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { DEFAULT_MOCK_ACCOUNT, mockCall, platformMocks } from "../../tools/synth/mock-outputs";
import { synthesize } from "../../tools/synth/mock-run";

const ACCOUNT = { accountId: "210987654321", region: "eu-west-1" };

describe("platform mocks", () => {
  it("answer the account, Region and partition lookups with the account they are given", () => {
    const call = (token: string) => mockCall({ token, inputs: {} } as never, ACCOUNT);
    assert.equal(call("aws:index/getCallerIdentity:getCallerIdentity").accountId, "210987654321");
    assert.equal(call("aws:index/getRegion:getRegion").region, "eu-west-1");
    assert.equal(call("aws:index/getPartition:getPartition").partition, "aws");
  });

  it("answer lookups of an existing bucket and key, as a program that plugs them in makes", async () => {
    let outputs: Record<string, unknown> = {};
    await synthesize(
      () => {
        const bucket = aws.s3.getBucketOutput({ bucket: "acme-landing" });
        const key = aws.kms.getKeyOutput({ keyId: "alias/acme-data" });
        outputs = { bucketArn: bucket.arn, keyArn: key.arn };
        return outputs;
      },
      { project: "team", stack: "test", config: { "aws:region": "eu-west-1" }, accountId: ACCOUNT.accountId },
    ).then((result) => (outputs = result.stackOutputs));
    assert.deepEqual(outputs, {
      bucketArn: "arn:aws:s3:::acme-landing",
      keyArn: "arn:aws:kms:eu-west-1:210987654321:key/acme-data",
    });
  });

  it("default to one account and Region, which synthesize uses unless told otherwise", () => {
    const mocks = platformMocks();
    const identity = mocks.call({
      token: "aws:index/getCallerIdentity:getCallerIdentity",
      inputs: {},
    } as never);
    assert.equal((identity as { accountId: string }).accountId, DEFAULT_MOCK_ACCOUNT.accountId);
  });
});

describe("mocked runs record default providers as the engine makes them", () => {
  it("gives a resource without a provider its package's default provider, configured from the stack's keys", async () => {
    const config = {
      "aws:region": "eu-west-1",
      "aws:defaultTags": JSON.stringify({ tags: { owner: "orders-team" } }),
      "team:bucket": "ignored",
    };
    const { resources } = await synthesize(
      () => {
        new aws.sns.Topic("plain", {});
        new aws.sqs.Queue("also-plain", {});
        const explicit = new aws.Provider("explicit", { region: "us-east-1" });
        new aws.sns.Topic("with-explicit", {}, { provider: explicit });
        return {};
      },
      { project: "team", stack: "dev", config },
    );
    const providers = resources.filter((resource) => resource.type === "pulumi:providers:aws");
    const [fallback] = providers.filter((provider) => provider.name.startsWith("default"));
    assert.equal(
      providers.length,
      2,
      "one default provider for every resource that needs it, and the explicit one",
    );
    assert.match(fallback.urn, /^urn:pulumi:dev::team::pulumi:providers:aws::default_\d+_\d+_\d+$/);
    assert.deepEqual(fallback.inputs, {
      region: "eu-west-1",
      defaultTags: { tags: { owner: "orders-team" } },
    });
    const providerOf = (name: string) => resources.find((resource) => resource.name === name)!.provider;
    assert.equal(providerOf("plain"), `${fallback.urn}::${fallback.outputs.id}`);
    assert.equal(providerOf("also-plain"), providerOf("plain"));
    assert.match(providerOf("with-explicit")!, /pulumi:providers:aws::explicit::/);
  });
});
