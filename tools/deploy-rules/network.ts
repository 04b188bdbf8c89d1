/**
 * Network prerequisites AWS checks when it creates (or first runs) workloads in the VPC: subnets in
 * enough Availability Zones, enough zones in the Region, a route to every AWS API a workload calls
 * (NAT, or interface endpoints when the VPC has none), and security groups that let the calls out.
 * Judged for VPCs the stack declares (awsx); an existing VPC's routes are not visible offline.
 */
import { endpointServicesFor, NetworkWorkload, WORKLOAD_ENDPOINTS } from "../../components/network/endpoints";
import type { RecordedResource } from "../synth/mock-run";
import { AVAILABILITY_ZONES, AZ_TABLE_DATE } from "../../decisions/regions";
import type { ResourceGraph } from "./graph";
import { natGatewaysOf } from "./quotas";
import type { DeployFinding, DeployRule, DeployRuleContext } from "./types";

const AWSX_VPC = "awsx:ec2:Vpc";
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const ANYWHERE = "0.0.0.0/0";

/** A workload the stack places in private subnets. */
export interface WorkloadUse {
  workload: NetworkWorkload;
  resource: RecordedResource;
  /** Physical ids of the security groups its network interfaces get, when the program sets them. */
  securityGroupIds: string[];
}

const strings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === "string");

/** Redshift Spectrum is in use when a role of the warehouse may read the Glue Data Catalog. */
function usesSpectrum(graph: ResourceGraph, holder: RecordedResource): boolean {
  const roles = graph.referencedBy(holder, "iamRoles", "aws:iam/role:Role");
  return graph
    .ofType("aws:iam/rolePolicy:RolePolicy")
    .some(
      (policy) =>
        graph.referencedBy(policy, "role").some((role) => roles.includes(role)) &&
        String(policy.inputs.policy ?? "").includes("glue:GetTable"),
    );
}

/**
 * How to recognize each kind of workload in private subnets: the resource type, and for a resource
 * of it the security groups its network interfaces get, or undefined when it is not such a workload.
 */
const WORKLOAD_TYPES: {
  type: string;
  workload: NetworkWorkload;
  securityGroups: (resource: RecordedResource, graph: ResourceGraph) => string[] | undefined;
}[] = [
  {
    type: "aws:emr/cluster:Cluster",
    workload: "emrCluster",
    securityGroups: ({ inputs }) =>
      strings([
        inputs.ec2Attributes?.emrManagedMasterSecurityGroup,
        inputs.ec2Attributes?.emrManagedSlaveSecurityGroup,
      ]),
  },
  {
    // Transient clusters: the state machine creates them at run time (RunJobFlow from its definition).
    type: "aws:sfn/stateMachine:StateMachine",
    workload: "emrCluster",
    securityGroups: ({ inputs }) =>
      String(inputs.definition ?? "").includes(":elasticmapreduce:createCluster") ? [] : undefined,
  },
  {
    type: "aws:emrserverless/application:Application",
    workload: "emrServerless",
    securityGroups: ({ inputs: { networkConfiguration: network } }) =>
      strings(network?.subnetIds).length > 0 ? strings(network.securityGroupIds) : undefined,
  },
  {
    type: "aws:glue/connection:Connection",
    workload: "glueConnection",
    securityGroups: ({ inputs: { physicalConnectionRequirements: physical } }) =>
      typeof physical?.subnetId === "string" ? strings(physical.securityGroupIdLists) : undefined,
  },
  {
    type: "aws:batch/computeEnvironment:ComputeEnvironment",
    workload: "batchFargate",
    securityGroups: ({ inputs: { computeResources: compute } }) =>
      compute?.type === "FARGATE" || compute?.type === "FARGATE_SPOT"
        ? strings(compute.securityGroupIds)
        : undefined,
  },
  {
    type: "aws:redshiftserverless/workgroup:Workgroup",
    workload: "redshiftSpectrum",
    securityGroups: (workgroup, graph) => {
      const namespace = graph.referencedBy(
        workgroup,
        "namespaceName",
        "aws:redshiftserverless/namespace:Namespace",
      )[0];
      const spectrum =
        workgroup.inputs.enhancedVpcRouting === true && namespace && usesSpectrum(graph, namespace);
      return spectrum ? strings(workgroup.inputs.securityGroupIds) : undefined;
    },
  },
  {
    type: "aws:redshift/cluster:Cluster",
    workload: "redshiftSpectrum",
    securityGroups: (cluster, graph) =>
      cluster.inputs.enhancedVpcRouting === true && usesSpectrum(graph, cluster)
        ? strings(cluster.inputs.vpcSecurityGroupIds)
        : undefined,
  },
];

/** The workloads in the stack that run in private subnets, with their security groups. */
export function workloadsOf(graph: ResourceGraph): WorkloadUse[] {
  return WORKLOAD_TYPES.flatMap(({ type, workload, securityGroups }) =>
    graph.ofType(type).flatMap((resource) => {
      const securityGroupIds = securityGroups(resource, graph);
      return securityGroupIds === undefined ? [] : [{ workload, resource, securityGroupIds }];
    }),
  );
}

/** The VPC (declared with awsx) a resource is placed in, if the stack declares it. */
function vpcOf(graph: ResourceGraph, resource: RecordedResource): RecordedResource | undefined {
  return graph.ofType(AWSX_VPC).find((vpc) => graph.dependsOn(resource, vpc));
}

/** Interface endpoints with private DNS in `vpc`, by the service they serve. */
function interfaceEndpoints(graph: ResourceGraph, vpc: RecordedResource): Map<string, RecordedResource> {
  const endpoints = new Map<string, RecordedResource>();
  for (const endpoint of graph.ofType(VPC_ENDPOINT)) {
    const inVpc = graph.referencedBy(endpoint, "vpcId").includes(vpc);
    if (
      !inVpc ||
      endpoint.inputs.vpcEndpointType !== "Interface" ||
      endpoint.inputs.privateDnsEnabled !== true
    )
      continue;
    const service = /^com\.amazonaws\.[a-z0-9-]+\.(.+)$/.exec(String(endpoint.inputs.serviceName ?? ""))?.[1];
    if (service) endpoints.set(service, endpoint);
  }
  return endpoints;
}

/** One allowed direction of traffic: a protocol and port range to (or from) some peers. */
interface TrafficRule {
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrs: string[];
  securityGroups: string[];
  prefixLists: string[];
}

function coversHttps(rule: TrafficRule): boolean {
  if (rule.protocol === "-1" || rule.protocol === "all") return true;
  if (rule.protocol !== "tcp" && rule.protocol !== "6") return false;
  return (rule.fromPort ?? 0) <= 443 && 443 <= (rule.toPort ?? 65535);
}

function inlineRules(entries: unknown): TrafficRule[] {
  return (Array.isArray(entries) ? entries : []).map((entry: any) => ({
    protocol: String(entry.protocol),
    fromPort: entry.fromPort,
    toPort: entry.toPort,
    cidrs: strings(entry.cidrBlocks),
    securityGroups: [...strings(entry.securityGroups), ...(entry.self ? ["self"] : [])],
    prefixLists: strings(entry.prefixListIds),
  }));
}

/** Egress of a security group: its inline rules and the separate egress rule resources. */
function egressOf(graph: ResourceGraph, group: RecordedResource): TrafficRule[] {
  const separate = graph
    .ofType(EGRESS_RULE)
    .filter((rule) => rule.inputs.securityGroupId === group.outputs.id)
    .map((rule) => ({
      protocol: String(rule.inputs.ipProtocol),
      fromPort: rule.inputs.fromPort,
      toPort: rule.inputs.toPort,
      cidrs: strings(rule.inputs.cidrIpv4),
      securityGroups: strings(rule.inputs.referencedSecurityGroupId),
      prefixLists: strings(rule.inputs.prefixListId),
    }));
  return [...inlineRules(group.inputs.egress), ...separate];
}

const describeList = (items: string[]) => items.map((item) => `"${item}"`).join(", ");

/** An error about a workload: "As <workload>, it calls <services> <problem> (<its first doc>)." */
function workloadFinding(rule: string, use: WorkloadUse, problem: string, fix: string): DeployFinding {
  const entry = WORKLOAD_ENDPOINTS[use.workload];
  return {
    rule,
    level: "error",
    urn: use.resource.urn,
    message: `As ${entry.description}, it calls ${describeList(entry.services)} ${problem} (${entry.docs[0]}).`,
    fix,
  };
}

export const redshiftServerlessSubnets: DeployRule = {
  name: "redshift-serverless-subnets",
  family: "network",
  description: "A Redshift Serverless workgroup needs at least three subnets in three Availability Zones.",
  docs: ["https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html"],
  check({ graph, region }: DeployRuleContext): DeployFinding[] {
    // us-west-1 is the documented exception: three subnets spanning two zones.
    const zonesNeeded = region === "us-west-1" ? 2 : 3;
    const findings: DeployFinding[] = [];
    for (const workgroup of graph.ofType("aws:redshiftserverless/workgroup:Workgroup")) {
      const subnets = [...new Set(strings(workgroup.inputs.subnetIds))];
      // awsx places one private subnet in each zone, so the VPC's subnets span as many zones.
      const fromDeclaredVpc = graph.referencedBy(workgroup, "subnetIds", AWSX_VPC).length > 0;
      const zones = fromDeclaredVpc ? subnets.length : undefined;
      if (subnets.length >= 3 && (zones === undefined || zones >= zonesNeeded)) continue;
      findings.push({
        rule: this.name,
        level: "error",
        urn: workgroup.urn,
        message:
          `CreateWorkgroup requires at least three subnets spanning ${zonesNeeded} Availability Zones; the workgroup gets ` +
          `${subnets.length} subnet${subnets.length === 1 ? "" : "s"}${zones === undefined ? "" : ` in ${zones} zone${zones === 1 ? "" : "s"}`}.`,
        fix: "Give the network at least 3 Availability Zones (batch-data-platform:network.availabilityZones), or existing private subnets in 3 zones.",
      });
    }
    return findings;
  },
};

export const regionAvailabilityZones: DeployRule = {
  name: "region-availability-zones",
  family: "network",
  description: `A new VPC cannot use more Availability Zones than its Region offers (table of ${AZ_TABLE_DATE}).`,
  docs: ["https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html"],
  check({ graph, region }: DeployRuleContext): DeployFinding[] {
    const findings: DeployFinding[] = [];
    for (const vpc of graph.ofType(AWSX_VPC)) {
      const wanted = vpc.inputs.numberOfAvailabilityZones;
      if (typeof wanted !== "number" || region === undefined) continue;
      const available = AVAILABILITY_ZONES[region];
      if (available === undefined) {
        findings.push({
          rule: this.name,
          level: "warning",
          urn: vpc.urn,
          message: `Region ${region} is not in the Availability Zone table (${AZ_TABLE_DATE}), so ${wanted} zones cannot be checked.`,
          fix: "Add the Region to decisions/regions.ts from AWS's Region listing.",
        });
      } else if (wanted > available) {
        findings.push({
          rule: this.name,
          level: "error",
          urn: vpc.urn,
          message: `The VPC asks for ${wanted} Availability Zones; ${region} offers ${available} to new accounts (${AZ_TABLE_DATE}).`,
          fix: `Set batch-data-platform:network.availabilityZones to at most ${available}.`,
        });
      }
    }
    return findings;
  },
};

/** Findings for interface endpoints whose security groups do not admit HTTPS from the VPC. */
function endpointAdmission(
  rule: string,
  graph: ResourceGraph,
  vpc: RecordedResource,
  endpoints: Map<string, RecordedResource>,
): DeployFinding[] {
  const cidr = vpc.inputs.cidrBlock;
  const admitsHttps = (group: RecordedResource | undefined) =>
    group !== undefined &&
    inlineRules(group.inputs.ingress).some(
      (ingress) =>
        coversHttps(ingress) &&
        (ingress.cidrs.includes(ANYWHERE) ||
          ingress.cidrs.includes(cidr) ||
          ingress.securityGroups.length > 0),
    );
  return [...endpoints.values()]
    .filter(
      (endpoint) =>
        !strings(endpoint.inputs.securityGroupIds).some((id) => admitsHttps(graph.byPhysicalId(id))),
    )
    .map((endpoint) => ({
      rule,
      level: "error" as const,
      urn: endpoint.urn,
      message: `The interface endpoint's security groups do not admit HTTPS from the VPC (${cidr}), so calls to it time out.`,
      fix: "Give the endpoint a security group with an ingress rule for TCP 443 from the VPC's CIDR.",
    }));
}

export const endpointsWithoutNat: DeployRule = {
  name: "endpoints-without-nat",
  family: "network",
  description:
    "Without NAT gateways, every AWS API a workload calls from the VPC needs an interface endpoint with private DNS that admits HTTPS from the VPC.",
  docs: [...new Set(Object.values(WORKLOAD_ENDPOINTS).flatMap((entry) => entry.docs))],
  check({ graph }: DeployRuleContext): DeployFinding[] {
    const findings: DeployFinding[] = [];
    for (const vpc of graph.ofType(AWSX_VPC)) {
      if (natGatewaysOf(vpc) !== 0) continue;
      const endpoints = interfaceEndpoints(graph, vpc);
      for (const use of workloadsOf(graph).filter((candidate) => vpcOf(graph, candidate.resource) === vpc)) {
        const missing = endpointServicesFor([use.workload]).filter((service) => !endpoints.has(service));
        if (missing.length === 0) continue;
        findings.push(
          workloadFinding(
            this.name,
            use,
            `from the VPC, which has no NAT gateway and no interface endpoint for ${describeList(missing)}: those calls fail`,
            `Create interface endpoints (private DNS) for ${describeList(missing)} in the VPC (Network interfaceEndpoints), or use NAT gateways.`,
          ),
        );
      }
      findings.push(...endpointAdmission(this.name, graph, vpc, endpoints));
    }
    return findings;
  },
};

export const workloadHttpsEgress: DeployRule = {
  name: "workload-https-egress",
  family: "network",
  description:
    "A workload's security groups must let HTTPS out to the AWS APIs it calls: anywhere with NAT, or to the interface endpoints without.",
  docs: [
    "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html",
    ...WORKLOAD_ENDPOINTS.redshiftSpectrum.docs,
  ],
  check({ graph }: DeployRuleContext): DeployFinding[] {
    const findings: DeployFinding[] = [];
    for (const use of workloadsOf(graph)) {
      const vpc = vpcOf(graph, use.resource);
      const groups = use.securityGroupIds.map((id) => graph.byPhysicalId(id));
      if (!vpc || groups.length === 0 || groups.some((group) => group === undefined)) continue;
      const viaNat = (natGatewaysOf(vpc) ?? 0) > 0;
      const endpointGroups = viaNat
        ? []
        : [...interfaceEndpoints(graph, vpc).values()].flatMap((endpoint) =>
            strings(endpoint.inputs.securityGroupIds),
          );
      const reaches = (rule: TrafficRule) =>
        coversHttps(rule) &&
        (rule.cidrs.includes(ANYWHERE) ||
          (!viaNat && rule.cidrs.includes(vpc.inputs.cidrBlock)) ||
          rule.securityGroups.some((group) => endpointGroups.includes(group)));
      if (groups.some((group) => egressOf(graph, group!).some(reaches))) continue;
      const plural = groups.length === 1 ? "" : "s";
      findings.push(
        workloadFinding(
          this.name,
          use,
          `over HTTPS, but security group${plural} ${describeList(groups.map((group) => group!.name))} ` +
            `allow${plural ? "" : "s"} no HTTPS egress to ` +
            (viaNat ? "the public service endpoints (through NAT)" : "the VPC's interface endpoints"),
          `Add an egress rule for TCP 443 to ${viaNat ? ANYWHERE : `the VPC (${vpc.inputs.cidrBlock}) or the endpoints' security group`}.`,
        ),
      );
    }
    return findings;
  },
};

export const NETWORK_RULES: DeployRule[] = [
  redshiftServerlessSubnets,
  regionAvailabilityZones,
  endpointsWithoutNat,
  workloadHttpsEgress,
];
