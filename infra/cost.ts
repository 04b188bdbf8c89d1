/**
 * The stack's workload as the pure cost estimate sees it: derived from the validated config and
 * the same capacity decisions the components use, plus the explicit `costModel` assumptions.
 */
import { StackConfig } from "./config";
import { PipelineConfig } from "./pipeline-config";
import {
  CostEstimate,
  EngineUsage,
  estimateMonthlyCost,
  PipelineWorkload,
  WorkloadDescription,
} from "../decisions/cost";
import { RedshiftNodeType } from "../decisions/cost/prices";
import { glueExecutionClass, GlueWorkerType } from "../decisions/glue";
import { emrClusterPlan, FleetPlan } from "../decisions/emr";
import { batchComputePlan } from "../decisions/batch";
import { runsPerMonth } from "../decisions/schedule";

/** Transient clusters boot and bootstrap before the step runs. */
const EMR_STARTUP_MINUTES = 10;
/** States a run passes through per step (task, retries, choice/wait loops), a conservative average. */
const STATE_TRANSITIONS_PER_STEP = 6;

function nodeGroup(
  fleet: FleetPlan,
  units: number,
): { instanceType: string; count: number; market: "ON_DEMAND" | "SPOT" } {
  const type = fleet.instanceTypes[0];
  return {
    instanceType: type.instanceType,
    count: Math.max(1, Math.ceil(units / type.weightedCapacity)),
    market: fleet.market,
  };
}

function engineUsage(pipeline: PipelineConfig): EngineUsage {
  switch (pipeline.engine) {
    case "glue": {
      const workerType = pipeline.glue.workerType as GlueWorkerType;
      return {
        engine: "glue",
        workerType,
        numberOfWorkers: pipeline.glue.numberOfWorkers,
        executionClass: glueExecutionClass(pipeline.slaTier, workerType),
      };
    }
    case "emr": {
      const plan = emrClusterPlan({
        tier: pipeline.slaTier,
        minCapacityUnits: pipeline.emr.minCapacityUnits,
        maxCapacityUnits: pipeline.emr.maxCapacityUnits,
      });
      return {
        engine: "emr",
        primary: nodeGroup(plan.primary, 1),
        core: nodeGroup(plan.core, pipeline.emr.minCapacityUnits),
      };
    }
    case "emrServerless":
      // Upper bound: the application's maximum capacity for the whole expected runtime.
      return {
        engine: "emrServerless",
        vcpu: pipeline.emrServerless.maximumVcpu,
        memoryGb: pipeline.emrServerless.maximumMemoryGb,
        architecture: "ARM64",
      };
    case "batch": {
      const plan = batchComputePlan(pipeline.slaTier, { ec2Spot: pipeline.batch.ec2Spot });
      const first = plan.environments[0];
      return {
        engine: "batch",
        vcpu: pipeline.batch.vcpu,
        memoryGb: pipeline.batch.memoryMiB / 1024,
        architecture: "ARM64",
        spot: first.capacity === "FARGATE_SPOT" || first.capacity === "SPOT",
      };
    }
  }
}

function pipelineWorkload(pipeline: PipelineConfig): PipelineWorkload {
  const runs =
    pipeline.trigger.type === "schedule"
      ? runsPerMonth(pipeline.trigger.expression)
      : (pipeline.expectedRunsPerMonth ?? 0);
  const startup = pipeline.engine === "emr" ? EMR_STARTUP_MINUTES : 0;
  const steps = pipeline.steps?.length ?? 1;
  return {
    name: pipeline.name,
    slaTier: pipeline.slaTier,
    runsPerMonth: runs,
    expectedRuntimeMinutes: pipeline.expectedRuntimeMinutes + startup,
    stateTransitionsPerRun: steps * STATE_TRANSITIONS_PER_STEP,
    usage: engineUsage(pipeline),
  };
}

/** What the program declared that the estimate counts but config alone does not say. */
export interface DeclaredCounts {
  /** CloudWatch alarms the monitoring components created. */
  alarms: number;
}

export function workloadOf(config: StackConfig, declared: DeclaredCounts): WorkloadDescription {
  const network = config.network;
  const natGateways =
    network.mode === "existing" || network.natGateways === "none"
      ? 0
      : network.natGateways === "single"
        ? 1
        : network.availabilityZones;
  const warehouse = config.warehouse;
  return {
    region: config.region,
    spotPriceFraction: config.costModel.spotPriceFraction,
    pipelines: config.pipelines.map(pipelineWorkload),
    fixed: {
      natGateways,
      natGbProcessedPerMonth: config.costModel.natGbPerMonth,
      // The lake key and the alert topic key.
      kmsKeys: 2,
      alarms: declared.alarms,
      storageGbByClass: {
        STANDARD: config.costModel.storageGb.standard,
        STANDARD_IA: config.costModel.storageGb.standardIa,
        GLACIER_IR: config.costModel.storageGb.glacierInstantRetrieval,
      },
      logsGbPerMonth: config.costModel.logsGbPerMonth,
      warehouse:
        warehouse === undefined
          ? undefined
          : warehouse.kind === "serverless"
            ? {
                kind: "serverless",
                baseRpu: warehouse.baseCapacityRpu,
                hoursPerMonth: warehouse.monthlyRpuHoursLimit / warehouse.baseCapacityRpu,
              }
            : {
                kind: "provisioned",
                nodeType: warehouse.nodeType as RedshiftNodeType,
                nodes: warehouse.numberOfNodes,
              },
    },
  };
}

export function estimateStackCost(config: StackConfig, declared: DeclaredCounts): CostEstimate {
  return estimateMonthlyCost(workloadOf(config, declared));
}
