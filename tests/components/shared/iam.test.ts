import { strict as assert } from "assert";
import { policyJson } from "../../../components/shared/iam";

describe("policyJson", () => {
  it("refuses an Allow statement with a wildcard action", () => {
    assert.throws(
      () =>
        policyJson([
          { Sid: "TooBroad", Effect: "Allow", Action: ["s3:Get*"], Resource: ["arn:aws:s3:::b/*"] },
        ]),
      /TooBroad allows wildcard action s3:Get\*/,
    );
  });

  it("accepts a wildcard in a Deny statement, where it removes rights", async () => {
    const json = await new Promise<string>((resolve) =>
      policyJson([{ Effect: "Deny", Principal: "*", Action: ["s3:*"], Resource: ["arn:aws:s3:::b"] }]).apply(
        resolve,
      ),
    );
    assert.deepEqual(JSON.parse(json), {
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Principal: "*", Action: ["s3:*"], Resource: ["arn:aws:s3:::b"] }],
    });
  });
});
