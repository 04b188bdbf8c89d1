/**
 * The AWS Regions a stack may deploy to, from one source of truth per fact:
 *
 * - AVAILABILITY_ZONES (below): every commercial Region and how many Availability Zones a new VPC
 *   can use there;
 * - the price table (decisions/cost/prices.ts): the Regions the cost estimate has prices for, and in
 *   each the EC2 instance types offered with their price.
 *
 * A Region is supported when both tables cover it completely: an AZ count, prices, and a price for
 * every instance type the EMR fleets launch (and its x86 baseline). Adding a Region's prices to the
 * price table is the only change that makes it a valid `aws:region`; `tests/decisions/regions.test.ts`
 * fails, naming what is missing, when a priced Region is incomplete.
 */
import { GRAVITON_TO_X86, KNOWN_REGIONS, PRICE_TABLE_DATE, PRICES, RegionPrices } from "./cost/prices";
import { PRIMARY_INSTANCE_TYPES, WORKER_INSTANCE_TYPES } from "./emr";

/**
 * Availability Zones a new VPC can use per commercial Region, as of AZ_TABLE_DATE, from AWS's
 * Region and Availability Zone listings:
 *   https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html
 *   https://aws.amazon.com/about-aws/global-infrastructure/regions_az/
 * Where a Region has a zone that accounts created today cannot use, the table counts the zones they
 * can (us-west-1: two, which is also why Redshift Serverless accepts three subnets in two zones
 * there: https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html).
 */

export const AZ_TABLE_DATE = "2026-11-27";

export const AVAILABILITY_ZONES: Readonly<Record<string, number>> = {
  "us-east-1": 6,
  "us-east-2": 3,
  "us-west-1": 2,
  "us-west-2": 4,
  "af-south-1": 3,
  "ap-east-1": 3,
  "ap-east-2": 3,
  "ap-south-1": 3,
  "ap-south-2": 3,
  "ap-southeast-1": 3,
  "ap-southeast-2": 3,
  "ap-southeast-3": 3,
  "ap-southeast-4": 3,
  "ap-southeast-5": 3,
  "ap-southeast-6": 3,
  "ap-southeast-7": 3,
  "ap-northeast-1": 3,
  "ap-northeast-2": 4,
  "ap-northeast-3": 3,
  "ca-central-1": 3,
  "ca-west-1": 3,
  "eu-central-1": 3,
  "eu-central-2": 3,
  "eu-west-1": 3,
  "eu-west-2": 3,
  "eu-west-3": 3,
  "eu-south-1": 3,
  "eu-south-2": 3,
  "eu-north-1": 3,
  "il-central-1": 3,
  "me-south-1": 3,
  "me-central-1": 3,
  "mx-central-1": 3,
  "sa-east-1": 3,
};

const has = (table: object, key: string): boolean => Object.prototype.hasOwnProperty.call(table, key);

/** Every instance type the platform may launch or price in a Region: EMR fleets and their x86 baselines. */
export const PLATFORM_INSTANCE_TYPES: readonly string[] = [
  ...new Set(
    [...PRIMARY_INSTANCE_TYPES, ...WORKER_INSTANCE_TYPES].flatMap(({ instanceType }) => [
      instanceType,
      ...(has(GRAVITON_TO_X86, instanceType) ? [GRAVITON_TO_X86[instanceType]] : []),
    ]),
  ),
];

/** Instance types the platform uses that a Region's price table does not list (so not known to be offered). */
export function unpricedInstanceTypes(prices: RegionPrices): string[] {
  return PLATFORM_INSTANCE_TYPES.filter((type) => !has(prices.emrOnEc2, type));
}

function pricesOf(region: string): RegionPrices | undefined {
  return (KNOWN_REGIONS as readonly string[]).includes(region)
    ? PRICES[region as (typeof KNOWN_REGIONS)[number]]
    : undefined;
}

/** Regions both tables cover completely, sorted: the values `aws:region` accepts. */
export const SUPPORTED_REGIONS: readonly string[] = Object.keys(AVAILABILITY_ZONES)
  .filter((region) => {
    const prices = pricesOf(region);
    return prices !== undefined && unpricedInstanceTypes(prices).length === 0;
  })
  .sort();

/** Why a stack cannot deploy to `region`, or undefined when it can. */
export function regionError(region: string): string | undefined {
  if (SUPPORTED_REGIONS.includes(region)) return undefined;
  const supported = `supported Regions: ${SUPPORTED_REGIONS.join(", ")}`;
  if (!has(AVAILABILITY_ZONES, region)) {
    return `must be the code of a commercial AWS Region the platform supports; ${supported}`;
  }
  const prices = pricesOf(region);
  if (prices === undefined) {
    return `has no prices in the cost estimate's price table (decisions/cost/prices.ts, ${PRICE_TABLE_DATE}) yet; ${supported}`;
  }
  return (
    `the price table (decisions/cost/prices.ts) lacks instance types the EMR fleets launch there: ` +
    `${unpricedInstanceTypes(prices).join(", ")}; ${supported}`
  );
}

/** Availability Zones a new VPC can use in a Region (undefined for a Region outside the table). */
export function availabilityZonesIn(region: string): number | undefined {
  return has(AVAILABILITY_ZONES, region) ? AVAILABILITY_ZONES[region] : undefined;
}

/** Why a new VPC cannot span `count` zones in `region`, or undefined when it can (or the Region is unknown). */
export function availabilityZoneCountError(region: string, count: number): string | undefined {
  const available = availabilityZonesIn(region);
  return available !== undefined && count > available
    ? `${region} offers ${available} Availability Zones to a new VPC (table of ${AZ_TABLE_DATE}); use at most ${available}`
    : undefined;
}
