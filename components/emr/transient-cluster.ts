import * as pulumi from "@pulumi/pulumi";
import { EmrClusterPlan, runJobFlowRequest, RunJobFlowRequest } from "../../decisions/emr";
import { EmrClusterBaseArgs, emrClusterFoundation, validateEmrClusterArgs } from "./cluster";
import { assertValidArgs } from "../shared/args";
import { EmrClusterRoles } from "./roles";
import { EmrSecurityConfiguration } from "./security-configuration";
import { EmrSecurityGroups } from "./security-groups";

export type EmrTransientClusterArgs = EmrClusterBaseArgs;

/**
 * Everything a transient EMR cluster needs except the cluster: Step Functions creates the cluster
 * per run (createCluster.sync -> step -> terminate) from `request`, the same plan, configurations,
 * roles, security groups, security configuration and log location as EmrCluster. The state
 * machine's role must be allowed to pass `serviceRoleArn` and `instanceRoleArn`.
 */
export class EmrTransientCluster extends pulumi.ComponentResource {
  readonly roles: EmrClusterRoles;
  readonly securityGroups: EmrSecurityGroups;
  readonly securityConfiguration: EmrSecurityConfiguration;
  readonly plan: EmrClusterPlan;
  readonly logUri: pulumi.Output<string>;
  readonly serviceRoleArn: pulumi.Output<string>;
  /** The role inside the instance profile (what iam:PassRole names). */
  readonly instanceRoleArn: pulumi.Output<string>;
  /** RunJobFlow parameters (PascalCase) for the createCluster integration. */
  readonly request: pulumi.Output<RunJobFlowRequest>;

  constructor(name: string, args: EmrTransientClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:emr:TransientCluster", name, {}, opts);
    assertValidArgs("bdp:emr:TransientCluster", name, validateEmrClusterArgs(args));
    const foundation = emrClusterFoundation(name, args, this);
    const { plan, roles, securityGroups, securityConfiguration } = foundation;
    this.plan = plan;
    this.roles = roles;
    this.securityGroups = securityGroups;
    this.securityConfiguration = securityConfiguration;
    this.logUri = foundation.logUri;
    this.serviceRoleArn = roles.serviceRole.arn;
    this.instanceRoleArn = roles.instanceRole.arn;

    // Resolved only once the prerequisites exist, so a run cannot start before its roles and rules.
    const ready = pulumi.all(foundation.prerequisites.map((resource) => resource.id));
    this.request = pulumi
      .output({
        ready,
        serviceRole: roles.serviceRole.arn,
        jobFlowRole: roles.instanceProfile.name,
        securityConfiguration: securityConfiguration.name,
        logUri: foundation.logUri,
        keyArn: args.dataLake.key.arn,
        subnetIds: args.privateSubnetIds,
        primary: securityGroups.primary.id,
        coreAndTask: securityGroups.coreAndTask.id,
        serviceAccess: securityGroups.serviceAccess.id,
      })
      .apply((resolved) =>
        runJobFlowRequest({
          name,
          plan,
          releaseLabel: foundation.releaseLabel,
          serviceRole: resolved.serviceRole,
          jobFlowRole: resolved.jobFlowRole,
          securityConfiguration: resolved.securityConfiguration,
          logUri: resolved.logUri,
          logEncryptionKmsKeyId: resolved.keyArn,
          subnetIds: resolved.subnetIds,
          securityGroups: {
            primary: resolved.primary,
            coreAndTask: resolved.coreAndTask,
            serviceAccess: resolved.serviceAccess,
          },
          idleTimeoutSeconds: foundation.idleTimeoutSeconds,
          configurations: foundation.configurations,
          tags: foundation.tags,
          stepConcurrencyLevel: args.stepConcurrencyLevel,
          ebsRootVolumeSizeGiB: args.ebsRootVolumeSizeGiB,
        }),
      );

    this.registerOutputs({
      serviceRoleArn: this.serviceRoleArn,
      instanceRoleArn: this.instanceRoleArn,
      logUri: this.logUri,
    });
  }
}
