/**
 * Quotas: what the stack alone uses of AWS's default per-account (and per-Region) quotas. Over a
 * hard quota AWS rejects the deployment (error); over an adjustable one the deployment fails until
 * the quota is raised (warning, naming the Service Quotas code to raise). The account's existing
 * resources count too, so passing here is necessary, not sufficient.
 */
import type { RecordedResource } from "../synth/mock-run";
import type { ResourceGraph } from "./graph";
import { Quota, QUOTA_TABLE_DATE, QUOTAS } from "./quota-table";
import type { DeployFinding, DeployRule, DeployRuleContext } from "./types";

/** How much of one quota one scope (the stack, an event bus, a role, ...) uses. */
export interface QuotaUsage {
  quota: Quota;
  used: number;
  /** The resource the quota applies to, when it is not the account. */
  urn?: string;
  scope: string;
}

const AWSX_VPC = "awsx:ec2:Vpc";

/** NAT gateways (each with an Elastic IP) an awsx VPC creates for its strategy. */
export function natGatewaysOf(vpc: RecordedResource): number | undefined {
  const strategy = vpc.inputs.natGateways?.strategy;
  const zones = vpc.inputs.numberOfAvailabilityZones;
  if (strategy === "None") return 0;
  if (strategy === "Single") return 1;
  if (strategy === "OnePerAz" && typeof zones === "number") return zones;
  return undefined;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function accountWide(graph: ResourceGraph): QuotaUsage[] {
  const count = (...types: string[]) => types.reduce((sum, type) => sum + graph.ofType(type).length, 0);
  const natGateways = graph.ofType(AWSX_VPC).reduce((sum, vpc) => sum + (natGatewaysOf(vpc) ?? 0), 0);
  const gatewayEndpoints = graph
    .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
    .filter((endpoint) => endpoint.inputs.vpcEndpointType === "Gateway").length;
  const usage = (quota: Quota, used: number): QuotaUsage => ({ quota, used, scope: "the stack" });
  return [
    usage(QUOTAS.batchComputeEnvironments, count("aws:batch/computeEnvironment:ComputeEnvironment")),
    usage(QUOTAS.batchJobQueues, count("aws:batch/jobQueue:JobQueue")),
    usage(QUOTAS.glueJobs, count("aws:glue/job:Job")),
    usage(QUOTAS.glueCrawlers, count("aws:glue/crawler:Crawler")),
    usage(QUOTAS.glueTriggers, count("aws:glue/trigger:Trigger")),
    usage(QUOTAS.glueConnections, count("aws:glue/connection:Connection")),
    usage(QUOTAS.schedulerSchedules, count("aws:scheduler/schedule:Schedule")),
    usage(QUOTAS.schedulerScheduleGroups, count("aws:scheduler/scheduleGroup:ScheduleGroup")),
    usage(QUOTAS.stateMachines, count("aws:sfn/stateMachine:StateMachine")),
    usage(QUOTAS.budgets, count("aws:budgets/budget:Budget")),
    usage(QUOTAS.iamRoles, count("aws:iam/role:Role")),
    usage(QUOTAS.vpcs, count(AWSX_VPC, "aws:ec2/vpc:Vpc")),
    usage(QUOTAS.elasticIps, natGateways + count("aws:ec2/eip:Eip")),
    usage(QUOTAS.gatewayEndpointsPerRegion, gatewayEndpoints),
  ];
}

function perResource(graph: ResourceGraph): QuotaUsage[] {
  const usages: QuotaUsage[] = [];
  const rules = graph.ofType("aws:cloudwatch/eventRule:EventRule");
  for (const [bus, onBus] of groupBy(rules, (rule) => String(rule.inputs.eventBusName ?? "default"))) {
    usages.push({ quota: QUOTAS.eventBridgeRulesPerBus, used: onBus.length, scope: `event bus "${bus}"` });
  }
  for (const rule of rules) {
    const used = graph.referencing(rule, "rule", "aws:cloudwatch/eventTarget:EventTarget").length;
    usages.push({
      quota: QUOTAS.eventBridgeTargetsPerRule,
      used,
      urn: rule.urn,
      scope: `rule "${rule.name}"`,
    });
  }
  for (const queue of graph.ofType("aws:batch/jobQueue:JobQueue")) {
    const used = (queue.inputs.computeEnvironmentOrders ?? []).length;
    usages.push({
      quota: QUOTAS.batchEnvironmentsPerQueue,
      used,
      urn: queue.urn,
      scope: `job queue "${queue.name}"`,
    });
  }
  for (const alarm of [
    ...graph.ofType("aws:cloudwatch/metricAlarm:MetricAlarm"),
    ...graph.ofType("aws:cloudwatch/compositeAlarm:CompositeAlarm"),
  ]) {
    // PutMetricAlarm takes at most 5 actions in each of AlarmActions, OKActions and InsufficientDataActions.
    const lists = ["alarmActions", "okActions", "insufficientDataActions"].map(
      (key) => alarm.inputs[key] ?? [],
    );
    const used = Math.max(...lists.map((list: unknown[]) => list.length));
    usages.push({ quota: QUOTAS.alarmActions, used, urn: alarm.urn, scope: `alarm "${alarm.name}"` });
  }
  const interfaceEndpoints = graph
    .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
    .filter((endpoint) => endpoint.inputs.vpcEndpointType === "Interface");
  for (const [vpcId, inVpc] of groupBy(interfaceEndpoints, (endpoint) => String(endpoint.inputs.vpcId))) {
    usages.push({ quota: QUOTAS.interfaceEndpointsPerVpc, used: inVpc.length, scope: `VPC ${vpcId}` });
  }
  for (const role of graph.ofType("aws:iam/role:Role")) {
    // IAM does not count white space against the policy size quota.
    const used = graph
      .referencing(role, "role", "aws:iam/rolePolicy:RolePolicy")
      .reduce((sum, policy) => sum + String(policy.inputs.policy ?? "").replace(/\s/g, "").length, 0);
    usages.push({ quota: QUOTAS.iamRoleInlinePolicySize, used, urn: role.urn, scope: `role "${role.name}"` });
  }
  return usages;
}

/** Every quota the stack uses, with how much of it. */
export function quotaUsage(graph: ResourceGraph): QuotaUsage[] {
  return [...accountWide(graph), ...perResource(graph)];
}

export const defaultQuotas: DeployRule = {
  name: "default-quotas",
  family: "quotas",
  description: `What the stack uses stays within AWS's default quotas (table of ${QUOTA_TABLE_DATE}).`,
  docs: [...new Set(Object.values(QUOTAS).map((quota: Quota) => quota.source))],
  check({ graph }: DeployRuleContext): DeployFinding[] {
    return quotaUsage(graph)
      .filter(({ quota, used }) => used > quota.defaultValue)
      .map(({ quota, used, urn, scope }) => {
        const code = quota.quotaCode ? ` (Service Quotas ${quota.serviceCode}/${quota.quotaCode})` : "";
        return {
          rule: this.name,
          level: quota.adjustable ? "warning" : "error",
          ...(urn ? { urn } : {}),
          message:
            `${scope} uses ${used} ${quota.unit}; the default quota "${quota.name}"${code} is ${quota.defaultValue}` +
            ` (${quota.source}, as of ${QUOTA_TABLE_DATE}), before counting what the account already has` +
            `${quota.adjustable ? "." : ", and it cannot be raised."}`,
          fix: quota.adjustable
            ? `Request an increase of "${quota.name}"${code} to at least ${used} before deploying, or declare fewer.`
            : `Declare at most ${quota.defaultValue} ${quota.unit}.`,
        };
      });
  },
};

export const QUOTA_RULES: DeployRule[] = [defaultQuotas];
