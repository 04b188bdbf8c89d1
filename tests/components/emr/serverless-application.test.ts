import { strict as assert } from "assert";
import {
  EmrServerlessApplication,
  EmrServerlessApplicationArgs,
  validateEmrServerlessApplicationArgs,
} from "../../../components/emr";
import { formatPath } from "../../../decisions/problems";
import { SlaTier } from "../../../decisions/sla-tier";
import { actionsOf, invalidActions, resourcesWithAction, statementBySid } from "../../support/iam";
import { Synthesized, synthesizeComponents } from "../../support/synth";
import { invalidArgsError } from "../../support/problems";
import {
  ACCOUNT,
  CURATED_ARN,
  foundation,
  GLUE,
  KEY_ARN,
  LOGS_ARN,
  PRIVATE_SUBNETS,
  RAW_ARN,
  REGION,
} from "./fixtures";

const APPLICATION = "aws:emrserverless/application:Application";

function synthesizeApplication(
  tier: SlaTier,
  extra: Partial<EmrServerlessApplicationArgs> = {},
): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    const { lake, network, access } = foundation(opts);
    new EmrServerlessApplication(
      "sales-sls",
      {
        pipeline: "sales",
        tier,
        maximumVcpu: 64,
        maximumMemoryGb: 256,
        idleTimeoutMinutes: 15,
        dataLake: lake,
        access,
        privateSubnetIds: network.privateSubnetIds,
        securityGroupIds: [network.jobSecurityGroup.id],
        logRetentionDays: 30,
        ...extra,
      },
      opts,
    );
  });
}

describe("EmrServerlessApplication component", () => {
  let result: Synthesized;
  before(async () => {
    result = await synthesizeApplication("flexible");
  });

  it("is a Spark application on ARM64 (Graviton) with the EMR 7 release", () => {
    const application = result.one(APPLICATION);
    assert.equal(result.componentOf(application), "bdp:emr:ServerlessApplication");
    assert.equal(application.inputs.name, "sales-sls");
    assert.equal(application.inputs.type, "spark");
    assert.equal(application.inputs.architecture, "ARM64");
    assert.equal(application.inputs.releaseLabel, "emr-7.12.0");
    assert.equal(application.inputs.tags.pipeline, "sales");
    assert.equal(application.inputs.tags["sla-tier"], "flexible");
    for (const resource of [
      result.one("aws:iam/role:Role", "sales-sls-job"),
      result.one("aws:cloudwatch/logGroup:LogGroup", "sales-sls-logs"),
    ]) {
      assert.deepEqual(resource.inputs.tags, { pipeline: "sales", "sla-tier": "flexible" }, resource.name);
    }
  });

  it("starts on job submission, stops when idle and never exceeds its maximum capacity", () => {
    const application = result.one(APPLICATION);
    assert.deepEqual(application.inputs.autoStartConfiguration, { enabled: true });
    assert.deepEqual(application.inputs.autoStopConfiguration, { enabled: true, idleTimeoutMinutes: 15 });
    assert.deepEqual(application.inputs.maximumCapacity, { cpu: "64 vCPU", memory: "256 GB" });
    assert.equal(application.inputs.initialCapacities, undefined);
  });

  it("runs in the private subnets with the job security group", () => {
    assert.deepEqual(result.one(APPLICATION).inputs.networkConfiguration, {
      subnetIds: PRIVATE_SUBNETS,
      securityGroupIds: ["sg-net-jobs"],
    });
  });

  it("sends logs to S3 and to an encrypted log group with retention", () => {
    const monitoring = result.one(APPLICATION).inputs.monitoringConfiguration;
    assert.deepEqual(monitoring.s3MonitoringConfiguration, {
      logUri: "s3://lake-logs/emr-serverless/sales-sls/",
      encryptionKeyArn: KEY_ARN,
    });
    const logGroup = result.one("aws:cloudwatch/logGroup:LogGroup", "sales-sls-logs");
    assert.equal(logGroup.inputs.name, "/aws/emr-serverless/sales-sls");
    assert.equal(logGroup.inputs.retentionInDays, 30);
    assert.equal(logGroup.inputs.kmsKeyId, KEY_ARN);
    assert.equal(monitoring.cloudwatchLoggingConfiguration.enabled, true);
    assert.equal(monitoring.cloudwatchLoggingConfiguration.logGroupName, "/aws/emr-serverless/sales-sls");
    assert.equal(monitoring.cloudwatchLoggingConfiguration.encryptionKeyArn, KEY_ARN);
    assert.deepEqual(
      monitoring.cloudwatchLoggingConfiguration.logTypes.map((type: any) => type.name),
      ["SPARK_DRIVER", "SPARK_EXECUTOR"],
    );
  });

  it("uses the Glue Data Catalog as the Spark metastore", () => {
    const [configuration] = result.one(APPLICATION).inputs.runtimeConfigurations;
    assert.equal(configuration.classification, "spark-defaults");
    assert.equal(
      configuration.properties["spark.hadoop.hive.metastore.client.factory.class"],
      "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory",
    );
  });

  describe("job runtime role", () => {
    it("is assumed by EMR Serverless for this application's job runs only", () => {
      const role = result.one("aws:iam/role:Role", "sales-sls-job");
      // The mocked engine gives applications an EMR Serverless-shaped id and ARN.
      const applicationArn = result.one(APPLICATION).outputs.arn;
      assert.match(
        applicationArn,
        new RegExp(`^arn:aws:emr-serverless:${REGION}:${ACCOUNT}:/applications/[0-9a-z]{16}$`),
      );
      assert.deepEqual(result.json(role, "assumeRolePolicy").Statement, [
        {
          Effect: "Allow",
          Principal: { Service: "emr-serverless.amazonaws.com" },
          Action: ["sts:AssumeRole"],
          Condition: {
            StringEquals: { "aws:SourceAccount": ACCOUNT },
            ArnLike: { "aws:SourceArn": [applicationArn, `${applicationArn}/*`] },
          },
        },
      ]);
    });

    it("reads the source, writes the target, uses its catalog databases, the lake key and its logs", () => {
      const document = result.json(result.one("aws:iam/rolePolicy:RolePolicy", "sales-sls-job"), "policy");
      // EMRFS reads each folder's bare key and writes its `_$folder$` marker.
      assert.deepEqual(statementBySid(document, "ReadSource1").Resource, [
        `${RAW_ARN}/incoming/sales/*`,
        `${RAW_ARN}/incoming/sales`,
        `${RAW_ARN}/incoming/sales_$folder$`,
      ]);
      assert.deepEqual(statementBySid(document, "WriteTarget1").Resource, [
        `${CURATED_ARN}/unit_sales_curated/orders/*`,
        `${CURATED_ARN}/unit_sales_curated/orders`,
        `${CURATED_ARN}/unit_sales_curated/orders_$folder$`,
      ]);
      assert.deepEqual(statementBySid(document, "WriteCatalog").Resource, [
        `${GLUE}:catalog`,
        `${GLUE}:database/unit_sales_curated`,
        `${GLUE}:table/unit_sales_curated/*`,
      ]);
      assert.deepEqual(statementBySid(document, "UseLakeKey").Resource, [KEY_ARN]);
      assert.deepEqual(statementBySid(document, "PushJobLogs").Resource, [
        `${LOGS_ARN}/emr-serverless/sales-sls/*`,
      ]);
      // A wildcard-only action: a log-group ARN pattern would never grant it.
      assert.equal(statementBySid(document, "FindLogGroup").Resource, "*");
      const logGroupArn = result.one("aws:cloudwatch/logGroup:LogGroup").outputs.arn;
      assert.deepEqual(statementBySid(document, "WriteLogGroup").Resource, [
        logGroupArn,
        `${logGroupArn}:log-stream:*`,
      ]);
      assert.deepEqual(resourcesWithAction(document, "s3:PutObject"), [
        `${CURATED_ARN}/unit_sales_curated/orders/*`,
        `${CURATED_ARN}/unit_sales_curated/orders`,
        `${CURATED_ARN}/unit_sales_curated/orders_$folder$`,
        `${LOGS_ARN}/emr-serverless/sales-sls/*`,
      ]);
    });

    it("uses only real IAM actions and no wildcards", async () => {
      const policy = result.one("aws:iam/rolePolicy:RolePolicy", "sales-sls-job");
      assert.deepEqual(await invalidActions(actionsOf(result.json(policy, "policy"))), []);
      const role = result.one("aws:iam/role:Role", "sales-sls-job");
      assert.deepEqual(await invalidActions(actionsOf(result.json(role, "assumeRolePolicy"))), []);
    });
  });

  it("runs ARM64 on every tier and takes a pinned release", async () => {
    const critical = await synthesizeApplication("critical", { releaseLabel: "emr-7.13.0" });
    const application = critical.one(APPLICATION);
    assert.equal(application.inputs.architecture, "ARM64");
    assert.equal(application.inputs.releaseLabel, "emr-7.13.0");
    assert.equal(application.inputs.tags["sla-tier"], "critical");
  });

  it("rejects a capacity or timeout EMR Serverless would refuse, in one error", async () => {
    await assert.rejects(
      () =>
        synthesizeApplication("standard", { maximumVcpu: 64, maximumMemoryGb: 64, idleTimeoutMinutes: 0 }),
      invalidArgsError(
        "bdp:emr:ServerlessApplication sales-sls",
        /maximumMemoryGb: must be at least 2 GB per vCPU \(128 GB for 64 vCPU\)/,
        /idleTimeoutMinutes: must be 1 to 10080 minutes/,
      ),
    );
  });
});

describe("validateEmrServerlessApplicationArgs", () => {
  const valid = { maximumVcpu: 16, maximumMemoryGb: 32, idleTimeoutMinutes: 15 };

  it("accepts 2 GB per vCPU and more", () => {
    assert.deepEqual(validateEmrServerlessApplicationArgs(valid), []);
    assert.deepEqual(validateEmrServerlessApplicationArgs({ ...valid, maximumMemoryGb: 128 }), []);
  });

  it("names each bad field", () => {
    assert.deepEqual(
      validateEmrServerlessApplicationArgs({ ...valid, maximumMemoryGb: 31, releaseLabel: "7.1" }).map(
        (problem) => formatPath(problem.path),
      ),
      ["releaseLabel", "maximumMemoryGb"],
    );
    assert.deepEqual(
      validateEmrServerlessApplicationArgs({
        maximumVcpu: 0.5,
        maximumMemoryGb: 8,
        idleTimeoutMinutes: 0,
      }).map((problem) => formatPath(problem.path)),
      ["maximumVcpu", "idleTimeoutMinutes"],
    );
  });
});
