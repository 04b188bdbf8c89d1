/**
 * Where every figure of the price table (./prices) comes from: the page, the day it was last
 * checked, and whether it was verified there. A price is found by its path in RegionPrices
 * (`glue.flexPerDpuHour`, `emrOnEc2.m7g.xlarge.emrPerHour`); `*` in a rule stands for one path
 * segment, or at its end for the rest of the path, and the first rule that matches is the
 * figure's source. tests/decisions/cost/prices.test.ts
 * requires a source for every figure of every Region.
 *
 * The public pricing pages draw their figures with scripts from per-service price feeds
 * (b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/<service>/USD/current/<service>.json), so the
 * readable copies of the pages carry no numbers. The figures were checked on 2026-11-27 against
 * copies of those feeds and of AWS Price List exports committed to public repositories (MIRROR);
 * each note names the copy. A figure no copy carries stays unverified, and its note says what was
 * searched.
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

/** Public copies of AWS's own machine-readable prices, pinned to the commit that was read. */
const MIRROR = {
  /** The pricing pages' feeds, as fetched by the repository on 2025-11-03/04. */
  feeds: "github.com/lamngockhuong/aws-price@508fb452 lib/data/pricing",
  /** An ec2instances.info export of the EC2 Price List (Linux on-demand per Region), 2024-04-03. */
  ec2Export: "github.com/vantage-sh/ec2instances.info@1dbfd1da opszero-app/instances.json",
  /** PerfKitBenchmarker's price list generated from the EMR pricing page (x86 only). */
  emrServerless:
    "github.com/GoogleCloudPlatform/PerfKitBenchmarker@441d2f97 perfkitbenchmarker/providers/aws/aws_dpb_emr_serverless_prices.py",
  /** A January 2021 copy of the Fargate Spot feed (dftu77xade0tc.cloudfront.net/fargate-spot-prices.json). */
  fargateSpot: "github.com/theuves/fgcalc@5049a5e src/utils/data.js",
} as const;

/** Where a figure was read in the copy of a pricing page's feed: the file and its publication date. */
const feed = (file: string, published: string): string =>
  `read in ${MIRROR.feeds}/${file}.json, the page's feed published ${published}`;

/** The interface endpoint's hourly rate, per endpoint and Availability Zone, as the VPC feed lists it. */
const endpointHourRule = (price: string): SourceRule => [
  "interfaceEndpoint.perAzHour",
  verified(
    PAGE.privatelink,
    `${price} per endpoint-AZ hour ("Hourly charge for VPC Endpoints"); ${feed("vpc", "2025-11-04")}`,
    THIS_REVIEW,
  ),
];

/** Where the EC2 on-demand figures of a Region were read: two copies that agree to the digit. */
const ec2Copies = (region: string): string =>
  `Linux on-demand, ${region}, each size as listed; read in the EC2 feed as transformed in ` +
  `${MIRROR.feeds}/ec2-transformed.json (2025-11-03) and in ${MIRROR.ec2Export}, which agree to the digit`;

/** What was searched for the EMR price feed, which would settle the EMR figures still unverified. */
const EMR_FEED_NOT_FOUND =
  "no indexed repository commits the EMR feed (meteredUnitMaps/elasticmapreduce) or ElasticMapReduce price-list rows " +
  "(searched: elasticmapreduce.json, Instance-instancetype-m5.xlarge, EU-BoxUsage:m7g); scrapers such as ec2instances.info " +
  "fetch it live, and the ec2instances.info exports committed in vantage-sh/ec2instances.info carry no eu-west-1 EMR rate";

/** The check of the Fargate Spot estimate against the only dated copy of AWS's Spot feed found. */
const SPOT_CHECK =
  `the copy in ${MIRROR.fargateSpot} (2021-01-10) lists x86 at 31% of on-demand (us-east-1 $0.01264355 per ` +
  "vCPU-hour and $0.00138835 per GB-hour, eu-west-1 $0.01257825 and $0.00138118) and no ARM64 rate";

/** Why the EMR Serverless ARM64 figures stay unverified. */
const EMR_SERVERLESS_ARM64 =
  `recalled from the EMR page, about 20% below x86 as AWS describes ARM64; ${MIRROR.emrServerless} lists x86 ` +
  `only, no copy has the USE1-/EU-EMR-SERVERLESS-ARM-vCPUHours rows, and ${EMR_FEED_NOT_FOUND}`;

/** Figures that are the same rule in both Regions. */
const SHARED_RULES: readonly SourceRule[] = [
  [
    "glue.flexPerDpuHour",
    verified(
      PAGE.glue,
      `FLEX execution class, $0.29 per DPU-hour; ${feed("glue", "2025-07-18")}`,
      THIS_REVIEW,
    ),
  ],
  [
    "interfaceEndpoint.perGbProcessed",
    verified(
      PAGE.privatelink,
      `$0.01 per GB for the first PB processed by all interface endpoints of a Region; ${feed("vpc", "2025-11-04")}`,
      THIS_REVIEW,
    ),
  ],
  [
    "interAzPerGb",
    unverified(
      PAGE.dataTransfer,
      "AWS's long-published $0.01 per GB in each direction between zones; the data transfer feed " +
        "(meteredUnitMaps/datatransfer) is fetched by several repositories but committed by none found, and the " +
        "EU-DataTransfer-Regional-Bytes rows found are test fixtures, not copies of the price list",
    ),
  ],
  [
    "s3IntelligentTiering.*",
    verified(
      PAGE.s3,
      "Infrequent Access tier $0.0125 per GB-month, monitoring $0.0000025 per object ($0.0025 per 1,000) in US East " +
        `and EU (Ireland); ${feed("s3", "2025-10-22")}`,
      THIS_REVIEW,
    ),
  ],
];

const US_EAST_1_RULES: readonly SourceRule[] = [
  ["emrOnEc2.*.*.ec2OnDemandPerHour", verified(PAGE.ec2, ec2Copies("US East (N. Virginia)"), THIS_REVIEW)],
  [
    "emrOnEc2.*.*.emrPerHour",
    verified(PAGE.emr, "the published EMR charge per instance type (25% of EC2 for these families)"),
  ],
  ["glue.standardPerDpuHour", verified(PAGE.glue, '"$0.44 per DPU-Hour" in the AWS price list')],
  [
    "fargate.*",
    verified(
      PAGE.fargate,
      `Linux per vCPU-hour and GB-hour, by architecture; ${feed("ecs", "2025-10-27")}`,
      THIS_REVIEW,
    ),
  ],
  [
    "fargateSpot.*",
    unverified(
      PAGE.fargate,
      `Fargate Spot floats; 30% of on-demand, the "up to 70% off" AWS advertises; ${SPOT_CHECK}`,
    ),
  ],
  [
    "emrServerless.X86_64.*",
    verified(PAGE.emr, "checked in PerfKitBenchmarker's generated EMR Serverless price list"),
  ],
  ["emrServerless.ARM64.*", unverified(PAGE.emr, EMR_SERVERLESS_ARM64)],
  [
    "redshift.*",
    verified(
      PAGE.redshift,
      "$0.375 per RPU-hour; ra3.large $0.543, ra3.xlplus $1.086, ra3.4xlarge $3.26 per node-hour; " +
        feed("redshift", "2025-10-27"),
      THIS_REVIEW,
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
  endpointHourRule("$0.01"),
  ...SHARED_RULES,
];

const EU_WEST_1_RULES: readonly SourceRule[] = [
  ["emrOnEc2.*.*.ec2OnDemandPerHour", verified(PAGE.ec2, ec2Copies("EU (Ireland)"), THIS_REVIEW)],
  [
    "emrOnEc2.*.*.emrPerHour",
    unverified(
      PAGE.emr,
      `taken as 25% of EC2, the exact ratio of every us-east-1 figure; ${EMR_FEED_NOT_FOUND}`,
    ),
  ],
  ["glue.standardPerDpuHour", verified(PAGE.glue, "$0.44 per DPU-hour in the AWS price list, EU (Ireland)")],
  [
    "fargate.*",
    verified(
      PAGE.fargate,
      `Linux per vCPU-hour and GB-hour, the same as US East; ${feed("ecs", "2025-10-27")}`,
      THIS_REVIEW,
    ),
  ],
  [
    "fargateSpot.*",
    unverified(PAGE.fargate, `Fargate Spot floats; 30% of on-demand, as in us-east-1; ${SPOT_CHECK}`),
  ],
  [
    "emrServerless.X86_64.*",
    verified(PAGE.emr, "same as us-east-1 in PerfKitBenchmarker's generated price list"),
  ],
  ["emrServerless.ARM64.*", unverified(PAGE.emr, EMR_SERVERLESS_ARM64)],
  [
    "redshift.*",
    verified(
      PAGE.redshift,
      "$0.387 per RPU-hour; ra3.large $0.601, ra3.xlplus $1.202, ra3.4xlarge $3.606 per node-hour; " +
        feed("redshift", "2025-10-27"),
      THIS_REVIEW,
    ),
  ],
  ["natGateway.*", verified(PAGE.vpc, "$0.048 per NAT gateway-hour and per GB processed, EU (Ireland)")],
  ["s3PerGbMonth.STANDARD", verified(PAGE.s3, "$0.023 per GB-month, first 50 TB")],
  [
    "s3PerGbMonth.DEEP_ARCHIVE",
    unverified(
      PAGE.s3,
      "taken to equal us-east-1 ($0.00099): the S3 feed copy has no labelled Glacier Deep Archive storage line " +
        "for any Region (its $0.00099 EU (Ireland) rate is labelled IntelligentTieringDeepArchiveAccess), and no " +
        "copy of the s3glacierdeeparchive feed or of EU-TimedStorage-GDA-ByteHrs in the price list was found",
    ),
  ],
  [
    "s3PerGbMonth.*",
    verified(
      PAGE.s3,
      "Standard-IA $0.0125, Glacier Instant Retrieval $0.004, Glacier (Flexible Retrieval) $0.0036 per GB-month; " +
        feed("s3", "2025-10-22"),
      THIS_REVIEW,
    ),
  ],
  ["kmsPerKeyMonth", verified(PAGE.kms, "$1 per customer managed key-month in every commercial Region")],
  [
    "cloudWatchAlarmPerMonth",
    verified(PAGE.cloudwatch, "standard-resolution metric alarm, $0.10 per alarm-month"),
  ],
  [
    "cloudWatchCompositeAlarmPerMonth",
    verified(
      PAGE.cloudwatch,
      `composite alarm, $0.50 per alarm-month; ${feed("cloudwatch", "2025-09-23")}`,
      THIS_REVIEW,
    ),
  ],
  [
    "stepFunctionsPer1000Transitions",
    verified(PAGE.stepFunctions, "Standard workflows, $0.025 per 1,000 state transitions"),
  ],
  [
    "logsIngestionPerGb",
    verified(PAGE.cloudwatch, "standard log class ingestion, $0.57 per GB in EU (Ireland)"),
  ],
  endpointHourRule("$0.011"),
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
