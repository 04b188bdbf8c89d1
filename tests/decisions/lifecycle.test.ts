import { strict as assert } from "assert";
import { zoneLifecycleRules } from "../../decisions/lifecycle";

describe("zoneLifecycleRules", () => {
  it("always aborts incomplete uploads and expires old versions", () => {
    assert.deepEqual(zoneLifecycleRules({ noncurrentVersionExpireDays: 9 }, 2), [
      {
        id: "zone-lifecycle",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 2 },
        noncurrentVersionExpiration: { noncurrentDays: 9 },
      },
    ]);
  });

  it("tiers down to Standard-IA then Glacier Instant Retrieval, then expires", () => {
    const [rule] = zoneLifecycleRules(
      {
        transitionToInfrequentAccessDays: 30,
        transitionToGlacierDays: 120,
        expireDays: 400,
        noncurrentVersionExpireDays: 30,
      },
      7,
    );
    assert.deepEqual(rule.transitions, [
      { days: 30, storageClass: "STANDARD_IA" },
      { days: 120, storageClass: "GLACIER_IR" },
    ]);
    assert.deepEqual(rule.expiration, { days: 400 });
  });

  it("allows a Glacier transition without Standard-IA", () => {
    const [rule] = zoneLifecycleRules({ transitionToGlacierDays: 10, noncurrentVersionExpireDays: 1 }, 1);
    assert.deepEqual(rule.transitions, [{ days: 10, storageClass: "GLACIER_IR" }]);
    assert.equal(rule.expiration, undefined);
  });
});
