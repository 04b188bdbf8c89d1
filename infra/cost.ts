/**
 * The stack's workload as the pure cost estimate sees it: derived from the validated config and
 * the same capacity decisions the components use, plus the explicit `costModel` assumptions.
 */
import { StackConfig } from "./config";
import { CostEstimate, estimateMonthlyCost, PipelineWorkload, WorkloadDescription } from "../decisions/cost";
import { RedshiftNodeType } from "../decisions/cost/prices";
import { PipelineDefinition } from "../decisions/pipeline";
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
  const { usage, startupMinutes } = engine.costUsage(pipeline, settingsOf(pipeline, engine));
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
  };
}

/** What the program declared that the estimate counts but config alone does not say. */
export interface DeclaredCounts {
  /** CloudWatch metric alarms the monitoring components created. */
  alarms: number;
  /** CloudWatch composite alarms they created. */
  compositeAlarms: number;
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
    fixed: {
      natGateways,
      natGbProcessedPerMonth: config.costModel.natGbPerMonth,
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
