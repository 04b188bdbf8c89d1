import { strict as assert } from "assert";
import { matches } from "./event-pattern";
import { resourcesWithAction, statementBySid, statementsOf, statementsWithAction } from "./iam";

const DOCUMENT = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::a/*"] },
    { Sid: "Write", Effect: "Allow", Action: "s3:PutObjectAcl", Resource: "arn:aws:s3:::b/*" },
    {
      Sid: "Both",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: ["arn:aws:s3:::c/*"],
    },
  ],
};

describe("test support helpers", () => {
  describe("IAM statements", () => {
    it("reads documents with one statement or a list, and plain statement lists", () => {
      const single = { Statement: { Sid: "Only", Action: "sts:AssumeRole" } };
      assert.deepEqual(statementsOf(single), [single.Statement]);
      assert.equal(statementsOf(DOCUMENT.Statement).length, 3);
      assert.equal(statementBySid(single, "Only"), single.Statement);
    });

    it("finds a statement by Sid and names the Sids there are when it is missing", () => {
      assert.equal(statementBySid(DOCUMENT, "Write"), DOCUMENT.Statement[1]);
      assert.throws(() => statementBySid(DOCUMENT, "Delete"), /no statement Delete; have Read, Write, Both/);
    });

    it("matches actions exactly, whether Action is one string or a list", () => {
      assert.deepEqual(
        statementsWithAction(DOCUMENT, "s3:GetObject").map((statement) => statement.Sid),
        ["Read", "Both"],
      );
      // "s3:PutObject" is a prefix of the string Action "s3:PutObjectAcl", not the same action.
      assert.deepEqual(resourcesWithAction(DOCUMENT, "s3:PutObject"), ["arn:aws:s3:::c/*"]);
      assert.deepEqual(resourcesWithAction(DOCUMENT, "s3:PutObjectAcl"), ["arn:aws:s3:::b/*"]);
    });
  });

  describe("EventBridge pattern matcher", () => {
    const event = { source: "aws.s3", detail: { object: { key: "in/sales/a.csv" }, size: 3 } };

    it("ANDs fields, ORs values, and reads prefix, suffix and wildcard filters", () => {
      assert.ok(matches({ source: ["aws.glue", "aws.s3"] }, event));
      assert.ok(!matches({ source: ["aws.s3"], detail: { size: [4] } }, event));
      assert.ok(matches({ detail: { object: { key: [{ prefix: "in/" }] } } }, event));
      assert.ok(matches({ detail: { object: { key: [{ suffix: ".csv" }] } } }, event));
      assert.ok(matches({ detail: { object: { key: [{ wildcard: "in/*.csv" }] } } }, event));
      assert.ok(!matches({ detail: { object: { key: [{ wildcard: "in/*.json" }] } } }, event));
      assert.ok(!matches({ detail: { missing: [{ prefix: "x" }] } }, event));
    });

    it("throws on filters it does not implement instead of guessing", () => {
      assert.throws(() => matches({ source: [{ "anything-but": "aws.s3" }] }, event), /unsupported filter/);
    });
  });
});
