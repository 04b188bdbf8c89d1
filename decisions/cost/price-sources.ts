/**
 * Where every figure of the price table (./prices) comes from: the page, the day it was last
 * checked, and whether it was verified there. A price is found by its path in RegionPrices
 * (`glue.flexPerDpuHour`, `emrOnEc2.m7g.xlarge.emrPerHour`); `*` in a rule stands for one path
 * segment, or at its end for the rest of the path, and the first rule that matches is the
 * figure's source. tests/decisions/cost/prices.test.ts
 * requires a source for every figure of every Region.
 *
 * The public pricing pages draw their figures with scripts, so the copies readable on 2026-11-27
 * carry no numbers for most services: a figure marked unverified then stays so, with the reason.
 */
import { KNOWN_REGIONS, PRICES, Region } from "./prices";

export type PriceStatus = "verified" | "unverified";

export interface PriceSource {
  /** The page the figure is published on (or, unverified, the page to check it against). */
  url: string;
  /** The day the figure was last checked, YYYY-MM-DD. */
  checked: string;
  status: PriceStatus;
  /** What was checked, or why the figure is an estimate. */
  note: string;
}

type SourceRule = readonly [pattern: string, source: PriceSource];

const PAGE = {
  ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
  emr: "https://aws.amazon.com/emr/pricing/",
  glue: "https://aws.amazon.com/glue/pricing/",
  fargate: "https://aws.amazon.com/fargate/pricing/",
  redshift: "https://aws.amazon.com/redshift/pricing/",
  vpc: "https://aws.amazon.com/vpc/pricing/",
  privatelink: "https://aws.amazon.com/privatelink/pricing/",
  s3: "https://aws.amazon.com/s3/pricing/",
  kms: "https://aws.amazon.com/kms/pricing/",
  cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
  stepFunctions: "https://aws.amazon.com/step-functions/pricing/",
  dataTransfer: "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer_within_the_same_AWS_Region",
} as const;

/** The table's first review: figures checked then and not re-read since. */
const FIRST_REVIEW = "2026-11-01";
const THIS_REVIEW = "2026-11-27";

const verified = (url: string, note: string, checked = FIRST_REVIEW): PriceSource => ({
  url,
  checked,
  status: "verified",
  note,
});
const unverified = (url: string, note: string, checked = THIS_REVIEW): PriceSource => ({
  url,
  checked,
  status: "unverified",
  note,
});

const NOT_RENDERED = "the readable copy of the page carries no figures (drawn by script)";

/** Figures that are the same rule in both Regions. */
const SHARED_RULES: readonly SourceRule[] = [
  [
    "interfaceEndpoint.perGbProcessed",
    verified(
      PAGE.privatelink,
      "$0.01 per GB for the first PB processed by all interface endpoints of a Region",
      THIS_REVIEW,
    ),
  ],
  [
    "interAzPerGb",
    unverified(
      PAGE.dataTransfer,
      `AWS's long-published $0.01 per GB in each direction between zones; ${NOT_RENDERED}`,
    ),
  ],
  [
    "s3IntelligentTiering.*",
    unverified(
      PAGE.s3,
      `Infrequent Access tier as S3 Standard-IA ($0.0125), monitoring $0.0025 per 1,000 objects; ${NOT_RENDERED}`,
    ),
  ],
];

const US_EAST_1_RULES: readonly SourceRule[] = [
  [
    "emrOnEc2.*.*.ec2OnDemandPerHour",
    verified(PAGE.ec2, "Linux on-demand, checked in several public copies of the AWS price list"),
  ],
  [
    "emrOnEc2.*.*.emrPerHour",
    verified(PAGE.emr, "the published EMR charge per instance type (25% of EC2 for these families)"),
  ],
  ["glue.standardPerDpuHour", verified(PAGE.glue, '"$0.44 per DPU-Hour" in the AWS price list')],
  ["glue.flexPerDpuHour", verified(PAGE.glue, "FLEX execution class, $0.29 per DPU-hour")],
  ["fargate.*", verified(PAGE.fargate, "Linux per vCPU-hour and GB-hour, by architecture")],
  [
    "fargateSpot.*",
    unverified(PAGE.fargate, 'Fargate Spot floats; 30% of on-demand, the "up to 70% off" AWS advertises'),
  ],
  [
    "emrServerless.X86_64.*",
    verified(PAGE.emr, "checked in PerfKitBenchmarker's generated EMR Serverless price list"),
  ],
  [
    "emrServerless.ARM64.*",
    unverified(PAGE.emr, "20% below x86 as AWS describes ARM64; the exact figures were not re-checked"),
  ],
  [
    "redshift.*",
    verified(
      PAGE.redshift,
      "$0.375 per RPU-hour; ra3.large $0.543, ra3.xlplus $1.086, ra3.4xlarge $3.26 per node-hour",
    ),
  ],
  ["natGateway.*", verified(PAGE.vpc, "$0.045 per NAT gateway-hour and per GB processed")],
  ["s3PerGbMonth.*", verified(PAGE.s3, "first 50 TB tier of each storage class")],
  ["kmsPerKeyMonth", verified(PAGE.kms, "$1 per customer managed key-month")],
  [
    "cloudWatchAlarmPerMonth",
    verified(PAGE.cloudwatch, "standard-resolution metric alarm, $0.10 per alarm-month"),
  ],
  [
    "cloudWatchCompositeAlarmPerMonth",
    verified(PAGE.cloudwatch, "composite alarm, $0.50 per alarm-month (Alarms tab)"),
  ],
  [
    "stepFunctionsPer1000Transitions",
    verified(PAGE.stepFunctions, "Standard workflows, $0.025 per 1,000 state transitions"),
  ],
  ["logsIngestionPerGb", verified(PAGE.cloudwatch, "standard log class ingestion, $0.50 per GB")],
  [
    "interfaceEndpoint.perAzHour",
    unverified(
      PAGE.privatelink,
      `$0.01 per endpoint-AZ hour, the long-published US East rate; ${NOT_RENDERED}`,
    ),
  ],
  ...SHARED_RULES,
];

const EU_WEST_1_RULES: readonly SourceRule[] = [
  [
    "emrOnEc2.m5.*.ec2OnDemandPerHour",
    verified(PAGE.ec2, "m5 $0.214 per xlarge, in several public price-list copies"),
  ],
  [
    "emrOnEc2.m6g.*.ec2OnDemandPerHour",
    verified(PAGE.ec2, "m6g $0.172 per xlarge, in several public price-list copies"),
  ],
  [
    "emrOnEc2.c7i.*.ec2OnDemandPerHour",
    unverified(
      PAGE.ec2,
      `c6i price x 1.05 (the us-east-1 7i/6i ratio); rounded third-party listings show $0.202; ${NOT_RENDERED}`,
    ),
  ],
  [
    "emrOnEc2.r7i.*.ec2OnDemandPerHour",
    unverified(
      PAGE.ec2,
      `r6i price x 1.05 (the us-east-1 7i/6i ratio); rounded third-party listings show $0.298; ${NOT_RENDERED}`,
    ),
  ],
  [
    "emrOnEc2.*.*.ec2OnDemandPerHour",
    unverified(
      PAGE.ec2,
      `m7g/c7g/r7g/m7i from public price-list copies that disagree by up to 5%; ${NOT_RENDERED}`,
    ),
  ],
  [
    "emrOnEc2.*.*.emrPerHour",
    unverified(PAGE.emr, `taken as 25% of EC2, the exact ratio of every us-east-1 figure; ${NOT_RENDERED}`),
  ],
  ["glue.standardPerDpuHour", verified(PAGE.glue, "$0.44 per DPU-hour in the AWS price list, EU (Ireland)")],
  ["glue.flexPerDpuHour", unverified(PAGE.glue, `taken to equal us-east-1 ($0.29); ${NOT_RENDERED}`)],
  ["fargate.*", unverified(PAGE.fargate, `taken to equal us-east-1; ${NOT_RENDERED}`)],
  ["fargateSpot.*", unverified(PAGE.fargate, "Fargate Spot floats; 30% of on-demand, as in us-east-1")],
  [
    "emrServerless.X86_64.*",
    verified(PAGE.emr, "same as us-east-1 in PerfKitBenchmarker's generated price list"),
  ],
  ["emrServerless.ARM64.*", unverified(PAGE.emr, "20% below x86, as in us-east-1; not re-checked")],
  [
    "redshift.*",
    unverified(
      PAGE.redshift,
      `recalled from the Redshift page, about 10.6% above us-east-1 (RPU-hour scaled alike); ${NOT_RENDERED}`,
    ),
  ],
  ["natGateway.*", verified(PAGE.vpc, "$0.048 per NAT gateway-hour and per GB processed, EU (Ireland)")],
  ["s3PerGbMonth.STANDARD", verified(PAGE.s3, "$0.023 per GB-month, first 50 TB")],
  ["s3PerGbMonth.*", unverified(PAGE.s3, `taken to equal us-east-1; ${NOT_RENDERED}`)],
  ["kmsPerKeyMonth", verified(PAGE.kms, "$1 per customer managed key-month in every commercial Region")],
  [
    "cloudWatchAlarmPerMonth",
    verified(PAGE.cloudwatch, "standard-resolution metric alarm, $0.10 per alarm-month"),
  ],
  [
    "cloudWatchCompositeAlarmPerMonth",
    unverified(PAGE.cloudwatch, `taken to equal us-east-1 ($0.50), like the metric alarm; ${NOT_RENDERED}`),
  ],
  [
    "stepFunctionsPer1000Transitions",
    verified(PAGE.stepFunctions, "Standard workflows, $0.025 per 1,000 state transitions"),
  ],
  [
    "logsIngestionPerGb",
    verified(PAGE.cloudwatch, "standard log class ingestion, $0.57 per GB in EU (Ireland)"),
  ],
  [
    "interfaceEndpoint.perAzHour",
    unverified(PAGE.privatelink, `$0.011 per endpoint-AZ hour as recalled for EU (Ireland); ${NOT_RENDERED}`),
  ],
  ...SHARED_RULES,
];

/** The source rules of each Region of the price table. */
export const PRICE_SOURCE_RULES: Readonly<Record<Region, readonly SourceRule[]>> = {
  "us-east-1": US_EAST_1_RULES,
  "eu-west-1": EU_WEST_1_RULES,
};

/** `*` matches one path segment; a `*` at the end matches the rest of the path. */
function matches(pattern: string, path: string): boolean {
  const wanted = pattern.split(".");
  const parts = path.split(".");
  const rest = wanted[wanted.length - 1] === "*";
  if (rest ? parts.length < wanted.length : parts.length !== wanted.length) return false;
  return wanted.every((part, index) => part === "*" || part === parts[index]);
}

/** The source of the price at `path` in a Region's table; undefined when no rule covers it. */
export function priceSource(region: Region, path: string): PriceSource | undefined {
  return PRICE_SOURCE_RULES[region].find(([pattern]) => matches(pattern, path))?.[1];
}

/**
 * Every price of a Region with its path. Instance type names hold a dot (`m7g.xlarge`), so an
 * `emrOnEc2` path is `emrOnEc2.<family>.<size>.<field>`.
 */
export function pricePaths(region: Region): { path: string; price: number }[] {
  const walk = (value: unknown, path: string): { path: string; price: number }[] =>
    typeof value === "number"
      ? [{ path, price: value }]
      : typeof value === "object" && value !== null
        ? Object.entries(value).flatMap(([key, inner]) => walk(inner, path ? `${path}.${key}` : key))
        : [];
  return walk(PRICES[region], "");
}

/** Every price of every Region with its source (undefined where a rule is missing). */
export function priceSources(): { region: Region; path: string; price: number; source?: PriceSource }[] {
  return KNOWN_REGIONS.flatMap((region) =>
    pricePaths(region).map((entry) => ({ region, ...entry, source: priceSource(region, entry.path) })),
  );
}
