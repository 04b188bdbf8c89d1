import { strict as assert } from "assert";
import {
  ENDPOINT_SERVICES,
  endpointServicesFor,
  WORKLOAD_ENDPOINTS,
} from "../../../components/network/endpoints";
import { Network, NetworkArgs } from "../../../components/network/network";
import { Synthesized, synthesizeComponents } from "../../support/synth";

const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

function synthesizeNetwork(args: NetworkArgs): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    new Network("net", args, opts);
  });
}

const interfaceEndpoints = (result: Synthesized) =>
  result.ofType(ENDPOINT).filter((endpoint) => endpoint.inputs.vpcEndpointType === "Interface");

describe("Network interface endpoints", () => {
  it("gives a VPC without NAT a private-DNS interface endpoint for each service the workloads call, in every private subnet", async () => {
    const result = await synthesizeNetwork({
      mode: "new",
      cidrBlock: "10.1.0.0/16",
      availabilityZones: 3,
      natGateways: "none",
      interfaceEndpoints: endpointServicesFor(["emrServerless", "batchFargate"]),
    });
    const endpoints = interfaceEndpoints(result);
    assert.deepEqual(
      endpoints.map((endpoint) => endpoint.inputs.serviceName),
      ["glue", "kms", "logs", "ecr.api", "ecr.dkr"].map((service) => `com.amazonaws.eu-west-1.${service}`),
    );
    const group = result.one("aws:ec2/securityGroup:SecurityGroup", "net-endpoints");
    for (const endpoint of endpoints) {
      assert.equal(endpoint.inputs.privateDnsEnabled, true);
      assert.equal(endpoint.inputs.vpcId, "vpc-0a1b2c3d4e5f60000");
      assert.equal(endpoint.inputs.subnetIds.length, 3);
      assert.deepEqual(endpoint.inputs.securityGroupIds, [group.outputs.id]);
    }
    // HTTPS from inside the VPC only; the endpoints need no egress.
    assert.deepEqual(
      group.inputs.ingress.map((rule: any) => [rule.protocol, rule.fromPort, rule.toPort, rule.cidrBlocks]),
      [["tcp", 443, 443, ["10.1.0.0/16"]]],
    );
    assert.deepEqual(group.inputs.egress, []);
  });

  it("defaults to every service a platform workload may call when the program does not say", async () => {
    const result = await synthesizeNetwork({
      mode: "new",
      cidrBlock: "10.1.0.0/16",
      availabilityZones: 2,
      natGateways: "none",
    });
    assert.deepEqual(
      interfaceEndpoints(result).map((endpoint) => endpoint.inputs.serviceName.split(".").slice(3).join(".")),
      [...ENDPOINT_SERVICES],
    );
  });

  it("creates no interface endpoints when NAT gateways reach the public endpoints, or for an existing VPC", async () => {
    const withNat = await synthesizeNetwork({
      mode: "new",
      cidrBlock: "10.1.0.0/16",
      availabilityZones: 2,
      natGateways: "single",
      interfaceEndpoints: ["glue"],
    });
    assert.deepEqual(interfaceEndpoints(withNat), []);
    const existing = await synthesizeNetwork({
      mode: "existing",
      vpcId: "vpc-0123456789abcdef0",
      privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    });
    assert.deepEqual(interfaceEndpoints(existing), []);
  });

  it("lists, for each workload, the services it calls with the documentation of each private route", () => {
    for (const [workload, entry] of Object.entries(WORKLOAD_ENDPOINTS)) {
      assert.ok(entry.services.length > 0, workload);
      assert.ok(
        entry.services.every((service) => ENDPOINT_SERVICES.includes(service)),
        workload,
      );
      assert.ok(entry.docs.length > 0 && entry.docs.every((doc) => doc.startsWith("https://")), workload);
    }
    assert.deepEqual(endpointServicesFor(["redshiftSpectrum", "redshiftSpectrum"]), [
      "glue",
      "lakeformation",
    ]);
    assert.deepEqual(endpointServicesFor([]), []);
  });
});
