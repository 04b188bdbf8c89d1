/**
 * What the mocked engine answers: plausible computed outputs (ids, ARNs, names) for the
 * resource types the platform declares, and results for the few invokes it makes.
 */
import { createHash } from "crypto";
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";

export interface MockAccount {
  accountId: string;
  region: string;
}

/** ARN formats that differ from `arn:aws:<service>:<region>:<account>:<kind>/<name>`. */
const ARN_FORMATS: Record<string, (name: string, account: MockAccount) => string> = {
  "aws:sns/topic:Topic": (name, a) => `arn:aws:sns:${a.region}:${a.accountId}:${name}`,
  "aws:sqs/queue:Queue": (name, a) => `arn:aws:sqs:${a.region}:${a.accountId}:${name}`,
  "aws:cloudwatch/logGroup:LogGroup": (name, a) =>
    `arn:aws:logs:${a.region}:${a.accountId}:log-group:${name}`,
  "aws:sfn/stateMachine:StateMachine": (name, a) =>
    `arn:aws:states:${a.region}:${a.accountId}:stateMachine:${name}`,
  "aws:cloudwatch/eventRule:EventRule": (name, a) => `arn:aws:events:${a.region}:${a.accountId}:rule/${name}`,
  "aws:batch/jobQueue:JobQueue": (name, a) => `arn:aws:batch:${a.region}:${a.accountId}:job-queue/${name}`,
  "aws:batch/jobDefinition:JobDefinition": (name, a) =>
    `arn:aws:batch:${a.region}:${a.accountId}:job-definition/${name}:1`,
  "aws:batch/computeEnvironment:ComputeEnvironment": (name, a) =>
    `arn:aws:batch:${a.region}:${a.accountId}:compute-environment/${name}`,
  "aws:glue/job:Job": (name, a) => `arn:aws:glue:${a.region}:${a.accountId}:job/${name}`,
  "aws:glue/crawler:Crawler": (name, a) => `arn:aws:glue:${a.region}:${a.accountId}:crawler/${name}`,
  "aws:glue/workflow:Workflow": (name, a) => `arn:aws:glue:${a.region}:${a.accountId}:workflow/${name}`,
  "aws:ecr/repository:Repository": (name, a) => `arn:aws:ecr:${a.region}:${a.accountId}:repository/${name}`,
  "aws:scheduler/schedule:Schedule": (name, a) =>
    `arn:aws:scheduler:${a.region}:${a.accountId}:schedule/default/${name}`,
};

/** `aws:glue/job:Job` -> service `glue`, resource `job`. */
function arnFor(type: string, name: string, account: MockAccount): string {
  const format = ARN_FORMATS[type];
  if (format) return format(name, account);
  const [, module = "misc"] = type.split(":");
  const service = module.split("/")[0].toLowerCase();
  const kind = (module.split("/")[1] ?? "resource").toLowerCase();
  if (service === "iam") return `arn:aws:iam::${account.accountId}:${kind}/${name}`;
  if (service === "s3") return `arn:aws:s3:::${name}`;
  return `arn:aws:${service}:${account.region}:${account.accountId}:${kind}/${name}`;
}

/** A UUID derived from a seed, so every synthesis gives a resource the same id. */
function mockUuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join(
    "-",
  );
}

const privateSubnets = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"];
const publicSubnets = ["subnet-0a1b2c3d4e5f60101", "subnet-0a1b2c3d4e5f60102", "subnet-0a1b2c3d4e5f60103"];

/** Outputs for awsx components, which register as a single remote resource under mocks. */
function awsxState(args: MockResourceArgs, account: MockAccount): Record<string, any> | undefined {
  if (args.type === "awsx:ec2:Vpc") {
    const azs = Number(args.inputs.numberOfAvailabilityZones ?? 3);
    return {
      vpcId: "vpc-0a1b2c3d4e5f60000",
      privateSubnetIds: privateSubnets.slice(0, azs),
      publicSubnetIds: publicSubnets.slice(0, azs),
      isolatedSubnetIds: [],
    };
  }
  if (args.type === "awsx:ecr:Image") {
    return {
      imageUri: `${account.accountId}.dkr.ecr.${account.region}.amazonaws.com/${args.name}@sha256:${"ab".repeat(32)}`,
    };
  }
  return undefined;
}

export function mockResourceState(args: MockResourceArgs, account: MockAccount): Record<string, any> {
  const awsx = awsxState(args, account);
  if (awsx) return { ...args.inputs, ...awsx };
  const physicalName: string = args.inputs.name ?? args.inputs.bucket ?? `${args.name}`;
  const state: Record<string, any> = {
    ...args.inputs,
    id: `${physicalName}-id`,
    arn: arnFor(args.type, physicalName, account),
    name: physicalName,
  };
  switch (args.type) {
    case "aws:s3/bucket:Bucket":
      state.bucket = physicalName;
      state.id = physicalName;
      state.arn = `arn:aws:s3:::${physicalName}`;
      break;
    case "aws:kms/key:Key":
      state.keyId = `${args.name}-key-id`;
      state.arn = `arn:aws:kms:${account.region}:${account.accountId}:key/${args.name}-key-id`;
      break;
    case "aws:ec2/securityGroup:SecurityGroup":
      state.id = `sg-${args.name}`;
      break;
    case "aws:emrserverless/application:Application": {
      // EMR Serverless ids are 16 lower-case alphanumerics.
      const id = `00${createHash("sha256").update(args.name).digest("hex").slice(0, 14)}`;
      state.id = id;
      state.arn = `arn:aws:emr-serverless:${account.region}:${account.accountId}:/applications/${id}`;
      break;
    }
    case "aws:batch/jobDefinition:JobDefinition":
      // The ARN without the revision, which submits the latest active revision.
      state.arnPrefix = `arn:aws:batch:${account.region}:${account.accountId}:job-definition/${physicalName}`;
      state.revision = 1;
      break;
    // Redshift Serverless ARNs name a namespace or workgroup by its id (a UUID), not its name:
    // arn:${Partition}:redshift-serverless:${Region}:${Account}:workgroup/${WorkgroupId}
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonredshiftserverless.html).
    case "aws:redshiftserverless/workgroup:Workgroup":
      state.workgroupId = mockUuid(args.name);
      state.arn = `arn:aws:redshift-serverless:${account.region}:${account.accountId}:workgroup/${state.workgroupId}`;
      break;
    // Redshift-managed admin passwords live in a Secrets Manager secret (random 6-character suffix).
    case "aws:redshiftserverless/namespace:Namespace":
      state.namespaceId = mockUuid(args.name);
      state.arn = `arn:aws:redshift-serverless:${account.region}:${account.accountId}:namespace/${state.namespaceId}`;
      state.adminPasswordSecretArn = `arn:aws:secretsmanager:${account.region}:${account.accountId}:secret:redshift!${physicalName}-admin-AbCdEf`;
      break;
    // Provisioned clusters: arn:${Partition}:redshift:${Region}:${Account}:cluster:${ClusterName}
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonredshift.html).
    case "aws:redshift/cluster:Cluster":
      state.arn = `arn:aws:redshift:${account.region}:${account.accountId}:cluster:${args.inputs.clusterIdentifier ?? physicalName}`;
      state.masterPasswordSecretArn = `arn:aws:secretsmanager:${account.region}:${account.accountId}:secret:redshift!${physicalName}-admin-AbCdEf`;
      break;
    case "aws:glue/catalogDatabase:CatalogDatabase":
      state.arn = `arn:aws:glue:${account.region}:${account.accountId}:database/${physicalName}`;
      state.id = `${account.accountId}:${physicalName}`;
      state.catalogId = args.inputs.catalogId ?? account.accountId;
      break;
  }
  return state;
}

export function mockCall(args: MockCallArgs, account: MockAccount): Record<string, any> {
  switch (args.token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: account.accountId,
        arn: `arn:aws:iam::${account.accountId}:user/ci`,
        userId: "AIDAMOCK",
        id: account.accountId,
      };
    case "aws:index/getRegion:getRegion":
      return { name: account.region, region: account.region, id: account.region };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:ec2/getRouteTables:getRouteTables":
      return { ids: ["rtb-0a1b2c3d4e5f60001", "rtb-0a1b2c3d4e5f60002"], id: "rtbs" };
    case "aws:ec2/getSubnet:getSubnet":
      return { id: args.inputs.id, availabilityZone: `${account.region}a`, vpcId: "vpc-0a1b2c3d4e5f60000" };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return { names: ["a", "b", "c"].map((suffix) => `${account.region}${suffix}`), id: account.region };
    default:
      return {};
  }
}
