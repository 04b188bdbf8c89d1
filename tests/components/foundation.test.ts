import { strict as assert } from "assert";
import { Network } from "../../components/network/network";
import { DataLake, DataLakeArgs } from "../../components/storage/data-lake";
import {
  CentralCatalog,
  CentralCatalogArgs,
  validateCentralCatalogArgs,
  lakeFormationAdminsOf,
} from "../../components/catalog/central-catalog";
import { formatArgsProblem } from "../../decisions/problems";
import { actionsOf, invalidActions, statementBySid } from "../support/iam";
import { Synthesized, synthesizeComponents } from "../support/synth";

const LAKE_ARGS: DataLakeArgs = {
  environment: "unit",
  zones: {
    raw: {
      transitionToInfrequentAccessDays: 30,
      transitionToGlacierDays: 90,
      expireDays: 365,
      noncurrentVersionExpireDays: 3,
    },
    curated: { noncurrentVersionExpireDays: 7 },
    analytics: { expireDays: 400, noncurrentVersionExpireDays: 7 },
  },
  abortIncompleteUploadDays: 5,
  logsExpireDays: 30,
  artifactsNoncurrentExpireDays: 14,
  retainOnDelete: true,
};

const PURPOSES = ["raw", "curated", "analytics", "artifacts", "logs"];

describe("Network component", () => {
  it("creates an awsx VPC with the configured NAT strategy, an S3 gateway endpoint on the private route tables, and a closed job security group", async () => {
    const result = await synthesizeComponents((opts) => {
      new Network(
        "net",
        { mode: "new", cidrBlock: "10.1.0.0/16", availabilityZones: 3, natGateways: "onePerAz" },
        opts,
      );
    });
    const vpc = result.one("awsx:ec2:Vpc");
    assert.equal(vpc.inputs.cidrBlock, "10.1.0.0/16");
    assert.equal(vpc.inputs.numberOfAvailabilityZones, 3);
    assert.deepEqual(vpc.inputs.natGateways, { strategy: "OnePerAz" });
    assert.equal(result.componentOf(vpc), "bdp:network:Network");

    const endpoint = result.one("aws:ec2/vpcEndpoint:VpcEndpoint");
    assert.equal(endpoint.inputs.vpcEndpointType, "Gateway");
    assert.equal(endpoint.inputs.serviceName, "com.amazonaws.eu-west-1.s3");
    assert.equal(endpoint.inputs.vpcId, "vpc-0a1b2c3d4e5f60000");
    assert.deepEqual(endpoint.inputs.routeTableIds, ["rtb-0a1b2c3d4e5f60001", "rtb-0a1b2c3d4e5f60002"]);

    const group = result.one("aws:ec2/securityGroup:SecurityGroup");
    assert.deepEqual(group.inputs.ingress, []);
    assert.deepEqual(
      group.inputs.egress.map((rule: any) => [rule.protocol, rule.fromPort, rule.toPort]),
      [["tcp", 443, 443]],
    );
  });

  for (const [natGateways, strategy] of [
    ["none", "None"],
    ["single", "Single"],
  ] as const) {
    it(`maps natGateways=${natGateways} to the awsx ${strategy} strategy`, async () => {
      const result = await synthesizeComponents((opts) => {
        new Network(
          "net",
          { mode: "new", cidrBlock: "10.1.0.0/20", availabilityZones: 2, natGateways },
          opts,
        );
      });
      assert.deepEqual(result.one("awsx:ec2:Vpc").inputs.natGateways, { strategy });
    });
  }

  it("uses an existing VPC and its subnets without creating a VPC", async () => {
    const result = await synthesizeComponents((opts) => {
      new Network(
        "net",
        {
          mode: "existing",
          vpcId: "vpc-0123456789abcdef0",
          privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        },
        opts,
      );
    });
    assert.equal(result.ofType("awsx:ec2:Vpc").length, 0);
    const endpoint = result.one("aws:ec2/vpcEndpoint:VpcEndpoint");
    assert.equal(endpoint.inputs.vpcId, "vpc-0123456789abcdef0");
    assert.equal(result.one("aws:ec2/securityGroup:SecurityGroup").inputs.vpcId, "vpc-0123456789abcdef0");
  });
});

describe("DataLake component", () => {
  let result: Synthesized;
  before(async () => {
    result = await synthesizeComponents((opts) => {
      new DataLake("lake", LAKE_ARGS, opts);
    });
  });

  it("creates a customer-managed key with rotation whose policy has no wildcard actions", async () => {
    const key = result.one("aws:kms/key:Key");
    assert.equal(key.inputs.enableKeyRotation, true);
    assert.equal(key.options.retainOnDelete, true);
    const policy = result.json(key, "policy");
    const actions = actionsOf(policy);
    assert.deepEqual(await invalidActions(actions), []);
    const sids = policy.Statement.map((statement: any) => statement.Sid);
    assert.deepEqual(sids, [
      "AccountAdministersKeyThroughIam",
      "CloudWatchLogsEncryptLogGroups",
      "S3ServerAccessLogDelivery",
    ]);
    assert.equal(policy.Statement[0].Principal.AWS, "arn:aws:iam::123456789012:root");
    assert.equal(policy.Statement[1].Principal.Service, "logs.eu-west-1.amazonaws.com");
  });

  it("declares five buckets, retaining only the data zones", () => {
    const buckets = result.ofType("aws:s3/bucket:Bucket");
    assert.deepEqual(buckets.map((bucket) => bucket.name).sort(), PURPOSES.map((p) => `lake-${p}`).sort());
    for (const bucket of buckets) {
      const isData = ["lake-raw", "lake-curated", "lake-analytics"].includes(bucket.name);
      assert.equal(bucket.options.retainOnDelete, isData, bucket.name);
      assert.equal(bucket.inputs.forceDestroy, false);
      assert.match(bucket.inputs.bucketPrefix, /^bdp-unit-[a-z]+-$/);
    }
  });

  for (const purpose of PURPOSES) {
    it(`secures the ${purpose} bucket: SSE-KMS with bucket key, versioning, public access block, TLS-only, owner-enforced`, () => {
      const bucketName = `lake-${purpose}`;
      const encryption = result.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        `${purpose}-encryption`,
      );
      assert.equal(encryption.inputs.bucket, bucketName);
      assert.deepEqual(encryption.inputs.rules, [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/lake-key-key-id",
          },
          bucketKeyEnabled: true,
        },
      ]);
      const versioning = result.one("aws:s3/bucketVersioning:BucketVersioning", `${purpose}-versioning`);
      assert.deepEqual(versioning.inputs.versioningConfiguration, { status: "Enabled" });
      const block = result.one(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        `${purpose}-public-access`,
      );
      for (const flag of [
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
      ]) {
        assert.equal(block.inputs[flag], true, flag);
      }
      const ownership = result.one(
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        `${purpose}-ownership`,
      );
      assert.deepEqual(ownership.inputs.rule, { objectOwnership: "BucketOwnerEnforced" });

      const policyResource = result.one("aws:s3/bucketPolicy:BucketPolicy", `${purpose}-policy`);
      const policy = result.json(policyResource, "policy");
      const deny = statementBySid(policy, "DenyInsecureTransport");
      assert.equal(deny.Effect, "Deny");
      assert.equal(deny.Principal, "*");
      assert.deepEqual(deny.Action, ["s3:*"]);
      assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": false } });
      assert.deepEqual(deny.Resource, [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`]);
      // The policy waits for the public access block.
      assert.ok(policyResource.options.dependsOn.includes(block.urn));
    });
  }

  it("sends server access logs of every other bucket to the logs bucket, which admits only the logging service", () => {
    const logging = result.ofType("aws:s3/bucketLogging:BucketLogging");
    assert.deepEqual(logging.map((entry) => entry.inputs.bucket).sort(), [
      "lake-analytics",
      "lake-artifacts",
      "lake-curated",
      "lake-raw",
    ]);
    for (const entry of logging) {
      assert.equal(entry.inputs.targetBucket, "lake-logs");
      assert.match(entry.inputs.targetPrefix, /^s3-access\/[a-z]+\/$/);
    }
    const logsPolicy = result.json(result.one("aws:s3/bucketPolicy:BucketPolicy", "logs-policy"), "policy");
    const delivery = statementBySid(logsPolicy, "S3ServerAccessLogDelivery");
    assert.deepEqual(delivery.Principal, { Service: "logging.s3.amazonaws.com" });
    assert.deepEqual(delivery.Action, ["s3:PutObject"]);
    assert.deepEqual(delivery.Resource, ["arn:aws:s3:::lake-logs/s3-access/*"]);
    assert.deepEqual(delivery.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
  });

  it("applies lifecycle rules per zone from the args", () => {
    const raw = result.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "raw-lifecycle",
    );
    assert.deepEqual(raw.inputs.rules, [
      {
        id: "zone-lifecycle",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 5 },
        noncurrentVersionExpiration: { noncurrentDays: 3 },
        transitions: [
          { days: 30, storageClass: "STANDARD_IA" },
          { days: 90, storageClass: "GLACIER_IR" },
        ],
        expiration: { days: 365 },
      },
    ]);
    const curated = result.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "curated-lifecycle",
    );
    assert.equal(curated.inputs.rules[0].expiration, undefined);
    assert.equal(curated.inputs.rules[0].transitions, undefined);
    const logs = result.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "logs-lifecycle",
    );
    assert.deepEqual(logs.inputs.rules[0].expiration, { days: 30 });
    const artifacts = result.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "artifacts-lifecycle",
    );
    assert.deepEqual(
      artifacts.inputs.rules.map((rule: any) => [rule.id, rule.filter]),
      [
        ["artifact-versions", {}],
        ["expire-temporary", { prefix: "tmp/" }],
      ],
    );
    assert.deepEqual(artifacts.inputs.rules[0].noncurrentVersionExpiration, { noncurrentDays: 14 });
  });

  it("turns on EventBridge notifications for the raw bucket only", () => {
    const notification = result.one("aws:s3/bucketNotification:BucketNotification");
    assert.equal(notification.inputs.bucket, "lake-raw");
    assert.equal(notification.inputs.eventbridge, true);
  });

  it("does not retain anything when retainOnDelete is false", async () => {
    const disposable = await synthesizeComponents((opts) => {
      new DataLake("lake", { ...LAKE_ARGS, retainOnDelete: false }, opts);
    });
    assert.ok(disposable.cloudResources().every((resource) => !resource.options.retainOnDelete));
  });
});

function synthesizeCatalog(overrides: Partial<CentralCatalogArgs> = {}): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    const lake = new DataLake("lake", LAKE_ARGS, opts);
    new CentralCatalog(
      "catalog",
      {
        environment: "unit-env",
        dataLake: lake,
        databases: [
          { name: "sales_raw", zone: "raw", description: "raw" },
          { name: "sales_curated", zone: "curated", description: "curated" },
        ],
        lakeFormationAdmins: ["arn:aws:iam::111122223333:role/admin"],
        deployerArn: "arn:aws:iam::111122223333:role/deployer",
        ...overrides,
      },
      opts,
    );
  });
}

/** What decides who may read the catalog: the defaults of new databases and tables and the locations' mode. */
function accessMode(result: Synthesized) {
  const settings = result.one("aws:lakeformation/dataLakeSettings:DataLakeSettings");
  const databases = result.ofType("aws:glue/catalogDatabase:CatalogDatabase");
  for (const database of databases) {
    assert.ok(database.options.dependsOn.includes(settings.urn), `${database.name} waits for the settings`);
  }
  return {
    databaseDefaults: settings.inputs.createDatabaseDefaultPermissions,
    tableDefaults: settings.inputs.createTableDefaultPermissions,
    databaseTableDefaults: databases.map((database) => database.inputs.createTableDefaultPermissions),
    hybridLocations: result
      .ofType("aws:lakeformation/resource:Resource")
      .map((location) => location.inputs.hybridAccessEnabled),
  };
}

describe("CentralCatalog component", () => {
  let result: Synthesized;
  before(async () => {
    result = await synthesizeCatalog();
  });

  it("declares the databases in the account catalog, located in their zone bucket, prefixed with the environment", () => {
    const raw = result.one("aws:glue/catalogDatabase:CatalogDatabase", "sales_raw");
    assert.equal(raw.inputs.name, "unit_env_sales_raw");
    assert.equal(raw.inputs.catalogId, "123456789012");
    assert.equal(raw.inputs.locationUri, "s3://lake-raw/unit_env_sales_raw/");
    const curated = result.one("aws:glue/catalogDatabase:CatalogDatabase", "sales_curated");
    assert.equal(curated.inputs.locationUri, "s3://lake-curated/unit_env_sales_curated/");
    assert.equal(result.componentOf(raw), "bdp:catalog:CentralCatalog");
  });

  it("encrypts catalog metadata and connection passwords with the lake key", () => {
    const settings = result.one("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings");
    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/lake-key-key-id";
    assert.deepEqual(settings.inputs.dataCatalogEncryptionSettings, {
      encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: keyArn },
      connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: keyArn },
    });
  });

  it("sets Lake Formation admins and registers each zone with a scoped role", async () => {
    const settings = result.one("aws:lakeformation/dataLakeSettings:DataLakeSettings");
    // The settings replace the account's admin list; the deployer makes the grants, so it stays one.
    assert.deepEqual(settings.inputs.admins, [
      "arn:aws:iam::111122223333:role/admin",
      "arn:aws:iam::111122223333:role/deployer",
    ]);
    const locations = result.ofType("aws:lakeformation/resource:Resource");
    assert.deepEqual(locations.map((location) => location.inputs.arn).sort(), [
      "arn:aws:s3:::lake-analytics",
      "arn:aws:s3:::lake-curated",
      "arn:aws:s3:::lake-raw",
    ]);
    const role = result.one("aws:iam/role:Role", "catalog-locations");
    const trust = result.json(role, "assumeRolePolicy");
    assert.deepEqual(trust.Statement[0].Principal, { Service: "lakeformation.amazonaws.com" });
    assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
    const policy = result.json(result.one("aws:iam/rolePolicy:RolePolicy", "catalog-locations"), "policy");
    assert.deepEqual(await invalidActions(actionsOf(policy)), []);
    const objects = statementBySid(policy, "ReadWriteZoneObjects");
    assert.deepEqual(objects.Resource, [
      "arn:aws:s3:::lake-raw/*",
      "arn:aws:s3:::lake-curated/*",
      "arn:aws:s3:::lake-analytics/*",
    ]);
  });
});

describe("CentralCatalog Lake Formation modes", () => {
  const iamOnly = [{ principal: "IAM_ALLOWED_PRINCIPALS", permissions: ["ALL"] }];

  it("hybrid by default: IAM policies keep governing new databases, tables and the locations", async () => {
    assert.deepEqual(accessMode(await synthesizeCatalog()), {
      databaseDefaults: iamOnly,
      tableDefaults: iamOnly,
      databaseTableDefaults: [0, 1].map(() => [
        { permissions: ["ALL"], principal: { dataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS" } },
      ]),
      hybridLocations: [true, true, true],
    });
  });

  it("enforced: no IAM_ALLOWED_PRINCIPALS defaults, databases created after them, locations out of hybrid mode", async () => {
    assert.deepEqual(accessMode(await synthesizeCatalog({ enforceLakeFormation: true })), {
      databaseDefaults: [],
      tableDefaults: [],
      databaseTableDefaults: [[], []],
      hybridLocations: [false, false, false],
    });
  });
});

describe("validateCentralCatalogArgs", () => {
  const admins = ["arn:aws:iam::111122223333:role/admin"];

  it("accepts databases with Glue-compatible names declared once", () => {
    assert.deepEqual(
      validateCentralCatalogArgs({
        databases: [{ name: "sales_raw" }, { name: "sales2" }],
        lakeFormationAdmins: admins,
      }),
      [],
    );
  });

  it("names each bad database and the missing lists", () => {
    assert.deepEqual(
      validateCentralCatalogArgs({
        databases: [{ name: "sales_raw" }, { name: "Sales-Raw" }, { name: "sales_raw" }],
        lakeFormationAdmins: [],
      }).map(formatArgsProblem),
      [
        'databases[1].name: must be lower-case letters, digits and underscores, starting with a letter (at most 64) (given: "Sales-Raw")',
        'databases[2].name: database "sales_raw" is declared twice (given: "sales_raw")',
        "lakeFormationAdmins: name at least one Lake Formation administrator",
      ],
    );
    assert.deepEqual(
      validateCentralCatalogArgs({ databases: [], lakeFormationAdmins: admins }).map(formatArgsProblem),
      ["databases: declare at least one database"],
    );
    assert.deepEqual(
      validateCentralCatalogArgs({
        databases: [{ name: "sales_raw" }],
        lakeFormationAdmins: admins,
        deployerArn: "deployer",
      }).map(formatArgsProblem),
      ['deployerArn: must be the ARN of the IAM role or user that deploys the stack (given: "deployer")'],
    );
  });

  it("lists the deployer among the admins once", () => {
    const deployerArn = "arn:aws:iam::111122223333:role/deployer";
    assert.deepEqual(lakeFormationAdminsOf({ lakeFormationAdmins: admins, deployerArn }), [
      ...admins,
      deployerArn,
    ]);
    assert.deepEqual(lakeFormationAdminsOf({ lakeFormationAdmins: [deployerArn], deployerArn }), [
      deployerArn,
    ]);
  });
});
