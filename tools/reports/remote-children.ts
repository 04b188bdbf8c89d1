/**
 * What remote components create. awsx components run in the awsx provider plugin, so a program run
 * under mocks records the component but none of its children; yet they are deployed and some are
 * priced (the VPC's NAT gateways). This derives the children from the component's inputs, the way
 * awsx lays them out, so the plan can list and count them.
 *
 * awsx.ec2.Vpc (https://www.pulumi.com/registry/packages/awsx/api-docs/ec2/vpc/): the VPC; per
 * availability zone and subnet spec a subnet with its route table and association; an internet
 * gateway when there are public subnets, with a default route per public subnet; per NAT gateway
 * (strategy Single: one, OnePerAz: one per zone, None: none) an Elastic IP and the gateway, and a
 * default route to it per private subnet.
 * awsx.ecr.Image (https://www.pulumi.com/registry/packages/awsx/api-docs/ecr/image/): builds and
 * pushes one image with the docker-build provider's Image resource (awsx 3.x, awsx/ecr/image.ts in
 * github.com/pulumi/pulumi-awsx, which imports @pulumi/docker-build; awsx 2.19 and earlier used
 * @pulumi/docker's image instead).
 */
import type { RecordedResource } from "../synth/mock-run";

export interface RemoteChild {
  type: string;
  name: string;
}

/** The component types whose children this module derives. */
export const REMOTE_COMPONENT_TYPES = ["awsx:ec2:Vpc", "awsx:ecr:Image"] as const;

/** awsx's default when numberOfAvailabilityZones is not given. */
const AWSX_DEFAULT_ZONES = 3;

interface SubnetSpec {
  type?: string;
  name?: string;
}

function vpcChildren(name: string, inputs: Record<string, any>): RemoteChild[] {
  const zones = Number(inputs.numberOfAvailabilityZones ?? AWSX_DEFAULT_ZONES);
  const specs: SubnetSpec[] =
    Array.isArray(inputs.subnetSpecs) && inputs.subnetSpecs.length > 0
      ? inputs.subnetSpecs
      : [{ type: "Private" }, { type: "Public" }];
  const strategy = String(inputs.natGateways?.strategy ?? "OnePerAz");
  const children: RemoteChild[] = [{ type: "aws:ec2/vpc:Vpc", name }];
  const hasPublic = specs.some((spec) => spec.type === "Public");
  if (hasPublic) children.push({ type: "aws:ec2/internetGateway:InternetGateway", name });
  const natCount = !hasPublic || strategy === "None" ? 0 : strategy === "Single" ? 1 : zones;
  for (let zone = 1; zone <= zones; zone++) {
    for (const spec of specs) {
      const subnet = `${name}-${(spec.name ?? spec.type ?? "subnet").toLowerCase()}-${zone}`;
      children.push(
        { type: "aws:ec2/subnet:Subnet", name: subnet },
        { type: "aws:ec2/routeTable:RouteTable", name: subnet },
        { type: "aws:ec2/routeTableAssociation:RouteTableAssociation", name: subnet },
      );
      const routed = spec.type === "Public" || (spec.type === "Private" && natCount > 0);
      if (routed) children.push({ type: "aws:ec2/route:Route", name: subnet });
    }
    if (zone <= natCount) {
      children.push(
        { type: "aws:ec2/eip:Eip", name: `${name}-${zone}` },
        { type: "aws:ec2/natGateway:NatGateway", name: `${name}-${zone}` },
      );
    }
  }
  return children;
}

/** The resources a remote component creates, or [] for any other resource. */
export function remoteChildren(resource: Pick<RecordedResource, "type" | "name" | "inputs">): RemoteChild[] {
  switch (resource.type) {
    case "awsx:ec2:Vpc":
      return vpcChildren(resource.name, resource.inputs ?? {});
    case "awsx:ecr:Image":
      return [{ type: "docker-build:index:Image", name: resource.name }];
    default:
      return [];
  }
}

export function isRemoteComponent(resource: Pick<RecordedResource, "type" | "custom">): boolean {
  return !resource.custom && (REMOTE_COMPONENT_TYPES as readonly string[]).includes(resource.type);
}
