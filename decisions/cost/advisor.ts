/**
 * The cost advisor: the largest savings a stack could still make, each with its estimated monthly
 * amount and what it gives up. Computed from the same workload and price table as the estimate
 * (estimate.ts calls it), never from a list kept per stack: a saving appears when the workload
 * has what it needs (a provisioned warehouse and its busy hours, NAT gateways in several zones, a
 * pipeline whose flexible-tier capacity is cheaper, lake zones whose lifecycle never tiers).
 */
import type { EngineUsage, FixedWorkload, PipelineWorkload, WarehouseWorkload } from "./estimate";
import { HOURS_PER_MONTH, RegionPrices } from "./prices";
import { REDSHIFT_RPU_MEMORY_GB, redshiftServerlessRpuFor } from "../redshift";
import { formatUsd } from "./report";

/** One change that would lower the monthly bill. */
export interface Saving {
  /** Stable id of what it changes: `warehouse.serverless`, `network.singleNatGateway`, `pipelines.<name>.flexibleTier`, `storage.<zone>.intelligentTiering`. */
  id: string;
  /** The change, in one sentence. */
  change: string;
  /** Estimated saving per month in USD (positive). */
  monthlyUsd: number;
  /** True when the amount is an upper bound ("up to"): it depends on what only operations will show. */
  upTo: boolean;
  /** What the change gives up. */
  trade: string;
  /** How the amount was computed, with the figures it used. */
  basis: string;
}

/** What the advisor needs beyond the estimate's workload; each saving that lacks its input is left out. */
export interface AdvisorInputs {
  /** Hours a day queries and loads keep the warehouse busy (costModel.warehouseBusyHoursPerDay). */
  warehouseBusyHoursPerDay?: number;
  /** Lake zones whose lifecycle never moves data to a cheaper class, with their STANDARD GB. */
  untieredZones?: UntieredZone[];
}

export interface UntieredZone {
  zone: string;
  standardGb: number;
  /** Days after which the zone's objects expire; absent: they never do. */
  expireDays?: number;
}

/** Prices one engine usage for `hours` of run time a month (the estimate's own pricing). */
export type PriceCompute = (usage: EngineUsage, hours: number, path: string) => number;

/** Savings below a cent a month are not worth a line. */
const MINIMUM_USD = 0.01;
/** Days in an average month (730 h / 24). */
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
/** Intelligent-Tiering moves an object to its Infrequent Access tier after 30 days without access. */
const INTELLIGENT_TIERING_IA_DAYS = 30;

/** The savings of a workload, largest first. */
export function adviseSavings(
  pipelines: readonly PipelineWorkload[],
  fixed: FixedWorkload,
  inputs: AdvisorInputs,
  prices: RegionPrices,
  priceCompute: PriceCompute,
): Saving[] {
  const savings = [
    ...warehouseSavings(fixed.warehouse, inputs.warehouseBusyHoursPerDay, prices),
    ...natSavings(fixed, pipelines, prices),
    ...pipelines.flatMap((pipeline, index) => flexibleTierSavings(pipeline, index, priceCompute)),
    ...(inputs.untieredZones ?? []).flatMap((zone) => intelligentTieringSavings(zone, prices)),
  ];
  return savings
    .filter((saving) => saving.monthlyUsd >= MINIMUM_USD)
    .sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.id.localeCompare(b.id));
}

/**
 * Redshift Serverless instead of a provisioned cluster: the cluster bills every hour it runs;
 * Serverless bills its base RPUs only while queries run. Sized on memory, as a base RPU has 16 GB.
 */
function warehouseSavings(
  warehouse: WarehouseWorkload | undefined,
  busyHoursPerDay: number | undefined,
  prices: RegionPrices,
): Saving[] {
  if (warehouse?.kind !== "provisioned" || busyHoursPerDay === undefined) return [];
  const runningHours = warehouse.hoursPerMonth ?? HOURS_PER_MONTH;
  const nodePrice = prices.redshift.provisionedPerNodeHour[warehouse.nodeType];
  const provisioned = warehouse.nodes * runningHours * nodePrice;
  const rpu = redshiftServerlessRpuFor(warehouse.nodeType, warehouse.nodes);
  const busyHours = Math.min(busyHoursPerDay * DAYS_PER_MONTH, runningHours);
  const serverless = rpu * busyHours * prices.redshift.serverlessPerRpuHour;
  const hoursPerDay = runningHours / DAYS_PER_MONTH;
  return [
    {
      id: "warehouse.serverless",
      change:
        `Redshift Serverless at ${rpu} base RPUs instead of ${warehouse.nodes} x ${warehouse.nodeType} ` +
        `running ${round(hoursPerDay, 1)} h a day for ${round(busyHoursPerDay, 1)} busy hours a day`,
      monthlyUsd: provisioned - serverless,
      upTo: false,
      trade:
        `queries after an idle spell wait for capacity, each query bills at least 60 seconds, and ` +
        `${rpu} RPUs (${REDSHIFT_RPU_MEMORY_GB} GB each, the cluster's memory) may run queries at another ` +
        "speed: check the BI and load times before moving; a usage limit caps the bill",
      basis:
        `${warehouse.nodes} nodes x ${round(runningHours, 1)} h x $${nodePrice} = ${formatUsd(provisioned)} vs ` +
        `${rpu} RPU x ${round(busyHours, 1)} h x $${prices.redshift.serverlessPerRpuHour} = ${formatUsd(serverless)}`,
    },
  ];
}

/**
 * One NAT gateway instead of one per zone: the others' hours, less what the other zones' traffic
 * then pays to cross to the gateway's zone (inter-AZ transfer, charged in each direction).
 */
function natSavings(
  fixed: FixedWorkload,
  pipelines: readonly PipelineWorkload[],
  prices: RegionPrices,
): Saving[] {
  const gateways = fixed.natGateways;
  if (gateways <= 1) return [];
  const hours = (gateways - 1) * HOURS_PER_MONTH * prices.natGateway.perHour;
  const crossZoneGb = (fixed.natGbProcessedPerMonth * (gateways - 1)) / gateways;
  const transfer = crossZoneGb * 2 * prices.interAzPerGb;
  const critical = pipelines.filter((pipeline) => pipeline.slaTier === "critical").length;
  return [
    {
      id: "network.singleNatGateway",
      change: `one NAT gateway instead of ${gateways} (one per Availability Zone)`,
      monthlyUsd: hours - transfer,
      upTo: false,
      trade:
        "when the gateway's zone fails, jobs in every zone lose their route to AWS APIs outside the VPC" +
        (critical > 0
          ? `; ${critical} critical pipeline${critical === 1 ? " depends" : "s depend"} on it here, so keep one per zone in production`
          : ""),
      basis:
        `${gateways - 1} x ${HOURS_PER_MONTH} h x $${prices.natGateway.perHour} = ${formatUsd(hours)}, less ` +
        `${round(crossZoneGb, 1)} GB crossing zones x 2 x $${prices.interAzPerGb} = ${formatUsd(transfer)}`,
    },
  ];
}

/** A standard-tier pipeline's compute on the capacity the flexible tier would give it (Flex, Spot). */
function flexibleTierSavings(
  pipeline: PipelineWorkload,
  index: number,
  priceCompute: PriceCompute,
): Saving[] {
  const alternative = pipeline.flexibleTierUsage;
  if (alternative === undefined) return [];
  const hours = (Math.max(pipeline.expectedRuntimeMinutes, 1) / 60) * pipeline.runsPerMonth;
  const path = `pipelines[${index}] ("${pipeline.name}")`;
  const current = priceCompute(pipeline.usage, hours, `${path}.usage`);
  const flexible = priceCompute(alternative, hours, `${path}.flexibleTierUsage`);
  return [
    {
      id: `pipelines.${pipeline.name}.flexibleTier`,
      change: `${pipeline.name} on the flexible tier (${capacityOf(alternative)}) instead of ${pipeline.slaTier}`,
      monthlyUsd: current - flexible,
      upTo: false,
      trade:
        "its runs may start up to an hour late and spare capacity may be reclaimed mid-run (the run is retried): " +
        "only for work that may finish late",
      basis: `${round(hours, 2)} run-hours a month: ${formatUsd(current)} now vs ${formatUsd(flexible)} on the flexible tier`,
    },
  ];
}

function capacityOf(usage: EngineUsage): string {
  switch (usage.engine) {
    case "glue":
      return `Glue ${usage.executionClass}`;
    case "batch":
      return usage.spot ? "Fargate Spot" : "Fargate";
    case "emr":
      return "EMR Spot core and task nodes";
    case "emrServerless":
      return "EMR Serverless";
  }
}

/**
 * S3 Intelligent-Tiering for a zone whose lifecycle never moves data: objects not read for 30
 * days move to its Infrequent Access tier. How much of the data goes unread only operations will
 * show, so the amount is an upper bound: every object older than 30 days (with expiry after E
 * days and steady arrivals, (E - 30) / E of the data) moves.
 * https://aws.amazon.com/s3/storage-classes/intelligent-tiering/
 */
function intelligentTieringSavings(zone: UntieredZone, prices: RegionPrices): Saving[] {
  const expire = zone.expireDays;
  const coldShare = expire === undefined ? 1 : Math.max(0, (expire - INTELLIGENT_TIERING_IA_DAYS) / expire);
  const perGb = prices.s3PerGbMonth.STANDARD - prices.s3IntelligentTiering.infrequentPerGbMonth;
  const gb = zone.standardGb * coldShare;
  return [
    {
      id: `storage.${zone.zone}.intelligentTiering`,
      change: `S3 Intelligent-Tiering for the ${zone.zone} zone, whose lifecycle never moves data to a cheaper class`,
      monthlyUsd: gb * perGb,
      upTo: true,
      trade:
        "saves only on objects nobody reads for 30 days; monitoring costs " +
        `$${prices.s3IntelligentTiering.monitoringPer1000Objects} per 1,000 objects of 128 KB or more a month ` +
        "(not counted: the object count is unknown), and smaller objects never move",
      basis:
        `${round(gb, 1)} of ${zone.standardGb} GB older than 30 days` +
        (expire === undefined ? " (nothing expires)" : ` (expiry after ${expire} days)`) +
        ` x ($${prices.s3PerGbMonth.STANDARD} - $${prices.s3IntelligentTiering.infrequentPerGbMonth})`,
    },
  ];
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
