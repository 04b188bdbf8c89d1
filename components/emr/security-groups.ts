/**
 * Network pieces of EMR on EC2 in private subnets: the three EMR-managed security groups we create
 * ourselves (tagged for AmazonEMRServicePolicy_v2) and the subnet tag that policy requires.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { EMR_MANAGED_POLICY_TAG } from "../../decisions/emr";

/** Tags that let the EMR v2 service policy use a resource. */
export const EMR_MANAGED_POLICY_TAGS: Record<string, string> = {
  [EMR_MANAGED_POLICY_TAG.key]: EMR_MANAGED_POLICY_TAG.value,
};

export interface EmrSecurityGroupsArgs {
  vpcId: pulumi.Input<string>;
  /** Extra tags (pipeline, sla-tier) when the groups belong to one pipeline. */
  tags?: Record<string, string>;
}

/**
 * Custom EMR-managed security groups for clusters in private subnets: primary, core/task and
 * service access (required in private subnets: EMR's cluster manager reaches the primary node
 * through it).
 *
 * Why our own instead of EMR's defaults: the v2 service policy only lets EMR use security groups
 * tagged `for-use-with-amazon-emr-managed-policies=true`, we want them named, tagged and deleted with
 * the stack, and EMR's defaults allow all egress. EMR adds the inbound rules a cluster needs to
 * these groups itself (node to node, 8443 from the service access group), so the groups declare no
 * inline rules (Pulumi would remove EMR's); the egress rules are separate resources:
 * - primary and core/task: all traffic to each other (and within the group), HTTPS to AWS endpoints;
 * - primary to service access on 9443, and service access to primary and core/task on 8443.
 * `revokeRulesOnDelete` breaks the cycle of cross-referencing rules EMR leaves behind on deletion.
 */
export class EmrSecurityGroups extends pulumi.ComponentResource {
  readonly primary: aws.ec2.SecurityGroup;
  readonly coreAndTask: aws.ec2.SecurityGroup;
  readonly serviceAccess: aws.ec2.SecurityGroup;
  /** Our rules; clusters wait for them, so EMR finds them instead of racing to add its own. */
  readonly rules: pulumi.CustomResource[] = [];

  constructor(name: string, args: EmrSecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:emr:SecurityGroups", name, {}, opts);
    const group = (suffix: string, description: string) =>
      new aws.ec2.SecurityGroup(
        `${name}-${suffix}`,
        {
          vpcId: args.vpcId,
          description,
          revokeRulesOnDelete: true,
          tags: { ...args.tags, Name: `${name}-${suffix}`, ...EMR_MANAGED_POLICY_TAGS },
        },
        { parent: this },
      );
    this.primary = group("primary", "EMR-managed: primary node (rules added by EMR)");
    this.coreAndTask = group("core-task", "EMR-managed: core and task nodes (rules added by EMR)");
    this.serviceAccess = group(
      "service-access",
      "EMR-managed: service access for clusters in private subnets",
    );
    this.declareNodeEgress(name);
    this.declareServiceAccessRules(name);

    this.registerOutputs({
      primaryId: this.primary.id,
      coreAndTaskId: this.coreAndTask.id,
      serviceAccessId: this.serviceAccess.id,
    });
  }

  /** One egress rule of `from`, recorded in `rules`. */
  private egress(
    name: string,
    from: aws.ec2.SecurityGroup,
    rule: Omit<aws.vpc.SecurityGroupEgressRuleArgs, "securityGroupId">,
  ): void {
    this.rules.push(
      new aws.vpc.SecurityGroupEgressRule(name, { securityGroupId: from.id, ...rule }, { parent: this }),
    );
  }

  /** Primary and core/task nodes: all traffic to each other, HTTPS to AWS endpoints. */
  private declareNodeEgress(name: string): void {
    for (const [suffix, from] of [
      ["primary", this.primary],
      ["core-task", this.coreAndTask],
    ] as const) {
      this.egress(`${name}-${suffix}-to-primary`, from, {
        description: "Cluster traffic to the primary node",
        ipProtocol: "-1",
        referencedSecurityGroupId: this.primary.id,
      });
      this.egress(`${name}-${suffix}-to-core-task`, from, {
        description: "Cluster traffic to core and task nodes",
        ipProtocol: "-1",
        referencedSecurityGroupId: this.coreAndTask.id,
      });
      this.egress(`${name}-${suffix}-https`, from, {
        description: "HTTPS to AWS service endpoints and S3",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      });
    }
  }

  /** Primary to service access on 9443 (both directions' rules), service access to the nodes on 8443. */
  private declareServiceAccessRules(name: string): void {
    this.egress(`${name}-primary-to-service-access`, this.primary, {
      description: "Primary node to the EMR service access group (EMR 5.30+)",
      ipProtocol: "tcp",
      fromPort: 9443,
      toPort: 9443,
      referencedSecurityGroupId: this.serviceAccess.id,
    });
    this.rules.push(
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-service-access-from-primary`,
        {
          securityGroupId: this.serviceAccess.id,
          description: "Primary node to the EMR service (EMR 5.30+)",
          ipProtocol: "tcp",
          fromPort: 9443,
          toPort: 9443,
          referencedSecurityGroupId: this.primary.id,
        },
        { parent: this },
      ),
    );
    for (const [suffix, to] of [
      ["primary", this.primary],
      ["core-task", this.coreAndTask],
    ] as const) {
      this.egress(`${name}-service-access-to-${suffix}`, this.serviceAccess, {
        description: "EMR cluster manager to the nodes",
        ipProtocol: "tcp",
        fromPort: 8443,
        toPort: 8443,
        referencedSecurityGroupId: to.id,
      });
    }
  }
}

export interface EmrSubnetTagsArgs {
  /** Subnets to tag; a plain list, so the tags show in previews. */
  subnetIds: pulumi.Input<string>[];
}

/**
 * Adds `for-use-with-amazon-emr-managed-policies=true` to existing subnets, which the EMR v2 service
 * policy requires before it launches nodes into them. Use it for subnets this stack does not
 * create; subnets created by a stack should carry the tag from the start (awsx subnetSpecs tags).
 * Do not use it on subnets that already carry the tag from elsewhere: two owners would fight over it.
 */
export class EmrSubnetTags extends pulumi.ComponentResource {
  readonly tags: aws.ec2.Tag[];

  constructor(name: string, args: EmrSubnetTagsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:emr:SubnetTags", name, {}, opts);
    this.tags = args.subnetIds.map(
      (subnetId, index) =>
        new aws.ec2.Tag(
          `${name}-${index + 1}`,
          { resourceId: subnetId, key: EMR_MANAGED_POLICY_TAG.key, value: EMR_MANAGED_POLICY_TAG.value },
          { parent: this },
        ),
    );
    this.registerOutputs({ count: this.tags.length });
  }
}
