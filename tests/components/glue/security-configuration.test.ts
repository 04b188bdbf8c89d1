import { strict as assert } from "assert";
import { Synthesized, synthesizeComponents } from "../../support/synth";
import { foundation, KEY_ARN, SECURITY_CONFIGURATION } from "./fixtures";

describe("GlueSecurityConfiguration component", () => {
  let result: Synthesized;
  before(async () => {
    result = await synthesizeComponents((opts) => {
      foundation(opts);
    });
  });

  it("encrypts S3 output, CloudWatch logs and job bookmarks with the lake key", () => {
    const configuration = result.one("aws:glue/securityConfiguration:SecurityConfiguration");
    assert.equal(configuration.inputs.name, SECURITY_CONFIGURATION);
    assert.deepEqual(configuration.inputs.encryptionConfiguration, {
      s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: KEY_ARN },
      cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: KEY_ARN },
      jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: KEY_ARN },
    });
    assert.equal(configuration.options.deleteBeforeReplace, true);
    assert.equal(result.componentOf(configuration), "bdp:glue:SecurityConfiguration");
  });
});
