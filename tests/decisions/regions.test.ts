import { strict as assert } from "assert";
import { KNOWN_REGIONS, PRICES, RegionPrices } from "../../decisions/cost/prices";
import {
  AVAILABILITY_ZONES,
  availabilityZoneCountError,
  PLATFORM_INSTANCE_TYPES,
  regionError,
  SUPPORTED_REGIONS,
  unpricedInstanceTypes,
} from "../../decisions/regions";

describe("supported regions", () => {
  it("are exactly the regions of the price table, each with an Availability Zone count", () => {
    assert.deepEqual([...SUPPORTED_REGIONS], [...KNOWN_REGIONS].sort());
    for (const region of KNOWN_REGIONS) {
      assert.ok(AVAILABILITY_ZONES[region] >= 2, `${region} has no Availability Zone count`);
      assert.deepEqual(
        unpricedInstanceTypes(PRICES[region]),
        [],
        `${region}: the price table must price every instance type the EMR fleets launch`,
      );
    }
  });

  it("accept every supported region and explain every other one, listing the supported ones", () => {
    for (const region of SUPPORTED_REGIONS) assert.equal(regionError(region), undefined);
    const list = SUPPORTED_REGIONS.join(", ");
    assert.equal(
      regionError("eu-west-9"),
      `must be the code of a commercial AWS Region the platform supports; supported Regions: ${list}`,
    );
    assert.match(regionError("EU-WEST-1")!, /commercial AWS Region/);
    assert.match(regionError("us-gov-west-1")!, /commercial AWS Region/);
    assert.match(regionError("")!, /commercial AWS Region/);
    // A commercial Region without prices: the message says where prices are added.
    const unpriced = Object.keys(AVAILABILITY_ZONES).find((region) => !SUPPORTED_REGIONS.includes(region))!;
    assert.match(
      regionError(unpriced)!,
      /has no prices in the cost estimate's price table \(decisions\/cost\/prices\.ts/,
    );
  });

  it("names the instance types a price table lacks", () => {
    const partial: RegionPrices = {
      ...PRICES["eu-west-1"],
      emrOnEc2: Object.fromEntries(
        Object.entries(PRICES["eu-west-1"].emrOnEc2).filter(([type]) => type !== "r7g.xlarge"),
      ),
    };
    assert.deepEqual(unpricedInstanceTypes(partial), ["r7g.xlarge"]);
    assert.ok(
      PLATFORM_INSTANCE_TYPES.includes("m7i.xlarge"),
      "x86 baselines are part of the platform's types",
    );
  });

  it("bounds a new VPC's Availability Zones by the region's", () => {
    assert.equal(availabilityZoneCountError("eu-west-1", 3), undefined);
    assert.equal(availabilityZoneCountError("us-east-1", 6), undefined);
    assert.match(
      availabilityZoneCountError("eu-west-1", 4)!,
      /eu-west-1 offers 3 Availability Zones.*at most 3/,
    );
  });
});
