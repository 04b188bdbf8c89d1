import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { endpointServicesFor, EndpointService } from "../../../components/network/endpoints";
import { Network } from "../../../components/network/network";
import { PROJECT } from "../../../infra/config";
import { NETWORK_RULES } from "../../../tools/deploy-rules/network";
import { runDeployRules } from "../../../tools/deploy-rules/registry";
import { synthesizePlatform } from "../../../tools/synth/program";
import { readStackConfig } from "../../../tools/synth/stack-config";
import { Synthesized } from "../../support/synth";
import { runRules, summarize } from "./support";

/** The committed dev stack with its network config changed, synthesized and checked by the network rules. */
async function devWithNetwork(change: Record<string, unknown>) {
  const config = readStackConfig("dev", PROJECT);
  const key = `${PROJECT}:network`;
  config[key] = JSON.stringify({ ...JSON.parse(config[key]), ...change });
  const { resources } = await synthesizePlatform(config, "dev");
  const synthesized = new Synthesized(resources);
  const { findings } = runDeployRules(resources, NETWORK_RULES);
  return { synthesized, findings };
}

/** A new VPC without NAT, with the given interface endpoints. */
function privateNetwork(opts: pulumi.ComponentResourceOptions, endpoints?: EndpointService[]): Network {
  return new Network(
    "net",
    {
      mode: "new",
      cidrBlock: "10.30.0.0/16",
      availabilityZones: 3,
      natGateways: "none",
      interfaceEndpoints: endpoints,
    },
    opts,
  );
}

function emrServerless(network: Network, opts: pulumi.CustomResourceOptions): void {
  new aws.emrserverless.Application(
    "spark",
    {
      type: "spark",
      releaseLabel: "emr-7.5.0",
      networkConfiguration: {
        subnetIds: network.privateSubnetIds,
        securityGroupIds: [network.jobSecurityGroup.id],
      },
    },
    opts,
  );
}

/** A Redshift Serverless workgroup with enhanced VPC routing whose namespace role reads the Glue Data Catalog. */
function spectrumWorkgroup(
  network: Network,
  egress: aws.types.input.ec2.SecurityGroupEgress[],
  opts: pulumi.CustomResourceOptions,
) {
  const role = new aws.iam.Role(
    "spectrum",
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "redshift.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
    },
    opts,
  );
  new aws.iam.RolePolicy(
    "spectrum",
    {
      role: role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["glue:GetTable", "glue:GetDatabase"], Resource: "*" }],
      }),
    },
    opts,
  );
  const group = new aws.ec2.SecurityGroup("warehouse", { vpcId: network.vpcId, ingress: [], egress }, opts);
  const namespace = new aws.redshiftserverless.Namespace(
    "ns",
    { namespaceName: "bdp-test", iamRoles: [role.arn] },
    opts,
  );
  new aws.redshiftserverless.Workgroup(
    "wg",
    {
      namespaceName: namespace.namespaceName,
      workgroupName: "bdp-test",
      enhancedVpcRouting: true,
      subnetIds: network.privateSubnetIds,
      securityGroupIds: [group.id],
    },
    opts,
  );
}

const S3_ONLY: aws.types.input.ec2.SecurityGroupEgress[] = [
  { protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: ["pl-6da54004"] },
];

describe("deploy rules: network prerequisites", () => {
  it("rejects dev as committed before the fix: its Redshift Serverless workgroup got subnets in 2 AZs", async () => {
    const { findings, synthesized } = await devWithNetwork({ availabilityZones: 2 });
    assert.deepEqual(summarize(findings, synthesized), [
      "error redshift-serverless-subnets bdp-dev-warehouse-workgroup",
    ]);
    assert.match(
      findings[0].message,
      /at least three subnets spanning 3 Availability Zones; the workgroup gets 2 subnets in 2 zones/,
    );
  });

  it("passes dev without NAT: the network creates the interface endpoints its workloads call", async () => {
    const { findings, synthesized } = await devWithNetwork({ natGateways: "none" });
    assert.deepEqual(summarize(findings, synthesized), []);
    const services = synthesized
      .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
      .filter((endpoint) => endpoint.inputs.vpcEndpointType === "Interface")
      .map((endpoint) => String(endpoint.inputs.serviceName).split(".").slice(3).join("."));
    assert.ok(services.includes("glue") && services.includes("lakeformation"), services.join(", "));
  });

  it("gives a workgroup subnets in 3 zones, which us-west-1 cannot offer a new VPC", async () => {
    const build = (zones: number) => async (region: string) =>
      (
        await runRules(
          NETWORK_RULES,
          ({ resource, component }) => {
            const network = new Network(
              "net",
              { mode: "new", cidrBlock: "10.0.0.0/16", availabilityZones: zones, natGateways: "single" },
              component,
            );
            new aws.redshiftserverless.Workgroup(
              "wg",
              { namespaceName: "ns", workgroupName: "wg", subnetIds: network.privateSubnetIds },
              resource,
            );
          },
          region,
        )
      ).findings.map((finding) => finding.rule);
    assert.deepEqual(await build(3)("eu-west-1"), []);
    assert.deepEqual(await build(2)("eu-west-1"), ["redshift-serverless-subnets"]);
    assert.deepEqual(await build(3)("us-west-1"), ["region-availability-zones"]);
  });

  it("rejects more Availability Zones than the Region offers, and warns about a Region the table lacks", async () => {
    const zones = (region: string, count: number) =>
      runRules(
        NETWORK_RULES,
        ({ component }) => {
          new Network(
            "net",
            { mode: "new", cidrBlock: "10.0.0.0/16", availabilityZones: count, natGateways: "single" },
            component,
          );
        },
        region,
      );
    const over = await zones("eu-west-1", 4);
    assert.deepEqual(summarize(over.findings, over.synthesized), ["error region-availability-zones net-vpc"]);
    assert.match(over.findings[0].message, /asks for 4 Availability Zones; eu-west-1 offers 3/);
    assert.deepEqual((await zones("us-east-1", 6)).findings, []);
    const unknown = await zones("xx-nowhere-1", 3);
    assert.deepEqual(summarize(unknown.findings, unknown.synthesized), [
      "warning region-availability-zones net-vpc",
    ]);
  });

  it("rejects an EMR Serverless application in a VPC without NAT or the endpoints it calls", async () => {
    const { findings, synthesized } = await runRules(NETWORK_RULES, ({ resource, component }) => {
      emrServerless(privateNetwork(component, []), resource);
    });
    assert.deepEqual(summarize(findings, synthesized), ["error endpoints-without-nat spark"]);
    assert.match(findings[0].message, /no NAT gateway and no interface endpoint for "glue", "kms", "logs"/);
    assert.match(findings[0].message, /EMR-Serverless-UserGuide\/vpc-access\.html/);
  });

  it("passes the EMR Serverless application once the network has the endpoints endpointServicesFor names", async () => {
    const { findings, synthesized } = await runRules(NETWORK_RULES, ({ resource, component }) => {
      emrServerless(privateNetwork(component, endpointServicesFor(["emrServerless"])), resource);
    });
    assert.deepEqual(summarize(findings, synthesized), []);
    assert.equal(synthesized.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").length, 1 + 3);
  });

  it("rejects an interface endpoint whose security group admits no HTTPS from the VPC", async () => {
    const { findings, synthesized } = await runRules(NETWORK_RULES, ({ resource, component }) => {
      const network = privateNetwork(component, ["glue"]);
      const closed = new aws.ec2.SecurityGroup(
        "closed",
        { vpcId: network.vpcId, ingress: [], egress: [] },
        resource,
      );
      new aws.ec2.VpcEndpoint(
        "logs",
        {
          vpcId: network.vpcId,
          serviceName: "com.amazonaws.eu-west-1.logs",
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: network.privateSubnetIds,
          securityGroupIds: [closed.id],
        },
        resource,
      );
    });
    assert.deepEqual(summarize(findings, synthesized), ["error endpoints-without-nat logs"]);
  });

  it("rejects Spectrum with enhanced VPC routing behind a security group that reaches only S3", async () => {
    const { findings, synthesized } = await runRules(NETWORK_RULES, ({ resource, component }) => {
      const network = new Network(
        "net",
        { mode: "new", cidrBlock: "10.0.0.0/16", availabilityZones: 3, natGateways: "single" },
        component,
      );
      spectrumWorkgroup(network, S3_ONLY, resource);
    });
    assert.deepEqual(summarize(findings, synthesized), ["error workload-https-egress wg"]);
    assert.match(
      findings[0].message,
      /calls "glue", "lakeformation" over HTTPS, but security group "warehouse" allows no HTTPS egress/,
    );
    assert.match(findings[0].fix, /TCP 443 to 0\.0\.0\.0\/0/);
  });

  it("passes Spectrum once its security group lets HTTPS out, and asks for the endpoints without NAT", async () => {
    const https = [...S3_ONLY, { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }];
    const withNat = await runRules(NETWORK_RULES, ({ resource, component }) => {
      const network = new Network(
        "net",
        { mode: "new", cidrBlock: "10.0.0.0/16", availabilityZones: 3, natGateways: "single" },
        component,
      );
      spectrumWorkgroup(network, https, resource);
    });
    assert.deepEqual(withNat.findings, []);
    const withoutEndpoints = await runRules(NETWORK_RULES, ({ resource, component }) => {
      spectrumWorkgroup(privateNetwork(component, ["glue"]), https, resource);
    });
    assert.deepEqual(summarize(withoutEndpoints.findings, withoutEndpoints.synthesized), [
      "error endpoints-without-nat wg",
    ]);
    assert.match(withoutEndpoints.findings[0].message, /no interface endpoint for "lakeformation"/);
  });
});
