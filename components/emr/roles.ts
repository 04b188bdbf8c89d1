/**
 * IAM for EMR on EC2, following AWS's current guidance: the service role uses the scoped
 * AmazonEMRServicePolicy_v2 (not the deprecated AmazonElasticMapReduceRole) and the instance role
 * is our own least-privilege policy (not the deprecated, broad AmazonElasticMapReduceforEC2Role).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson, PolicyStatement } from "../shared/iam";
import { dataAccessStatements, EmrDataAccess } from "./data-access";
import { AwsScope, awsScope } from "../shared/aws-scope";
import { S3Location } from "../shared/locations";
import { pushLogsStatements } from "../shared/s3-folder";

/** Path of the scoped EMR service policy; the ARN is `arn:<partition>:iam::aws:policy/<path>`. */
export const EMR_SERVICE_POLICY = "service-role/AmazonEMRServicePolicy_v2";

/** The lake key actions EMR needs to create encrypted EBS volumes for the nodes. */
export const EBS_ENCRYPTION_KEY_ACTIONS = [
  "kms:Decrypt",
  "kms:DescribeKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
];

export interface EmrClusterRolesArgs {
  /** What the cluster's jobs read and write. */
  access: EmrDataAccess;
  /** The logs bucket and the cluster's prefix in it (the cluster's logUri). */
  logs: S3Location;
  /** Tags of the roles and instance profile (pipeline, sla-tier). */
  tags?: Record<string, string>;
}

/**
 * The two roles of an EMR on EC2 cluster.
 *
 * Service role (assumed by EMR): AmazonEMRServicePolicy_v2, trust pinned to this account's
 * clusters (aws:SourceAccount + aws:SourceArn), iam:PassRole on this cluster's instance role only
 * (v2 passes only roles named EMR_EC2_DefaultRole), and the lake key for EBS volume encryption.
 * v2 only lets EMR launch into subnets and security groups tagged
 * `for-use-with-amazon-emr-managed-policies=true`: the security groups of EmrSecurityGroups carry the
 * tag; subnets must be tagged by whoever owns them (see EmrSubnetTags for existing subnets).
 *
 * Instance role (assumed by the nodes, via the instance profile): read sources, write targets,
 * read scripts, push logs under the cluster's log prefix, the Glue catalog on its databases,
 * the lake key, and the Amazon Linux 2023 / EMR package repositories (private subnets reach them
 * through the S3 gateway endpoint).
 */
export class EmrClusterRoles extends pulumi.ComponentResource {
  readonly serviceRole: aws.iam.Role;
  readonly instanceRole: aws.iam.Role;
  readonly instanceProfile: aws.iam.InstanceProfile;
  /** Policies and attachments the cluster must wait for (IAM is eventually consistent). */
  readonly policies: pulumi.CustomResource[];

  constructor(name: string, args: EmrClusterRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:emr:ClusterRoles", name, {}, opts);
    const scope = awsScope(this);
    const instance = this.declareInstanceRole(name, args, scope);
    this.instanceRole = instance.role;
    this.instanceProfile = new aws.iam.InstanceProfile(
      `${name}-instance`,
      { role: this.instanceRole.name, tags: args.tags },
      { parent: this },
    );
    const service = this.declareServiceRole(name, args, scope);
    this.serviceRole = service.role;
    this.policies = [instance.policy, ...service.policies];

    this.registerOutputs({
      serviceRoleArn: this.serviceRole.arn,
      instanceRoleArn: this.instanceRole.arn,
      instanceProfileArn: this.instanceProfile.arn,
    });
  }

  /** The nodes' role: the job's data, scripts and catalog, the cluster's logs, package repositories. */
  private declareInstanceRole(name: string, args: EmrClusterRolesArgs, scope: AwsScope) {
    const role = new aws.iam.Role(
      `${name}-instance`,
      {
        description: "EMR cluster nodes: the pipeline's data, scripts, logs, catalog and lake key",
        tags: args.tags,
        // EC2 assumes instance-profile roles without source conditions; the profile limits who gets it.
        assumeRolePolicy: policyJson([
          {
            Effect: "Allow",
            Principal: { Service: "ec2.amazonaws.com" },
            Action: ["sts:AssumeRole"],
          },
        ]),
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-instance`,
      {
        role: role.id,
        policy: policyJson([
          ...dataAccessStatements(args.access, scope),
          ...clusterNodeStatements(args.logs, scope.region, scope.partition),
        ]),
      },
      { parent: this },
    );
    return { role, policy };
  }

  /** EMR's role: AmazonEMRServicePolicy_v2, trust pinned to this account's clusters, PassRole and EBS keys. */
  private declareServiceRole(name: string, args: EmrClusterRolesArgs, scope: AwsScope) {
    const child = { parent: this };
    const role = new aws.iam.Role(
      `${name}-service`,
      {
        description: "Amazon EMR service role (AmazonEMRServicePolicy_v2)",
        tags: args.tags,
        assumeRolePolicy: policyJson([
          {
            Effect: "Allow",
            Principal: { Service: "elasticmapreduce.amazonaws.com" },
            Action: ["sts:AssumeRole"],
            Condition: {
              StringEquals: { "aws:SourceAccount": scope.accountId },
              ArnLike: {
                "aws:SourceArn": pulumi.interpolate`arn:${scope.partition}:elasticmapreduce:${scope.region}:${scope.accountId}:*`,
              },
            },
          },
        ]),
      },
      child,
    );
    const managed = new aws.iam.RolePolicyAttachment(
      `${name}-service-v2`,
      {
        role: role.name,
        policyArn: pulumi.interpolate`arn:${scope.partition}:iam::aws:policy/${EMR_SERVICE_POLICY}`,
      },
      child,
    );
    const servicePolicy = new aws.iam.RolePolicy(
      `${name}-service`,
      {
        role: role.id,
        policy: policyJson(serviceRoleStatements(this.instanceRole.arn, args.access.keyArn)),
      },
      child,
    );
    return { role, policies: [managed, servicePolicy] };
  }
}

/** What the service role needs besides AmazonEMRServicePolicy_v2. */
export function serviceRoleStatements(
  instanceRoleArn: pulumi.Input<string>,
  keyArn: pulumi.Input<string>,
): PolicyStatement[] {
  return [
    {
      Sid: "PassInstanceRole",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: [instanceRoleArn],
      Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
    },
    // Local disk encryption with EnableEbsEncryption: EMR creates the nodes' volumes with the lake key.
    { Sid: "EncryptVolumes", Effect: "Allow", Action: EBS_ENCRYPTION_KEY_ACTIONS, Resource: [keyArn] },
    {
      Sid: "GrantVolumesTheKey",
      Effect: "Allow",
      Action: ["kms:CreateGrant"],
      Resource: [keyArn],
      Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    },
  ];
}

/** Node-only statements: log pushing and package repositories. */
export function clusterNodeStatements(
  logs: Pick<S3Location, "bucketArn" | "prefix">,
  region: pulumi.Input<string>,
  partition: pulumi.Input<string>,
): PolicyStatement[] {
  return [
    ...pushLogsStatements("PushClusterLogs", logs),
    {
      // EMR 7 nodes install from the Amazon Linux 2023 and EMR repositories in S3.
      Sid: "ReadPackageRepositories",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: [
        pulumi.interpolate`arn:${partition}:s3:::al2023-repos-${region}-de612dc2/*`,
        pulumi.interpolate`arn:${partition}:s3:::repo.${region}.emr.amazonaws.com/*`,
      ],
    },
  ];
}
