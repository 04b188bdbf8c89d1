/** Network: one private and one public subnet of the platform's VPC (tagged the way awsx tags them). */
import { T } from "../../../policies/lib/types";
import { component, Res, res } from "../harness";
import { Area, areaOf, Env } from "./env";

export const PRIVATE_SUBNET_ID = "subnet-0private1";
export const PUBLIC_SUBNET_ID = "subnet-0public1";

export interface NetworkArea extends Area {
  component: Res;
  privateSubnet: Res;
  publicSubnet: Res;
}

export function network(env: Env): NetworkArea {
  const net = component("bdp:network:Network", "bdp-dev-network");
  const subnet = (name: string, id: string, cidrBlock: string, isPublic: boolean) =>
    res(
      T.ec2Subnet,
      name,
      {
        id,
        vpcId: "vpc-1",
        cidrBlock,
        mapPublicIpOnLaunch: isPublic,
        tags: { SubnetType: isPublic ? "Public" : "Private" },
      },
      { provider: env.provider, parent: net },
    );
  const privateSubnet = subnet("bdp-dev-network-private-1", PRIVATE_SUBNET_ID, "10.20.0.0/19", false);
  const publicSubnet = subnet("bdp-dev-network-public-1", PUBLIC_SUBNET_ID, "10.20.128.0/20", true);
  return areaOf({ component: net, privateSubnet, publicSubnet });
}
