/**
 * Default AWS quotas the platform's stacks use, per account and Region unless noted. Values are
 * AWS's documented defaults as of QUOTA_TABLE_DATE; an account may have other values (raised, or
 * lowered for new accounts). Quota codes are the Service Quotas codes where the quota has one.
 * A stack alone above a hard quota cannot deploy; above an adjustable one it needs an increase first.
 *
 * Not listed because AWS sets no count quota: CloudWatch alarms ("No limit on the total number of
 * alarms per account", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html).
 */

export const QUOTA_TABLE_DATE = "2026-11-27";

export interface Quota {
  id: string;
  /** The quota as AWS names it. */
  name: string;
  /** Service Quotas service code and quota code, when the quota is in Service Quotas. */
  serviceCode?: string;
  quotaCode?: string;
  defaultValue: number;
  adjustable: boolean;
  /** What one unit is, for messages ("job queues", "rules on one event bus"). */
  unit: string;
  source: string;
}

const BATCH = "https://docs.aws.amazon.com/batch/latest/userguide/service_limits.html";
const GLUE = "https://docs.aws.amazon.com/general/latest/gr/glue.html";
const EVENTBRIDGE = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html";
const VPC = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html";
const IAM = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";

export const QUOTAS = {
  batchComputeEnvironments: {
    id: "batch-compute-environments",
    name: "Maximum number of compute environments",
    serviceCode: "batch",
    quotaCode: "L-144F0CA5",
    defaultValue: 50,
    adjustable: false,
    unit: "compute environments",
    source: BATCH,
  },
  batchJobQueues: {
    id: "batch-job-queues",
    name: "Maximum number of job queues",
    serviceCode: "batch",
    quotaCode: "L-4CEA37AD",
    defaultValue: 50,
    adjustable: false,
    unit: "job queues",
    source: BATCH,
  },
  batchEnvironmentsPerQueue: {
    id: "batch-compute-environments-per-queue",
    name: "Maximum number of compute environments for each job queue",
    serviceCode: "batch",
    quotaCode: "L-F8102809",
    defaultValue: 3,
    adjustable: false,
    unit: "compute environments on one job queue",
    source: BATCH,
  },
  glueJobs: {
    id: "glue-jobs",
    name: "Max jobs per account",
    serviceCode: "glue",
    quotaCode: "L-611FDDE4",
    defaultValue: 1000,
    adjustable: true,
    unit: "Glue jobs",
    source: GLUE,
  },
  glueCrawlers: {
    id: "glue-crawlers",
    name: "Number of crawlers per account",
    serviceCode: "glue",
    quotaCode: "L-11FA2C1A",
    defaultValue: 1000,
    adjustable: true,
    unit: "Glue crawlers",
    source: GLUE,
  },
  glueTriggers: {
    id: "glue-triggers",
    name: "Max triggers per account",
    serviceCode: "glue",
    quotaCode: "L-F1653A6D",
    defaultValue: 1000,
    adjustable: true,
    unit: "Glue triggers",
    source: GLUE,
  },
  glueConnections: {
    id: "glue-connections",
    name: "Max connection per account",
    serviceCode: "glue",
    quotaCode: "L-4256D6D2",
    defaultValue: 1000,
    adjustable: true,
    unit: "Glue connections",
    source: GLUE,
  },
  eventBridgeRulesPerBus: {
    id: "eventbridge-rules-per-bus",
    name: "Number of rules",
    serviceCode: "events",
    quotaCode: "L-244521F2",
    defaultValue: 300,
    adjustable: true,
    unit: "rules on one event bus",
    source: EVENTBRIDGE,
  },
  eventBridgeTargetsPerRule: {
    id: "eventbridge-targets-per-rule",
    name: "Targets per rule",
    serviceCode: "events",
    quotaCode: "L-388D1D08",
    defaultValue: 5,
    adjustable: false,
    unit: "targets on one rule",
    source: EVENTBRIDGE,
  },
  schedulerSchedules: {
    id: "scheduler-schedules",
    name: "Number of schedules",
    serviceCode: "scheduler",
    defaultValue: 10_000_000,
    adjustable: true,
    unit: "EventBridge Scheduler schedules",
    source: "https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html",
  },
  schedulerScheduleGroups: {
    id: "scheduler-schedule-groups",
    name: "Schedule groups per account",
    serviceCode: "scheduler",
    defaultValue: 500,
    adjustable: true,
    unit: "EventBridge Scheduler schedule groups",
    source: "https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-group.html",
  },
  alarmActions: {
    id: "cloudwatch-alarm-actions",
    name: "Alarm actions (per alarm, per state)",
    defaultValue: 5,
    adjustable: false,
    unit: "actions for one alarm state",
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html",
  },
  stateMachines: {
    id: "step-functions-state-machines",
    name: "Maximum number of registered state machines",
    defaultValue: 10000,
    adjustable: true,
    unit: "state machines",
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html",
  },
  budgets: {
    id: "budgets",
    name: "Budgets per payer account",
    defaultValue: 20000,
    adjustable: false,
    unit: "budgets (per payer account, all Regions)",
    source: "https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/budgets-managing-costs.html",
  },
  elasticIps: {
    id: "vpc-elastic-ips",
    name: "Elastic IP addresses per Region",
    serviceCode: "ec2",
    quotaCode: "L-0263D0A3",
    defaultValue: 5,
    adjustable: true,
    unit: "Elastic IP addresses (one per NAT gateway)",
    source: VPC,
  },
  interfaceEndpointsPerVpc: {
    id: "vpc-interface-endpoints",
    name: "Interface VPC endpoints per VPC",
    serviceCode: "vpc",
    quotaCode: "L-29B6F2EB",
    defaultValue: 50,
    adjustable: true,
    unit: "interface endpoints in one VPC",
    source: VPC,
  },
  gatewayEndpointsPerRegion: {
    id: "vpc-gateway-endpoints",
    name: "Gateway VPC endpoints per Region",
    serviceCode: "vpc",
    quotaCode: "L-1B52E74A",
    defaultValue: 20,
    adjustable: true,
    unit: "gateway endpoints",
    source: VPC,
  },
  vpcs: {
    id: "vpc-vpcs",
    name: "VPCs per Region",
    serviceCode: "vpc",
    quotaCode: "L-F678F1CE",
    defaultValue: 5,
    adjustable: true,
    unit: "VPCs",
    source: VPC,
  },
  iamRoles: {
    id: "iam-roles",
    name: "Roles in an AWS account (all Regions)",
    serviceCode: "iam",
    quotaCode: "L-FE177D64",
    defaultValue: 1000,
    adjustable: true,
    unit: "IAM roles (per account, all Regions)",
    source: IAM,
  },
  iamRoleInlinePolicySize: {
    id: "iam-role-inline-policy-size",
    name: "Role policy size (all inline policies of a role, white space not counted)",
    defaultValue: 10240,
    adjustable: false,
    unit: "characters of inline policy on one role",
    source: IAM,
  },
} satisfies Record<string, Quota>;
