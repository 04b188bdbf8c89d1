/**
 * Physical-name rules per resource type: which input holds the name, how Pulumi names the resource
 * when the program does not, and what AWS accepts. Every type the program can declare has an entry
 * (tests/tools/deploy-rules/names.test.ts scans components/ and infra/ for `new aws.*` to enforce it).
 *
 * How names come about (pulumi-aws, https://github.com/pulumi/pulumi-aws/blob/master/provider/resources.go):
 * - explicit: the input as given;
 * - autoname: Pulumi fills an input literally called `name` (and a few others listed per type) with
 *   the logical name, a separator and 7 random hex characters; it refuses at preview when that is
 *   longer than the type's maximum ("name '<x>-' plus 7 random chars is longer than maximum
 *   length N"); 255 unless the type sets its own (IAM role 64, EventBridge rule 64, S3 bucket 63
 *   lower-cased, SNS topic and SQS queue 80, KMS alias 238 then prefixed `alias/`); see also
 *   https://www.pulumi.com/docs/iac/concepts/resources/names/ ;
 * - prefix: `namePrefix`-style inputs are completed by the provider with a 26-character unique id
 *   (https://github.com/hashicorp/terraform-plugin-sdk/blob/main/helper/id/id.go), hence "bucketPrefix
 *   must be at most 37 characters" and "namePrefix must be 38 characters or less" in the Pulumi docs
 *   (https://www.pulumi.com/registry/packages/aws/api-docs/s3/bucket/,
 *   https://www.pulumi.com/registry/packages/aws/api-docs/cloudwatch/eventrule/).
 */

export interface Autoname {
  /** Pulumi's own maximum for the generated name (it refuses longer ones at preview). */
  maxLength: number;
  separator: "-" | "_";
  /** Random characters Pulumi appends, and a sample of them for pattern checks. */
  random: string;
  lowercase?: boolean;
  /** Added after generation (KMS aliases get `alias/`). */
  prefix?: string;
}

export interface NameRule {
  /** The input that holds the physical name. */
  property: string;
  /** The input the provider completes with a 26-character unique suffix, when the type has one. */
  prefixProperty?: string;
  /** How Pulumi names the resource when neither input is set; absent: the input is required. */
  autoname?: Autoname;
  /** What AWS accepts. */
  minLength: number;
  maxLength: number;
  pattern?: RegExp;
  /** The pattern in words, for the finding. */
  allowed?: string;
  /** Further rules: returns the broken rule, if any. */
  extra?: (name: string) => string | undefined;
  docs: string[];
}

/** A type without a physical name AWS constrains (attachments, settings, policies, rules). */
export interface NoName {
  none: string;
}

export type NameSpec = NameRule[] | NoName;

const SUFFIX_26 = "0".repeat(25) + "1";
export const PROVIDER_PREFIX_SUFFIX = SUFFIX_26;

const hex7: Omit<Autoname, "maxLength"> = { separator: "-", random: "0a1b2c3" };
const autoname = (maxLength: number, extra: Partial<Autoname> = {}): Autoname => ({
  ...hex7,
  maxLength,
  ...extra,
});
/** The default of pulumi-aws's setAutonaming for inputs called `name`. */
const GENERIC = autoname(255);

const IAM_NAME = /^[\w+=,.@-]+$/;
const IAM_DOCS = ["https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"];
const GLUE_NAME_DOCS = (api: string) => [`https://docs.aws.amazon.com/glue/latest/webapi/API_${api}.html`];
/** Glue names are single-line strings of 1 to 255 characters. */
const glueName = (api: string): NameRule[] => [
  {
    property: "name",
    autoname: GENERIC,
    minLength: 1,
    maxLength: 255,
    pattern: /^[^\r\n]+$/,
    allowed: "a single line",
    docs: GLUE_NAME_DOCS(api),
  },
];
const BATCH_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const batchName = (api: string, withPrefix: boolean): NameRule[] => [
  {
    property: "name",
    ...(withPrefix ? { prefixProperty: "namePrefix" } : {}),
    autoname: GENERIC,
    minLength: 1,
    maxLength: 128,
    pattern: BATCH_NAME,
    allowed: "letters, numbers, hyphens and underscores, starting with a letter or number",
    docs: [`https://docs.aws.amazon.com/batch/latest/APIReference/API_${api}.html`],
  },
];
/** Redshift identifiers: lower case, letter first, no trailing hyphen, no two hyphens in a row. */
const redshiftIdentifier = (name: string) =>
  name.endsWith("-")
    ? "ends with a hyphen"
    : name.includes("--")
      ? "contains two consecutive hyphens"
      : undefined;
/** SNS topics and SQS queues: letters, numbers, '-' and '_', ".fifo" for FIFO; the provider autonames up to 80. */
const messagingName = (maxLength: number, kind: string, doc: string): NameRule[] => [
  {
    property: "name",
    prefixProperty: "namePrefix",
    autoname: autoname(80),
    minLength: 1,
    maxLength,
    pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
    allowed: `letters, numbers, '-' and '_' (and .fifo for FIFO ${kind})`,
    docs: [doc],
  },
];
const REDSHIFT_NAMING = "https://docs.aws.amazon.com/redshift/latest/mgmt/amazon-redshift-limits.html";
const REDSHIFT_SERVERLESS_NAME = /^[a-z0-9-]+$/;
const EVENTBRIDGE_NAME = /^[.\-_A-Za-z0-9]+$/;

/** EventBridge Scheduler names (schedules and schedule groups): 1-64 letters, numbers, '-', '_', '.'. */
function schedulerName(doc: string): NameRule {
  return {
    property: "name",
    prefixProperty: "namePrefix",
    autoname: GENERIC,
    minLength: 1,
    maxLength: 64,
    pattern: /^[0-9a-zA-Z-_.]+$/,
    allowed: "letters, numbers, '-', '_' and '.'",
    docs: [doc],
  };
}

export const NAME_RULES: Record<string, NameSpec> = {
  "aws:batch/computeEnvironment:ComputeEnvironment": batchName("CreateComputeEnvironment", true),
  "aws:batch/jobQueue:JobQueue": batchName("CreateJobQueue", false),
  "aws:batch/jobDefinition:JobDefinition": batchName("RegisterJobDefinition", false),
  "aws:budgets/budget:Budget": [
    {
      property: "name",
      prefixProperty: "namePrefix",
      autoname: GENERIC,
      minLength: 1,
      maxLength: 100,
      pattern: /^[^:\\]+$/,
      allowed: "no ':' or '\\'",
      extra: (name) => (name.includes("/action/") ? 'contains "/action/"' : undefined),
      docs: ["https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html"],
    },
  ],
  "aws:cloudwatch/dashboard:Dashboard": [
    {
      property: "dashboardName",
      minLength: 1,
      maxLength: 255,
      pattern: /^[A-Za-z0-9_-]+$/,
      allowed: "letters, numbers, '-' and '_'",
      docs: ["https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html"],
    },
  ],
  "aws:cloudwatch/eventRule:EventRule": [
    {
      property: "name",
      prefixProperty: "namePrefix",
      autoname: autoname(64),
      minLength: 1,
      maxLength: 64,
      pattern: EVENTBRIDGE_NAME,
      allowed: "letters, numbers, '.', '-' and '_'",
      docs: ["https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Rule.html"],
    },
  ],
  "aws:cloudwatch/eventTarget:EventTarget": [
    {
      property: "targetId",
      autoname: GENERIC,
      minLength: 1,
      maxLength: 64,
      pattern: EVENTBRIDGE_NAME,
      allowed: "letters, numbers, '.', '-' and '_'",
      docs: ["https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html"],
    },
  ],
  "aws:cloudwatch/logGroup:LogGroup": [
    {
      property: "name",
      prefixProperty: "namePrefix",
      autoname: GENERIC,
      minLength: 1,
      maxLength: 512,
      pattern: /^[.\-_/#A-Za-z0-9]+$/,
      allowed: "letters, numbers, '.', '-', '_', '/' and '#'",
      docs: ["https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html"],
    },
  ],
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": [
    {
      property: "alarmName",
      minLength: 1,
      maxLength: 255,
      docs: ["https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html"],
    },
  ],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [
    {
      property: "name",
      autoname: GENERIC,
      minLength: 1,
      maxLength: 255,
      docs: ["https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html"],
    },
  ],
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor": [
    {
      property: "name",
      autoname: GENERIC,
      minLength: 1,
      maxLength: 1024,
      docs: ["https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_AnomalyMonitor.html"],
    },
  ],
  "aws:costexplorer/anomalySubscription:AnomalySubscription": [
    {
      property: "name",
      autoname: GENERIC,
      minLength: 1,
      maxLength: 1024,
      docs: [
        "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_AnomalySubscription.html",
      ],
    },
  ],
  "aws:costexplorer/costAllocationTag:CostAllocationTag": { none: "activates an existing tag key" },
  "aws:ec2/securityGroup:SecurityGroup": [
    {
      property: "name",
      prefixProperty: "namePrefix",
      autoname: GENERIC,
      minLength: 1,
      maxLength: 255,
      pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
      allowed: "letters, numbers, spaces and ._-:/()#,@[]+=&;{}!$*",
      extra: (name) => (name.startsWith("sg-") ? 'starts with "sg-"' : undefined),
      docs: ["https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html"],
    },
  ],
  "aws:ec2/tag:Tag": { none: "a tag on another resource" },
  "aws:ec2/vpcEndpoint:VpcEndpoint": { none: "identified by its generated id (vpce-...)" },
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": { none: "a policy of its repository" },
  "aws:ecr/repository:Repository": [
    {
      property: "name",
      autoname: GENERIC,
      minLength: 2,
      maxLength: 256,
      pattern: /^(?=[a-z])(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
      allowed: "lower-case letters, numbers, '.', '_', '-' and '/', starting with a letter",
      docs: ["https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html"],
    },
  ],
  "aws:emr/cluster:Cluster": [
    {
      property: "name",
      autoname: GENERIC,
      minLength: 0,
      maxLength: 256,
      docs: ["https://docs.aws.amazon.com/emr/latest/APIReference/API_RunJobFlow.html"],
    },
  ],
  "aws:emr/instanceFleet:InstanceFleet": [
    {
      property: "name",
      autoname: GENERIC,
      minLength: 0,
      maxLength: 256,
      docs: ["https://docs.aws.amazon.com/emr/latest/APIReference/API_InstanceFleetConfig.html"],
    },
  ],
  "aws:emr/managedScalingPolicy:ManagedScalingPolicy": { none: "a setting of its cluster" },
  "aws:emr/securityConfiguration:SecurityConfiguration": [
    {
      property: "name",
      prefixProperty: "namePrefix",
      autoname: GENERIC,
      minLength: 0,
      maxLength: 10280,
      docs: ["https://docs.aws.amazon.com/emr/latest/APIReference/API_CreateSecurityConfiguration.html"],
    },
  ],
  "aws:emrserverless/application:Application": [
    {
      property: "name",
      autoname: GENERIC,
      minLength: 1,
      maxLength: 64,
      pattern: /^[A-Za-z0-9._/#-]+$/,
      allowed: "letters, numbers, '.', '_', '/', '#' and '-'",
      docs: ["https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_CreateApplication.html"],
    },
  ],
  "aws:glue/catalogDatabase:CatalogDatabase": [
    {
      property: "name",
      // Lower case, "_" and 8 random letters (pulumi-aws resources.go, aws_glue_catalog_database).
      autoname: { maxLength: 255, separator: "_", random: "abcdefgh", lowercase: true },
      minLength: 1,
      maxLength: 255,
      pattern: /^[^\r\n]+$/,
      allowed: "a single line",
      docs: GLUE_NAME_DOCS("DatabaseInput"),
    },
  ],
  "aws:glue/connection:Connection": glueName("ConnectionInput"),
  "aws:glue/crawler:Crawler": glueName("CreateCrawler"),
  "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings": {
    none: "a setting of the catalog",
  },
  "aws:glue/job:Job": glueName("CreateJob"),
  "aws:glue/securityConfiguration:SecurityConfiguration": glueName("CreateSecurityConfiguration"),
  "aws:glue/trigger:Trigger": glueName("CreateTrigger"),
  "aws:glue/workflow:Workflow": glueName("CreateWorkflow"),
  "aws:iam/instanceProfile:InstanceProfile": [
    {
      property: "name",
      prefixProperty: "namePrefix",
      autoname: GENERIC,
      minLength: 1,
      maxLength: 128,
      pattern: IAM_NAME,
      allowed: "letters, numbers and +=,.@_-",
      docs: IAM_DOCS,
    },
  ],
  "aws:iam/role:Role": [
    {
      property: "name",
      prefixProperty: "namePrefix",
      autoname: autoname(64),
      minLength: 1,
      maxLength: 64,
      pattern: IAM_NAME,
      allowed: "letters, numbers and +=,.@_-",
      docs: IAM_DOCS,
    },
  ],
  "aws:iam/rolePolicy:RolePolicy": [
    {
      property: "name",
      prefixProperty: "namePrefix",
      autoname: GENERIC,
      minLength: 1,
      maxLength: 128,
      pattern: IAM_NAME,
      allowed: "letters, numbers and +=,.@_-",
      docs: IAM_DOCS,
    },
  ],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { none: "attaches a managed policy by ARN" },
  "aws:kms/alias:Alias": [
    {
      property: "name",
      prefixProperty: "namePrefix",
      autoname: autoname(238, { prefix: "alias/" }),
      minLength: 1,
      maxLength: 256,
      pattern: /^alias\/[a-zA-Z0-9/_-]+$/,
      allowed: "alias/ followed by letters, numbers, '/', '_' and '-'",
      extra: (name) => (name.startsWith("alias/aws/") ? 'starts with the reserved "alias/aws/"' : undefined),
      docs: ["https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html"],
    },
  ],
  "aws:kms/key:Key": { none: "identified by its generated key id" },
  "aws:lakeformation/dataLakeSettings:DataLakeSettings": { none: "settings of the catalog" },
  "aws:lakeformation/permissions:Permissions": { none: "a grant" },
  "aws:lakeformation/resource:Resource": { none: "registers an S3 location by ARN" },
  "aws:redshift/cluster:Cluster": [
    {
      property: "clusterIdentifier",
      minLength: 1,
      maxLength: 63,
      pattern: /^[a-z][a-z0-9-]*$/,
      allowed: "lower-case letters, numbers and hyphens, starting with a letter",
      extra: redshiftIdentifier,
      docs: ["https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html"],
    },
    {
      property: "finalSnapshotIdentifier",
      minLength: 1,
      maxLength: 255,
      pattern: /^[A-Za-z][A-Za-z0-9-]*$/,
      allowed: "letters, numbers and hyphens, starting with a letter",
      extra: redshiftIdentifier,
      docs: ["https://docs.aws.amazon.com/redshift/latest/APIReference/API_DeleteCluster.html"],
    },
  ],
  "aws:redshift/logging:Logging": { none: "a setting of its cluster" },
  // The Redshift API documents no pattern for a cluster's scheduled action names (only that they
  // are unique in the account); these are the Redshift scheduler's rules for Serverless, the stricter.
  "aws:redshift/scheduledAction:ScheduledAction": [
    {
      property: "name",
      minLength: 3,
      maxLength: 60,
      pattern: /^[a-z0-9-]+$/,
      allowed: "lower-case letters, numbers and hyphens",
      docs: [
        "https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateScheduledAction.html",
        "https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_ScheduledActionAssociation.html",
      ],
    },
  ],
  "aws:redshift/parameterGroup:ParameterGroup": [
    {
      property: "name",
      autoname: GENERIC,
      minLength: 1,
      maxLength: 255,
      pattern: /^[a-z][a-z0-9-]*$/,
      allowed: "lower-case letters, numbers and hyphens, starting with a letter",
      extra: redshiftIdentifier,
      docs: [REDSHIFT_NAMING],
    },
  ],
  "aws:redshift/subnetGroup:SubnetGroup": [
    {
      property: "name",
      autoname: GENERIC,
      minLength: 1,
      maxLength: 255,
      pattern: /^[a-z0-9-]+$/,
      allowed: "lower-case letters, numbers and hyphens",
      extra: (name) => (name === "default" ? 'is the reserved "default"' : undefined),
      docs: [REDSHIFT_NAMING],
    },
  ],
  "aws:redshift/usageLimit:UsageLimit": { none: "identified by its generated id" },
  "aws:redshiftserverless/namespace:Namespace": [
    {
      property: "namespaceName",
      minLength: 3,
      maxLength: 64,
      pattern: REDSHIFT_SERVERLESS_NAME,
      allowed: "lower-case letters, numbers and hyphens",
      docs: ["https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_CreateNamespace.html"],
    },
  ],
  "aws:redshiftserverless/usageLimit:UsageLimit": { none: "identified by its generated id" },
  "aws:redshiftserverless/workgroup:Workgroup": [
    {
      property: "workgroupName",
      minLength: 3,
      maxLength: 64,
      pattern: REDSHIFT_SERVERLESS_NAME,
      allowed: "lower-case letters, numbers and hyphens",
      docs: ["https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_CreateWorkgroup.html"],
    },
  ],
  "aws:s3/bucket:Bucket": [
    {
      property: "bucket",
      prefixProperty: "bucketPrefix",
      autoname: autoname(63, { lowercase: true }),
      minLength: 3,
      maxLength: 63,
      pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
      allowed: "lower-case letters, numbers, '.' and '-', starting and ending with a letter or number",
      extra: (name) =>
        name.includes("..")
          ? "contains two adjacent periods"
          : /^\d+\.\d+\.\d+\.\d+$/.test(name)
            ? "is formatted as an IP address"
            : name.startsWith("xn--")
              ? 'starts with the reserved "xn--"'
              : name.endsWith("-s3alias")
                ? 'ends with the reserved "-s3alias"'
                : undefined,
      docs: ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"],
    },
  ],
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { none: "a setting of its bucket" },
  "aws:s3/bucketLogging:BucketLogging": { none: "a setting of its bucket" },
  "aws:s3/bucketNotification:BucketNotification": { none: "a setting of its bucket" },
  "aws:s3/bucketObjectv2:BucketObjectv2": { none: "an object key, not a resource name" },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { none: "a setting of its bucket" },
  "aws:s3/bucketPolicy:BucketPolicy": { none: "a setting of its bucket" },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { none: "a setting of its bucket" },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    none: "a setting of its bucket",
  },
  "aws:s3/bucketVersioning:BucketVersioning": { none: "a setting of its bucket" },
  "aws:scheduler/schedule:Schedule": [
    schedulerName("https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html"),
  ],
  "aws:scheduler/scheduleGroup:ScheduleGroup": [
    schedulerName("https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateScheduleGroup.html"),
  ],
  "aws:sfn/stateMachine:StateMachine": [
    {
      property: "name",
      prefixProperty: "namePrefix",
      autoname: GENERIC,
      minLength: 1,
      maxLength: 80,
      // Any name without whitespace, brackets, wildcards and specials is valid; logging to
      // CloudWatch Logs needs 0-9, A-Z, a-z, '-' and '_' only (the platform always logs).
      pattern: /^[0-9A-Za-z_-]+$/,
      allowed: "letters, numbers, '-' and '_' (required for logging to CloudWatch Logs)",
      docs: ["https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html"],
    },
  ],
  "aws:sns/topic:Topic": messagingName(
    256,
    "topics",
    "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
  ),
  "aws:sns/topicPolicy:TopicPolicy": { none: "a setting of its topic" },
  "aws:sns/topicSubscription:TopicSubscription": { none: "identified by its generated ARN" },
  "aws:sqs/queue:Queue": messagingName(
    80,
    "queues",
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
  ),
  "aws:sqs/queuePolicy:QueuePolicy": { none: "a setting of its queue" },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { none: "a rule of its security group" },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { none: "a rule of its security group" },
  "awsx:ec2:Vpc": { none: "a component: its VPC, subnets, gateways and routes carry Name tags, not names" },
  "awsx:ecr:Image": { none: "a component: builds and pushes an image into an existing repository" },
};
