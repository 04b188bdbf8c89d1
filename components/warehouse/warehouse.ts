import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson } from "../shared/iam";
import { lakeKeyStatement } from "../storage/kms";
import { AwsScope, awsScope, glueArn } from "../shared/aws-scope";
import { DataLake } from "../storage/data-lake";
import { CatalogDatabaseRef } from "../shared/locations";
import { encryptedLogGroup } from "../shared/log-group";
import { LogRetentionDays } from "../../decisions/logs";
import { ClusterAction, PauseSchedule } from "../../decisions/warehouse/pause-schedule";

/** Audit logs Redshift exports to CloudWatch Logs. */
export const REDSHIFT_LOG_EXPORTS = ["connectionlog", "useractivitylog", "userlog"] as const;
export type RedshiftLogExport = (typeof REDSHIFT_LOG_EXPORTS)[number];

/**
 * The log group Redshift exports an audit log to; it uses a group of that name when one exists,
 * so declaring it first gives the logs the stack's retention and key instead of a group Redshift
 * creates without either:
 * - Serverless: `/aws/redshift/<namespace>/<log_type>`
 *   (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-audit-logging.html);
 * - a provisioned cluster: `/aws/redshift/cluster/<cluster identifier>/<log_type>`
 *   (https://aws.amazon.com/blogs/big-data/using-aws-cloudwatch-as-destination-for-amazon-redshift-audit-logs/).
 */
export function redshiftAuditLogGroupName(
  kind: WarehouseCapacity["kind"],
  resourceName: string,
  logType: RedshiftLogExport,
): string {
  return kind === "serverless"
    ? `/aws/redshift/${resourceName}/${logType}`
    : `/aws/redshift/cluster/${resourceName}/${logType}`;
}

export type WarehouseCapacity =
  | {
      kind: "serverless";
      /** RPUs available at once; 8 to 512 in steps of 8. */
      baseCapacityRpu: number;
      maxCapacityRpu: number;
      /** Monthly RPU-hours; past this the workgroup is deactivated until the next month. */
      monthlyRpuHoursLimit: number;
    }
  | {
      kind: "provisioned";
      nodeType: string;
      numberOfNodes: number;
      /** Concurrency scaling clusters allowed at once (0 turns it off). */
      maxConcurrencyScalingClusters: number;
      /** Daily cap on concurrency scaling, in minutes. */
      concurrencyScalingDailyLimitMinutes: number;
      /**
       * Pause and resume on these cron() schedules (UTC); absent: the cluster runs all month.
       * decisions/warehouse/pause-schedule.ts checks them and that loads find the cluster resumed.
       */
      pauseSchedule?: PauseSchedule;
    };

export interface WarehouseArgs {
  environment: string;
  databaseName: string;
  capacity: WarehouseCapacity;
  dataLake: DataLake;
  /** Databases Redshift Spectrum may read through the central catalog. */
  spectrumDatabases: CatalogDatabaseRef[];
  vpcId: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Job workloads that may open connections to the warehouse (port 5439). */
  clientSecurityGroupId: pulumi.Input<string>;
  /** The VPC's S3 gateway endpoint prefix list: COPY traffic stays inside the VPC. */
  s3PrefixListId: pulumi.Input<string>;
  /** Keep the warehouse (and take a final snapshot) when the stack is destroyed; its audit logs too. */
  retainOnDelete: boolean;
  /** Retention of the audit log groups. */
  logRetentionDays: LogRetentionDays;
}

/** Parameters of a provisioned cluster: TLS only, audit logging, automatic WLM with concurrency scaling. */
export function provisionedParameters(
  maxConcurrencyScalingClusters: number,
): { name: string; value: string }[] {
  return [
    { name: "require_ssl", value: "true" },
    { name: "enable_user_activity_logging", value: "true" },
    { name: "max_concurrency_scaling_clusters", value: String(maxConcurrencyScalingClusters) },
    {
      name: "wlm_json_configuration",
      value: JSON.stringify([
        { auto_wlm: true, concurrency_scaling: maxConcurrencyScalingClusters > 0 ? "auto" : "off" },
        { short_query_queue: true },
      ]),
    },
  ];
}

/**
 * The environment's warehouse: Redshift Serverless (namespace + workgroup, usage limit) or a
 * provisioned RA3 cluster with concurrency scaling and a usage limit on it. Either way: private
 * subnets, not publicly accessible, enhanced VPC routing, encrypted with the lake key, admin
 * password managed by Redshift in Secrets Manager, audit logs exported to log groups declared
 * first (retention, lake key), and a role that lets COPY read the curated zone and Spectrum read
 * the central catalog.
 */
export class Warehouse extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly securityGroup: aws.ec2.SecurityGroup;
  /** Serverless workgroup name, when serverless. */
  readonly workgroupName?: pulumi.Output<string>;
  /**
   * Serverless workgroup ARN, when serverless: IAM statements on the workgroup (Data API
   * statements, GetCredentials) name it exactly. It holds the workgroup's id, not its name
   * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonredshiftserverless.html).
   */
  readonly workgroupArn?: pulumi.Output<string>;
  /** Cluster identifier, when provisioned. */
  readonly clusterIdentifier?: pulumi.Output<string>;
  /** The pause and resume actions of a provisioned cluster with a pause schedule (else empty). */
  readonly scheduledActions: aws.redshift.ScheduledAction[] = [];
  readonly databaseName: string;
  /** ARN of the namespace (serverless) or cluster (provisioned), for IAM scoping. */
  readonly arn: pulumi.Output<string>;
  /**
   * The admin credentials Redshift manages in Secrets Manager (encrypted with the lake key): only
   * the warehouse setup uses them; loads run as a least-privilege database identity.
   */
  readonly adminSecretArn: pulumi.Output<string>;
  /** The key that encrypts the admin secret. */
  readonly adminSecretKmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: WarehouseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:warehouse:Warehouse", name, {}, opts);
    const scope = awsScope(this);
    this.databaseName = args.databaseName;
    this.adminSecretKmsKeyArn = args.dataLake.key.arn;
    this.role = this.declareRole(name, args, scope);
    this.securityGroup = this.declareSecurityGroup(name, args);

    const capacity = args.capacity;
    if (capacity.kind === "serverless") {
      const { workgroup, namespace } = this.declareServerless(name, args, capacity);
      this.workgroupName = workgroup.workgroupName;
      this.workgroupArn = workgroup.arn;
      this.arn = namespace.arn;
      this.adminSecretArn = namespace.adminPasswordSecretArn;
    } else {
      const cluster = this.declareProvisioned(name, args, capacity);
      this.clusterIdentifier = cluster.clusterIdentifier;
      this.arn = cluster.arn;
      this.adminSecretArn = cluster.masterPasswordSecretArn;
    }

    this.registerOutputs({
      roleArn: this.role.arn,
      workgroupName: this.workgroupName,
      workgroupArn: this.workgroupArn,
      clusterIdentifier: this.clusterIdentifier,
      databaseName: this.databaseName,
    });
  }

  /** The role COPY reads the curated zone with and Spectrum reads the central catalog with. */
  private declareRole(name: string, args: WarehouseArgs, scope: AwsScope): aws.iam.Role {
    const child = { parent: this };
    const lake = args.dataLake;
    const curated = lake.zone("curated");
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "Redshift COPY from the curated zone and Spectrum on the central catalog",
        assumeRolePolicy: policyJson([
          {
            Effect: "Allow",
            Principal: { Service: ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"] },
            Action: ["sts:AssumeRole"],
            Condition: { StringEquals: { "aws:SourceAccount": scope.accountId } },
          },
        ]),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-role`,
      {
        role: role.id,
        policy: policyJson([
          {
            Sid: "ListCurated",
            Effect: "Allow",
            Action: ["s3:ListBucket", "s3:GetBucketLocation"],
            Resource: [curated.arn],
          },
          {
            Sid: "ReadCurated",
            Effect: "Allow",
            Action: ["s3:GetObject"],
            Resource: [pulumi.interpolate`${curated.arn}/*`],
          },
          {
            Sid: "ReadCatalogForSpectrum",
            Effect: "Allow",
            Action: [
              "glue:GetDatabase",
              "glue:GetDatabases",
              "glue:GetTable",
              "glue:GetTables",
              "glue:GetPartition",
              "glue:GetPartitions",
              "glue:BatchGetPartition",
            ],
            Resource: [
              glueArn(scope, "catalog"),
              ...args.spectrumDatabases.map((database) => database.arn),
              ...args.spectrumDatabases.map((database) =>
                glueArn(scope, pulumi.interpolate`table/${database.name}/*`),
              ),
            ],
          },
          lakeKeyStatement(lake.key.arn),
        ]),
      },
      child,
    );
    return role;
  }

  /** SQL from the platform's jobs only; COPY and UNLOAD reach S3 through the gateway endpoint. */
  private declareSecurityGroup(name: string, args: WarehouseArgs): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: "Redshift: SQL from platform jobs only; HTTPS out to S3, Glue and Lake Formation",
        ingress: [
          {
            description: "Redshift from platform jobs",
            protocol: "tcp",
            fromPort: 5439,
            toPort: 5439,
            securityGroups: [args.clientSecurityGroupId],
          },
        ],
        egress: [
          {
            description: "COPY/UNLOAD to S3 via the gateway endpoint (enhanced VPC routing)",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            prefixListIds: [args.s3PrefixListId],
          },
          {
            // Enhanced VPC routing sends Spectrum's Glue Data Catalog and Lake Formation calls through
            // the VPC too: to their interface endpoints, or through NAT to the public endpoints, whose
            // addresses no prefix list covers.
            // https://docs.aws.amazon.com/redshift/latest/mgmt/spectrum-enhanced-vpc.html
            description: "Spectrum: HTTPS to the Glue Data Catalog and Lake Formation",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: ["0.0.0.0/0"],
          },
        ],
      },
      { parent: this },
    );
  }

  /** The audit log groups of the namespace or cluster, before it exists, so Redshift writes to them. */
  private declareAuditLogGroups(
    name: string,
    args: WarehouseArgs,
    resourceName: string,
  ): aws.cloudwatch.LogGroup[] {
    return REDSHIFT_LOG_EXPORTS.map((logType) =>
      encryptedLogGroup(
        `${name}-${logType}`,
        {
          logGroupName: redshiftAuditLogGroupName(args.capacity.kind, resourceName, logType),
          retentionInDays: args.logRetentionDays,
          kmsKeyArn: args.dataLake.key.arn,
        },
        { parent: this, retainOnDelete: args.retainOnDelete },
      ),
    );
  }

  /** Redshift Serverless: a namespace, a private workgroup and a monthly compute limit. */
  private declareServerless(
    name: string,
    args: WarehouseArgs,
    capacity: Extract<WarehouseCapacity, { kind: "serverless" }>,
  ) {
    const kept = { parent: this, retainOnDelete: args.retainOnDelete };
    const keyArn = args.dataLake.key.arn;
    const resourceName = `bdp-${args.environment}-warehouse`;
    const logGroups = this.declareAuditLogGroups(name, args, resourceName);
    const namespace = new aws.redshiftserverless.Namespace(
      `${name}-namespace`,
      {
        namespaceName: resourceName,
        dbName: args.databaseName,
        adminUsername: "platform_admin",
        manageAdminPassword: true,
        adminPasswordSecretKmsKeyId: keyArn,
        kmsKeyId: keyArn,
        iamRoles: [this.role.arn],
        defaultIamRoleArn: this.role.arn,
        logExports: [...REDSHIFT_LOG_EXPORTS],
      },
      { ...kept, dependsOn: logGroups },
    );
    const workgroup = new aws.redshiftserverless.Workgroup(
      `${name}-workgroup`,
      {
        workgroupName: resourceName,
        namespaceName: namespace.namespaceName,
        baseCapacity: capacity.baseCapacityRpu,
        maxCapacity: capacity.maxCapacityRpu,
        enhancedVpcRouting: true,
        publiclyAccessible: false,
        subnetIds: args.privateSubnetIds,
        securityGroupIds: [this.securityGroup.id],
        configParameters: [
          { parameterKey: "require_ssl", parameterValue: "true" },
          { parameterKey: "enable_user_activity_logging", parameterValue: "true" },
        ],
      },
      kept,
    );
    new aws.redshiftserverless.UsageLimit(
      `${name}-compute-limit`,
      {
        resourceArn: workgroup.arn,
        usageType: "serverless-compute",
        amount: capacity.monthlyRpuHoursLimit,
        period: "monthly",
        breachAction: "deactivate",
      },
      { parent: this },
    );
    return { namespace, workgroup };
  }

  /** A provisioned cluster: its parameters and subnets, audit logging and a concurrency scaling limit. */
  private declareProvisioned(
    name: string,
    args: WarehouseArgs,
    capacity: Extract<WarehouseCapacity, { kind: "provisioned" }>,
  ): aws.redshift.Cluster {
    const child = { parent: this };
    const keyArn = args.dataLake.key.arn;
    const resourceName = `bdp-${args.environment}-warehouse`;
    const logGroups = this.declareAuditLogGroups(name, args, resourceName);
    const parameterGroup = new aws.redshift.ParameterGroup(
      `${name}-parameters`,
      {
        name: resourceName,
        family: "redshift-2.0",
        description: "TLS only, audit logging, automatic WLM with concurrency scaling",
        parameters: provisionedParameters(capacity.maxConcurrencyScalingClusters),
      },
      child,
    );
    const subnetGroup = new aws.redshift.SubnetGroup(
      `${name}-subnets`,
      { name: resourceName, subnetIds: args.privateSubnetIds },
      child,
    );
    const cluster = new aws.redshift.Cluster(
      `${name}-cluster`,
      {
        clusterIdentifier: resourceName,
        databaseName: args.databaseName,
        nodeType: capacity.nodeType,
        clusterType: capacity.numberOfNodes > 1 ? "multi-node" : "single-node",
        numberOfNodes: capacity.numberOfNodes,
        masterUsername: "platform_admin",
        manageMasterPassword: true,
        masterPasswordSecretKmsKeyId: keyArn,
        encrypted: "true",
        kmsKeyId: keyArn,
        publiclyAccessible: false,
        enhancedVpcRouting: true,
        clusterSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [this.securityGroup.id],
        clusterParameterGroupName: parameterGroup.name,
        iamRoles: [this.role.arn],
        defaultIamRoleArn: this.role.arn,
        automatedSnapshotRetentionPeriod: args.retainOnDelete ? 14 : 1,
        skipFinalSnapshot: !args.retainOnDelete,
        finalSnapshotIdentifier: args.retainOnDelete ? `${resourceName}-final` : undefined,
      },
      { parent: this, retainOnDelete: args.retainOnDelete, dependsOn: logGroups },
    );
    new aws.redshift.Logging(
      `${name}-logging`,
      {
        clusterIdentifier: cluster.clusterIdentifier,
        logDestinationType: "cloudwatch",
        logExports: [...REDSHIFT_LOG_EXPORTS],
      },
      { parent: this, dependsOn: logGroups },
    );
    if (capacity.pauseSchedule) {
      this.declarePauseSchedule(name, cluster, capacity.pauseSchedule, resourceName);
    }
    if (capacity.maxConcurrencyScalingClusters > 0) {
      new aws.redshift.UsageLimit(
        `${name}-concurrency-scaling-limit`,
        {
          clusterIdentifier: cluster.clusterIdentifier,
          featureType: "concurrency-scaling",
          limitType: "time",
          amount: capacity.concurrencyScalingDailyLimitMinutes,
          period: "daily",
          breachAction: "disable",
        },
        child,
      );
    }
    return cluster;
  }

  /**
   * One Redshift scheduled action per pause and resume expression, run by a role the Redshift
   * scheduler assumes (trust and permissions as in
   * https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-iam-access-control-identity-based.html
   * and https://docs.aws.amazon.com/redshift/latest/APIReference/API_ScheduledAction.html). The
   * trust names the scheduler only, as documented: AWS lists no condition keys it sets, and the
   * role may do nothing but pause and resume this cluster. A cluster pauses only with automated
   * snapshots on, which this component always keeps (retention of at least one day).
   */
  private declarePauseSchedule(
    name: string,
    cluster: aws.redshift.Cluster,
    schedule: PauseSchedule,
    resourceName: string,
  ): void {
    const child = { parent: this };
    const role = new aws.iam.Role(
      `${name}-scheduler`,
      {
        description: `Redshift scheduler: pauses and resumes cluster ${resourceName}`,
        assumeRolePolicy: policyJson([
          {
            Effect: "Allow",
            Principal: { Service: "scheduler.redshift.amazonaws.com" },
            Action: ["sts:AssumeRole"],
          },
        ]),
      },
      child,
    );
    const access = new aws.iam.RolePolicy(
      `${name}-scheduler`,
      {
        role: role.id,
        policy: policyJson([
          {
            Sid: "PauseAndResumeTheWarehouse",
            Effect: "Allow",
            Action: ["redshift:PauseCluster", "redshift:ResumeCluster"],
            Resource: [cluster.arn],
          },
        ]),
      },
      child,
    );
    const actions: ClusterAction[] = ["pause", "resume"];
    for (const action of actions) {
      schedule[action].forEach((expression, index) => {
        const actionName = `${resourceName}-${action}-${index + 1}`;
        this.scheduledActions.push(
          new aws.redshift.ScheduledAction(
            `${name}-${action}-${index + 1}`,
            {
              name: actionName,
              description: `${action === "pause" ? "Pause" : "Resume"} ${resourceName} (${expression}, UTC)`,
              schedule: expression,
              iamRole: role.arn,
              enable: true,
              targetAction:
                action === "pause"
                  ? { pauseCluster: { clusterIdentifier: cluster.clusterIdentifier } }
                  : { resumeCluster: { clusterIdentifier: cluster.clusterIdentifier } },
            },
            // The role may act before the scheduler first assumes it.
            { parent: this, dependsOn: [access] },
          ),
        );
      });
    }
  }
}
