import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson, PolicyStatement, serviceTrustPolicy } from "../shared/iam";
import { TAG_KEYS } from "../shared/tags";
import { LogRetentionDays } from "../../decisions/logs";
import {
  crawlerBehavior,
  crawlerIncrementalError,
  crawlerTargetKinds,
  crawlerTargetsError,
  glueScheduleError,
} from "../../decisions/glue";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import {
  bucketLocationStatement,
  CATALOG_READ_ACTIONS,
  catalogStatement,
  connectionStatements,
  GlueConnectionAccess,
  logWriteStatements,
  READ_SECURITY_CONFIGURATION,
  s3ReadStatements,
} from "./access";
import { AwsScope, awsScope } from "../shared/aws-scope";
import { lakeKeyStatement } from "../storage/kms";
import { encryptedLogGroup } from "../shared/log-group";
import { assertValidArgs } from "../shared/args";
import {
  CatalogDatabaseRef,
  DataLakeRef,
  locationListProblems,
  S3Location,
  s3Uri,
} from "../shared/locations";

/** An S3 location to crawl (crawled as `s3://<bucket>/<prefix>`). */
export interface CrawlerS3Target extends S3Location {
  /** Glob patterns to skip, e.g. `**.tmp`. */
  exclusions?: string[];
}

/** A JDBC target of a crawler: the connection and the path it crawls. */
export interface CrawlerJdbcTarget {
  connection: GlueConnectionAccess;
  /** `database/schema/table`, `%` as wildcard, e.g. `sales/public/%`. */
  path: string;
  exclusions?: string[];
}

/** A DynamoDB table a crawler samples. */
export interface CrawlerDynamodbTarget {
  table: string;
  /** Share of the table's read capacity the crawler may use (0.1 to 1.5). */
  scanRate?: number;
}

/** Physical names: the crawler is named like the component; its role is autonamed from it. */
export interface GlueCrawlerArgs {
  description?: string;
  /** The central-catalog database the crawler writes tables into. */
  database: CatalogDatabaseRef;
  tablePrefix?: string;
  s3Targets?: CrawlerS3Target[];
  jdbcTargets?: CrawlerJdbcTarget[];
  dynamodbTargets?: CrawlerDynamodbTarget[];
  /** Crawl only folders added since the last crawl (S3 targets only). */
  incremental: boolean;
  /** `cron(...)` in UTC; omitted: runs from workflows or Step Functions only. */
  schedule?: string;
  /** Name of the Glue security configuration that encrypts the crawler's logs. */
  securityConfigurationName: pulumi.Input<string>;
  /** Its key decrypts the data and the catalog: a DataLake, or `{ keyArn }`. */
  dataLake: Pick<DataLakeRef, "keyArn">;
  logRetentionDays: LogRetentionDays;
  /** Extra tags, e.g. the pipeline the crawler serves. */
  tags?: Record<string, string>;
}

/** Catalog actions of a crawler: read, create and update tables and partitions, add partition indexes. */
export const CRAWLER_CATALOG_ACTIONS = [
  ...CATALOG_READ_ACTIONS,
  "glue:CreateTable",
  "glue:UpdateTable",
  "glue:CreatePartition",
  "glue:BatchCreatePartition",
  "glue:UpdatePartition",
  "glue:BatchUpdatePartition",
  "glue:CreatePartitionIndex",
  "glue:GetPartitionIndexes",
];

/**
 * The log group of a crawler whose security configuration encrypts CloudWatch logs: Glue names
 * it after the role and the configuration, with one stream per crawler.
 */
export function glueCrawlerLogGroupName(
  securityConfigurationName: pulumi.Input<string>,
  roleName: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.interpolate`/aws-glue/crawlers-role/${roleName}-${securityConfigurationName}`;
}

/**
 * The problems with a crawler's targets: at least one, and incremental crawls of S3 targets only
 * (decisions/glue.ts). Any kind of S3 target counts, so the stack config checks its crawlers'
 * entries with this too.
 */
export function crawlerTargetProblems(args: {
  incremental: boolean;
  s3Targets?: readonly unknown[];
  jdbcTargets?: readonly unknown[];
  dynamodbTargets?: readonly unknown[];
}): ArgsProblem[] {
  const kinds = crawlerTargetKinds(args);
  return [
    ...problemAt([], crawlerTargetsError(kinds)),
    ...problemAt(["incremental"], crawlerIncrementalError(args.incremental, kinds), args.incremental),
  ];
}

/**
 * Every problem with a crawler's args: its targets (crawlerTargetProblems), a Glue schedule (cron
 * in UTC) and valid S3 target prefixes.
 */
export function validateGlueCrawlerArgs(
  args: Pick<GlueCrawlerArgs, "incremental" | "schedule" | "jdbcTargets" | "dynamodbTargets"> & {
    s3Targets?: Pick<S3Location, "prefix">[];
  },
): ArgsProblem[] {
  return [
    ...crawlerTargetProblems(args),
    ...(args.schedule === undefined
      ? []
      : problemAt(["schedule"], glueScheduleError(args.schedule), args.schedule)),
    ...locationListProblems("s3Targets", args.s3Targets ?? []),
  ];
}

/**
 * A Glue crawler that keeps one central-catalog database up to date from S3, JDBC or DynamoDB
 * targets: incremental (new S3 folders only, schema changes logged) or full (additive schema
 * updates, vanished tables deprecated, never deleted), encrypted logs in a retained log group,
 * and a role that reads only its targets and writes only its database.
 */
export class GlueCrawler extends pulumi.ComponentResource {
  readonly crawler: aws.glue.Crawler;
  readonly crawlerName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: GlueCrawlerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:glue:Crawler", name, {}, opts);
    assertValidArgs("bdp:glue:Crawler", name, validateGlueCrawlerArgs(args));
    const child = { parent: this };
    const scope = awsScope(this);
    const tags = { ...args.tags, [TAG_KEYS.component]: "glue-crawler" };

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Glue crawler ${name}`,
        assumeRolePolicy: serviceTrustPolicy("glue.amazonaws.com", scope.accountId),
        tags,
      },
      child,
    );
    const groupName = glueCrawlerLogGroupName(args.securityConfigurationName, this.role.name);
    this.logGroup = encryptedLogGroup(
      `${name}-logs`,
      {
        logGroupName: groupName,
        retentionInDays: args.logRetentionDays,
        kmsKeyArn: args.dataLake.keyArn,
        tags,
      },
      child,
    );
    const access = new aws.iam.RolePolicy(
      `${name}-access`,
      { role: this.role.id, policy: policyJson(crawlerRoleStatements(args, scope, groupName)) },
      child,
    );
    this.crawler = this.declareCrawler(name, args, tags, [access, this.logGroup]);
    this.crawlerName = this.crawler.name;
    this.arn = this.crawler.arn;

    this.registerOutputs({
      crawlerName: this.crawlerName,
      roleArn: this.role.arn,
      logGroup: this.logGroup.name,
    });
  }

  /** The crawler: its targets, behaviour (decisions/glue.ts crawlerBehavior) and schedule. */
  private declareCrawler(
    name: string,
    args: GlueCrawlerArgs,
    tags: Record<string, string>,
    prerequisites: pulumi.Resource[],
  ): aws.glue.Crawler {
    const behavior = crawlerBehavior(args.incremental);
    return new aws.glue.Crawler(
      name,
      {
        name,
        description: args.description,
        role: this.role.arn,
        databaseName: args.database.name,
        tablePrefix: args.tablePrefix,
        s3Targets: (args.s3Targets ?? []).map((target) => ({
          path: s3Uri(target),
          exclusions: target.exclusions,
        })),
        jdbcTargets: (args.jdbcTargets ?? []).map((target) => ({
          connectionName: target.connection.connectionName,
          path: target.path,
          exclusions: target.exclusions,
        })),
        // Sampling is enough to infer a schema and spares the table's read capacity.
        dynamodbTargets: (args.dynamodbTargets ?? []).map((target) => ({
          path: target.table,
          scanAll: false,
          scanRate: target.scanRate,
        })),
        recrawlPolicy: { recrawlBehavior: behavior.recrawlBehavior },
        schemaChangePolicy: behavior.schemaChangePolicy,
        configuration: JSON.stringify(behavior.configuration),
        securityConfiguration: args.securityConfigurationName,
        schedule: args.schedule,
        tags,
      },
      { parent: this, dependsOn: prerequisites },
    );
  }
}

/**
 * The crawler role's statements: inline and scoped instead of AWSGlueServiceRole (glue:* and
 * s3/ec2/logs on "*"): read its targets, write its database, use the lake key, write its logs.
 */
function crawlerRoleStatements(
  args: GlueCrawlerArgs,
  scope: AwsScope,
  logGroupName: pulumi.Input<string>,
): PolicyStatement[] {
  const s3Targets = args.s3Targets ?? [];
  const dynamodbTargets = args.dynamodbTargets ?? [];
  const dynamodbStatements: PolicyStatement[] =
    dynamodbTargets.length === 0
      ? []
      : [
          {
            Sid: "ReadDynamodbTables",
            Effect: "Allow",
            Action: ["dynamodb:DescribeTable", "dynamodb:Scan"],
            Resource: dynamodbTargets.map(
              (target) =>
                pulumi.interpolate`arn:${scope.partition}:dynamodb:${scope.region}:${scope.accountId}:table/${target.table}`,
            ),
          },
        ];
  return [
    ...s3ReadStatements("Target", s3Targets),
    ...(s3Targets.length === 0
      ? []
      : [bucketLocationStatement([...new Set(s3Targets.map((target) => target.bucketArn))])]),
    ...dynamodbStatements,
    catalogStatement(scope, [args.database], CRAWLER_CATALOG_ACTIONS),
    lakeKeyStatement(args.dataLake.keyArn),
    ...logWriteStatements(scope, [logGroupName]),
    READ_SECURITY_CONFIGURATION,
    ...connectionStatements((args.jdbcTargets ?? []).map((target) => target.connection)),
  ];
}
