/**
 * Embedded, dated AWS list-price table for the cost estimate (USD, on-demand, Linux, excluding tax).
 *
 * Pure data plus lookups: no Pulumi, no network. Every figure has a source in PRICE_SOURCES: the page
 * it comes from, the day it was last checked and whether it was verified there. A figure marked
 * "UNVERIFIED" (status "unverified") could not be checked against a published price; it is our best
 * estimate and is labelled so that nobody mistakes it for a quoted price. When you refresh a figure,
 * update its source entry and PRICE_TABLE_DATE.
 */

/** The day the table was last reviewed as a whole. */
export const PRICE_TABLE_DATE = "2026-11-27";

/** Where the figures come from; each figure's own page, date and status are in ./price-sources. */
export const PRICE_TABLE_SOURCE =
  "AWS public on-demand list prices (aws.amazon.com/{ec2,emr,glue,fargate,redshift,vpc,privatelink,s3,kms,cloudwatch,step-functions}/pricing), " +
  "cross-checked against AWS Price List exports mirrored in public repositories; figures marked unverified are estimates (decisions/cost/price-sources.ts).";

export const CURRENCY = "USD";

/** AWS bills "per month" as 730 hours (8,760 h / 12). */
export const HOURS_PER_MONTH = 730;

/**
 * Spot price as a fraction of the on-demand price, when the caller gives none. Spot prices float per
 * instance type, Availability Zone and hour; 0.35 (a 65% discount) is a typical figure for the Graviton
 * and x86 general-purpose families in the Spot Instance Advisor. It is a knob of the estimate, not a price.
 */
export const DEFAULT_SPOT_PRICE_FRACTION = 0.35;

export const KNOWN_REGIONS = ["us-east-1", "eu-west-1"] as const;
export type Region = (typeof KNOWN_REGIONS)[number];

export const ARCHITECTURES = ["ARM64", "X86_64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export const S3_STORAGE_CLASSES = [
  "STANDARD",
  "STANDARD_IA",
  "GLACIER_IR",
  "GLACIER",
  "DEEP_ARCHIVE",
] as const;
/** GLACIER is S3 Glacier Flexible Retrieval (its storage-class name in the S3 API). */
export type S3StorageClass = (typeof S3_STORAGE_CLASSES)[number];

export const REDSHIFT_NODE_TYPES = ["ra3.large", "ra3.xlplus", "ra3.4xlarge"] as const;
export type RedshiftNodeType = (typeof REDSHIFT_NODE_TYPES)[number];

/** One EC2 instance type as EMR on EC2 bills it: the EC2 price plus the EMR charge, both per instance-hour. */
export interface EmrInstancePrice {
  readonly architecture: Architecture;
  /** EC2 on-demand price per instance-hour. Spot replaces this part only. */
  readonly ec2OnDemandPerHour: number;
  /** Amazon EMR charge per instance-hour. It stays the same when the instance runs on Spot. */
  readonly emrPerHour: number;
}

/** Price per vCPU-hour and per GB-hour (Fargate, EMR Serverless). */
export interface VcpuMemoryPrice {
  readonly perVcpuHour: number;
  readonly perGbHour: number;
}

export interface RegionPrices {
  /** EMR on EC2, per instance type. */
  readonly emrOnEc2: Readonly<Record<string, EmrInstancePrice>>;
  /** Glue Spark ETL jobs, per DPU-hour (billed per second, 1-minute minimum). */
  readonly glue: { readonly standardPerDpuHour: number; readonly flexPerDpuHour: number };
  /** Fargate on-demand (AWS Batch on Fargate), Linux, by CPU architecture. */
  readonly fargate: Readonly<Record<Architecture, VcpuMemoryPrice>>;
  /** Fargate Spot, Linux, by CPU architecture. */
  readonly fargateSpot: Readonly<Record<Architecture, VcpuMemoryPrice>>;
  /** EMR Serverless, by CPU architecture (ephemeral storage beyond the free 20 GB per worker is not modelled). */
  readonly emrServerless: Readonly<Record<Architecture, VcpuMemoryPrice>>;
  readonly redshift: {
    readonly serverlessPerRpuHour: number;
    readonly provisionedPerNodeHour: Readonly<Record<RedshiftNodeType, number>>;
  };
  readonly natGateway: { readonly perHour: number; readonly perGbProcessed: number };
  /** S3 storage per GB-month, first 50 TB tier. */
  readonly s3PerGbMonth: Readonly<Record<S3StorageClass, number>>;
  /** Customer managed KMS key, per key-month (requests are not modelled). */
  readonly kmsPerKeyMonth: number;
  /** CloudWatch metric alarm, standard resolution, per alarm-month. */
  readonly cloudWatchAlarmPerMonth: number;
  /** CloudWatch composite alarm, per alarm-month. */
  readonly cloudWatchCompositeAlarmPerMonth: number;
  /** Step Functions Standard workflows, per 1,000 state transitions. */
  readonly stepFunctionsPer1000Transitions: number;
  /** CloudWatch Logs ingestion (standard log class), per GB. */
  readonly logsIngestionPerGb: number;
  /** Interface VPC endpoints (PrivateLink): per endpoint per Availability Zone-hour, and per GB processed (first PB). */
  readonly interfaceEndpoint: { readonly perAzHour: number; readonly perGbProcessed: number };
  /** Data transfer between Availability Zones of the Region, per GB in each direction. */
  readonly interAzPerGb: number;
  /** S3 Intelligent-Tiering: its Infrequent Access tier per GB-month, monitoring per 1,000 objects-month. */
  readonly s3IntelligentTiering: {
    readonly infrequentPerGbMonth: number;
    readonly monitoringPer1000Objects: number;
  };
}

function instance(
  architecture: Architecture,
  ec2OnDemandPerHour: number,
  emrPerHour: number,
): EmrInstancePrice {
  return { architecture, ec2OnDemandPerHour, emrPerHour };
}

/**
 * UNVERIFIED for eu-west-1: the EMR charge is taken as 25% of the region's EC2 on-demand price. That is the
 * exact ratio of every us-east-1 figure below (e.g. m5.xlarge $0.192 -> $0.048, m7g.xlarge $0.1632 ->
 * $0.0408), but the eu-west-1 EMR page could not be read to confirm it.
 */
function withAssumedEmrCharge(architecture: Architecture, ec2OnDemandPerHour: number): EmrInstancePrice {
  return instance(architecture, ec2OnDemandPerHour, ec2OnDemandPerHour * 0.25);
}

const US_EAST_1: RegionPrices = {
  // EC2 on-demand (Linux): verified against several public copies of the AWS price list.
  // EMR charge: the published EMR price for each type (25% of the EC2 price for these families).
  emrOnEc2: {
    "m7g.xlarge": instance("ARM64", 0.1632, 0.0408),
    "m7g.2xlarge": instance("ARM64", 0.3264, 0.0816),
    "m7g.4xlarge": instance("ARM64", 0.6528, 0.1632),
    "r7g.xlarge": instance("ARM64", 0.2142, 0.05355),
    "r7g.2xlarge": instance("ARM64", 0.4284, 0.1071),
    "r7g.4xlarge": instance("ARM64", 0.8568, 0.2142),
    "c7g.xlarge": instance("ARM64", 0.145, 0.03625),
    "c7g.2xlarge": instance("ARM64", 0.29, 0.0725),
    "c7g.4xlarge": instance("ARM64", 0.58, 0.145),
    "m6g.xlarge": instance("ARM64", 0.154, 0.0385),
    "m6g.2xlarge": instance("ARM64", 0.308, 0.077),
    "m6g.4xlarge": instance("ARM64", 0.616, 0.154),
    "m7i.xlarge": instance("X86_64", 0.2016, 0.0504),
    "m7i.2xlarge": instance("X86_64", 0.4032, 0.1008),
    "m7i.4xlarge": instance("X86_64", 0.8064, 0.2016),
    "r7i.xlarge": instance("X86_64", 0.2646, 0.06615),
    "r7i.2xlarge": instance("X86_64", 0.5292, 0.1323),
    "r7i.4xlarge": instance("X86_64", 1.0584, 0.2646),
    "c7i.xlarge": instance("X86_64", 0.1785, 0.044625),
    "c7i.2xlarge": instance("X86_64", 0.357, 0.08925),
    "c7i.4xlarge": instance("X86_64", 0.714, 0.1785),
    "m5.xlarge": instance("X86_64", 0.192, 0.048),
    "m5.2xlarge": instance("X86_64", 0.384, 0.096),
    "m5.4xlarge": instance("X86_64", 0.768, 0.192),
  },
  // $0.44 standard (AWS price list: "$0.44 per DPU-Hour"); $0.29 FLEX (Glue pricing page).
  glue: { standardPerDpuHour: 0.44, flexPerDpuHour: 0.29 },
  fargate: {
    ARM64: { perVcpuHour: 0.03238, perGbHour: 0.00356 },
    X86_64: { perVcpuHour: 0.04048, perGbHour: 0.004445 },
  },
  // UNVERIFIED: Fargate Spot prices float and have no fixed list price. These are 30% of on-demand (the
  // "up to 70% off" AWS advertises): x86 0.04048 x 0.3, 0.004445 x 0.3; ARM64 0.03238 x 0.3, 0.00356 x 0.3.
  // Older ECS documentation says Fargate Spot runs X86_64 Linux tasks only; current AWS Batch documentation
  // lists only Windows as unsupported. Check ARM64 Fargate Spot availability before relying on it.
  fargateSpot: {
    ARM64: { perVcpuHour: 0.009714, perGbHour: 0.001068 },
    X86_64: { perVcpuHour: 0.012144, perGbHour: 0.0013335 },
  },
  // x86: verified (PerfKitBenchmarker's generated EMR Serverless price list). ARM64: the published ARM64
  // figures, which AWS describes as 20% lower than x86; the exact ARM64 numbers were not re-checked.
  emrServerless: {
    ARM64: { perVcpuHour: 0.042094, perGbHour: 0.004628 },
    X86_64: { perVcpuHour: 0.052624, perGbHour: 0.0057785 },
  },
  // Verified: $0.375 per RPU-hour; ra3.large $0.543, ra3.xlplus $1.086, ra3.4xlarge $3.26 per node-hour.
  redshift: {
    serverlessPerRpuHour: 0.375,
    provisionedPerNodeHour: { "ra3.large": 0.543, "ra3.xlplus": 1.086, "ra3.4xlarge": 3.26 },
  },
  natGateway: { perHour: 0.045, perGbProcessed: 0.045 },
  s3PerGbMonth: {
    STANDARD: 0.023,
    STANDARD_IA: 0.0125,
    GLACIER_IR: 0.004,
    GLACIER: 0.0036,
    DEEP_ARCHIVE: 0.00099,
  },
  kmsPerKeyMonth: 1.0,
  cloudWatchAlarmPerMonth: 0.1,
  // $0.50 per composite alarm-month (aws.amazon.com/cloudwatch/pricing, Alarms tab).
  cloudWatchCompositeAlarmPerMonth: 0.5,
  stepFunctionsPer1000Transitions: 0.025,
  logsIngestionPerGb: 0.5,
  interfaceEndpoint: { perAzHour: 0.01, perGbProcessed: 0.01 },
  interAzPerGb: 0.01,
  s3IntelligentTiering: { infrequentPerGbMonth: 0.0125, monitoringPer1000Objects: 0.0025 },
};

const EU_WEST_1: RegionPrices = {
  // EC2 on-demand (Linux):
  //  - m5 ($0.214) and m6g ($0.172) per xlarge: verified in several public price-list copies.
  //  - m7g $0.1824, c7g $0.1624, r7g $0.2397, m7i $0.2247 per xlarge: found in public price-list copies, but
  //    the copies disagree slightly (one lists m7g $0.1819 and c7g $0.155); treat as +/- 5%.
  //  - UNVERIFIED: c7i $0.2016 and r7i $0.2961 per xlarge are the c6i/r6i prices x 1.05 (the us-east-1 7i/6i
  //    ratio); rounded third-party listings show $0.202 and $0.298.
  //  - Sizes scale linearly (2xlarge = 2 x xlarge, 4xlarge = 4 x xlarge), as AWS prices these families.
  // EMR charge: see withAssumedEmrCharge (UNVERIFIED for eu-west-1).
  emrOnEc2: {
    "m7g.xlarge": withAssumedEmrCharge("ARM64", 0.1824),
    "m7g.2xlarge": withAssumedEmrCharge("ARM64", 0.3648),
    "m7g.4xlarge": withAssumedEmrCharge("ARM64", 0.7296),
    "r7g.xlarge": withAssumedEmrCharge("ARM64", 0.2397),
    "r7g.2xlarge": withAssumedEmrCharge("ARM64", 0.4794),
    "r7g.4xlarge": withAssumedEmrCharge("ARM64", 0.9588),
    "c7g.xlarge": withAssumedEmrCharge("ARM64", 0.1624),
    "c7g.2xlarge": withAssumedEmrCharge("ARM64", 0.3248),
    "c7g.4xlarge": withAssumedEmrCharge("ARM64", 0.6496),
    "m6g.xlarge": withAssumedEmrCharge("ARM64", 0.172),
    "m6g.2xlarge": withAssumedEmrCharge("ARM64", 0.344),
    "m6g.4xlarge": withAssumedEmrCharge("ARM64", 0.688),
    "m7i.xlarge": withAssumedEmrCharge("X86_64", 0.2247),
    "m7i.2xlarge": withAssumedEmrCharge("X86_64", 0.4494),
    "m7i.4xlarge": withAssumedEmrCharge("X86_64", 0.8988),
    "r7i.xlarge": withAssumedEmrCharge("X86_64", 0.2961),
    "r7i.2xlarge": withAssumedEmrCharge("X86_64", 0.5922),
    "r7i.4xlarge": withAssumedEmrCharge("X86_64", 1.1844),
    "c7i.xlarge": withAssumedEmrCharge("X86_64", 0.2016),
    "c7i.2xlarge": withAssumedEmrCharge("X86_64", 0.4032),
    "c7i.4xlarge": withAssumedEmrCharge("X86_64", 0.8064),
    "m5.xlarge": withAssumedEmrCharge("X86_64", 0.214),
    "m5.2xlarge": withAssumedEmrCharge("X86_64", 0.428),
    "m5.4xlarge": withAssumedEmrCharge("X86_64", 0.856),
  },
  // $0.44 standard: verified (AWS price list, EU (Ireland)). $0.29 FLEX: as in us-east-1, not re-checked.
  glue: { standardPerDpuHour: 0.44, flexPerDpuHour: 0.29 },
  // UNVERIFIED for eu-west-1: taken to equal us-east-1, as AWS lists them; not re-checked for this table.
  fargate: {
    ARM64: { perVcpuHour: 0.03238, perGbHour: 0.00356 },
    X86_64: { perVcpuHour: 0.04048, perGbHour: 0.004445 },
  },
  // UNVERIFIED: 30% of on-demand, as in us-east-1 (see there).
  fargateSpot: {
    ARM64: { perVcpuHour: 0.009714, perGbHour: 0.001068 },
    X86_64: { perVcpuHour: 0.012144, perGbHour: 0.0013335 },
  },
  // x86: verified (same as us-east-1). ARM64: 20% below x86, as in us-east-1 (not re-checked).
  emrServerless: {
    ARM64: { perVcpuHour: 0.042094, perGbHour: 0.004628 },
    X86_64: { perVcpuHour: 0.052624, perGbHour: 0.0057785 },
  },
  // UNVERIFIED: no eu-west-1 Redshift price could be read. The node prices are recalled from the Redshift
  // pricing page (about 10.6% above us-east-1, e.g. ra3.4xlarge $3.606 vs $3.26); the RPU-hour price is the
  // us-east-1 $0.375 scaled by the same ratio. Check both before relying on a eu-west-1 warehouse figure.
  redshift: {
    serverlessPerRpuHour: 0.413,
    provisionedPerNodeHour: { "ra3.large": 0.601, "ra3.xlplus": 1.202, "ra3.4xlarge": 3.606 },
  },
  natGateway: { perHour: 0.048, perGbProcessed: 0.048 },
  // STANDARD $0.023 verified; the other classes taken to equal us-east-1 (not re-checked for eu-west-1).
  s3PerGbMonth: {
    STANDARD: 0.023,
    STANDARD_IA: 0.0125,
    GLACIER_IR: 0.004,
    GLACIER: 0.0036,
    DEEP_ARCHIVE: 0.00099,
  },
  kmsPerKeyMonth: 1.0,
  cloudWatchAlarmPerMonth: 0.1,
  // UNVERIFIED: taken to equal us-east-1, like the metric alarm price.
  cloudWatchCompositeAlarmPerMonth: 0.5,
  stepFunctionsPer1000Transitions: 0.025,
  logsIngestionPerGb: 0.57,
  // UNVERIFIED: $0.011 per endpoint-AZ hour as recalled from the PrivateLink page (US East: $0.01).
  interfaceEndpoint: { perAzHour: 0.011, perGbProcessed: 0.01 },
  interAzPerGb: 0.01,
  s3IntelligentTiering: { infrequentPerGbMonth: 0.0125, monitoringPer1000Objects: 0.0025 },
};

export const PRICES: Readonly<Record<Region, RegionPrices>> = {
  "us-east-1": US_EAST_1,
  "eu-west-1": EU_WEST_1,
};

/**
 * The x86 counterpart of each Graviton type: the baseline an estimate compares against. Same family role
 * and size (general purpose -> general purpose, memory -> memory, compute -> compute), same vCPUs and memory.
 * m6g maps to m5, its x86 contemporary.
 */
export const GRAVITON_TO_X86: Readonly<Record<string, string>> = {
  "m7g.xlarge": "m7i.xlarge",
  "m7g.2xlarge": "m7i.2xlarge",
  "m7g.4xlarge": "m7i.4xlarge",
  "r7g.xlarge": "r7i.xlarge",
  "r7g.2xlarge": "r7i.2xlarge",
  "r7g.4xlarge": "r7i.4xlarge",
  "c7g.xlarge": "c7i.xlarge",
  "c7g.2xlarge": "c7i.2xlarge",
  "c7g.4xlarge": "c7i.4xlarge",
  "m6g.xlarge": "m5.xlarge",
  "m6g.2xlarge": "m5.2xlarge",
  "m6g.4xlarge": "m5.4xlarge",
};

function isRegion(region: string): region is Region {
  return (KNOWN_REGIONS as readonly string[]).includes(region);
}

/** The prices of a region; throws, naming the region and the known ones, when the table has none. */
export function regionPrices(region: string): RegionPrices {
  if (!isRegion(region)) {
    throw new Error(
      `no prices for region "${region}" in the price table of ${PRICE_TABLE_DATE}; known regions: ${KNOWN_REGIONS.join(", ")}`,
    );
  }
  return PRICES[region];
}

/** The EMR-on-EC2 price of an instance type in a region; throws, listing the known types, when unknown. */
export function emrInstancePrice(region: string, instanceType: string): EmrInstancePrice {
  const prices = regionPrices(region);
  const price = Object.prototype.hasOwnProperty.call(prices.emrOnEc2, instanceType)
    ? prices.emrOnEc2[instanceType]
    : undefined;
  if (!price) {
    throw new Error(
      `no ${region} price for instance type "${instanceType}" in the price table of ${PRICE_TABLE_DATE}; ` +
        `known instance types: ${Object.keys(prices.emrOnEc2).join(", ")}`,
    );
  }
  return price;
}

/** The x86 type to compare an instance type against: its counterpart for Graviton, itself for x86. */
export function x86Counterpart(region: string, instanceType: string): string {
  const price = emrInstancePrice(region, instanceType);
  if (price.architecture === "X86_64") return instanceType;
  const counterpart = GRAVITON_TO_X86[instanceType];
  if (!counterpart) {
    throw new Error(
      `no x86 counterpart for Graviton instance type "${instanceType}"; add it to GRAVITON_TO_X86 ` +
        `(known: ${Object.keys(GRAVITON_TO_X86).join(", ")})`,
    );
  }
  return counterpart;
}
