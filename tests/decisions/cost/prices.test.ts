import assert from "node:assert/strict";

import {
  ARCHITECTURES,
  DEFAULT_SPOT_PRICE_FRACTION,
  GRAVITON_TO_X86,
  HOURS_PER_MONTH,
  KNOWN_REGIONS,
  PRICES,
  PRICE_TABLE_DATE,
  PRICE_TABLE_SOURCE,
  RegionPrices,
  x86Counterpart,
} from "../../../decisions/cost/prices";
import { priceSource, priceSources } from "../../../decisions/cost/price-sources";
import { approx } from "./helpers";

/** Every number in a region's table, with its path. */
function numbersOf(value: unknown, path: string): [string, number][] {
  if (typeof value === "number") return [[path, value]];
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) => numbersOf(inner, `${path}.${key}`));
  }
  return [];
}

describe("price table", () => {
  it("is dated and says where its figures come from", () => {
    assert.match(PRICE_TABLE_DATE, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(!Number.isNaN(Date.parse(PRICE_TABLE_DATE)));
    assert.match(PRICE_TABLE_SOURCE, /aws\.amazon\.com/);
    assert.equal(HOURS_PER_MONTH, 730);
    assert.equal(DEFAULT_SPOT_PRICE_FRACTION, 0.35);
  });

  it("covers us-east-1 and eu-west-1 with positive, finite prices", () => {
    assert.deepEqual([...KNOWN_REGIONS], ["us-east-1", "eu-west-1"]);
    for (const region of KNOWN_REGIONS) {
      for (const [path, price] of numbersOf(PRICES[region], region)) {
        assert.ok(Number.isFinite(price) && price > 0, `${path} = ${price}`);
      }
    }
  });

  it("prices the same instance types in every region: Graviton m7g/r7g/c7g/m6g and x86 m7i/r7i/c7i/m5", () => {
    const expected = ["m7g", "r7g", "c7g", "m6g", "m7i", "r7i", "c7i", "m5"].flatMap((family) =>
      ["xlarge", "2xlarge", "4xlarge"].map((size) => `${family}.${size}`),
    );
    for (const region of KNOWN_REGIONS) {
      assert.deepEqual(Object.keys(PRICES[region].emrOnEc2).sort(), [...expected].sort(), region);
    }
  });

  it("maps every Graviton type to an x86 type of the same size and role", () => {
    for (const region of KNOWN_REGIONS) {
      const table = PRICES[region].emrOnEc2;
      for (const [type, price] of Object.entries(table)) {
        const counterpart = x86Counterpart(region, type);
        assert.equal(table[counterpart].architecture, "X86_64", `${type} -> ${counterpart}`);
        assert.equal(
          counterpart.split(".")[1],
          type.split(".")[1],
          `${type} -> ${counterpart} keeps the size`,
        );
        assert.equal(counterpart[0], type[0], `${type} -> ${counterpart} keeps the family role`);
        if (price.architecture === "ARM64") {
          assert.equal(GRAVITON_TO_X86[type], counterpart);
          assert.ok(
            price.ec2OnDemandPerHour < table[counterpart].ec2OnDemandPerHour,
            `${region} ${type} is cheaper`,
          );
        } else {
          assert.equal(counterpart, type);
        }
      }
    }
    assert.equal(x86Counterpart("us-east-1", "m7g.2xlarge"), "m7i.2xlarge");
    assert.equal(x86Counterpart("us-east-1", "m6g.4xlarge"), "m5.4xlarge");
    assert.equal(x86Counterpart("eu-west-1", "r7i.xlarge"), "r7i.xlarge");
  });

  it("has us-east-1 EMR charges of 25% of the EC2 price, as AWS publishes them for these families", () => {
    for (const [type, price] of Object.entries(PRICES["us-east-1"].emrOnEc2)) {
      approx(price.emrPerHour, price.ec2OnDemandPerHour * 0.25, type);
    }
  });

  it("is cheaper for the options the SLA tiers choose: FLEX, ARM64, Spot", () => {
    for (const region of KNOWN_REGIONS) {
      const prices: RegionPrices = PRICES[region];
      assert.ok(prices.glue.flexPerDpuHour < prices.glue.standardPerDpuHour, `${region} glue`);
      for (const table of [prices.fargate, prices.emrServerless]) {
        assert.ok(table.ARM64.perVcpuHour < table.X86_64.perVcpuHour, `${region} vCPU`);
        assert.ok(table.ARM64.perGbHour < table.X86_64.perGbHour, `${region} GB`);
      }
      for (const arch of ARCHITECTURES) {
        assert.ok(
          prices.fargateSpot[arch].perVcpuHour < prices.fargate[arch].perVcpuHour,
          `${region} ${arch}`,
        );
        assert.ok(prices.fargateSpot[arch].perGbHour < prices.fargate[arch].perGbHour, `${region} ${arch}`);
      }
      const s3 = prices.s3PerGbMonth;
      assert.ok(s3.STANDARD > s3.STANDARD_IA && s3.STANDARD_IA > s3.GLACIER_IR, `${region} s3`);
      assert.ok(s3.GLACIER_IR > s3.GLACIER && s3.GLACIER > s3.DEEP_ARCHIVE, `${region} s3`);
    }
  });

  it("gives every price of every Region a source page, the day it was checked and its status", () => {
    const entries = priceSources();
    assert.ok(entries.length > 2 * 60, `only ${entries.length} prices`);
    for (const { region, path, source } of entries) {
      assert.ok(source, `${region} ${path} has no source rule in decisions/cost/price-sources.ts`);
      assert.match(source.url, /^https:\/\/aws\.amazon\.com\/[a-z0-9-]+\/pricing\//, `${region} ${path}`);
      assert.match(source.checked, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(source.checked <= PRICE_TABLE_DATE, `${region} ${path} checked after the table's date`);
      assert.ok(source.note.length > 10, `${region} ${path} says what was checked`);
    }
  });

  it("marks the figures that could not be checked as unverified, with the reason", () => {
    const status = (region: "us-east-1" | "eu-west-1", path: string) => priceSource(region, path)?.status;
    assert.equal(status("eu-west-1", "cloudWatchCompositeAlarmPerMonth"), "unverified");
    assert.equal(status("eu-west-1", "redshift.provisionedPerNodeHour.ra3.xlplus"), "unverified");
    assert.equal(status("eu-west-1", "emrOnEc2.m5.xlarge.ec2OnDemandPerHour"), "verified");
    assert.equal(status("eu-west-1", "emrOnEc2.c7i.2xlarge.ec2OnDemandPerHour"), "unverified");
    assert.equal(status("us-east-1", "fargateSpot.ARM64.perVcpuHour"), "unverified");
    assert.equal(status("us-east-1", "interfaceEndpoint.perGbProcessed"), "verified");
    assert.equal(priceSource("us-east-1", "no.such.price"), undefined);
  });

  it("holds the list prices the hand-computed tests rely on", () => {
    const us = PRICES["us-east-1"];
    assert.deepEqual(us.glue, { standardPerDpuHour: 0.44, flexPerDpuHour: 0.29 });
    assert.deepEqual(us.fargate.X86_64, { perVcpuHour: 0.04048, perGbHour: 0.004445 });
    assert.deepEqual(us.fargate.ARM64, { perVcpuHour: 0.03238, perGbHour: 0.00356 });
    assert.deepEqual(us.emrServerless.X86_64, { perVcpuHour: 0.052624, perGbHour: 0.0057785 });
    assert.equal(us.redshift.serverlessPerRpuHour, 0.375);
    assert.deepEqual(us.natGateway, { perHour: 0.045, perGbProcessed: 0.045 });
    assert.equal(us.stepFunctionsPer1000Transitions, 0.025);
    assert.equal(PRICES["eu-west-1"].natGateway.perHour, 0.048);
  });
});
