import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { GlueCrawler, GlueCrawlerArgs, validateGlueCrawlerArgs } from "../../../components/glue/crawler";
import { JdbcConnection } from "../../../components/glue/connection";
import { actionsOf, invalidActions, statementBySid } from "../../support/iam";
import { Synthesized, synthesizeComponents } from "../../support/synth";
import { assertOnlyProblem, invalidArgsError } from "../../support/problems";
import {
  ACCOUNT,
  CATALOG_ARN,
  Foundation,
  foundation,
  KEY_ARN,
  REGION,
  SECURITY_CONFIGURATION,
} from "./fixtures";

const CRAWLER = "aws:glue/crawler:Crawler";

type CrawlerOverrides = (base: Foundation, opts: pulumi.ComponentResourceOptions) => Partial<GlueCrawlerArgs>;

function synthesizeCrawler(overrides: CrawlerOverrides = () => ({})): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    const base = foundation(opts);
    const raw = base.catalog.database("raw");
    const bucket = base.lake.zone("raw");
    new GlueCrawler(
      "raw-sales",
      {
        database: { name: raw.name, arn: raw.arn },
        s3Targets: [{ bucketName: bucket.name, bucketArn: bucket.arn, prefix: "unit_raw/sales/" }],
        incremental: true,
        schedule: "cron(15 2 * * ? *)",
        securityConfigurationName: base.security.name,
        dataLake: base.lake,
        logRetentionDays: 14,
        ...overrides(base, opts),
      },
      opts,
    );
  });
}

describe("GlueCrawler component", () => {
  describe("incremental S3 crawler", () => {
    let result: Synthesized;
    let policy: any;
    before(async () => {
      result = await synthesizeCrawler();
      policy = result.json(result.one("aws:iam/rolePolicy:RolePolicy", "-access"), "policy");
    });

    it("crawls its S3 prefix into the central-catalog database on a UTC schedule", () => {
      const crawler = result.one(CRAWLER);
      assert.equal(crawler.inputs.name, "raw-sales");
      assert.equal(crawler.inputs.databaseName, "unit_raw");
      assert.deepEqual(crawler.inputs.s3Targets, [{ path: "s3://lake-raw/unit_raw/sales/" }]);
      assert.equal(crawler.inputs.schedule, "cron(15 2 * * ? *)");
      assert.equal(crawler.inputs.role, "arn:aws:iam::123456789012:role/raw-sales-role");
      assert.equal(result.componentOf(crawler), "bdp:glue:Crawler");
    });

    it("crawls new folders only and logs schema changes, as AWS requires for incremental crawls", () => {
      const crawler = result.one(CRAWLER);
      assert.deepEqual(crawler.inputs.recrawlPolicy, { recrawlBehavior: "CRAWL_NEW_FOLDERS_ONLY" });
      assert.deepEqual(crawler.inputs.schemaChangePolicy, { updateBehavior: "LOG", deleteBehavior: "LOG" });
      assert.deepEqual(JSON.parse(crawler.inputs.configuration), {
        Version: 1,
        CrawlerOutput: { Partitions: { AddOrUpdateBehavior: "InheritFromTable" } },
        Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" },
      });
    });

    it("attaches the security configuration and writes to its own encrypted, retained log group", () => {
      const crawler = result.one(CRAWLER);
      assert.equal(crawler.inputs.securityConfiguration, SECURITY_CONFIGURATION);
      const group = result.one("aws:cloudwatch/logGroup:LogGroup");
      assert.equal(group.inputs.name, `/aws-glue/crawlers-role/raw-sales-role-${SECURITY_CONFIGURATION}`);
      assert.equal(group.inputs.retentionInDays, 14);
      assert.equal(group.inputs.kmsKeyId, KEY_ARN);
      assert.ok(crawler.options.dependsOn.includes(group.urn));
    });

    it("uses only real IAM actions, none with a wildcard", async () => {
      assert.deepEqual(await invalidActions(actionsOf(policy)), []);
    });

    it("reads only its target prefix and writes only its database", () => {
      assert.deepEqual(statementBySid(policy, "TargetList0").Condition, {
        StringLike: { "s3:prefix": ["unit_raw/sales/*", "unit_raw/sales"] },
      });
      assert.deepEqual(
        statementBySid(policy, "TargetGet0").Resource[0],
        "arn:aws:s3:::lake-raw/unit_raw/sales/*",
      );
      assert.equal(
        policy.Statement.filter((s: any) => s.Action.some((a: string) => /^s3:(Put|Delete)/.test(a))).length,
        0,
      );
      assert.deepEqual(statementBySid(policy, "CatalogTables").Resource, [
        CATALOG_ARN,
        `arn:aws:glue:${REGION}:${ACCOUNT}:database/unit_raw`,
        `arn:aws:glue:${REGION}:${ACCOUNT}:table/unit_raw/*`,
      ]);
      assert.ok(!actionsOf(policy).some((action) => /^glue:(Batch)?Delete/.test(action)), "never deletes");
    });

    it("uses the lake key and its own log group only", () => {
      assert.deepEqual(statementBySid(policy, "UseLakeKey").Resource, [KEY_ARN]);
      const group = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws-glue/crawlers-role/raw-sales-role-${SECURITY_CONFIGURATION}`;
      assert.deepEqual(statementBySid(policy, "OwnLogGroups").Resource, [group]);
      assert.deepEqual(statementBySid(policy, "OwnLogStreams").Resource, [`${group}:log-stream:*`]);
    });
  });

  it("crawls everything with additive schema updates when not incremental", async () => {
    const crawler = (await synthesizeCrawler(() => ({ incremental: false }))).one(CRAWLER);
    assert.deepEqual(crawler.inputs.recrawlPolicy, { recrawlBehavior: "CRAWL_EVERYTHING" });
    assert.deepEqual(crawler.inputs.schemaChangePolicy, {
      updateBehavior: "UPDATE_IN_DATABASE",
      deleteBehavior: "DEPRECATE_IN_DATABASE",
    });
    assert.deepEqual(JSON.parse(crawler.inputs.configuration).CrawlerOutput.Tables, {
      AddOrUpdateBehavior: "MergeNewColumns",
    });
  });

  it("crawls JDBC and DynamoDB targets with the connection's and the tables' permissions", async () => {
    const result = await synthesizeCrawler((_base, opts) => {
      const connection = new JdbcConnection(
        "sales-db",
        {
          jdbcUrl: "jdbc:postgresql://sales.internal:5432/sales",
          secret: "bdp/sales-db",
          vpcId: "vpc-1",
          subnetId: "subnet-1",
          availabilityZone: "eu-west-1a",
          databaseCidrs: ["10.50.0.0/24"],
          port: 5432,
        },
        opts,
      );
      return {
        incremental: false,
        schedule: undefined,
        s3Targets: [],
        jdbcTargets: [{ connection, path: "sales/public/%" }],
        dynamodbTargets: [{ table: "orders" }],
      };
    });
    const crawler = result.one(CRAWLER);
    assert.deepEqual(crawler.inputs.jdbcTargets, [{ connectionName: "sales-db", path: "sales/public/%" }]);
    assert.deepEqual(crawler.inputs.dynamodbTargets, [{ path: "orders", scanAll: false }]);
    assert.equal(crawler.inputs.schedule, undefined);
    const policy = result.json(result.one("aws:iam/rolePolicy:RolePolicy", "raw-sales-access"), "policy");
    assert.deepEqual(await invalidActions(actionsOf(policy)), []);
    assert.deepEqual(statementBySid(policy, "ReadDynamodbTables"), {
      Sid: "ReadDynamodbTables",
      Effect: "Allow",
      Action: ["dynamodb:DescribeTable", "dynamodb:Scan"],
      Resource: [`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`],
    });
    assert.deepEqual(statementBySid(policy, "Connection0SalesDbConnection").Resource, [
      CATALOG_ARN,
      `arn:aws:glue:${REGION}:${ACCOUNT}:connection/sales-db`,
    ]);
    assert.deepEqual(statementBySid(policy, "Connection0SalesDbSecret").Resource, [
      `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:bdp/sales-db-??????`,
    ]);
    assert.ok(!policy.Statement.some((s: any) => s.Action.includes("s3:ListBucket")), "no S3 access");
  });

  it("rejects invalid args with one error that lists every problem", async () => {
    await assert.rejects(
      synthesizeCrawler(() => ({ dynamodbTargets: [{ table: "orders" }], schedule: "rate(1 day)" })),
      invalidArgsError(
        "bdp:glue:Crawler raw-sales",
        /incremental: incremental crawls \(CRAWL_NEW_FOLDERS_ONLY\) work only when every/,
        /schedule: Glue schedules must be "cron/,
      ),
    );
  });
});

describe("validateGlueCrawlerArgs", () => {
  const s3 = { s3Targets: [{ prefix: "raw/sales/" }] };

  it("accepts S3 targets crawled incrementally, and mixed targets crawled in full", () => {
    assert.deepEqual(
      validateGlueCrawlerArgs({ ...s3, incremental: true, schedule: "cron(15 2 * * ? *)" }),
      [],
    );
    assert.deepEqual(
      validateGlueCrawlerArgs({ ...s3, dynamodbTargets: [{ table: "orders" }], incremental: false }),
      [],
    );
  });

  const invalid: [string, Parameters<typeof validateGlueCrawlerArgs>[0], string, RegExp][] = [
    [
      "an incremental crawl of DynamoDB",
      { ...s3, dynamodbTargets: [{ table: "orders" }], incremental: true },
      "incremental",
      /only when every target is an S3 target/,
    ],
    ["a crawler without targets", { incremental: false }, "", /at least one target/],
    [
      "a rate() schedule",
      { ...s3, incremental: true, schedule: "rate(1 day)" },
      "schedule",
      /rate\(\) is not supported/,
    ],
    [
      "an invalid cron schedule",
      { ...s3, incremental: true, schedule: "cron(0 2 * * * *)" },
      "schedule",
      /day-of-month and day-of-week/,
    ],
    [
      "a target prefix with a leading /",
      { s3Targets: [{ prefix: "/raw/" }], incremental: true },
      "s3Targets[0].prefix",
      /key prefix/,
    ],
  ];
  for (const [what, args, field, message] of invalid) {
    it(`rejects ${what}${field ? ` at ${field}` : ""}`, () => {
      assertOnlyProblem(validateGlueCrawlerArgs(args), field, message);
    });
  }
});
