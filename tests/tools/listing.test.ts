import { strict as assert } from "assert";
import { buildResourceListing, formatListingText } from "../../tools/reports/listing";
import { remoteChildren } from "../../tools/reports/remote-children";
import { NO_RESOURCE_OPTIONS } from "../../tools/synth/default-providers";
import type { RecordedResource } from "../../tools/synth/mock-run";

const URN = "urn:pulumi:t::p::";

function resource(
  type: string,
  name: string,
  custom: boolean,
  parent?: string,
  inputs = {},
): RecordedResource {
  return {
    type,
    name,
    urn: `${URN}${type}::${name}`,
    custom,
    inputs,
    outputs: {},
    parent: parent ? `${URN}${parent}` : undefined,
    propertyDependencies: {},
    options: { ...NO_RESOURCE_OPTIONS },
  };
}

const count = (children: { type: string }[], type: string) => children.filter((c) => c.type === type).length;

describe("what awsx components create", () => {
  const vpc = (strategy: string, zones = 3) =>
    remoteChildren({
      type: "awsx:ec2:Vpc",
      name: "net-vpc",
      inputs: {
        numberOfAvailabilityZones: zones,
        natGateways: { strategy },
        subnetSpecs: [{ type: "Private" }, { type: "Public" }],
      },
    });

  it("a VPC: a private and a public subnet per zone, each with its route table and association", () => {
    const children = vpc("Single");
    assert.equal(count(children, "aws:ec2/vpc:Vpc"), 1);
    assert.equal(count(children, "aws:ec2/subnet:Subnet"), 6);
    assert.equal(count(children, "aws:ec2/routeTable:RouteTable"), 6);
    assert.equal(count(children, "aws:ec2/routeTableAssociation:RouteTableAssociation"), 6);
    assert.equal(count(children, "aws:ec2/internetGateway:InternetGateway"), 1);
  });

  it("NAT gateways (each with an Elastic IP) as the strategy says, and private routes only to one", () => {
    assert.equal(count(vpc("Single"), "aws:ec2/natGateway:NatGateway"), 1);
    assert.equal(count(vpc("OnePerAz"), "aws:ec2/natGateway:NatGateway"), 3);
    assert.equal(count(vpc("OnePerAz", 2), "aws:ec2/eip:Eip"), 2);
    assert.equal(count(vpc("None"), "aws:ec2/natGateway:NatGateway"), 0);
    // Public subnets route to the internet gateway; private ones only where a NAT gateway exists.
    assert.equal(count(vpc("None"), "aws:ec2/route:Route"), 3);
    assert.equal(count(vpc("Single"), "aws:ec2/route:Route"), 6);
  });

  it("an image: the Docker image it builds and pushes", () => {
    assert.deepEqual(remoteChildren({ type: "awsx:ecr:Image", name: "img", inputs: {} }), [
      { type: "docker-build:index:Image", name: "img" },
    ]);
    assert.deepEqual(remoteChildren({ type: "aws:s3/bucket:Bucket", name: "b", inputs: {} }), []);
  });
});

describe("the resource listing", () => {
  const resources = [
    resource("pulumi:providers:aws", "aws", true),
    resource("bdp:monitoring:Dashboard", "dash", false),
    resource("aws:cloudwatch/dashboard:Dashboard", "dash", true, "bdp:monitoring:Dashboard::dash"),
    resource("bdp:storage:DataLake", "lake", false),
    resource("aws:s3/bucket:Bucket", "raw", true, "bdp:storage:DataLake::lake"),
    resource("bdp:network:Network", "net", false),
    resource("awsx:ec2:Vpc", "net-vpc", false, "bdp:network:Network::net", {
      numberOfAvailabilityZones: 2,
      natGateways: { strategy: "Single" },
    }),
    resource("aws:ec2/vpcEndpoint:VpcEndpoint", "net-s3", true, "bdp:network:Network::net"),
  ];
  const listing = buildResourceListing(resources);

  it("orders the components as the data flows: network, lake, ..., monitoring", () => {
    assert.deepEqual(
      listing.components.map((group) => group.type),
      ["(stack)", "bdp:network:Network", "bdp:storage:DataLake", "bdp:monitoring:Dashboard"],
    );
  });

  it("lists what the VPC creates under the network, marked, and counts the totals from the rows", () => {
    const network = listing.components[1];
    const created = network.resources.filter((row) => row.createdBy === "awsx:ec2:Vpc net-vpc");
    assert.equal(created.length, network.resources.length - 1);
    assert.equal(count(created, "aws:ec2/natGateway:NatGateway"), 1);
    const rows = listing.components.flatMap((group) => group.resources).length;
    assert.deepEqual(
      { ...listing.totals, byType: undefined },
      { resources: rows, declared: 4, createdByRemoteComponents: rows - 4, components: 4, byType: undefined },
    );
    const text = formatListingText(listing).join("\n");
    assert.match(
      text,
      /^ {4}aws:ec2\/natGateway:NatGateway {2}net-vpc-1 {2}\[created by awsx:ec2:Vpc net-vpc\]$/m,
    );
    assert.match(
      text,
      new RegExp(`^Totals: ${rows} resources in 4 components \\(4 declared, ${rows - 4} created`, "m"),
    );
  });
});
