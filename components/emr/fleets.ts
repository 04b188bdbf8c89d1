/** The fleet plan of decisions/emr.ts in the shapes aws.emr.Cluster and aws.emr.InstanceFleet take. */
import * as aws from "@pulumi/aws";
import { ComputeLimitsPlan, FleetPlan } from "../../decisions/emr";

type InstanceTypeConfig = aws.types.input.emr.InstanceFleetInstanceTypeConfig;
type LaunchSpecifications = aws.types.input.emr.InstanceFleetLaunchSpecifications;

function instanceTypeConfigs(fleet: FleetPlan): InstanceTypeConfig[] {
  return fleet.instanceTypes.map((type) => ({
    instanceType: type.instanceType,
    weightedCapacity: type.weightedCapacity,
    // Spot never pays more than on-demand (the default, stated).
    ...(fleet.spot ? { bidPriceAsPercentageOfOnDemandPrice: 100 } : {}),
    ebsConfigs: [{ size: type.ebsVolumeGiB, type: "gp3", volumesPerInstance: 1 }],
  }));
}

function launchSpecifications(fleet: FleetPlan): LaunchSpecifications {
  const specifications: LaunchSpecifications = {
    onDemandSpecifications: [{ allocationStrategy: fleet.onDemand.allocationStrategy }],
  };
  if (fleet.spot) {
    specifications.spotSpecifications = [
      {
        allocationStrategy: fleet.spot.allocationStrategy,
        timeoutAction: fleet.spot.timeoutAction,
        timeoutDurationMinutes: fleet.spot.timeoutDurationMinutes,
      },
    ];
  }
  return specifications;
}

/** `masterInstanceFleet`: exactly one target capacity, of 1 (EMR rejects the other one). */
export function primaryInstanceFleet(fleet: FleetPlan): aws.types.input.emr.ClusterMasterInstanceFleet {
  return {
    name: fleet.name,
    ...(fleet.targetSpotCapacity > 0
      ? { targetSpotCapacity: fleet.targetSpotCapacity }
      : { targetOnDemandCapacity: fleet.targetOnDemandCapacity }),
    instanceTypeConfigs: instanceTypeConfigs(fleet),
    launchSpecifications: launchSpecifications(fleet),
  };
}

/** `coreInstanceFleet`. */
export function coreInstanceFleet(fleet: FleetPlan): aws.types.input.emr.ClusterCoreInstanceFleet {
  return {
    name: fleet.name,
    targetOnDemandCapacity: fleet.targetOnDemandCapacity,
    targetSpotCapacity: fleet.targetSpotCapacity,
    instanceTypeConfigs: instanceTypeConfigs(fleet),
    launchSpecifications: launchSpecifications(fleet),
  };
}

/** Arguments of the aws.emr.InstanceFleet resource of the task fleet. */
export function taskInstanceFleetArgs(fleet: FleetPlan, clusterId: aws.emr.InstanceFleetArgs["clusterId"]) {
  const args: aws.emr.InstanceFleetArgs = {
    clusterId,
    name: fleet.name,
    targetOnDemandCapacity: fleet.targetOnDemandCapacity,
    targetSpotCapacity: fleet.targetSpotCapacity,
    instanceTypeConfigs: instanceTypeConfigs(fleet),
    launchSpecifications: launchSpecifications(fleet),
  };
  return args;
}

/** `computeLimits` of aws.emr.ManagedScalingPolicy (note the provider's "Ondemand" spelling). */
export function computeLimits(
  limits: ComputeLimitsPlan,
): aws.types.input.emr.ManagedScalingPolicyComputeLimit {
  return {
    unitType: limits.unitType,
    minimumCapacityUnits: limits.minimumCapacityUnits,
    maximumCapacityUnits: limits.maximumCapacityUnits,
    maximumOndemandCapacityUnits: limits.maximumOnDemandCapacityUnits,
    maximumCoreCapacityUnits: limits.maximumCoreCapacityUnits,
  };
}
