/**
 * The stack's workload as the pure cost estimate sees it: derived from the validated config and
 * the same capacity decisions the components use, plus the explicit `costModel` assumptions.
 */
import { StackConfig } from "./config";
import {
  CostEstimate,
  estimateMonthlyCost,
  PipelineWorkload,
  UntieredZone,
  WorkloadDescription,
} from "../decisions/cost";
import { DATA_ZONES } from "../decisions/pipeline";
import { RedshiftNodeType } from "../decisions/cost/prices";
import type { PipelineDefinition } from "../decisions/pipeline";
import { runsPerMonth } from "../decisions/schedule";
import { AnyEngineModule, settingsOf } from "../engines/contract";
import { engineOf } from "./pipeline-config";
import { runningHoursPerMonth } from "../decisions/warehouse/pause-schedule";

/** States a run passes through per step (task, retries, choice/wait loops), a conservative average. */
const STATE_TRANSITIONS_PER_STEP = 6;

function pipelineWorkload(
  pipeline: PipelineDefinition,
  engines: readonly AnyEngineModule[],
): PipelineWorkload {
  const engine = engineOf(pipeline, engines);
  const settings = settingsOf(pipeline, engine);
  const { usage, startupMinutes } = engine.costUsage(pipeline, settings);
  // The capacity the flexible tier would give a standard pipeline, for the cost advisor.
  const flexibleTierUsage =
    pipeline.slaTier === "standard"
      ? engine.costUsage({ ...pipeline, slaTier: "flexible" }, settings).usage
      : undefined;
  const runs =
    pipeline.trigger.type === "schedule"
      ? runsPerMonth(pipeline.trigger.expression)
      : (pipeline.expectedRunsPerMonth ?? 0);
  const steps = pipeline.steps?.length ?? 1;
  return {
    name: pipeline.name,
    slaTier: pipeline.slaTier,
    runsPerMonth: runs,
    expectedRuntimeMinutes: pipeline.expectedRuntimeMinutes + startupMinutes,
    stateTransitionsPerRun: steps * STATE_TRANSITIONS_PER_STEP,
    usage,
    ...(flexibleTierUsage && { flexibleTierUsage }),
  };
}

/**
 * The lake zones whose lifecycle never moves data to a cheaper class, with the STANDARD GB the
 * cost model puts in each (none when it does not split them by zone).
 */
function untieredZones(config: StackConfig): UntieredZone[] {
  const byZone = config.costModel.standardGbByZone;
  if (byZone === undefined) return [];
  return DATA_ZONES.flatMap((zone) => {
    const lifecycle = config.dataLake.zones[zone];
    const tiers =
      lifecycle.transitionToInfrequentAccessDays !== undefined ||
      lifecycle.transitionToGlacierDays !== undefined;
    return tiers ? [] : [{ zone, standardGb: byZone[zone], expireDays: lifecycle.expireDays }];
  });
}

/** What the program declared that the estimate counts but config alone does not say. */
export interface DeclaredCounts {
  /** CloudWatch metric alarms the monitoring components created. */
  alarms: number;
  /** CloudWatch composite alarms they created. */
  compositeAlarms: number;
  /** Interface VPC endpoints the network created (a new VPC without NAT). */
  interfaceEndpoints: number;
}

export function workloadOf(
  config: StackConfig,
  declared: DeclaredCounts,
  engines: readonly AnyEngineModule[],
): WorkloadDescription {
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
    pipelines: config.pipelines.map((pipeline) => pipelineWorkload(pipeline, engines)),
    advisor: {
      warehouseBusyHoursPerDay: config.costModel.warehouseBusyHoursPerDay,
      untieredZones: untieredZones(config),
    },
    fixed: {
      natGateways,
      natGbProcessedPerMonth: config.costModel.natGbPerMonth,
      interfaceEndpoints: {
        endpoints: declared.interfaceEndpoints,
        availabilityZones: network.mode === "new" ? network.availabilityZones : 0,
      },
      // The lake key and the alert topic key.
      kmsKeys: 2,
      alarms: declared.alarms,
      compositeAlarms: declared.compositeAlarms,
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
                // Paused hours bill no nodes; without a schedule the cluster runs all month.
                hoursPerMonth: warehouse.pauseSchedule && runningHoursPerMonth(warehouse.pauseSchedule),
              },
    },
  };
}

export function estimateStackCost(
  config: StackConfig,
  declared: DeclaredCounts,
  engines: readonly AnyEngineModule[],
): CostEstimate {
  return estimateMonthlyCost(workloadOf(config, declared, engines));
}
