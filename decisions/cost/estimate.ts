/**
 * Monthly cost estimate of one environment (stack) from an engine-neutral description of its workload,
 * priced with the embedded table in ./prices. Pure: no Pulumi, no network, no clock.
 *
 * Next to every estimate it computes a BASELINE: the same workload on on-demand x86 (each Graviton type
 * replaced by its x86 counterpart), Glue STANDARD at its maximum workers (no auto scaling), Fargate
 * on-demand x86, EMR Serverless x86 and a provisioned warehouse that never pauses. The difference is
 * what the platform's capacity choices (Graviton, Spot, FLEX, auto scaling, paused hours) save.
 * Components that have no cheaper variant (NAT, S3, KMS, monitoring, Step Functions) cost the same
 * in both.
 *
 * Every engine bills per second with a one-minute minimum, so a run shorter than a minute is billed as one.
 * For EMR on EC2 the runtime is the transient cluster's whole life (provisioning and bootstrap included).
 */
import {
  FLEX_WORKER_TYPES,
  GLUE_WORKER_DPUS,
  GlueExecutionClass,
  GlueWorkerType,
  glueExpectedWorkersError,
} from "../glue";
import { SLA_TIERS, SlaTier } from "../sla-tier";
import {
  ARCHITECTURES,
  Architecture,
  CURRENCY,
  DEFAULT_SPOT_PRICE_FRACTION,
  HOURS_PER_MONTH,
  PRICE_TABLE_DATE,
  REDSHIFT_NODE_TYPES,
  RedshiftNodeType,
  RegionPrices,
  S3_STORAGE_CLASSES,
  S3StorageClass,
  emrInstancePrice,
  regionPrices,
  x86Counterpart,
} from "./prices";

import { AdvisorInputs, adviseSavings, Saving } from "./advisor";

export { formatCostReport, formatUsd } from "./report";
export type { AdvisorInputs, Saving, UntieredZone } from "./advisor";

// ---------------------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------------------

export const EMR_MARKETS = ["ON_DEMAND", "SPOT"] as const;
export type EmrMarket = (typeof EMR_MARKETS)[number];

/** One EMR instance group / fleet, sized as the number of instances of one type. */
export interface EmrNodeGroup {
  instanceType: string;
  count: number;
  market: EmrMarket;
}

export interface GlueUsage {
  engine: "glue";
  workerType: GlueWorkerType;
  /** The job's NumberOfWorkers: with auto scaling the most a run holds; the baseline bills it throughout. */
  numberOfWorkers: number;
  /**
   * Average workers an auto-scaled run holds (2 to numberOfWorkers), which the estimate bills.
   * Absent: the run is billed at numberOfWorkers (no auto scaling, or no expectation stated).
   */
  expectedWorkers?: number;
  executionClass: GlueExecutionClass;
}

export interface EmrUsage {
  engine: "emr";
  primary: EmrNodeGroup;
  core: EmrNodeGroup;
  task?: EmrNodeGroup;
}

export interface EmrServerlessUsage {
  engine: "emrServerless";
  /** vCPUs of all workers (driver and executors) together, held for the whole run. */
  vcpu: number;
  /** Memory of all workers together, in GB. */
  memoryGb: number;
  architecture: Architecture;
}

export interface BatchUsage {
  engine: "batch";
  /** vCPUs of one Fargate job. */
  vcpu: number;
  /** Memory of one Fargate job, in GB. */
  memoryGb: number;
  architecture: Architecture;
  /** FARGATE_SPOT (true) or FARGATE (false). */
  spot: boolean;
  /** Jobs per run (for array jobs or fan-out), each with the vCPU and memory above. Default 1. */
  jobsPerRun?: number;
}

export type EngineUsage = GlueUsage | EmrUsage | EmrServerlessUsage | BatchUsage;
export type Engine = EngineUsage["engine"];
export const ENGINES: readonly Engine[] = ["glue", "emr", "emrServerless", "batch"];

export interface PipelineWorkload {
  name: string;
  slaTier: SlaTier;
  runsPerMonth: number;
  /** Wall-clock minutes of one run of the compute step. */
  expectedRuntimeMinutes: number;
  /** Step Functions state transitions of one run of the pipeline's state machine. */
  stateTransitionsPerRun: number;
  usage: EngineUsage;
  /**
   * The usage were the pipeline on the flexible tier (Flex, Spot), for a standard-tier pipeline:
   * the cost advisor prices the difference. Not part of the estimate.
   */
  flexibleTierUsage?: EngineUsage;
}

export type WarehouseWorkload =
  | { kind: "serverless"; baseRpu: number; hoursPerMonth: number }
  /** Provisioned nodes run the whole month unless hoursPerMonth says otherwise (pause / resume). */
  | { kind: "provisioned"; nodeType: RedshiftNodeType; nodes: number; hoursPerMonth?: number };

export interface FixedWorkload {
  natGateways: number;
  /**
   * Traffic from the private subnets to AWS APIs outside the VPC: through the NAT gateways, or,
   * without any, through the interface endpoints.
   */
  natGbProcessedPerMonth: number;
  /** Interface VPC endpoints, each in `availabilityZones` zones (a network without NAT); default none. */
  interfaceEndpoints?: { endpoints: number; availabilityZones: number };
  kmsKeys: number;
  alarms: number;
  /** CloudWatch composite alarms (priced apart from metric alarms); default 0. */
  compositeAlarms?: number;
  storageGbByClass: Partial<Record<S3StorageClass, number>>;
  logsGbPerMonth: number;
  warehouse?: WarehouseWorkload;
}

export interface WorkloadDescription {
  region: string;
  /** Spot price as a fraction of on-demand, 0 < f <= 1. Default DEFAULT_SPOT_PRICE_FRACTION. */
  spotPriceFraction?: number;
  pipelines: PipelineWorkload[];
  fixed: FixedWorkload;
  /** What the cost advisor needs beyond the workload; savings without their input are left out. */
  advisor?: AdvisorInputs;
}

// ---------------------------------------------------------------------------------------------------------
// Output (USD per month, unrounded; formatCostReport rounds to cents)
// ---------------------------------------------------------------------------------------------------------

export type ComputeByEngine = Record<Engine, number>;

export interface ComponentCosts {
  compute: ComputeByEngine;
  /** NAT gateway and interface endpoint hours and data processed. */
  network: number;
  /** S3 storage. */
  storage: number;
  /** KMS keys. */
  security: number;
  /** CloudWatch alarms and log ingestion. */
  monitoring: number;
  /** Step Functions state transitions. */
  orchestration: number;
  /** Redshift. */
  warehouse: number;
}

export interface PipelineCost {
  name: string;
  slaTier: SlaTier;
  engine: Engine;
  compute: number;
  orchestration: number;
  /** compute + orchestration */
  total: number;
  baselineCompute: number;
  baselineTotal: number;
  saving: number;
  /** saving / baselineTotal x 100; 0 when the baseline is 0. */
  savingPercent: number;
}

export interface CostEstimate {
  region: string;
  currency: typeof CURRENCY;
  priceTableDate: string;
  spotPriceFraction: number;
  pipelines: PipelineCost[];
  components: ComponentCosts;
  baselineComponents: ComponentCosts;
  total: number;
  baselineTotal: number;
  saving: number;
  savingPercent: number;
  /** The cost advisor: savings still open to the stack, largest first (./advisor). */
  advice: Saving[];
}

// ---------------------------------------------------------------------------------------------------------
// Estimate
// ---------------------------------------------------------------------------------------------------------

/** Monthly cost of the workload and of its on-demand x86 baseline. Throws on unknown or invalid input. */
export function estimateMonthlyCost(workload: WorkloadDescription): CostEstimate {
  const prices = regionPrices(workload.region);
  const spotPriceFraction = workload.spotPriceFraction ?? DEFAULT_SPOT_PRICE_FRACTION;
  if (typeof spotPriceFraction !== "number" || !(spotPriceFraction > 0 && spotPriceFraction <= 1)) {
    throw new Error(`spotPriceFraction must be a number in (0, 1], got ${String(spotPriceFraction)}`);
  }
  if (!Array.isArray(workload.pipelines)) throw new Error("pipelines must be an array");

  const context: PricingContext = { region: workload.region, prices, spotPriceFraction };
  const pipelines = workload.pipelines.map((pipeline, index) =>
    pipelineCost(pipeline, `pipelines[${index}]`, context),
  );

  const computeOf = (pick: (p: PipelineCost) => number): ComputeByEngine => {
    const byEngine: ComputeByEngine = { glue: 0, emr: 0, emrServerless: 0, batch: 0 };
    for (const pipeline of pipelines) byEngine[pipeline.engine] += pick(pipeline);
    return byEngine;
  };
  const orchestration = sum(pipelines.map((p) => p.orchestration));
  const { baselineWarehouse, ...fixed } = fixedCosts(workload.fixed, prices);

  const components: ComponentCosts = { compute: computeOf((p) => p.compute), orchestration, ...fixed };
  const baselineComponents: ComponentCosts = {
    compute: computeOf((p) => p.baselineCompute),
    orchestration,
    ...fixed,
    warehouse: baselineWarehouse,
  };
  const total = componentsTotal(components);
  const baselineTotal = componentsTotal(baselineComponents);
  const advice = adviseSavings(
    workload.pipelines,
    workload.fixed,
    workload.advisor ?? {},
    prices,
    (usage, hours, path) => engineCost(usage, hours, path, context).compute,
  );
  return {
    region: workload.region,
    currency: CURRENCY,
    priceTableDate: PRICE_TABLE_DATE,
    spotPriceFraction,
    pipelines,
    components,
    baselineComponents,
    total,
    baselineTotal,
    ...saving(total, baselineTotal),
    advice,
  };
}

/** Sum of all components. */
export function componentsTotal(components: ComponentCosts): number {
  return (
    computeTotal(components.compute) +
    components.network +
    components.storage +
    components.security +
    components.monitoring +
    components.orchestration +
    components.warehouse
  );
}

export function computeTotal(compute: ComputeByEngine): number {
  return sum(ENGINES.map((engine) => compute[engine]));
}

interface PricingContext {
  region: string;
  prices: RegionPrices;
  spotPriceFraction: number;
}

function pipelineCost(pipeline: PipelineWorkload, path: string, context: PricingContext): PipelineCost {
  if (typeof pipeline !== "object" || pipeline === null) throw new Error(`${path} must be an object`);
  if (typeof pipeline.name !== "string" || pipeline.name === "") {
    throw new Error(`${path}.name must be a non-empty string`);
  }
  const where = `${path} ("${pipeline.name}")`;
  if (!(SLA_TIERS as readonly string[]).includes(pipeline.slaTier)) {
    throw new Error(`${where}.slaTier must be one of ${SLA_TIERS.join(", ")}, got "${pipeline.slaTier}"`);
  }
  const runs = nonNegative(pipeline.runsPerMonth, `${where}.runsPerMonth`);
  const minutes = positive(pipeline.expectedRuntimeMinutes, `${where}.expectedRuntimeMinutes`);
  const transitions = nonNegative(pipeline.stateTransitionsPerRun, `${where}.stateTransitionsPerRun`);
  // Per-second billing with a one-minute minimum per run.
  const hoursPerMonth = (Math.max(minutes, 1) / 60) * runs;

  const { compute, baselineCompute } = engineCost(pipeline.usage, hoursPerMonth, `${where}.usage`, context);
  const orchestration = ((runs * transitions) / 1000) * context.prices.stepFunctionsPer1000Transitions;
  const total = compute + orchestration;
  const baselineTotal = baselineCompute + orchestration;
  return {
    name: pipeline.name,
    slaTier: pipeline.slaTier,
    engine: pipeline.usage.engine,
    compute,
    orchestration,
    total,
    baselineCompute,
    baselineTotal,
    ...saving(total, baselineTotal),
  };
}

interface EngineCost {
  compute: number;
  baselineCompute: number;
}

function engineCost(usage: EngineUsage, hours: number, path: string, context: PricingContext): EngineCost {
  if (typeof usage !== "object" || usage === null) throw new Error(`${path} must be an object`);
  switch (usage.engine) {
    case "glue":
      return glueCost(usage, hours, path, context.prices);
    case "emr":
      return emrCost(usage, hours, path, context);
    case "emrServerless":
      return emrServerlessCost(usage, hours, path, context.prices);
    case "batch":
      return batchCost(usage, hours, path, context.prices);
    default: {
      const engine = (usage as { engine?: unknown }).engine;
      throw new Error(`${path}.engine must be one of ${ENGINES.join(", ")}, got ${JSON.stringify(engine)}`);
    }
  }
}

function glueCost(usage: GlueUsage, hours: number, path: string, prices: RegionPrices): EngineCost {
  const dpusPerWorker = Object.prototype.hasOwnProperty.call(GLUE_WORKER_DPUS, usage.workerType)
    ? GLUE_WORKER_DPUS[usage.workerType]
    : undefined;
  if (dpusPerWorker === undefined) {
    throw new Error(
      `${path}.workerType "${usage.workerType}" is not priced; known worker types: ${Object.keys(GLUE_WORKER_DPUS).join(", ")}`,
    );
  }
  const maximum = count(usage.numberOfWorkers, `${path}.numberOfWorkers`);
  const workers = usage.expectedWorkers === undefined ? maximum : usage.expectedWorkers;
  const expectedProblem =
    usage.expectedWorkers === undefined ? undefined : glueExpectedWorkersError(workers, maximum);
  if (expectedProblem) {
    throw new Error(`${path}.expectedWorkers ${expectedProblem}, got ${describe(usage.expectedWorkers)}`);
  }
  if (usage.executionClass !== "FLEX" && usage.executionClass !== "STANDARD") {
    throw new Error(`${path}.executionClass must be FLEX or STANDARD, got "${usage.executionClass}"`);
  }
  if (usage.executionClass === "FLEX" && !FLEX_WORKER_TYPES.includes(usage.workerType)) {
    throw new Error(
      `${path}: the FLEX execution class runs only ${FLEX_WORKER_TYPES.join(" or ")} workers, got ${usage.workerType}`,
    );
  }
  const rate = usage.executionClass === "FLEX" ? prices.glue.flexPerDpuHour : prices.glue.standardPerDpuHour;
  // The baseline holds the maximum for the whole run on STANDARD: no auto scaling, no FLEX.
  return {
    compute: dpusPerWorker * workers * hours * rate,
    baselineCompute: dpusPerWorker * maximum * hours * prices.glue.standardPerDpuHour,
  };
}

function emrCost(usage: EmrUsage, hours: number, path: string, context: PricingContext): EngineCost {
  const groups: [string, EmrNodeGroup | undefined][] = [
    ["primary", usage.primary],
    ["core", usage.core],
    ["task", usage.task],
  ];
  let compute = 0;
  let baselineCompute = 0;
  for (const [role, group] of groups) {
    if (group === undefined && role === "task") continue;
    const where = `${path}.${role}`;
    if (typeof group !== "object" || group === null) throw new Error(`${where} must be an object`);
    const instances = count(group.count, `${where}.count`);
    if (!(EMR_MARKETS as readonly string[]).includes(group.market)) {
      throw new Error(`${where}.market must be one of ${EMR_MARKETS.join(", ")}, got "${group.market}"`);
    }
    const instanceHours = instances * hours;
    compute +=
      instanceHours *
      emrInstanceHourPrice(context.region, group.instanceType, group.market, context.spotPriceFraction);
    const baselineType = x86Counterpart(context.region, group.instanceType);
    baselineCompute += instanceHours * emrInstanceHourPrice(context.region, baselineType, "ON_DEMAND", 1);
  }
  return { compute, baselineCompute };
}

/**
 * What one EMR-on-EC2 instance-hour costs: the EC2 price (on-demand, or on-demand x spotPriceFraction on
 * Spot) plus the EMR charge, which AWS does not discount on Spot.
 */
export function emrInstanceHourPrice(
  region: string,
  instanceType: string,
  market: EmrMarket,
  spotPriceFraction: number,
): number {
  const price = emrInstancePrice(region, instanceType);
  const ec2 = market === "SPOT" ? price.ec2OnDemandPerHour * spotPriceFraction : price.ec2OnDemandPerHour;
  return ec2 + price.emrPerHour;
}

function emrServerlessCost(
  usage: EmrServerlessUsage,
  hours: number,
  path: string,
  prices: RegionPrices,
): EngineCost {
  const vcpu = nonNegative(usage.vcpu, `${path}.vcpu`);
  const memoryGb = nonNegative(usage.memoryGb, `${path}.memoryGb`);
  const rate = prices.emrServerless[architecture(usage.architecture, `${path}.architecture`)];
  const baseline = prices.emrServerless.X86_64;
  return {
    compute: (vcpu * rate.perVcpuHour + memoryGb * rate.perGbHour) * hours,
    baselineCompute: (vcpu * baseline.perVcpuHour + memoryGb * baseline.perGbHour) * hours,
  };
}

function batchCost(usage: BatchUsage, hours: number, path: string, prices: RegionPrices): EngineCost {
  const vcpu = nonNegative(usage.vcpu, `${path}.vcpu`);
  const memoryGb = nonNegative(usage.memoryGb, `${path}.memoryGb`);
  const jobs = count(usage.jobsPerRun ?? 1, `${path}.jobsPerRun`);
  if (typeof usage.spot !== "boolean") throw new Error(`${path}.spot must be true or false`);
  const arch = architecture(usage.architecture, `${path}.architecture`);
  const rate = usage.spot ? prices.fargateSpot[arch] : prices.fargate[arch];
  const baseline = prices.fargate.X86_64;
  const jobHours = jobs * hours;
  return {
    compute: (vcpu * rate.perVcpuHour + memoryGb * rate.perGbHour) * jobHours,
    baselineCompute: (vcpu * baseline.perVcpuHour + memoryGb * baseline.perGbHour) * jobHours,
  };
}

type FixedComponents = Omit<ComponentCosts, "compute" | "orchestration"> & {
  /** The warehouse without paused hours (a provisioned cluster running all month). */
  baselineWarehouse: number;
};

function fixedCosts(fixed: FixedWorkload, prices: RegionPrices): FixedComponents {
  if (typeof fixed !== "object" || fixed === null) throw new Error("fixed must be an object");
  const natGateways = nonNegative(fixed.natGateways, "fixed.natGateways");
  const natGb = nonNegative(fixed.natGbProcessedPerMonth, "fixed.natGbProcessedPerMonth");
  const endpoints = nonNegative(
    fixed.interfaceEndpoints?.endpoints ?? 0,
    "fixed.interfaceEndpoints.endpoints",
  );
  const endpointZones = nonNegative(
    fixed.interfaceEndpoints?.availabilityZones ?? 0,
    "fixed.interfaceEndpoints.availabilityZones",
  );
  // Interface endpoints bill per endpoint per zone-hour and per GB processed:
  // https://aws.amazon.com/privatelink/pricing/
  // Without NAT gateways of its own a new VPC sends the traffic through its endpoints; an existing
  // VPC (no gateways here) through whatever NAT it has.
  const viaEndpoints = natGateways === 0 && endpoints > 0;
  const network =
    natGateways * HOURS_PER_MONTH * prices.natGateway.perHour +
    endpoints * endpointZones * HOURS_PER_MONTH * prices.interfaceEndpoint.perAzHour +
    natGb * (viaEndpoints ? prices.interfaceEndpoint.perGbProcessed : prices.natGateway.perGbProcessed);

  if (typeof fixed.storageGbByClass !== "object" || fixed.storageGbByClass === null) {
    throw new Error("fixed.storageGbByClass must be an object of GB per S3 storage class");
  }
  let storage = 0;
  for (const [storageClass, gb] of Object.entries(fixed.storageGbByClass)) {
    if (!(S3_STORAGE_CLASSES as readonly string[]).includes(storageClass)) {
      throw new Error(
        `fixed.storageGbByClass has unknown S3 storage class "${storageClass}"; known: ${S3_STORAGE_CLASSES.join(", ")}`,
      );
    }
    const amount = nonNegative(gb, `fixed.storageGbByClass.${storageClass}`);
    storage += amount * prices.s3PerGbMonth[storageClass as S3StorageClass];
  }

  const security = nonNegative(fixed.kmsKeys, "fixed.kmsKeys") * prices.kmsPerKeyMonth;
  const monitoring =
    nonNegative(fixed.alarms, "fixed.alarms") * prices.cloudWatchAlarmPerMonth +
    nonNegative(fixed.compositeAlarms ?? 0, "fixed.compositeAlarms") *
      prices.cloudWatchCompositeAlarmPerMonth +
    nonNegative(fixed.logsGbPerMonth, "fixed.logsGbPerMonth") * prices.logsIngestionPerGb;
  const { warehouse, baselineWarehouse } =
    fixed.warehouse === undefined
      ? { warehouse: 0, baselineWarehouse: 0 }
      : warehouseCost(fixed.warehouse, prices);
  return { network, storage, security, monitoring, warehouse, baselineWarehouse };
}

function warehouseCost(
  warehouse: WarehouseWorkload,
  prices: RegionPrices,
): { warehouse: number; baselineWarehouse: number } {
  if (warehouse.kind === "serverless") {
    const rpu = nonNegative(warehouse.baseRpu, "fixed.warehouse.baseRpu");
    const hours = nonNegative(warehouse.hoursPerMonth, "fixed.warehouse.hoursPerMonth");
    const cost = rpu * hours * prices.redshift.serverlessPerRpuHour;
    return { warehouse: cost, baselineWarehouse: cost };
  }
  if (warehouse.kind === "provisioned") {
    if (!(REDSHIFT_NODE_TYPES as readonly string[]).includes(warehouse.nodeType)) {
      throw new Error(
        `fixed.warehouse.nodeType "${warehouse.nodeType}" is not priced; known node types: ${REDSHIFT_NODE_TYPES.join(", ")}`,
      );
    }
    const nodes = count(warehouse.nodes, "fixed.warehouse.nodes");
    const hours = nonNegative(warehouse.hoursPerMonth ?? HOURS_PER_MONTH, "fixed.warehouse.hoursPerMonth");
    if (hours > HOURS_PER_MONTH) {
      throw new Error(`fixed.warehouse.hoursPerMonth must be at most ${HOURS_PER_MONTH}, got ${hours}`);
    }
    // A paused cluster bills no node hours, only its managed storage (not modelled):
    // https://docs.aws.amazon.com/redshift/latest/mgmt/rs-mgmt-pause-resume-cluster.html
    const perHour = nodes * prices.redshift.provisionedPerNodeHour[warehouse.nodeType];
    return { warehouse: hours * perHour, baselineWarehouse: HOURS_PER_MONTH * perHour };
  }
  const kind = (warehouse as { kind?: unknown }).kind;
  throw new Error(`fixed.warehouse.kind must be serverless or provisioned, got ${JSON.stringify(kind)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

function saving(total: number, baselineTotal: number): { saving: number; savingPercent: number } {
  const amount = baselineTotal - total;
  return { saving: amount, savingPercent: baselineTotal > 0 ? (amount / baselineTotal) * 100 : 0 };
}

function sum(values: number[]): number {
  return values.reduce((acc, value) => acc + value, 0);
}

function nonNegative(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new Error(`${path} must be a finite number >= 0, got ${describe(value)}`);
  }
  return value;
}

function positive(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${path} must be a finite number > 0, got ${describe(value)}`);
  }
  return value;
}

function count(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new Error(`${path} must be a whole number >= 0, got ${describe(value)}`);
  }
  return value;
}

function architecture(value: unknown, path: string): Architecture {
  if (typeof value !== "string" || !(ARCHITECTURES as readonly string[]).includes(value)) {
    throw new Error(`${path} must be one of ${ARCHITECTURES.join(", ")}, got ${describe(value)}`);
  }
  return value as Architecture;
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (value === undefined) return "undefined";
  return JSON.stringify(value);
}
