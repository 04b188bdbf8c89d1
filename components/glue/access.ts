/**
 * Least-privilege IAM statements shared by Glue jobs and crawlers. Every statement names exact
 * ARNs (bucket prefixes, catalog databases and tables, log groups, the lake key); the only `*`
 * resources are actions AWS does not scope to a resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "../shared/iam";
import { AwsScope, glueArn } from "../shared/aws-scope";
import { CatalogDatabaseRef, S3Location } from "../shared/locations";
import { listFolderStatement, prefixObjectArns } from "../shared/s3-folder";

/** What a job or crawler role needs to use a Glue connection (see JdbcConnection). */
export interface GlueConnectionAccess {
  connectionName: pulumi.Input<string>;
  accessStatements: PolicyStatement[];
}

/** Read-only access to prefixes: list and get, nothing else. */
export function s3ReadStatements(sidPrefix: string, locations: S3Location[]): PolicyStatement[] {
  return locations.flatMap((location, index) => [
    listFolderStatement(`${sidPrefix}List${index}`, location),
    {
      Sid: `${sidPrefix}Get${index}`,
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: prefixObjectArns(location),
    },
  ]);
}

/** Read-write access to prefixes: Spark lists, reads back, writes and removes temporary files. */
export function s3WriteStatements(sidPrefix: string, locations: S3Location[]): PolicyStatement[] {
  return locations.flatMap((location, index) => [
    listFolderStatement(`${sidPrefix}List${index}`, location),
    {
      Sid: `${sidPrefix}Objects${index}`,
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: prefixObjectArns(location),
    },
  ]);
}

/** Glue resolves each bucket's region before reading; GetBucketLocation takes no prefix condition. */
export function bucketLocationStatement(bucketArns: pulumi.Input<string>[]): PolicyStatement {
  return { Sid: "LocateBuckets", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: bucketArns };
}

/** Glue Data Catalog actions that read databases, tables and partitions. */
export const CATALOG_READ_ACTIONS = [
  "glue:GetDatabase",
  "glue:GetTable",
  "glue:GetTables",
  "glue:GetPartition",
  "glue:GetPartitions",
  "glue:BatchGetPartition",
];

/** Glue Data Catalog actions that create and update tables and partitions (never delete). */
export const CATALOG_WRITE_ACTIONS = [
  "glue:CreateTable",
  "glue:UpdateTable",
  "glue:CreatePartition",
  "glue:BatchCreatePartition",
  "glue:UpdatePartition",
];

/** The ARN of the account's Glue Data Catalog. */
export function catalogArn(scope: AwsScope): pulumi.Output<string> {
  return glueArn(scope, "catalog");
}

/** Catalog actions on the account catalog, the given databases and their tables only. */
export function catalogStatement(
  scope: AwsScope,
  databases: CatalogDatabaseRef[],
  actions: string[],
  sid = "CatalogTables",
): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: actions,
    Resource: [
      catalogArn(scope),
      ...databases.map((database) => database.arn),
      ...databases.map((database) => glueArn(scope, pulumi.interpolate`table/${database.name}/*`)),
    ],
  };
}

/**
 * Spark with the Glue Data Catalog as metastore looks up the `default` database when its catalog
 * starts. Only GetDatabase: tables there stay out of reach (their table ARNs are not granted).
 */
export function defaultDatabaseStatement(scope: AwsScope): PolicyStatement {
  return {
    Sid: "SparkDefaultDatabase",
    Effect: "Allow",
    Action: ["glue:GetDatabase"],
    Resource: [catalogArn(scope), glueArn(scope, "database/default")],
  };
}

/** The ARN of a CloudWatch log group, without the `:*` suffix. */
export function logGroupArn(scope: AwsScope, name: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${name}`;
}

/**
 * Writing to the given log groups only. Glue calls CreateLogGroup (tolerating "already exists")
 * and AssociateKmsKey on the group before writing; both are limited to these groups, which the
 * component declares itself with retention.
 */
export function logWriteStatements(scope: AwsScope, groupNames: pulumi.Input<string>[]): PolicyStatement[] {
  const groups = groupNames.map((name) => logGroupArn(scope, name));
  return [
    {
      Sid: "OwnLogGroups",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:AssociateKmsKey"],
      Resource: groups,
    },
    {
      Sid: "OwnLogStreams",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: groups.map((group) => pulumi.interpolate`${group}:log-stream:*`),
    },
  ];
}

/**
 * Glue reads the security configuration attached to the job or crawler to find the key it must
 * use. The action has no resource-level permissions, so it cannot be scoped further; it only
 * reveals encryption settings.
 */
export const READ_SECURITY_CONFIGURATION: PolicyStatement = {
  Sid: "ReadSecurityConfiguration",
  Effect: "Allow",
  Action: ["glue:GetSecurityConfiguration"],
  Resource: "*",
};

/** Role statements of the connections, renumbered so Sids stay unique within one policy. */
export function connectionStatements(connections: GlueConnectionAccess[]): PolicyStatement[] {
  return connections.flatMap((connection, index) =>
    connection.accessStatements.map((statement) => ({
      ...statement,
      Sid: `Connection${index}${statement.Sid ?? ""}`,
    })),
  );
}
