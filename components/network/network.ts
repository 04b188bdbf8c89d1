import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import { EMR_MANAGED_POLICY_TAG } from "../../decisions/emr";
import { HTTPS_ONLY_EGRESS } from "../shared/security-groups";
import { EndpointService, ENDPOINT_SERVICES } from "./endpoints";

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
      /**
       * Without NAT, the AWS APIs the stack's workloads call get interface endpoints (see
       * endpoints.ts: endpointServicesFor). Default: every service a platform workload may call.
       * Ignored with NAT gateways, which reach the public endpoints.
       */
      interfaceEndpoints?: readonly EndpointService[];
    }
  | {
      mode: "existing";
      vpcId: string;
      privateSubnetIds: string[];
    };

/**
 * Where the platform's jobs run: a VPC with private subnets (new, via awsx, or an existing
 * one), an S3 gateway endpoint so lake traffic skips the NAT (free instead of per-GB), and a
 * security group for job workloads that accepts no inbound traffic. A new VPC without NAT gets
 * interface endpoints (private DNS) for the AWS APIs its workloads call, since nothing else
 * routes there; an existing VPC brings its own routes.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly s3Endpoint: aws.ec2.VpcEndpoint;
  /** For Batch tasks and EMR Serverless: no ingress, HTTPS egress only. */
  readonly jobSecurityGroup: aws.ec2.SecurityGroup;
  /** Interface endpoints of a new VPC without NAT, by service (empty otherwise). */
  readonly interfaceEndpoints = new Map<EndpointService, aws.ec2.VpcEndpoint>();

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:network:Network", name, {}, opts);
    const child = { parent: this };
    const { vpcId, privateSubnetIds } = this.declareVpc(name, args);
    this.vpcId = vpcId;
    this.privateSubnetIds = privateSubnetIds;

    const region = aws.getRegionOutput({}, child);
    this.s3Endpoint = this.declareS3Endpoint(name, region);
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

    if (args.mode === "new" && args.natGateways === "none") {
      this.createInterfaceEndpoints(
        name,
        args.cidrBlock,
        args.interfaceEndpoints ?? ENDPOINT_SERVICES,
        region,
      );
    }

    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      s3EndpointId: this.s3Endpoint.id,
      jobSecurityGroupId: this.jobSecurityGroup.id,
      interfaceEndpointIds: Object.fromEntries(
        [...this.interfaceEndpoints].map(([service, endpoint]) => [service, endpoint.id]),
      ),
    });
  }

  /** A new VPC (awsx: one private and one public subnet per AZ), or the existing one given. */
  private declareVpc(
    name: string,
    args: NetworkArgs,
  ): { vpcId: pulumi.Output<string>; privateSubnetIds: pulumi.Output<string[]> } {
    if (args.mode === "existing") {
      return { vpcId: pulumi.output(args.vpcId), privateSubnetIds: pulumi.output(args.privateSubnetIds) };
    }
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
      { parent: this },
    );
    return { vpcId: vpc.vpcId, privateSubnetIds: vpc.privateSubnetIds };
  }

  /** The S3 gateway endpoint on the private subnets' route tables: lake traffic skips the NAT. */
  private declareS3Endpoint(name: string, region: pulumi.Output<aws.GetRegionResult>): aws.ec2.VpcEndpoint {
    const child = { parent: this };
    const privateRouteTables = aws.ec2.getRouteTablesOutput(
      {
        vpcId: this.vpcId,
        filters: [{ name: "association.subnet-id", values: this.privateSubnetIds }],
      },
      child,
    );
    return new aws.ec2.VpcEndpoint(
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
  }

  /**
   * One interface endpoint per service in the private subnets (one per AZ), with private DNS so the
   * SDKs' default endpoint names resolve to it, behind a security group that admits HTTPS from the
   * VPC only. https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
   */
  private createInterfaceEndpoints(
    name: string,
    cidrBlock: string,
    services: readonly EndpointService[],
    region: pulumi.Output<aws.GetRegionResult>,
  ): void {
    if (services.length === 0) return;
    const child = { parent: this };
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-endpoints`,
      {
        vpcId: this.vpcId,
        description: "Interface endpoints: HTTPS from inside the VPC only",
        ingress: [
          {
            description: "HTTPS from the VPC's workloads",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: [cidrBlock],
          },
        ],
        egress: [],
        tags: { Name: `${name}-endpoints` },
      },
      child,
    );
    for (const service of services) {
      this.interfaceEndpoints.set(
        service,
        new aws.ec2.VpcEndpoint(
          `${name}-${service.replace(/\./g, "-")}`,
          {
            vpcId: this.vpcId,
            serviceName: pulumi.interpolate`com.amazonaws.${region.region}.${service}`,
            vpcEndpointType: "Interface",
            privateDnsEnabled: true,
            subnetIds: this.privateSubnetIds,
            securityGroupIds: [securityGroup.id],
            tags: { Name: `${name}-${service}` },
          },
          child,
        ),
      );
    }
  }
}
