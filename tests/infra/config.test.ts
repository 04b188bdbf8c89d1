import { strict as assert } from "assert";
import { ConfigError, configKey, parseStackConfig, PROJECT, rawStackConfig } from "../../infra/config";
import { readStackConfig } from "../../tools/synth/stack-config";
import { RawConfig, schemaInput, validConfig } from "../support/config";
import { synthesizeProgram, synthesizeProgramSettled } from "../support/synth";

interface BadConfigCase {
  what: string;
  change: (config: RawConfig) => void;
  /** The full key the error must name. */
  key: string;
  /** A fragment of the message that says what is allowed. */
  says: RegExp;
}

const BAD_CONFIGS: BadConfigCase[] = [
  {
    what: "unknown NAT strategy",
    change: (c) => (c.network.natGateways = "two"),
    key: "batch-data-platform:network.natGateways",
    says: /"none"\|"single"\|"onePerAz"|none.*single.*onePerAz/,
  },
  {
    what: "CIDR with an impossible prefix",
    change: (c) => (c.network.cidrBlock = "10.0.0.0/33"),
    key: "batch-data-platform:network.cidrBlock",
    says: /IPv4 CIDR/,
  },
  {
    what: "CIDR too small for the subnets",
    change: (c) => (c.network.cidrBlock = "10.0.0.0/28"),
    key: "batch-data-platform:network.cidrBlock",
    says: /between \/16 and \/24/,
  },
  {
    what: "AZ count as a string",
    change: (c) => (c.network.availabilityZones = "two"),
    key: "batch-data-platform:network.availabilityZones",
    says: /expected number/,
  },
  {
    what: "unknown network mode",
    change: (c) => (c.network.mode = "shared"),
    key: "batch-data-platform:network.mode",
    says: /"new" \| "existing"|new.*existing/,
  },
  {
    what: "existing VPC with a malformed subnet id",
    change: (c) =>
      (c.network = {
        mode: "existing",
        vpcId: "vpc-0123456789abcdef0",
        privateSubnetIds: ["sub-1", "subnet-0123456789abcdef0"],
      }),
    key: "batch-data-platform:network.privateSubnetIds[0]",
    says: /subnet id/,
  },
  {
    what: "missing required key",
    change: (c) => delete c.owner,
    key: "batch-data-platform:owner",
    says: /is required/,
  },
  {
    what: "missing region",
    change: (c) => delete c["aws:region"],
    key: "aws:region",
    says: /is required/,
  },
  {
    what: "malformed region",
    change: (c) => (c["aws:region"] = "Europe"),
    key: "aws:region",
    says: /commercial AWS Region the platform supports; supported Regions: eu-west-1, us-east-1$/,
  },
  {
    what: "a commercial region the price table does not cover yet",
    change: (c) => (c["aws:region"] = "ap-south-1"),
    key: "aws:region",
    says: /has no prices in the cost estimate's price table .*supported Regions: eu-west-1, us-east-1/,
  },
  {
    what: "more Availability Zones than the region offers",
    change: (c) => (c.network.availabilityZones = 4),
    key: "batch-data-platform:network.availabilityZones",
    says: /eu-west-1 offers 3 Availability Zones .*use at most 3/,
  },
  {
    what: "negative budget",
    change: (c) => (c.budget.monthlyUsd = -5),
    key: "batch-data-platform:budget.monthlyUsd",
    says: /greater than 0/,
  },
  {
    what: "a Lake Formation switch that is not a boolean",
    change: (c) => (c.catalog.enforceLakeFormation = "on"),
    key: "batch-data-platform:catalog.enforceLakeFormation",
    says: /expected boolean/,
  },
  {
    what: "a cost allocation switch that is not a boolean",
    change: (c) => (c.budget.activateCostAllocationTags = "yes"),
    key: "batch-data-platform:budget.activateCostAllocationTags",
    says: /expected boolean/,
  },
  {
    what: "malformed alert email",
    change: (c) => (c.alerts.emails = ["oncall-at-example.com"]),
    key: "batch-data-platform:alerts.emails[0]",
    says: /email address/,
  },
  {
    what: "unknown top-level key",
    change: (c) => (c.natGateway = "single"),
    key: "batch-data-platform:natGateway",
    says: /unknown key/,
  },
  {
    what: "unknown nested key",
    change: (c) => (c.dataLake.retainOnDestroy = true),
    key: "batch-data-platform:dataLake.retainOnDestroy",
    says: /unknown key/,
  },
  {
    what: "retainOnDelete as a string",
    change: (c) => (c.dataLake.retainOnDelete = "yes"),
    key: "batch-data-platform:dataLake.retainOnDelete",
    says: /expected boolean/,
  },
  {
    what: "log retention CloudWatch does not offer",
    change: (c) => (c.logs.retentionDays = 10),
    key: "batch-data-platform:logs.retentionDays",
    says: /one of the CloudWatch Logs retention values: 1, 3, 5, 7, 14/,
  },
  {
    what: "negative lifecycle days",
    change: (c) => (c.dataLake.zones.curated.expireDays = -1),
    key: "batch-data-platform:dataLake.zones.curated.expireDays",
    says: /greater than 0/,
  },
  {
    what: "IA transition earlier than S3 allows",
    change: (c) => (c.dataLake.zones.raw.transitionToInfrequentAccessDays = 10),
    key: "batch-data-platform:dataLake.zones.raw.transitionToInfrequentAccessDays",
    says: /at least 30 days/,
  },
  {
    what: "expiry before the last transition",
    change: (c) => (c.dataLake.zones.raw.expireDays = 60),
    key: "batch-data-platform:dataLake.zones.raw.expireDays",
    says: /later than the last transition \(day 90\)/,
  },
  {
    what: "database in an unknown zone",
    change: (c) => (c.catalog.databases[0].zone = "bronze"),
    key: "batch-data-platform:catalog.databases[0].zone",
    says: /raw.*curated.*analytics/,
  },
  {
    what: "database name Glue rejects",
    change: (c) => (c.catalog.databases[0].name = "Sales-Raw"),
    key: "batch-data-platform:catalog.databases[0].name",
    says: /lower-case letters, digits and underscores/,
  },
  {
    what: "duplicate database",
    change: (c) => (c.catalog.databases[1].name = "sales_raw"),
    key: "batch-data-platform:catalog.databases[1].name",
    says: /declared twice/,
  },
  {
    what: "Lake Formation admin that is not an IAM ARN",
    change: (c) => (c.catalog.lakeFormationAdmins = ["admin"]),
    key: "batch-data-platform:catalog.lakeFormationAdmins[0]",
    says: /IAM role or user ARN/,
  },
  {
    what: "environment name with capitals",
    change: (c) => (c.environment = "Prod"),
    key: "batch-data-platform:environment",
    says: /kebab-case/,
  },
  {
    what: "an owner tag value IAM and Batch reject",
    change: (c) => (c.owner = "Data (Platform) & Co"),
    key: "batch-data-platform:owner",
    says: /may hold only letters, digits, spaces and _ \. : \/ = \+ - @ \(not \( \) &\)/,
  },
  {
    what: 'a cost center starting with the reserved "aws:"',
    change: (c) => (c.costCenter = "aws:cc-1"),
    key: "batch-data-platform:costCenter",
    says: /must not start with "aws:"/,
  },
  {
    what: "empty owner tag",
    change: (c) => (c.owner = "  "),
    key: "batch-data-platform:owner",
    says: /must not be empty/,
  },
];

/** Empty values: YAML nulls, and texts that spell "no value" where a name or value is expected. */
const EMPTY_VALUES: BadConfigCase[] = [
  {
    what: "an owner key without a value (YAML null)",
    change: (c) => (c.owner = null),
    key: "batch-data-platform:owner",
    says: /reads as a missing value/,
  },
  {
    what: 'the environment "null", which is valid kebab-case',
    change: (c) => (c.environment = "null"),
    key: "batch-data-platform:environment",
    says: /reads as a missing value; give a real value/,
  },
  {
    what: 'a database named "null"',
    change: (c) => (c.catalog.databases[1].name = "null"),
    key: "batch-data-platform:catalog.databases[1].name",
    says: /reads as a missing value/,
  },
  {
    what: 'a database described as "~"',
    change: (c) => (c.catalog.databases[0].description = "~"),
    key: "batch-data-platform:catalog.databases[0].description",
    says: /reads as a missing value/,
  },
  {
    what: 'a cost center "None" left by a template',
    change: (c) => (c.costCenter = "None"),
    key: "batch-data-platform:costCenter",
    says: /reads as a missing value/,
  },
  {
    what: "an alert address list with an empty entry",
    change: (c) => (c.alerts.emails = ["team@example.com", null]),
    key: "batch-data-platform:alerts.emails[1]",
    says: /is empty \(a YAML key without a value, ~ or null\); expected string/,
  },
  {
    what: "a network CIDR without a value",
    change: (c) => (c.network.cidrBlock = null),
    key: "batch-data-platform:network.cidrBlock",
    says: /is empty .*expected string/,
  },
  {
    what: "an empty top-level block (warehouse: with nothing under it)",
    change: (c) => (c.warehouse = null),
    key: "batch-data-platform:warehouse",
    says: /reads as a missing value; give a real value, or leave the key out where it is optional/,
  },
  {
    what: "an empty nested optional list (tables:)",
    change: (c) => (c.catalog.databases[0].tables = null),
    key: "batch-data-platform:catalog.databases[0].tables",
    says: /is empty .*expected array, or leave the key out where it is optional/,
  },
  {
    what: 'the region "null"',
    change: (c) => (c["aws:region"] = "null"),
    key: "aws:region",
    says: /reads as a missing value/,
  },
];

const rawCrawler = (name: string, prefix = "sales/") => ({
  name,
  database: "sales_raw",
  s3Targets: [{ zone: "raw", prefix }],
  incremental: true,
});

/** Every named list names each entry once. */
const REPEATED_NAMES: BadConfigCase[] = [
  {
    what: "two crawlers with one name",
    change: (c) => (c.crawlers = [rawCrawler("raw-sales"), rawCrawler("raw-sales", "other/")]),
    key: "batch-data-platform:crawlers[1].name",
    says: /crawler "raw-sales" is declared twice/,
  },
  {
    what: "two connections with one name",
    change: (c) =>
      (c.connections = [connection({}), connection({ jdbcUrl: "jdbc:mysql://db:3306/x", port: 3306 })]),
    key: "batch-data-platform:connections[1].name",
    says: /connection "stores-db" is declared twice/,
  },
  {
    what: "one alert address twice, in another case",
    change: (c) => (c.alerts.emails = ["team@example.com", "Team@Example.com"]),
    key: "batch-data-platform:alerts.emails[1]",
    says: /address "team@example.com" is listed twice/,
  },
  {
    what: "one Lake Formation administrator twice",
    change: (c) => c.catalog.lakeFormationAdmins.push(c.catalog.lakeFormationAdmins[0]),
    key: "batch-data-platform:catalog.lakeFormationAdmins[1]",
    says: /administrator "arn:aws:iam::111122223333:role\/admin" is listed twice/,
  },
  {
    what: "one table declared twice in a database",
    change: (c) =>
      (c.catalog.databases[0].tables = [
        { name: "sales", prefix: "incoming/sales/" },
        { name: "sales", prefix: "other/sales/" },
      ]),
    key: "batch-data-platform:catalog.databases[0].tables[1].name",
    says: /table "sales" is declared twice/,
  },
  {
    what: "one private subnet twice",
    change: (c) =>
      (c.network = {
        mode: "existing",
        vpcId: "vpc-0123456789abcdef0",
        privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef0"],
      }),
    key: "batch-data-platform:network.privateSubnetIds[1]",
    says: /subnet "subnet-0123456789abcdef0" is listed twice/,
  },
  {
    what: "one database CIDR twice",
    change: (c) => (c.connections = [connection({ databaseCidrs: ["10.50.0.0/24", "10.50.0.0/24"] })]),
    key: "batch-data-platform:connections[0].databaseCidrs[1]",
    says: /CIDR "10.50.0.0\/24" is listed twice/,
  },
  {
    what: "one crawler target twice",
    change: (c) =>
      (c.crawlers = [
        {
          ...rawCrawler("raw-sales"),
          s3Targets: [
            { zone: "raw", prefix: "a/" },
            { prefix: "a/", zone: "raw" },
          ],
        },
      ]),
    key: "batch-data-platform:crawlers[0].s3Targets[1]",
    says: /the same target is listed twice/,
  },
];

const serverless = (base: number, max: number) => ({
  kind: "serverless",
  databaseName: "analytics",
  baseCapacityRpu: base,
  maxCapacityRpu: max,
  monthlyRpuHoursLimit: 100,
});

const cluster = (nodeType: string, numberOfNodes: number, maxConcurrencyScalingClusters = 0) => ({
  kind: "provisioned",
  databaseName: "analytics",
  nodeType,
  numberOfNodes,
  maxConcurrencyScalingClusters,
  concurrencyScalingDailyLimitMinutes: 60,
});

/** Values that make sense only together. */
const MISMATCHED_VALUES: BadConfigCase[] = [
  {
    what: "a VPC CIDR with host bits set",
    change: (c) => (c.network.cidrBlock = "10.10.0.1/16"),
    key: "batch-data-platform:network.cidrBlock",
    says: /has host bits set: AWS stores the network 10.10.0.0\/16/,
  },
  {
    what: "a database CIDR with host bits set (JdbcConnection)",
    change: (c) => (c.connections = [connection({ databaseCidrs: ["10.50.0.7/24"] })]),
    key: "batch-data-platform:connections[0].databaseCidrs[0]",
    says: /has host bits set: AWS stores the network 10.50.0.0\/24/,
  },
  {
    what: "a JDBC port other than the URL's (JdbcConnection)",
    change: (c) => (c.connections = [connection({ port: 3306 })]),
    key: "batch-data-platform:connections[0].port",
    says: /must be the port jdbcUrl names \(5432\)/,
  },
  {
    what: "a JDBC port other than the driver's default, the URL naming none (JdbcConnection)",
    change: (c) =>
      (c.connections = [
        connection({ jdbcUrl: "jdbc:sqlserver://stores.internal;databaseName=x", port: 1434 }),
      ]),
    key: "batch-data-platform:connections[0].port",
    says: /names no port, so the driver connects to its default 1433/,
  },
  {
    what: "a serverless maximum below its base capacity",
    change: (c) => (c.warehouse = serverless(64, 32)),
    key: "batch-data-platform:warehouse.maxCapacityRpu",
    says: /must be at least baseCapacityRpu \(64\)/,
  },
  {
    what: "a single-node ra3.4xlarge cluster",
    change: (c) => (c.warehouse = cluster("ra3.4xlarge", 1)),
    key: "batch-data-platform:warehouse.numberOfNodes",
    says: /a ra3.4xlarge cluster is created with 2 to 32 nodes; elastic resize can grow it to 64 later/,
  },
  {
    what: "more ra3.xlplus nodes than a new cluster may have",
    change: (c) => (c.warehouse = cluster("ra3.xlplus", 20)),
    key: "batch-data-platform:warehouse.numberOfNodes",
    says: /created with 1 \(single-node\) or 2 to 16 nodes; elastic resize can grow it to 32/,
  },
  {
    what: "concurrency scaling on a single-node cluster",
    change: (c) => (c.warehouse = cluster("ra3.xlplus", 1, 2)),
    key: "batch-data-platform:warehouse.maxConcurrencyScalingClusters",
    says: /concurrency scaling does not serve single-node clusters; set 0/,
  },
  {
    what: "concurrency scaling on ra3.large",
    change: (c) => (c.warehouse = cluster("ra3.large", 4, 1)),
    key: "batch-data-platform:warehouse.maxConcurrencyScalingClusters",
    says: /does not serve ra3.large clusters/,
  },
];

const DEPLOYER = "arn:aws:iam::111122223333:role/bdp-test-deployer";

/** Where and as whom the stack deploys: the account guard and the provider's `aws:` keys. */
const DEPLOYMENT: BadConfigCase[] = [
  {
    what: "no deployment block",
    change: (c) => delete c.deployment,
    key: "batch-data-platform:deployment",
    says: /is required/,
  },
  {
    what: "an account id YAML read as a number",
    change: (c) => (c.deployment.accountId = 12345678901),
    key: "batch-data-platform:deployment.accountId",
    says: /12-digit account id in quotes, e.g. "012345678901": YAML reads it unquoted as a number/,
  },
  {
    what: "an account id of 11 digits",
    change: (c) => (c.deployment.accountId = "11112222333"),
    key: "batch-data-platform:deployment.accountId",
    says: /must be a 12-digit AWS account id/,
  },
  {
    what: "a deployer role in another account",
    change: (c) => (c.deployment.roleArn = "arn:aws:iam::444455556666:role/bdp-test-deployer"),
    key: "batch-data-platform:deployment.roleArn",
    says: /must be a role in the stack's account, deployment.accountId \(111122223333\), not 444455556666/,
  },
  {
    what: "a deployer that is a user, not a role",
    change: (c) => (c.deployment.roleArn = "arn:aws:iam::111122223333:user/alice"),
    key: "batch-data-platform:deployment.roleArn",
    says: /must be an IAM role ARN/,
  },
  {
    what: "aws:allowedAccountIds naming another account (the prod account in a dev stack)",
    change: (c) => (c["aws:allowedAccountIds"] = ["111122223333", "444455556666"]),
    key: "aws:allowedAccountIds[1]",
    says: /deploys only into deployment.accountId \(111122223333\)/,
  },
  {
    what: "aws:assumeRoles ending in a role other than the deployer",
    change: (c) =>
      (c["aws:assumeRoles"] = [{ roleArn: DEPLOYER }, { roleArn: "arn:aws:iam::111122223333:role/other" }]),
    key: "aws:assumeRoles[1].roleArn",
    says: /acts as the last role it assumes, so it must be deployment.roleArn/,
  },
  {
    what: "an assumed-role session longer than STS allows",
    change: (c) => (c["aws:assumeRoles"] = [{ roleArn: DEPLOYER, duration: "13h" }]),
    key: "aws:assumeRoles[0].duration",
    says: /from 15m to 12h/,
  },
  {
    what: "an unknown key in an assumed role",
    change: (c) => (c["aws:assumeRoles"] = [{ roleArn: DEPLOYER, role_arn: DEPLOYER }]),
    key: "aws:assumeRoles[0].role_arn",
    says: /unknown key/,
  },
  {
    what: "an empty aws:profile",
    change: (c) => (c["aws:profile"] = " "),
    key: "aws:profile",
    says: /must not be empty/,
  },
  {
    what: "aws:forbiddenAccountIds, which conflicts with the allowed account",
    change: (c) => (c["aws:forbiddenAccountIds"] = ["444455556666"]),
    key: "aws:forbiddenAccountIds",
    says: /conflicts with the allowed account the provider gets from batch-data-platform:deployment.accountId/,
  },
  {
    what: "an aws: key the explicit provider would ignore",
    change: (c) => (c["aws:skipCredentialsValidation"] = true),
    key: "aws:skipCredentialsValidation",
    says: /not read by the stack's explicit AWS provider, so it would be ignored; supported: aws:region, aws:profile/,
  },
];

/**
 * Checks the stack config shares with the components (their validate<Name>Args or the same
 * decision function): each rejection names the config key the value came from.
 */
const COMPONENT_CHECKS: BadConfigCase[] = [
  {
    what: "more alert addresses than a budget notification takes (Budget)",
    change: (c) => (c.alerts.emails = Array.from({ length: 11 }, (_, i) => `oncall${i}@example.com`)),
    key: "batch-data-platform:alerts.emails",
    says: /a budget notification takes at most 10 e-mail addresses/,
  },
  {
    what: "no alert address (AlertTopic)",
    change: (c) => (c.alerts.emails = []),
    key: "batch-data-platform:alerts.emails",
    says: /at least one address receives alerts/,
  },
  {
    what: "an anomaly threshold of 0 (Budget)",
    change: (c) => (c.budget.anomalyAlertUsd = 0),
    key: "batch-data-platform:budget.anomalyAlertUsd",
    says: /must be greater than 0 \(USD\)/,
  },
  {
    what: "no catalog database (CentralCatalog)",
    change: (c) => (c.catalog.databases = []),
    key: "batch-data-platform:catalog.databases",
    says: /declare at least one database/,
  },
  {
    what: "no Lake Formation administrator (CentralCatalog)",
    change: (c) => (c.catalog.lakeFormationAdmins = []),
    key: "batch-data-platform:catalog.lakeFormationAdmins",
    says: /name at least one Lake Formation administrator/,
  },
  {
    what: "an incremental crawl of a DynamoDB table (GlueCrawler)",
    change: (c) =>
      (c.crawlers = [
        { name: "orders", database: "sales_raw", dynamodbTargets: [{ table: "orders" }], incremental: true },
      ]),
    key: "batch-data-platform:crawlers[0].incremental",
    says: /work only when every target is an S3 target/,
  },
  {
    what: "a crawler without targets (GlueCrawler)",
    change: (c) => (c.crawlers = [{ name: "empty", database: "sales_raw", incremental: false }]),
    key: "batch-data-platform:crawlers[0]",
    says: /a crawler needs at least one target/,
  },
  {
    what: "a crawl prefix with an IAM wildcard (S3 prefix rule)",
    change: (c) =>
      (c.crawlers = [
        {
          name: "raw",
          database: "sales_raw",
          s3Targets: [{ zone: "raw", prefix: "sales*/" }],
          incremental: true,
        },
      ]),
    key: "batch-data-platform:crawlers[0].s3Targets[0].prefix",
    says: /"\*" and "\?" are IAM wildcards/,
  },
  {
    what: "a password in a JDBC URL (JdbcConnection)",
    change: (c) => (c.connections = [connection({ jdbcUrl: "jdbc:mysql://db:3306/stores?password=x" })]),
    key: "batch-data-platform:connections[0].jdbcUrl",
    says: /must not carry a password/,
  },
  {
    what: "a JDBC port out of range (JdbcConnection)",
    change: (c) => (c.connections = [connection({ port: 70000 })]),
    key: "batch-data-platform:connections[0].port",
    says: /must be a port from 1 to 65535/,
  },
  {
    what: "a connection without database CIDRs (JdbcConnection)",
    change: (c) => (c.connections = [connection({ databaseCidrs: [] })]),
    key: "batch-data-platform:connections[0].databaseCidrs",
    says: /at least one CIDR/,
  },
];

function connection(overrides: Record<string, unknown>) {
  return {
    name: "stores-db",
    jdbcUrl: "jdbc:postgresql://stores.internal:5432/stores",
    secret: "bdp/test/stores-db",
    databaseCidrs: ["10.50.0.0/24"],
    port: 5432,
    ...overrides,
  };
}

describe("stack config validation", () => {
  it("accepts the valid test config and both stack files' shapes", () => {
    const result = parseStackConfig(schemaInput(validConfig()));
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  });

  it("covers at least 15 distinct bad configs", () => {
    assert.ok(BAD_CONFIGS.length >= 15);
  });

  const classes = [EMPTY_VALUES, REPEATED_NAMES, MISMATCHED_VALUES, DEPLOYMENT];
  for (const bad of [...BAD_CONFIGS, ...classes.flat(), ...COMPONENT_CHECKS]) {
    it(`rejects ${bad.what}, naming ${bad.key}, and declares no resource`, async () => {
      const raw = validConfig();
      bad.change(raw);
      const { error: thrown, synthesized } = await synthesizeProgramSettled(raw);
      assert.ok(thrown instanceof ConfigError, `expected a ConfigError, got ${String(thrown)}`);
      // Only the stack itself was registered: validation ran before any resource.
      assert.deepEqual(
        synthesized.resources.map((resource) => resource.type),
        ["pulumi:pulumi:Stack"],
      );
      const problem = thrown.problems.find((candidate) => candidate.key.startsWith(bad.key));
      assert.ok(problem, `no problem names ${bad.key}; got:\n${thrown.message}`);
      assert.match(`${problem.message}`, bad.says);
      assert.match(thrown.message, new RegExp(bad.key.replace(/[.[\]]/g, "\\$&")));
      // No stack trace text in the message: it is shown to the user as is.
      assert.doesNotMatch(thrown.message, /\s+at .*\(.*:\d+:\d+\)/);
    });
  }

  it("accepts tag values in any script, with the punctuation every service takes", () => {
    for (const owner of [
      "Équipe données",
      "データ基盤",
      "team@example.com",
      "a/b:c=d+e-f_g.h",
      "x".repeat(256),
    ]) {
      const raw = validConfig();
      raw.owner = owner;
      const result = parseStackConfig(schemaInput(raw));
      assert.ok(result.ok, `${owner}: ${JSON.stringify(!result.ok && result.problems)}`);
    }
  });

  it("accepts clusters and workgroups AWS creates", () => {
    for (const warehouse of [
      serverless(8, 8),
      serverless(32, 512),
      cluster("ra3.large", 1),
      cluster("ra3.xlplus", 1),
      cluster("ra3.xlplus", 16, 3),
      cluster("ra3.4xlarge", 32, 10),
      cluster("ra3.large", 16),
    ]) {
      const raw = validConfig();
      raw.warehouse = warehouse;
      const result = parseStackConfig(schemaInput(raw));
      assert.ok(result.ok, `${JSON.stringify(warehouse)}: ${JSON.stringify(!result.ok && result.problems)}`);
    }
  });

  it("gives the provider the account guard, the profile and the roles to assume", async () => {
    const raw = validConfig();
    const ciRole = "arn:aws:iam::999988887777:role/ci";
    raw["aws:profile"] = "platform";
    raw["aws:allowedAccountIds"] = ["111122223333"];
    raw["aws:assumeRoles"] = [
      { roleArn: ciRole, sessionName: "ci" },
      { roleArn: DEPLOYER, externalId: "bdp-test", duration: "1h" },
    ];
    const synthesized = await synthesizeProgram(raw);
    const provider = synthesized.one("pulumi:providers:aws");
    assert.deepEqual(JSON.parse(provider.inputs.allowedAccountIds), ["111122223333"]);
    assert.equal(provider.inputs.profile, "platform");
    assert.deepEqual(
      JSON.parse(provider.inputs.assumeRoles).map((role: Record<string, string>) => role.roleArn),
      [ciRole, DEPLOYER],
    );
    // Without aws: keys the account guard still applies.
    const plain = (await synthesizeProgram(validConfig())).one("pulumi:providers:aws");
    assert.deepEqual(JSON.parse(plain.inputs.allowedAccountIds), ["111122223333"]);
    assert.equal(plain.inputs.profile, undefined);
  });

  it("makes the deployer a Lake Formation administrator, since the settings replace the admin list", async () => {
    const synthesized = await synthesizeProgram(validConfig());
    const settings = synthesized.one("aws:lakeformation/dataLakeSettings:DataLakeSettings");
    assert.deepEqual(settings.inputs.admins, ["arn:aws:iam::111122223333:role/admin", DEPLOYER]);
  });

  it("reports every problem at once, with what was given", () => {
    const raw = validConfig();
    raw.network.natGateways = "two";
    raw.budget.monthlyUsd = 0;
    raw.alerts.emails = ["nope"];
    const result = parseStackConfig(schemaInput(raw));
    assert.ok(!result.ok);
    assert.deepEqual(result.problems.map((problem) => problem.key).sort(), [
      "batch-data-platform:alerts.emails[0]",
      "batch-data-platform:budget.monthlyUsd",
      "batch-data-platform:network.natGateways",
    ]);
    assert.equal(result.problems.find((problem) => problem.key.endsWith("natGateways"))?.given, "two");
  });

  it("rejects region set in the project namespace instead of aws:region", async () => {
    const raw = validConfig();
    raw.region = "eu-west-1";
    await assert.rejects(synthesizeProgram(raw), (error: ConfigError) =>
      error.problems.some(
        (problem) => problem.key === "batch-data-platform:region" && /aws:region/.test(problem.message),
      ),
    );
  });

  describe("the committed prod stack's pause schedule and auto-scaled Glue job", () => {
    /** prod's config as the program reads it, changed by `change`; the keys of its problems. */
    function prodProblems(change: (config: Record<string, any>) => void) {
      const raw = structuredClone(rawStackConfig(readStackConfig("prod", PROJECT)).raw) as Record<
        string,
        any
      >;
      change(raw);
      const result = parseStackConfig(raw);
      return result.ok ? [] : result.problems;
    }
    const dailySales = (config: Record<string, any>) =>
      config.pipelines.find((pipeline: any) => pipeline.name === "daily-sales");

    it("accepts prod as committed", () => {
      assert.deepEqual(
        prodProblems(() => undefined),
        [],
      );
    });

    it("rejects a pause while daily-sales may still be loading, naming the pause entry", () => {
      const [problem, ...rest] = prodProblems((config) => {
        config.warehouse.pauseSchedule.pause[1] = "cron(0 3 ? * SAT,SUN *)";
      });
      assert.deepEqual(rest, []);
      assert.equal(problem.key, "batch-data-platform:warehouse.pauseSchedule.pause[1]");
      assert.match(
        problem.message,
        /pauses the cluster at .* 03:00 UTC while pipeline "daily-sales" \(pipelines\[0\]\)/,
      );
      assert.equal(problem.given, "cron(0 3 ? * SAT,SUN *)");
    });

    it("rejects a resume too late for daily-sales in summer time, naming the resume list", () => {
      const [problem] = prodProblems((config) => {
        config.warehouse.pauseSchedule.resume = ["cron(15 1 * * ? *)"];
      });
      assert.equal(problem.key, "batch-data-platform:warehouse.pauseSchedule.resume");
      assert.match(
        problem.message,
        /02:30 Europe\/Dublin \(2027-03-28 01:30 UTC\) only 15 minutes after resume\[0\]/,
      );
    });

    it("rejects a loader that may start at any time, naming its trigger", () => {
      const [problem] = prodProblems((config) => {
        dailySales(config).trigger = { type: "onDemand" };
        dailySales(config).expectedRunsPerMonth = 30;
      });
      assert.equal(problem.key, 'batch-data-platform:pipelines[0].trigger [pipeline "daily-sales"]');
      assert.match(problem.message, /on-demand trigger may start it while the cluster is paused/);
    });

    it("rejects a pause expression the Redshift scheduler does not run, naming it", () => {
      const problems = prodProblems((config) => {
        config.warehouse.pauseSchedule.resume = ["rate(1 day)"];
        config.warehouse.pauseSchedule.pause.push("cron(0/30 21 * * ? *)");
      });
      assert.deepEqual(
        problems.map((problem) => problem.key),
        [
          "batch-data-platform:warehouse.pauseSchedule.pause[2]",
          "batch-data-platform:warehouse.pauseSchedule.resume[0]",
        ],
      );
      assert.match(problems[0].message, /at least one hour apart/);
      assert.match(problems[1].message, /must be "cron\(<6 fields>\)" in UTC/);
    });

    it("rejects cost advisor inputs that do not fit the cost model, naming the key", () => {
      const problems = prodProblems((config) => {
        config.costModel.standardGbByZone.raw = 900;
        config.costModel.warehouseBusyHoursPerDay = 25;
      });
      assert.deepEqual(
        problems.map((problem) => [problem.key, problem.message]),
        [
          ["batch-data-platform:costModel.warehouseBusyHoursPerDay", "at most 24 hours a day"],
          [
            "batch-data-platform:costModel.standardGbByZone",
            "must add up to storageGb.standard (2000 GB); the zones add up to 2100 GB",
          ],
        ],
      );
    });

    it("rejects more expected Glue workers than the maximum, naming glue.expectedWorkers", () => {
      const [problem] = prodProblems((config) => {
        dailySales(config).glue.expectedWorkers = 12;
      });
      assert.equal(
        problem.key,
        'batch-data-platform:pipelines[0].glue.expectedWorkers [pipeline "daily-sales"]',
      );
      assert.match(problem.message, /must be at most numberOfWorkers \(10\)/);
      assert.equal(problem.given, 12);
    });
  });

  it("formats keys the way users write them", () => {
    assert.equal(configKey(["network", "natGateways"]), "batch-data-platform:network.natGateways");
    assert.equal(
      configKey(["pipelines", 2, "glue", "workerType"]),
      "batch-data-platform:pipelines[2].glue.workerType",
    );
    assert.equal(configKey(["region"]), "aws:region");
  });
});
