import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  DEFAULT_EBS_ROOT_VOLUME_GIB,
  EMR_APPLICATIONS,
  EmrClusterPlan,
  emrClusterPlan,
  emrClusterPlanProblems,
  EmrConfiguration,
  EmrConfigurationOptions,
  emrConfigurations,
  emrReleaseLabel,
  emrReleaseLabelError,
  catalogIdError,
  idleTimeoutError,
  idleTimeoutSeconds,
} from "../../decisions/emr";
import { ArgsProblem, nestedProblems, problemAt } from "../../decisions/problems";
import { assertValidArgs } from "../shared/args";
import { S3Location, s3Uri } from "../shared/locations";
import { SlaTier } from "../../decisions/sla-tier";
import { pipelineTags, TAG_KEYS } from "../shared/tags";
import { DataLake } from "../storage/data-lake";
import { EmrJobAccess, jobAccessProblems } from "./data-access";
import { computeLimits, coreInstanceFleet, primaryInstanceFleet, taskInstanceFleetArgs } from "./fleets";
import { EmrClusterRoles } from "./roles";
import { EmrSecurityConfiguration } from "./security-configuration";
import { EMR_MANAGED_POLICY_TAGS, EmrSecurityGroups } from "./security-groups";

/** Arguments shared by the long-running cluster and the transient cluster template. */
export interface EmrClusterBaseArgs {
  /** Pipeline the cluster runs (tag `pipeline`). */
  pipeline: string;
  /** SLA tier (tag `sla-tier`): decides Spot and on-demand use of the fleets. */
  tier: SlaTier;
  /** EMR 7 release label; default DEFAULT_EMR_RELEASE_LABEL. */
  releaseLabel?: string;
  /** Core + task capacity in vCPU units: the floor of managed scaling and the core fleet's size. */
  minCapacityUnits: number;
  /** Core + task capacity in vCPU units managed scaling may reach. */
  maxCapacityUnits: number;
  /** The cluster terminates after this many idle minutes. */
  idleTimeoutMinutes: number;
  /** Spot provisioning timeout at launch before switching to on-demand; default 10. */
  spotTimeoutMinutes?: number;
  /** Lake key and logs bucket (logs go to s3://<logs>/emr/<name>/). */
  dataLake: DataLake;
  access: EmrJobAccess;
  vpcId: pulumi.Input<string>;
  /**
   * Private subnets (tagged `for-use-with-amazon-emr-managed-policies=true`, which the EMR v2
   * service policy requires; see EmrSubnetTags).
   */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Shared security groups; default: the cluster creates its own. */
  securityGroups?: EmrSecurityGroups;
  /** Shared security configuration; default: the cluster creates its own with the lake key. */
  securityConfiguration?: EmrSecurityConfiguration;
  /** Steps that may run at once; default 1 (runs of the pipeline queue up). */
  stepConcurrencyLevel?: number;
  /** Root volume of each node, GiB; default DEFAULT_EBS_ROOT_VOLUME_GIB. */
  ebsRootVolumeSizeGiB?: number;
  /** Glue catalog account and extra spark-defaults. */
  configurations?: EmrConfigurationOptions;
}

/**
 * Every problem with a cluster's args (long-running or transient): capacity bounds and Spot
 * timeout (decisions/emr.ts emrClusterPlanProblems), an EMR 7 release, an idle timeout EMR
 * accepts, a catalog account id and valid data prefixes.
 */
export function validateEmrClusterArgs(
  args: Pick<
    EmrClusterBaseArgs,
    "minCapacityUnits" | "maxCapacityUnits" | "spotTimeoutMinutes" | "releaseLabel" | "idleTimeoutMinutes"
  > &
    Partial<Pick<EmrClusterBaseArgs, "configurations" | "access">>,
): ArgsProblem[] {
  const catalogId = args.configurations?.catalogId;
  return [
    ...emrClusterPlanProblems(args),
    ...problemAt(["releaseLabel"], emrReleaseLabelError(args.releaseLabel), args.releaseLabel),
    ...problemAt(["idleTimeoutMinutes"], idleTimeoutError(args.idleTimeoutMinutes), args.idleTimeoutMinutes),
    ...(catalogId === undefined
      ? []
      : problemAt(["configurations", "catalogId"], catalogIdError(catalogId), catalogId)),
    ...(args.access ? nestedProblems(["access"], jobAccessProblems(args.access)) : []),
  ];
}

/** The pieces every EMR on EC2 cluster needs, created or shared. */
export interface EmrClusterFoundation {
  plan: EmrClusterPlan;
  releaseLabel: string;
  roles: EmrClusterRoles;
  securityGroups: EmrSecurityGroups;
  securityConfiguration: EmrSecurityConfiguration;
  logUri: pulumi.Output<string>;
  tags: Record<string, string>;
  configurations: EmrConfiguration[];
  idleTimeoutSeconds: number;
  /** What the cluster must wait for: role policies and security group rules. */
  prerequisites: pulumi.CustomResource[];
}

/** Decides the plan and creates roles, security groups and security configuration under `parent`. */
export function emrClusterFoundation(
  name: string,
  args: EmrClusterBaseArgs,
  parent: pulumi.ComponentResource,
): EmrClusterFoundation {
  const child = { parent };
  // Decisions first: a bad config fails before any resource is declared.
  const plan = emrClusterPlan({
    tier: args.tier,
    minCapacityUnits: args.minCapacityUnits,
    maxCapacityUnits: args.maxCapacityUnits,
    spotTimeoutMinutes: args.spotTimeoutMinutes,
  });
  const releaseLabel = emrReleaseLabel(args.releaseLabel);
  const idleTimeout = idleTimeoutSeconds(args.idleTimeoutMinutes);
  const configurations = emrConfigurations(args.configurations);

  const lake = args.dataLake;
  const logs: S3Location = { bucketName: lake.logs.name, bucketArn: lake.logs.arn, prefix: `emr/${name}/` };
  const ownTags = pipelineTags(args.pipeline, args.tier);
  const roles = new EmrClusterRoles(
    `${name}-roles`,
    { access: { ...args.access, keyArn: lake.key.arn }, logs, tags: ownTags },
    child,
  );
  const securityGroups =
    args.securityGroups ?? new EmrSecurityGroups(`${name}-sg`, { vpcId: args.vpcId, tags: ownTags }, child);
  const securityConfiguration =
    args.securityConfiguration ??
    new EmrSecurityConfiguration(`${name}-security`, { keyArn: lake.key.arn }, child);
  return {
    plan,
    releaseLabel,
    roles,
    securityGroups,
    securityConfiguration,
    logUri: s3Uri(logs),
    tags: {
      ...ownTags,
      [TAG_KEYS.component]: "emr",
      ...EMR_MANAGED_POLICY_TAGS,
    },
    configurations,
    idleTimeoutSeconds: idleTimeout,
    prerequisites: [...roles.policies, ...securityGroups.rules],
  };
}

export type EmrClusterArgs = EmrClusterBaseArgs;

/**
 * A long-running EMR on EC2 cluster for a pipeline: Spark and Hive on EMR 7 with the Glue Data
 * Catalog as metastore; instance fleets of Graviton types with Spot by SLA tier (primary and core
 * fleets on the cluster, the task fleet as its own resource); managed scaling between the min and
 * max units; auto-termination after the idle timeout; private subnets with EMR-managed security
 * groups; the security configuration (lake key at rest) and logs under the logs bucket.
 */
export class EmrCluster extends pulumi.ComponentResource {
  readonly cluster: aws.emr.Cluster;
  readonly taskFleet: aws.emr.InstanceFleet;
  readonly scalingPolicy: aws.emr.ManagedScalingPolicy;
  readonly roles: EmrClusterRoles;
  readonly securityGroups: EmrSecurityGroups;
  readonly securityConfiguration: EmrSecurityConfiguration;
  readonly plan: EmrClusterPlan;
  readonly clusterId: pulumi.Output<string>;
  readonly logUri: pulumi.Output<string>;

  constructor(name: string, args: EmrClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:emr:Cluster", name, {}, opts);
    assertValidArgs("bdp:emr:Cluster", name, validateEmrClusterArgs(args));
    const foundation = emrClusterFoundation(name, args, this);
    const { plan, roles, securityGroups } = foundation;
    this.plan = plan;
    this.roles = roles;
    this.securityGroups = securityGroups;
    this.securityConfiguration = foundation.securityConfiguration;
    this.logUri = foundation.logUri;

    this.cluster = new aws.emr.Cluster(
      name,
      {
        name,
        releaseLabel: foundation.releaseLabel,
        applications: [...EMR_APPLICATIONS],
        serviceRole: roles.serviceRole.arn,
        ec2Attributes: {
          subnetIds: args.privateSubnetIds,
          instanceProfile: roles.instanceProfile.arn,
          emrManagedMasterSecurityGroup: securityGroups.primary.id,
          emrManagedSlaveSecurityGroup: securityGroups.coreAndTask.id,
          serviceAccessSecurityGroup: securityGroups.serviceAccess.id,
        },
        masterInstanceFleet: primaryInstanceFleet(plan.primary),
        coreInstanceFleet: coreInstanceFleet(plan.core),
        configurationsJson: JSON.stringify(foundation.configurations),
        securityConfiguration: foundation.securityConfiguration.name,
        logUri: foundation.logUri,
        logEncryptionKmsKeyId: args.dataLake.key.arn,
        autoTerminationPolicy: { idleTimeout: foundation.idleTimeoutSeconds },
        keepJobFlowAliveWhenNoSteps: true,
        terminationProtection: false,
        // Replace degraded core nodes instead of running on with lost HDFS/YARN capacity.
        unhealthyNodeReplacement: true,
        stepConcurrencyLevel: args.stepConcurrencyLevel ?? 1,
        ebsRootVolumeSize: args.ebsRootVolumeSizeGiB ?? DEFAULT_EBS_ROOT_VOLUME_GIB,
        tags: foundation.tags,
      },
      {
        parent: this,
        dependsOn: foundation.prerequisites,
        // Managed scaling resizes the core fleet; the plan only sets its launch size.
        ignoreChanges: ["coreInstanceFleet.targetOnDemandCapacity", "coreInstanceFleet.targetSpotCapacity"],
      },
    );
    this.clusterId = this.cluster.id;

    this.taskFleet = new aws.emr.InstanceFleet(
      `${name}-task`,
      taskInstanceFleetArgs(plan.task, this.cluster.id),
      {
        parent: this,
        // Managed scaling owns the task fleet's size after launch.
        ignoreChanges: ["targetOnDemandCapacity", "targetSpotCapacity"],
      },
    );

    this.scalingPolicy = new aws.emr.ManagedScalingPolicy(
      `${name}-scaling`,
      { clusterId: this.cluster.id, computeLimits: [computeLimits(plan.computeLimits)] },
      { parent: this },
    );

    this.registerOutputs({
      clusterId: this.clusterId,
      logUri: this.logUri,
      serviceRoleArn: roles.serviceRole.arn,
      instanceRoleArn: roles.instanceRole.arn,
    });
  }
}
