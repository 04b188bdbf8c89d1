/**
 * EMR decisions: release label, instance fleets and managed scaling limits per SLA tier, the
 * application configurations (Glue Data Catalog as metastore), and the same plan rendered as an
 * EMR RunJobFlow request for transient clusters created by Step Functions. Pure functions over
 * plain data; the EMR components and the orchestration builder both use them.
 */
import { SlaTier } from "./sla-tier";
import { ArgsProblem, problemAt } from "./problems";

/** EMR 7 release used when a pipeline does not pin one (Spark 3.5, Amazon Linux 2023). */
export const DEFAULT_EMR_RELEASE_LABEL = "emr-7.12.0";

const EMR_7_RELEASE = /^emr-7\.\d+\.\d+$/;

/** Why a pinned release label is not an EMR 7 release, or undefined (also when none is pinned). */
export function emrReleaseLabelError(pinned: string | undefined): string | undefined {
  return pinned === undefined || EMR_7_RELEASE.test(pinned)
    ? undefined
    : `must be an EMR 7 release label such as "${DEFAULT_EMR_RELEASE_LABEL}"`;
}

/** The release label to use: the pinned one (must be EMR 7.x) or the default. */
export function emrReleaseLabel(pinned?: string): string {
  if (emrReleaseLabelError(pinned)) {
    throw new Error(
      `EMR release label "${pinned}" is not an EMR 7 release such as "${DEFAULT_EMR_RELEASE_LABEL}"`,
    );
  }
  return pinned ?? DEFAULT_EMR_RELEASE_LABEL;
}

/** Applications installed on every cluster. */
export const EMR_APPLICATIONS = ["Spark", "Hive"] as const;

/**
 * Tag the AmazonEMRServicePolicy_v2 managed policy conditions its EC2 permissions on: the cluster
 * (EMR propagates it to instances, launch templates and volumes), and the subnets and security
 * groups the cluster uses, must carry `for-use-with-amazon-emr-managed-policies=true`.
 */
export const EMR_MANAGED_POLICY_TAG = {
  key: "for-use-with-amazon-emr-managed-policies",
  value: "true",
} as const;

/** The Hive metastore client that makes Hive and Spark SQL use the Glue Data Catalog. */
export const GLUE_CATALOG_CLIENT_FACTORY =
  "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory";

// ---------------------------------------------------------------------------------------------
// Instance fleets
// ---------------------------------------------------------------------------------------------

/** Graviton families end their generation number with "g" (m7g, r6gd, c7gn, x2gd, ...). */
const GRAVITON_FAMILY = /^[a-z]+\d+g[a-z]*\.[a-z0-9]+$/;

export function isGravitonInstanceType(instanceType: string): boolean {
  return GRAVITON_FAMILY.test(instanceType);
}

export interface WeightedInstanceType {
  instanceType: string;
  /** Units one instance adds to the fleet's target capacity: its vCPUs for core and task fleets. */
  weightedCapacity: number;
  /** gp3 EBS volume attached to each instance (HDFS, shuffle and spill space), GiB. */
  ebsVolumeGiB: number;
}

/** The primary node: one on-demand instance; the alternative covers a shortage of the first type. */
export const PRIMARY_INSTANCE_TYPES: readonly WeightedInstanceType[] = [
  { instanceType: "m7g.xlarge", weightedCapacity: 1, ebsVolumeGiB: 32 },
  { instanceType: "m6g.xlarge", weightedCapacity: 1, ebsVolumeGiB: 32 },
];

/**
 * Core and task node types, weighted by vCPUs so managed scaling limits read as vCPUs. Five
 * Graviton types over two generations and three families give Spot's price-capacity-optimized
 * allocation several pools per Availability Zone (five is also the smallest per-fleet limit EMR has).
 */
export const WORKER_INSTANCE_TYPES: readonly WeightedInstanceType[] = [
  { instanceType: "m7g.xlarge", weightedCapacity: 4, ebsVolumeGiB: 64 },
  { instanceType: "m7g.2xlarge", weightedCapacity: 8, ebsVolumeGiB: 128 },
  { instanceType: "m6g.xlarge", weightedCapacity: 4, ebsVolumeGiB: 64 },
  { instanceType: "r7g.xlarge", weightedCapacity: 4, ebsVolumeGiB: 64 },
  { instanceType: "c7g.2xlarge", weightedCapacity: 8, ebsVolumeGiB: 128 },
];

/** Spot provisioning: the cheapest pools with spare capacity, and on-demand if Spot does not come. */
export interface SpotLaunchPlan {
  allocationStrategy: "price-capacity-optimized";
  timeoutAction: "SWITCH_TO_ON_DEMAND";
  /** How long EMR waits for Spot capacity at launch before switching to on-demand (5..1440). */
  timeoutDurationMinutes: number;
}

export interface OnDemandLaunchPlan {
  allocationStrategy: "lowest-price";
}

export type FleetRole = "primary" | "core" | "task";

export interface FleetPlan {
  role: FleetRole;
  /** Friendly fleet name shown by EMR. */
  name: string;
  /** The market the fleet's launch capacity comes from. */
  market: "ON_DEMAND" | "SPOT";
  targetOnDemandCapacity: number;
  targetSpotCapacity: number;
  instanceTypes: WeightedInstanceType[];
  /** Present only when the fleet may use Spot. */
  spot?: SpotLaunchPlan;
  onDemand: OnDemandLaunchPlan;
}

/** Managed scaling limits in instance-fleet units (vCPUs here); they apply to core + task nodes. */
export interface ComputeLimitsPlan {
  unitType: "InstanceFleetUnits";
  minimumCapacityUnits: number;
  maximumCapacityUnits: number;
  /** Above this, managed scaling adds Spot units only. */
  maximumOnDemandCapacityUnits: number;
  /** Above this, managed scaling adds task units only. */
  maximumCoreCapacityUnits: number;
}

export interface EmrClusterPlan {
  tier: SlaTier;
  primary: FleetPlan;
  core: FleetPlan;
  task: FleetPlan;
  computeLimits: ComputeLimitsPlan;
}

export interface EmrClusterPlanInput {
  tier: SlaTier;
  /** Core + task capacity the cluster never scales below, in vCPU units; the core fleet's launch size. */
  minCapacityUnits: number;
  /** Core + task capacity managed scaling may reach, in vCPU units. */
  maxCapacityUnits: number;
  /** Spot provisioning timeout at launch. Default 10 minutes. */
  spotTimeoutMinutes?: number;
}

export const DEFAULT_SPOT_TIMEOUT_MINUTES = 10;

/**
 * EMR accepts no fleet with a target capacity of 0, so the task fleet launches with one small
 * instance; managed scaling removes it when the core fleet alone meets the minimum.
 */
export const TASK_LAUNCH_UNITS = Math.min(...WORKER_INSTANCE_TYPES.map((type) => type.weightedCapacity));

function positiveIntegerError(value: number): string | undefined {
  return Number.isInteger(value) && value >= 1 ? undefined : "must be a positive integer";
}

/**
 * Every problem with a plan's input: positive whole capacity units, a maximum not below the
 * minimum, and a Spot timeout EMR accepts (5 to 1440 minutes).
 */
export function emrClusterPlanProblems(input: Omit<EmrClusterPlanInput, "tier">): ArgsProblem[] {
  const { minCapacityUnits: min, maxCapacityUnits: max } = input;
  const timeout = input.spotTimeoutMinutes ?? DEFAULT_SPOT_TIMEOUT_MINUTES;
  const bounds = [
    ...problemAt(["minCapacityUnits"], positiveIntegerError(min), min),
    ...problemAt(["maxCapacityUnits"], positiveIntegerError(max), max),
  ];
  return [
    ...bounds,
    ...problemAt(
      ["maxCapacityUnits"],
      bounds.length === 0 && max < min ? `must be at least minCapacityUnits (${min})` : undefined,
      max,
    ),
    ...problemAt(
      ["spotTimeoutMinutes"],
      Number.isInteger(timeout) && timeout >= 5 && timeout <= 1440
        ? undefined
        : "must be an integer from 5 to 1440",
      timeout,
    ),
  ];
}

/**
 * The fleets and scaling limits of a cluster for an SLA tier (see docs/architecture.md):
 * - primary: always one on-demand Graviton instance (losing it loses the cluster);
 * - flexible: core and task on Spot, falling back to on-demand when Spot does not come at launch;
 * - standard: core on-demand (HDFS and the Spark driver survive), task on Spot;
 * - critical: everything on-demand, no Spot anywhere.
 * The core fleet stays at its launch size (scaling core nodes in means slow HDFS decommissioning);
 * managed scaling grows and shrinks the task fleet. On-demand units are capped at the core's size
 * for flexible and standard, so everything above comes from Spot; critical may use on-demand up to the max.
 */
export function emrClusterPlan(input: EmrClusterPlanInput): EmrClusterPlan {
  const { tier, minCapacityUnits: min, maxCapacityUnits: max } = input;
  const [problem] = emrClusterPlanProblems(input);
  if (problem) throw new Error(`${problem.path[0]} ${problem.message}, got ${problem.given}`);
  const timeout = input.spotTimeoutMinutes ?? DEFAULT_SPOT_TIMEOUT_MINUTES;
  const spot: SpotLaunchPlan = {
    allocationStrategy: "price-capacity-optimized",
    timeoutAction: "SWITCH_TO_ON_DEMAND",
    timeoutDurationMinutes: timeout,
  };
  const onDemand: OnDemandLaunchPlan = { allocationStrategy: "lowest-price" };
  const fleet = (
    role: FleetRole,
    market: FleetPlan["market"],
    units: number,
    types: readonly WeightedInstanceType[],
  ) => {
    const plan: FleetPlan = {
      role,
      name: role,
      market,
      targetOnDemandCapacity: market === "ON_DEMAND" ? units : 0,
      targetSpotCapacity: market === "SPOT" ? units : 0,
      instanceTypes: types.map((type) => ({ ...type })),
      onDemand: { ...onDemand },
    };
    if (market === "SPOT") plan.spot = { ...spot };
    return plan;
  };

  const coreMarket = tier === "flexible" ? "SPOT" : "ON_DEMAND";
  const taskMarket = tier === "critical" ? "ON_DEMAND" : "SPOT";
  return {
    tier,
    primary: fleet("primary", "ON_DEMAND", 1, PRIMARY_INSTANCE_TYPES),
    core: fleet("core", coreMarket, min, WORKER_INSTANCE_TYPES),
    task: fleet("task", taskMarket, TASK_LAUNCH_UNITS, WORKER_INSTANCE_TYPES),
    computeLimits: {
      unitType: "InstanceFleetUnits",
      minimumCapacityUnits: min,
      maximumCapacityUnits: max,
      maximumOnDemandCapacityUnits: tier === "critical" ? max : min,
      maximumCoreCapacityUnits: min,
    },
  };
}

/** Every fleet of a plan, primary first. */
export function fleetsOf(plan: EmrClusterPlan): FleetPlan[] {
  return [plan.primary, plan.core, plan.task];
}

/** Whether any fleet of the plan may run on Spot. */
export function usesSpot(plan: EmrClusterPlan): boolean {
  return fleetsOf(plan).some((fleet) => fleet.targetSpotCapacity > 0 || fleet.spot !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Idle timeout
// ---------------------------------------------------------------------------------------------

/** Why an idle timeout is not one EMR's auto-termination accepts (whole minutes, 60 s to 7 days), or undefined. */
export function idleTimeoutError(minutes: number): string | undefined {
  return Number.isInteger(minutes) && minutes >= 1 && minutes <= 10080
    ? undefined
    : "must be 1 to 10080 minutes (7 days)";
}

/** EMR's auto-termination idle timeout in seconds (EMR allows 60 s to 7 days). */
export function idleTimeoutSeconds(minutes: number): number {
  const problem = idleTimeoutError(minutes);
  if (problem) throw new Error(`idle timeout ${problem}, got ${minutes}`);
  return minutes * 60;
}

// ---------------------------------------------------------------------------------------------
// Application configurations
// ---------------------------------------------------------------------------------------------

/** One EMR configuration classification, in the API's (and configurationsJson's) shape. */
export type EmrConfiguration = {
  Classification: string;
  Properties: Record<string, string>;
};

/** Spark settings for batch jobs on a scaling cluster. */
export const SPARK_DEFAULTS: Readonly<Record<string, string>> = {
  // Executors follow the work, so managed scaling can remove idle task nodes.
  "spark.dynamicAllocation.enabled": "true",
  "spark.shuffle.service.enabled": "true",
  "spark.sql.adaptive.enabled": "true",
  "spark.sql.adaptive.coalescePartitions.enabled": "true",
  // A rerun overwrites only the partitions it writes: reruns are safe (SLA tiers rely on that).
  "spark.sql.sources.partitionOverwriteMode": "dynamic",
};

export interface EmrConfigurationOptions {
  /** Account id of the Glue Data Catalog when it is not the cluster's own account. */
  catalogId?: string;
  /** Extra or overriding spark-defaults properties. */
  sparkDefaults?: Record<string, string>;
}

/** Why a Glue Data Catalog id is not an account id, or undefined. */
export function catalogIdError(catalogId: string): string | undefined {
  return /^\d{12}$/.test(catalogId) ? undefined : "must be an account id (12 digits)";
}

/**
 * Configurations of a cluster: Hive (hive-site) and Spark SQL (spark-hive-site) use the Glue Data
 * Catalog as their metastore, so no javax.jdo / local metastore database is configured at all.
 */
export function emrConfigurations(options: EmrConfigurationOptions = {}): EmrConfiguration[] {
  const metastore: Record<string, string> = {
    "hive.metastore.client.factory.class": GLUE_CATALOG_CLIENT_FACTORY,
  };
  if (options.catalogId !== undefined) {
    const problem = catalogIdError(options.catalogId);
    if (problem) throw new Error(`catalogId ${problem}, got ${options.catalogId}`);
    metastore["hive.metastore.glue.catalogid"] = options.catalogId;
  }
  return [
    { Classification: "hive-site", Properties: { ...metastore } },
    { Classification: "spark-hive-site", Properties: { ...metastore } },
    { Classification: "spark-defaults", Properties: { ...SPARK_DEFAULTS, ...options.sparkDefaults } },
  ];
}

/** `configurationsJson` of aws.emr.Cluster. */
export function emrConfigurationsJson(options: EmrConfigurationOptions = {}): string {
  return JSON.stringify(emrConfigurations(options));
}

// ---------------------------------------------------------------------------------------------
// EMR Serverless
// ---------------------------------------------------------------------------------------------

/**
 * Every problem with an EMR Serverless maximum capacity: whole vCPUs and GB, and at least 2 GB
 * per vCPU, the least memory an EMR Serverless worker has per vCPU (less could never use the vCPUs).
 * Source: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-behavior.html
 */
export function emrServerlessCapacityProblems(maximumVcpu: number, maximumMemoryGb: number): ArgsProblem[] {
  const whole = [
    ...problemAt(["maximumVcpu"], positiveIntegerError(maximumVcpu), maximumVcpu),
    ...problemAt(["maximumMemoryGb"], positiveIntegerError(maximumMemoryGb), maximumMemoryGb),
  ];
  if (whole.length > 0) return whole;
  return problemAt(
    ["maximumMemoryGb"],
    maximumMemoryGb < 2 * maximumVcpu
      ? `must be at least 2 GB per vCPU (${2 * maximumVcpu} GB for ${maximumVcpu} vCPU)`
      : undefined,
    maximumMemoryGb,
  );
}

/** `maximumCapacity` of an EMR Serverless application: all workers together never exceed it. */
export function emrServerlessMaximumCapacity(
  vcpu: number,
  memoryGb: number,
): { cpu: string; memory: string } {
  const [problem] = emrServerlessCapacityProblems(vcpu, memoryGb);
  if (problem) throw new Error(`${problem.path[0]} ${problem.message}, got ${problem.given}`);
  return { cpu: `${vcpu} vCPU`, memory: `${memoryGb} GB` };
}

/** Why an auto-stop idle timeout is not one EMR Serverless accepts (1 minute to 7 days), or undefined. */
export function emrServerlessIdleTimeoutError(minutes: number): string | undefined {
  return Number.isInteger(minutes) && minutes >= 1 && minutes <= 10080
    ? undefined
    : "must be 1 to 10080 minutes";
}

/** EMR Serverless auto-stop idle timeout (1 minute to 7 days). */
export function emrServerlessIdleTimeoutMinutes(minutes: number): number {
  const problem = emrServerlessIdleTimeoutError(minutes);
  if (problem) throw new Error(`auto-stop idle timeout ${problem}, got ${minutes}`);
  return minutes;
}

/**
 * spark-defaults of an EMR Serverless application: Glue Data Catalog as the metastore (the
 * Serverless default, stated explicitly so a change of default cannot move the tables).
 */
export function emrServerlessSparkDefaults(): Record<string, string> {
  return {
    "spark.hadoop.hive.metastore.client.factory.class": GLUE_CATALOG_CLIENT_FACTORY,
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.sources.partitionOverwriteMode": "dynamic",
  };
}

// ---------------------------------------------------------------------------------------------
// RunJobFlow (transient clusters started by Step Functions)
// ---------------------------------------------------------------------------------------------

export type InstanceTypeConfigRequest = {
  InstanceType: string;
  WeightedCapacity: number;
  EbsConfiguration: {
    EbsBlockDeviceConfigs: {
      VolumeSpecification: { VolumeType: string; SizeInGB: number };
      VolumesPerInstance: number;
    }[];
    EbsOptimized: boolean;
  };
};

export type LaunchSpecificationsRequest =
  | { OnDemandSpecification: { AllocationStrategy: string } }
  | {
      OnDemandSpecification: { AllocationStrategy: string };
      SpotSpecification: {
        AllocationStrategy: string;
        TimeoutAction: string;
        TimeoutDurationMinutes: number;
      };
    };

/** The primary fleet names only its one unit (EMR allows exactly one target capacity of 1 there). */
export type PrimaryFleetRequest = {
  Name: string;
  InstanceFleetType: "MASTER";
  TargetOnDemandCapacity: number;
  InstanceTypeConfigs: InstanceTypeConfigRequest[];
  LaunchSpecifications: LaunchSpecificationsRequest;
};

export type WorkerFleetRequest = {
  Name: string;
  InstanceFleetType: "CORE" | "TASK";
  TargetOnDemandCapacity: number;
  TargetSpotCapacity: number;
  InstanceTypeConfigs: InstanceTypeConfigRequest[];
  LaunchSpecifications: LaunchSpecificationsRequest;
};

export type RunJobFlowRequest = {
  Name: string;
  ReleaseLabel: string;
  Applications: { Name: string }[];
  Configurations: EmrConfiguration[];
  Instances: {
    InstanceFleets: (PrimaryFleetRequest | WorkerFleetRequest)[];
    Ec2SubnetIds: string[];
    EmrManagedMasterSecurityGroup: string;
    EmrManagedSlaveSecurityGroup: string;
    ServiceAccessSecurityGroup: string;
    KeepJobFlowAliveWhenNoSteps: boolean;
    TerminationProtected: boolean;
  };
  ServiceRole: string;
  JobFlowRole: string;
  SecurityConfiguration: string;
  LogUri: string;
  LogEncryptionKmsKeyId: string;
  ManagedScalingPolicy: {
    ComputeLimits: {
      UnitType: string;
      MinimumCapacityUnits: number;
      MaximumCapacityUnits: number;
      MaximumOnDemandCapacityUnits: number;
      MaximumCoreCapacityUnits: number;
    };
  };
  AutoTerminationPolicy: { IdleTimeout: number };
  StepConcurrencyLevel: number;
  EbsRootVolumeSize: number;
  VisibleToAllUsers: boolean;
  Tags: { Key: string; Value: string }[];
};

export interface RunJobFlowInput {
  name: string;
  plan: EmrClusterPlan;
  releaseLabel: string;
  /** ARN (or name) of the EMR service role. */
  serviceRole: string;
  /** Name of the EC2 instance profile. */
  jobFlowRole: string;
  /** Name of the EMR security configuration. */
  securityConfiguration: string;
  /** s3://bucket/prefix/ for cluster logs. */
  logUri: string;
  /** KMS key that encrypts the logs EMR pushes to S3. */
  logEncryptionKmsKeyId: string;
  /** Private subnets; EMR picks the Availability Zone with capacity for the fleets. */
  subnetIds: string[];
  securityGroups: { primary: string; coreAndTask: string; serviceAccess: string };
  idleTimeoutSeconds: number;
  configurations: EmrConfiguration[];
  /** Tags of the cluster; the EMR managed-policy tag is always added. */
  tags: Record<string, string>;
  /** Default 1. */
  stepConcurrencyLevel?: number;
  /** Default DEFAULT_EBS_ROOT_VOLUME_GIB. */
  ebsRootVolumeSizeGiB?: number;
}

/** Root volume of every node, GiB: room for logs and packages on Amazon Linux 2023. */
export const DEFAULT_EBS_ROOT_VOLUME_GIB = 32;

function instanceTypeConfigRequests(fleet: FleetPlan): InstanceTypeConfigRequest[] {
  return fleet.instanceTypes.map((type) => ({
    InstanceType: type.instanceType,
    WeightedCapacity: type.weightedCapacity,
    EbsConfiguration: {
      EbsBlockDeviceConfigs: [
        { VolumeSpecification: { VolumeType: "gp3", SizeInGB: type.ebsVolumeGiB }, VolumesPerInstance: 1 },
      ],
      EbsOptimized: true,
    },
  }));
}

function launchSpecificationsRequest(fleet: FleetPlan): LaunchSpecificationsRequest {
  const onDemand = { AllocationStrategy: fleet.onDemand.allocationStrategy };
  if (!fleet.spot) return { OnDemandSpecification: onDemand };
  return {
    OnDemandSpecification: onDemand,
    SpotSpecification: {
      AllocationStrategy: fleet.spot.allocationStrategy,
      TimeoutAction: fleet.spot.timeoutAction,
      TimeoutDurationMinutes: fleet.spot.timeoutDurationMinutes,
    },
  };
}

/**
 * The plan as EMR RunJobFlow parameters (PascalCase, plain JSON), for the Step Functions
 * `elasticmapreduce:createCluster` integration. Same fleets, limits, configurations, security
 * configuration and logs as the long-running cluster component.
 */
export function runJobFlowRequest(input: RunJobFlowInput): RunJobFlowRequest {
  const { plan } = input;
  if (input.subnetIds.length === 0) throw new Error("runJobFlowRequest needs at least one subnet");
  const primary: PrimaryFleetRequest = {
    Name: plan.primary.name,
    InstanceFleetType: "MASTER",
    TargetOnDemandCapacity: plan.primary.targetOnDemandCapacity,
    InstanceTypeConfigs: instanceTypeConfigRequests(plan.primary),
    LaunchSpecifications: launchSpecificationsRequest(plan.primary),
  };
  const worker = (fleet: FleetPlan, type: "CORE" | "TASK"): WorkerFleetRequest => ({
    Name: fleet.name,
    InstanceFleetType: type,
    TargetOnDemandCapacity: fleet.targetOnDemandCapacity,
    TargetSpotCapacity: fleet.targetSpotCapacity,
    InstanceTypeConfigs: instanceTypeConfigRequests(fleet),
    LaunchSpecifications: launchSpecificationsRequest(fleet),
  });
  const limits = plan.computeLimits;
  const tags = { ...input.tags, [EMR_MANAGED_POLICY_TAG.key]: EMR_MANAGED_POLICY_TAG.value };
  return {
    Name: input.name,
    ReleaseLabel: input.releaseLabel,
    Applications: EMR_APPLICATIONS.map((name) => ({ Name: name })),
    Configurations: input.configurations.map((configuration) => ({
      Classification: configuration.Classification,
      Properties: { ...configuration.Properties },
    })),
    Instances: {
      InstanceFleets: [primary, worker(plan.core, "CORE"), worker(plan.task, "TASK")],
      Ec2SubnetIds: [...input.subnetIds],
      EmrManagedMasterSecurityGroup: input.securityGroups.primary,
      EmrManagedSlaveSecurityGroup: input.securityGroups.coreAndTask,
      ServiceAccessSecurityGroup: input.securityGroups.serviceAccess,
      // createCluster.sync requires it; the state machine terminates the cluster itself.
      KeepJobFlowAliveWhenNoSteps: true,
      TerminationProtected: false,
    },
    ServiceRole: input.serviceRole,
    JobFlowRole: input.jobFlowRole,
    SecurityConfiguration: input.securityConfiguration,
    LogUri: input.logUri,
    LogEncryptionKmsKeyId: input.logEncryptionKmsKeyId,
    ManagedScalingPolicy: {
      ComputeLimits: {
        UnitType: limits.unitType,
        MinimumCapacityUnits: limits.minimumCapacityUnits,
        MaximumCapacityUnits: limits.maximumCapacityUnits,
        MaximumOnDemandCapacityUnits: limits.maximumOnDemandCapacityUnits,
        MaximumCoreCapacityUnits: limits.maximumCoreCapacityUnits,
      },
    },
    // The backstop if the state machine loses track of the cluster.
    AutoTerminationPolicy: { IdleTimeout: input.idleTimeoutSeconds },
    StepConcurrencyLevel: input.stepConcurrencyLevel ?? 1,
    EbsRootVolumeSize: input.ebsRootVolumeSizeGiB ?? DEFAULT_EBS_ROOT_VOLUME_GIB,
    VisibleToAllUsers: true,
    Tags: Object.entries(tags)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([Key, Value]) => ({ Key, Value })),
  };
}
