import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import { EMR_MANAGED_POLICY_TAG } from "../../decisions/emr";
import { HTTPS_ONLY_EGRESS } from "../shared/security-groups";

/** NAT strategy names in config, mapped to awsx's. */
const NAT_STRATEGY = { none: "None", single: "Single", onePerAz: "OnePerAz" } as const;

export type NetworkArgs =
  | {
      mode: "new";
      /** VPC CIDR, e.g. 10.20.0.0/16. */
      cidrBlock: string;
      availabilityZones: number;
      /** none: no internet egress; single: one NAT for the VPC (dev); onePerAz: HA (prod). */
      natGateways: keyof typeof NAT_STRATEGY;
    }
  | {
      mode: "existing";
      vpcId: string;
      privateSubnetIds: string[];
    };

/**
 * Where the platform's jobs run: a VPC with private subnets (new, via awsx, or an existing
 * one), an S3 gateway endpoint so lake traffic skips the NAT (free instead of per-GB), and a
 * security group for job workloads that accepts no inbound traffic.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly s3Endpoint: aws.ec2.VpcEndpoint;
  /** For Batch tasks and EMR Serverless: no ingress, HTTPS egress only. */
  readonly jobSecurityGroup: aws.ec2.SecurityGroup;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:network:Network", name, {}, opts);
    const child = { parent: this };

    if (args.mode === "new") {
      const vpc = new awsx.ec2.Vpc(
        `${name}-vpc`,
        {
          cidrBlock: args.cidrBlock,
          numberOfAvailabilityZones: args.availabilityZones,
          natGateways: { strategy: NAT_STRATEGY[args.natGateways] },
          // awsx sizes one private and one public subnet per AZ from the CIDR.
          subnetStrategy: "Auto",
          subnetSpecs: [
            // AmazonEMRServicePolicy_v2 launches EMR nodes only into subnets with this tag.
            { type: "Private", tags: { [EMR_MANAGED_POLICY_TAG.key]: EMR_MANAGED_POLICY_TAG.value } },
            { type: "Public" },
          ],
          enableDnsHostnames: true,
          enableDnsSupport: true,
          tags: { Name: `${name}-vpc` },
        },
        child,
      );
      this.vpcId = vpc.vpcId;
      this.privateSubnetIds = vpc.privateSubnetIds;
    } else {
      this.vpcId = pulumi.output(args.vpcId);
      this.privateSubnetIds = pulumi.output(args.privateSubnetIds);
    }

    const region = aws.getRegionOutput({}, child);
    // The route tables of the private subnets: the gateway endpoint must sit on these.
    const privateRouteTables = aws.ec2.getRouteTablesOutput(
      {
        vpcId: this.vpcId,
        filters: [{ name: "association.subnet-id", values: this.privateSubnetIds }],
      },
      child,
    );

    this.s3Endpoint = new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: this.vpcId,
        serviceName: pulumi.interpolate`com.amazonaws.${region.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: privateRouteTables.ids,
        tags: { Name: `${name}-s3-gateway` },
      },
      child,
    );

    this.jobSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-jobs`,
      {
        vpcId: this.vpcId,
        description: "Batch data jobs: no inbound traffic, HTTPS to AWS APIs only",
        ingress: [],
        egress: HTTPS_ONLY_EGRESS,
        tags: { Name: `${name}-jobs` },
      },
      child,
    );

    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      s3EndpointId: this.s3Endpoint.id,
      jobSecurityGroupId: this.jobSecurityGroup.id,
    });
  }
}
