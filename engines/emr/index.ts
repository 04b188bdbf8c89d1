/**
 * The EMR on EC2 engine. `mode: transient`: Step Functions creates a cluster per run from the
 * pipeline's plan, runs the Spark step and terminates the cluster (also on failure).
 * `mode: longRunning`: a cluster that stays up for ad-hoc steps, with managed scaling and
 * auto-termination when idle. Both share the environment's EMR security configuration and
 * security groups, created with the first EMR pipeline.
 */
import * as pulumi from "@pulumi/pulumi";
import { EmrCluster } from "../../components/emr/cluster";
import { EmrTransientCluster } from "../../components/emr/transient-cluster";
import { EmrSecurityConfiguration } from "../../components/emr/security-configuration";
import { EmrSecurityGroups } from "../../components/emr/security-groups";
import { emrClusterPlan, FleetPlan } from "../../decisions/emr";
import { EmrNodeGroup } from "../../decisions/cost";
import { PipelineDefinition } from "../../decisions/pipeline";
import { EngineJob, EngineModule, STEP_FUNCTIONS } from "../contract";
import { PlatformContext } from "../platform-context";
import { sparkArguments, sparkJobInputs } from "../spark/job";
import { emrClusterFailureRules, emrEngineWidgets, emrIdleAlarm } from "./monitoring";
import { checkEmrPipeline, EmrSettings, emrSettingsSchema, LONG_RUNNING_CLUSTER } from "./settings";
import { EMR_TRANSIENT_STEP, EmrClusterConfig, EmrTransientStep } from "./step";

/** Transient clusters boot and bootstrap before the step runs. */
export const EMR_STARTUP_MINUTES = 10;

export interface EmrJob extends EngineJob {
  cluster: EmrTransientCluster | EmrCluster;
}

/** The security configuration and security groups every EMR cluster of the environment shares. */
function sharedEmrResources(ctx: PlatformContext) {
  return ctx.shared("emr", () => ({
    securityConfiguration: new EmrSecurityConfiguration(
      `${ctx.namePrefix}-emr`,
      { keyArn: ctx.dataLake.key.arn },
      ctx.opts,
    ),
    securityGroups: new EmrSecurityGroups(`${ctx.namePrefix}-emr`, { vpcId: ctx.network.vpcId }, ctx.opts),
  }));
}

function declareEmrJob(pipeline: PipelineDefinition, settings: EmrSettings, ctx: PlatformContext): EmrJob {
  const name = ctx.nameOf(pipeline.name);
  const { source, target, script, access } = sparkJobInputs(pipeline, settings, ctx);
  const shared = sharedEmrResources(ctx);
  const clusterArgs = {
    pipeline: pipeline.name,
    tier: pipeline.slaTier,
    releaseLabel: settings.releaseLabel,
    minCapacityUnits: settings.minCapacityUnits,
    maxCapacityUnits: settings.maxCapacityUnits,
    idleTimeoutMinutes: settings.idleTimeoutMinutes,
    dataLake: ctx.dataLake,
    access,
    vpcId: ctx.network.vpcId,
    privateSubnetIds: ctx.network.privateSubnetIds,
    securityGroups: shared.securityGroups,
    securityConfiguration: shared.securityConfiguration,
  };

  if (settings.mode === "longRunning") {
    const cluster = new EmrCluster(name, clusterArgs, ctx.opts);
    return {
      cluster,
      catalogPrincipalArn: cluster.roles.instanceRole.arn,
      alarms: [
        emrIdleAlarm(pipeline.name, {
          clusterId: cluster.cluster.id,
          idleTimeoutMinutes: settings.idleTimeoutMinutes,
        }),
      ],
      // Steps are submitted to the cluster ad hoc: no trigger, no run metrics of its own.
      standalone: () => ({ alarms: [], dashboardRow: [] }),
    };
  }

  const cluster = new EmrTransientCluster(name, clusterArgs, ctx.opts);
  const args = sparkArguments(source, target);
  return {
    cluster,
    catalogPrincipalArn: cluster.roles.instanceRole.arn,
    step: (stepName, timeoutSeconds) =>
      pulumi
        .all([
          cluster.request,
          cluster.serviceRoleArn,
          cluster.instanceRoleArn,
          script.s3Uri,
          script.pyFilesArgs,
          args,
        ])
        .apply(
          ([
            request,
            serviceRoleArn,
            instanceProfileRoleArn,
            scriptUri,
            pyFiles,
            scriptArgs,
          ]): EmrTransientStep => ({
            kind: EMR_TRANSIENT_STEP.kind,
            name: stepName,
            timeoutSeconds,
            clusterConfig: request as unknown as EmrClusterConfig,
            // spark-submit options go before the script; what follows the script goes to it.
            step: {
              name: stepName,
              args: ["spark-submit", "--deploy-mode", "cluster", ...pyFiles, scriptUri, ...scriptArgs],
            },
            serviceRoleArn,
            instanceProfileRoleArn,
          }),
        ),
  };
}

/** The cost estimate's view of a fleet: its first instance type, enough of it for the units. */
function nodeGroup(fleet: FleetPlan, units: number): EmrNodeGroup {
  const type = fleet.instanceTypes[0];
  return {
    instanceType: type.instanceType,
    count: Math.max(1, Math.ceil(units / type.weightedCapacity)),
    market: fleet.market,
  };
}

export const emrEngine: EngineModule<EmrSettings, EmrJob> = {
  id: "emr",
  label: "EMR on EC2",
  settingsSchema: emrSettingsSchema,
  networkWorkloads: ["emrCluster"],
  stepKinds: [EMR_TRANSIENT_STEP],
  checkPipeline: checkEmrPipeline,
  orchestration: (_pipeline, settings) =>
    settings.mode === "longRunning" ? LONG_RUNNING_CLUSTER : STEP_FUNCTIONS,
  declare: declareEmrJob,
  // Transient clusters get a new id per run: the rule matches the environment's name prefix.
  failureRules: (ctx, jobs) =>
    emrClusterFailureRules(ctx.environment, jobs.length > 0 ? `${ctx.namePrefix}-` : ""),
  dashboardWidgets: (jobs) => (jobs.length > 0 ? emrEngineWidgets() : []),
  costUsage: (pipeline, settings) => {
    const plan = emrClusterPlan({
      tier: pipeline.slaTier,
      minCapacityUnits: settings.minCapacityUnits,
      maxCapacityUnits: settings.maxCapacityUnits,
    });
    return {
      usage: {
        engine: "emr",
        primary: nodeGroup(plan.primary, 1),
        core: nodeGroup(plan.core, settings.minCapacityUnits),
      },
      startupMinutes: EMR_STARTUP_MINUTES,
    };
  },
};
