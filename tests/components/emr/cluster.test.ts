import { strict as assert } from "assert";
import { EmrCluster, EmrClusterArgs, validateEmrClusterArgs } from "../../../components/emr";
import { formatPath } from "../../../decisions/problems";
import { SlaTier } from "../../../decisions/sla-tier";
import {
  actionsOf,
  invalidActions,
  resourcesWithAction,
  statementBySid,
  statementsWithAction,
} from "../../support/iam";
import { Synthesized, synthesizeComponents } from "../../support/synth";
import { invalidArgsError } from "../../support/problems";
import {
  ACCOUNT,
  ARTIFACTS_ARN,
  CURATED_ARN,
  foundation,
  GLUE,
  KEY_ARN,
  LOGS_ARN,
  PRIVATE_SUBNETS,
  RAW_ARN,
  REGION,
} from "./fixtures";

const CLUSTER = "aws:emr/cluster:Cluster";
const TASK_FLEET = "aws:emr/instanceFleet:InstanceFleet";
const SCALING = "aws:emr/managedScalingPolicy:ManagedScalingPolicy";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const GRAVITON = /^[a-z]+\d+g[a-z]*\.[a-z0-9]+$/;

function synthesizeCluster(tier: SlaTier, extra: Partial<EmrClusterArgs> = {}): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    const { lake, network, access } = foundation(opts);
    new EmrCluster(
      "sales-emr",
      {
        pipeline: "sales",
        tier,
        minCapacityUnits: 8,
        maxCapacityUnits: 32,
        idleTimeoutMinutes: 30,
        dataLake: lake,
        access,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        ...extra,
      },
      opts,
    );
  });
}

function fleetTypes(fleet: any): string[] {
  return fleet.instanceTypeConfigs.map((config: any) => config.instanceType);
}

describe("EmrCluster component", () => {
  describe("standard tier", () => {
    let result: Synthesized;
    before(async () => {
      result = await synthesizeCluster("standard");
    });

    it("runs Spark and Hive on EMR 7 in the private subnets, kept alive but auto-terminating", () => {
      const cluster = result.one(CLUSTER);
      assert.equal(result.componentOf(cluster), "bdp:emr:Cluster");
      assert.equal(cluster.inputs.name, "sales-emr");
      assert.equal(cluster.inputs.releaseLabel, "emr-7.12.0");
      assert.deepEqual(cluster.inputs.applications, ["Spark", "Hive"]);
      assert.deepEqual(cluster.inputs.autoTerminationPolicy, { idleTimeout: 1800 });
      assert.equal(cluster.inputs.keepJobFlowAliveWhenNoSteps, true);
      assert.equal(cluster.inputs.terminationProtection, false);
      assert.equal(cluster.inputs.stepConcurrencyLevel, 1);
      assert.equal(cluster.inputs.ebsRootVolumeSize, 32);
      assert.deepEqual(cluster.inputs.ec2Attributes.subnetIds, PRIVATE_SUBNETS);
      assert.equal(cluster.inputs.ec2Attributes.subnetId, undefined);
      assert.equal(cluster.inputs.ec2Attributes.keyName, undefined);
    });

    it("logs to the logs bucket under emr/<name>/, encrypted with the lake key", () => {
      const cluster = result.one(CLUSTER);
      assert.equal(cluster.inputs.logUri, "s3://lake-logs/emr/sales-emr/");
      assert.equal(cluster.inputs.logEncryptionKmsKeyId, KEY_ARN);
    });

    it("uses the Glue Data Catalog as Hive and Spark metastore, with dynamic allocation", () => {
      const configurations = result.json(result.one(CLUSTER), "configurationsJson");
      const byClassification = Object.fromEntries(
        configurations.map((configuration: any) => [configuration.Classification, configuration.Properties]),
      );
      for (const classification of ["hive-site", "spark-hive-site"]) {
        assert.equal(
          byClassification[classification]["hive.metastore.client.factory.class"],
          "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory",
        );
      }
      assert.equal(byClassification["spark-defaults"]["spark.dynamicAllocation.enabled"], "true");
      assert.doesNotMatch(result.one(CLUSTER).inputs.configurationsJson, /javax\.jdo/);
    });

    it("tags the cluster with its pipeline, tier and the EMR managed-policy tag", () => {
      const tags = result.one(CLUSTER).inputs.tags;
      assert.equal(tags.pipeline, "sales");
      assert.equal(tags["sla-tier"], "standard");
      assert.equal(tags["for-use-with-amazon-emr-managed-policies"], "true");
      for (const resource of [
        ...result.ofType(ROLE).filter((role) => role.name.startsWith("sales-emr")),
        result.one("aws:iam/instanceProfile:InstanceProfile"),
        ...result
          .ofType("aws:ec2/securityGroup:SecurityGroup")
          .filter((group) => group.name.startsWith("sales-emr")),
      ]) {
        assert.equal(resource.inputs.tags.pipeline, "sales", resource.name);
        assert.equal(resource.inputs.tags["sla-tier"], "standard", resource.name);
      }
    });

    it("has a single on-demand Graviton primary node", () => {
      const primary = result.one(CLUSTER).inputs.masterInstanceFleet;
      assert.equal(primary.targetOnDemandCapacity, 1);
      assert.equal(primary.targetSpotCapacity, undefined);
      assert.deepEqual(fleetTypes(primary), ["m7g.xlarge", "m6g.xlarge"]);
      assert.equal(primary.launchSpecifications.spotSpecifications, undefined);
      assert.deepEqual(primary.launchSpecifications.onDemandSpecifications, [
        { allocationStrategy: "lowest-price" },
      ]);
    });

    it("keeps core on-demand and puts the task fleet (its own resource) on Spot, all Graviton and weighted", () => {
      const core = result.one(CLUSTER).inputs.coreInstanceFleet;
      assert.equal(core.targetOnDemandCapacity, 8);
      assert.equal(core.targetSpotCapacity, 0);
      assert.equal(core.launchSpecifications.spotSpecifications, undefined);

      const task = result.one(TASK_FLEET);
      assert.equal(result.componentOf(task), "bdp:emr:Cluster");
      assert.equal(task.inputs.clusterId, "sales-emr-id");
      assert.equal(task.inputs.targetSpotCapacity, 4);
      assert.equal(task.inputs.targetOnDemandCapacity, 0);
      assert.deepEqual(task.inputs.launchSpecifications.spotSpecifications, [
        {
          allocationStrategy: "price-capacity-optimized",
          timeoutAction: "SWITCH_TO_ON_DEMAND",
          timeoutDurationMinutes: 10,
        },
      ]);
      for (const fleet of [core, task.inputs]) {
        assert.ok(fleetTypes(fleet).length >= 4);
        assert.ok(fleetTypes(fleet).every((type) => GRAVITON.test(type)));
        assert.deepEqual(
          fleet.instanceTypeConfigs.map((config: any) => [config.instanceType, config.weightedCapacity]),
          [
            ["m7g.xlarge", 4],
            ["m7g.2xlarge", 8],
            ["m6g.xlarge", 4],
            ["r7g.xlarge", 4],
            ["c7g.2xlarge", 8],
          ],
        );
      }
      assert.ok(
        task.inputs.instanceTypeConfigs.every(
          (config: any) => config.bidPriceAsPercentageOfOnDemandPrice === 100,
        ),
      );
    });

    it("leaves fleet sizes to managed scaling after launch", () => {
      assert.deepEqual(result.one(CLUSTER).options.ignoreChanges.sort(), [
        "coreInstanceFleet.targetOnDemandCapacity",
        "coreInstanceFleet.targetSpotCapacity",
      ]);
      assert.deepEqual(result.one(TASK_FLEET).options.ignoreChanges.sort(), [
        "targetOnDemandCapacity",
        "targetSpotCapacity",
      ]);
    });

    it("attaches a managed scaling policy with the plan's limits", () => {
      const policy = result.one(SCALING);
      assert.equal(policy.inputs.clusterId, "sales-emr-id");
      assert.deepEqual(policy.inputs.computeLimits, [
        {
          unitType: "InstanceFleetUnits",
          minimumCapacityUnits: 8,
          maximumCapacityUnits: 32,
          maximumOndemandCapacityUnits: 8,
          maximumCoreCapacityUnits: 8,
        },
      ]);
    });

    it("attaches a security configuration that encrypts S3 and local disks (EBS too) with the lake key", () => {
      const configuration = result.one("aws:emr/securityConfiguration:SecurityConfiguration");
      assert.equal(result.one(CLUSTER).inputs.securityConfiguration, "sales-emr-security");
      assert.equal(configuration.inputs.namePrefix, "sales-emr-security-");
      assert.deepEqual(result.json(configuration, "configuration"), {
        EncryptionConfiguration: {
          EnableInTransitEncryption: false,
          EnableAtRestEncryption: true,
          AtRestEncryptionConfiguration: {
            S3EncryptionConfiguration: { EncryptionMode: "SSE-KMS", AwsKmsKey: KEY_ARN },
            LocalDiskEncryptionConfiguration: {
              EncryptionKeyProviderType: "AwsKms",
              AwsKmsKey: KEY_ARN,
              EnableEbsEncryption: true,
            },
          },
        },
      });
    });

    it("uses its own EMR-managed security groups, tagged for the v2 service policy", () => {
      const attributes = result.one(CLUSTER).inputs.ec2Attributes;
      assert.equal(attributes.emrManagedMasterSecurityGroup, "sg-sales-emr-sg-primary");
      assert.equal(attributes.emrManagedSlaveSecurityGroup, "sg-sales-emr-sg-core-task");
      assert.equal(attributes.serviceAccessSecurityGroup, "sg-sales-emr-sg-service-access");
      for (const suffix of ["primary", "core-task", "service-access"]) {
        const group = result.one("aws:ec2/securityGroup:SecurityGroup", `sales-emr-sg-${suffix}`);
        assert.equal(group.inputs.vpcId, "vpc-0a1b2c3d4e5f60000");
        assert.equal(group.inputs.revokeRulesOnDelete, true);
        assert.equal(group.inputs.tags["for-use-with-amazon-emr-managed-policies"], "true");
        // EMR adds the inbound rules; inline rules would make Pulumi remove them again.
        assert.equal(group.inputs.ingress, undefined);
        assert.equal(group.inputs.egress, undefined);
      }
    });

    it("opens only cluster traffic, HTTPS out and the service access ports", () => {
      const rules = result
        .ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
        .map((rule) => [
          rule.inputs.securityGroupId,
          rule.inputs.ipProtocol,
          rule.inputs.fromPort,
          rule.inputs.referencedSecurityGroupId ?? rule.inputs.cidrIpv4,
        ])
        .sort();
      const p = "sg-sales-emr-sg-primary";
      const c = "sg-sales-emr-sg-core-task";
      const s = "sg-sales-emr-sg-service-access";
      assert.deepEqual(
        rules,
        [
          [c, "-1", undefined, c],
          [c, "-1", undefined, p],
          [c, "tcp", 443, "0.0.0.0/0"],
          [p, "-1", undefined, c],
          [p, "-1", undefined, p],
          [p, "tcp", 443, "0.0.0.0/0"],
          [p, "tcp", 9443, s],
          [s, "tcp", 8443, c],
          [s, "tcp", 8443, p],
        ].sort(),
      );
      const ingress = result.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
      assert.deepEqual(
        [
          ingress.inputs.securityGroupId,
          ingress.inputs.fromPort,
          ingress.inputs.toPort,
          ingress.inputs.referencedSecurityGroupId,
        ],
        [s, 9443, 9443, p],
      );
    });

    it("waits for role policies and security group rules before creating the cluster", () => {
      const dependsOn = result.one(CLUSTER).options.dependsOn;
      for (const [type, suffix] of [
        ["aws:iam/rolePolicy:RolePolicy", "sales-emr-roles-instance"],
        ["aws:iam/rolePolicy:RolePolicy", "sales-emr-roles-service"],
        ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "sales-emr-roles-service-v2"],
        ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "service-access-from-primary"],
        ["aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "primary-to-service-access"],
      ]) {
        assert.ok(dependsOn.includes(result.one(type, suffix).urn), suffix);
      }
    });

    describe("service role", () => {
      it("is assumed by EMR for this account's clusters only and uses AmazonEMRServicePolicy_v2", () => {
        const role = result.one(ROLE, "sales-emr-roles-service");
        assert.equal(
          result.one(CLUSTER).inputs.serviceRole,
          `arn:aws:iam::${ACCOUNT}:role/sales-emr-roles-service`,
        );
        assert.deepEqual(result.json(role, "assumeRolePolicy").Statement, [
          {
            Effect: "Allow",
            Principal: { Service: "elasticmapreduce.amazonaws.com" },
            Action: ["sts:AssumeRole"],
            Condition: {
              StringEquals: { "aws:SourceAccount": ACCOUNT },
              ArnLike: { "aws:SourceArn": `arn:aws:elasticmapreduce:${REGION}:${ACCOUNT}:*` },
            },
          },
        ]);
        const attachments = result.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        assert.deepEqual(
          attachments.map((attachment) => [attachment.inputs.role, attachment.inputs.policyArn]),
          [["sales-emr-roles-service", "arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2"]],
        );
        const everything = JSON.stringify(result.resources.map((resource) => resource.inputs));
        assert.doesNotMatch(everything, /AmazonElasticMapReduceRole|AmazonElasticMapReduceforEC2Role/);
      });

      it("may pass exactly the instance role, to EC2 only, and use the lake key for EBS volumes", () => {
        const document = result.json(result.one(ROLE_POLICY, "sales-emr-roles-service"), "policy");
        assert.deepEqual(statementBySid(document, "PassInstanceRole"), {
          Sid: "PassInstanceRole",
          Effect: "Allow",
          Action: ["iam:PassRole"],
          Resource: [`arn:aws:iam::${ACCOUNT}:role/sales-emr-roles-instance`],
          Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
        });
        assert.deepEqual(statementBySid(document, "EncryptVolumes").Resource, [KEY_ARN]);
        assert.deepEqual(statementBySid(document, "GrantVolumesTheKey").Condition, {
          Bool: { "kms:GrantIsForAWSResource": true },
        });
        const passRole = statementsWithAction(document, "iam:PassRole");
        assert.equal(passRole.length, 1);
      });
    });

    describe("instance role", () => {
      it("is an instance profile role assumed by EC2", () => {
        const role = result.one(ROLE, "sales-emr-roles-instance");
        assert.deepEqual(result.json(role, "assumeRolePolicy").Statement, [
          { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] },
        ]);
        const profile = result.one("aws:iam/instanceProfile:InstanceProfile");
        assert.equal(profile.inputs.role, "sales-emr-roles-instance");
        assert.equal(
          result.one(CLUSTER).inputs.ec2Attributes.instanceProfile,
          `arn:aws:iam::${ACCOUNT}:instanceprofile/sales-emr-roles-instance`,
        );
      });

      it("reads the source prefix, writes the target prefix, reads scripts and pushes logs, nothing wider", () => {
        const document = result.json(result.one(ROLE_POLICY, "sales-emr-roles-instance"), "policy");
        assert.deepEqual(statementBySid(document, "ReadSource1"), {
          Sid: "ReadSource1",
          Effect: "Allow",
          Action: ["s3:GetObject"],
          // EMRFS reads the bare folder key and the `_$folder$` marker beside the folder too.
          Resource: [
            `${RAW_ARN}/incoming/sales/*`,
            `${RAW_ARN}/incoming/sales`,
            `${RAW_ARN}/incoming/sales_$folder$`,
          ],
        });
        assert.deepEqual(statementBySid(document, "ListSource1"), {
          Sid: "ListSource1",
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: [RAW_ARN],
          Condition: { StringLike: { "s3:prefix": ["incoming/sales/*", "incoming/sales"] } },
        });
        const write = statementBySid(document, "WriteTarget1");
        assert.deepEqual(write.Resource, [
          `${CURATED_ARN}/unit_sales_curated/orders/*`,
          `${CURATED_ARN}/unit_sales_curated/orders`,
          `${CURATED_ARN}/unit_sales_curated/orders_$folder$`,
        ]);
        assert.ok(write.Action.includes("s3:PutObject") && write.Action.includes("s3:DeleteObject"));
        assert.deepEqual(statementBySid(document, "ListTarget1").Resource, [CURATED_ARN]);
        assert.deepEqual(statementBySid(document, "ReadScripts").Resource, [`${ARTIFACTS_ARN}/jobs/sales/*`]);
        assert.deepEqual(statementBySid(document, "PushClusterLogs"), {
          Sid: "PushClusterLogs",
          Effect: "Allow",
          Action: ["s3:PutObject"],
          Resource: [`${LOGS_ARN}/emr/sales-emr/*`],
        });
        assert.deepEqual(statementBySid(document, "UseLakeKey").Resource, [KEY_ARN]);
        // Nothing can write the source or read outside the named prefixes.
        assert.deepEqual(resourcesWithAction(document, "s3:PutObject"), [
          `${CURATED_ARN}/unit_sales_curated/orders/*`,
          `${CURATED_ARN}/unit_sales_curated/orders`,
          `${CURATED_ARN}/unit_sales_curated/orders_$folder$`,
          `${LOGS_ARN}/emr/sales-emr/*`,
        ]);
        // AWS's package repositories are the only whole buckets, read-only.
        assert.deepEqual(statementBySid(document, "ReadPackageRepositories"), {
          Sid: "ReadPackageRepositories",
          Effect: "Allow",
          Action: ["s3:GetObject"],
          Resource: [
            `arn:aws:s3:::al2023-repos-${REGION}-de612dc2/*`,
            `arn:aws:s3:::repo.${REGION}.emr.amazonaws.com/*`,
          ],
        });
        for (const candidate of document.Statement.filter((c: any) => c.Sid !== "ReadPackageRepositories")) {
          for (const resource of [candidate.Resource].flat()) {
            assert.notEqual(resource, "*", candidate.Sid);
            assert.doesNotMatch(
              resource,
              /^arn:aws:s3:::[^/]*\/\*$/,
              `${candidate.Sid}: whole bucket ${resource}`,
            );
          }
        }
      });

      it("uses the Glue catalog on its databases and tables only, writing only in the target database", () => {
        const document = result.json(result.one(ROLE_POLICY, "sales-emr-roles-instance"), "policy");
        assert.deepEqual(statementBySid(document, "ReadCatalog").Resource, [
          `${GLUE}:catalog`,
          `${GLUE}:database/default`,
          `${GLUE}:database/unit_sales_raw`,
          `${GLUE}:database/unit_sales_curated`,
          `${GLUE}:table/unit_sales_raw/*`,
          `${GLUE}:table/unit_sales_curated/*`,
          `${GLUE}:userDefinedFunction/unit_sales_raw/*`,
          `${GLUE}:userDefinedFunction/unit_sales_curated/*`,
        ]);
        const writeCatalog = statementBySid(document, "WriteCatalog");
        assert.deepEqual(writeCatalog.Resource, [
          `${GLUE}:catalog`,
          `${GLUE}:database/unit_sales_curated`,
          `${GLUE}:table/unit_sales_curated/*`,
        ]);
        assert.ok(writeCatalog.Action.includes("glue:CreateTable"));
        assert.ok(!writeCatalog.Action.some((action: string) => /Database$/.test(action)));
      });
    });

    it("uses only real IAM actions and no wildcards in its policies", async () => {
      for (const resource of result.ofType(ROLE_POLICY)) {
        const actions = actionsOf(result.json(resource, "policy"));
        assert.deepEqual(await invalidActions(actions), [], resource.name);
      }
      for (const resource of result.ofType(ROLE).filter((role) => role.name.startsWith("sales-emr"))) {
        assert.deepEqual(await invalidActions(actionsOf(result.json(resource, "assumeRolePolicy"))), []);
      }
    });
  });

  describe("flexible tier", () => {
    let result: Synthesized;
    before(async () => {
      result = await synthesizeCluster("flexible");
    });

    it("runs core and task fleets on Spot with Graviton types, price-capacity-optimized, falling back to on-demand", () => {
      const core = result.one(CLUSTER).inputs.coreInstanceFleet;
      const task = result.one(TASK_FLEET).inputs;
      assert.equal(core.targetSpotCapacity, 8);
      assert.equal(core.targetOnDemandCapacity, 0);
      assert.equal(task.targetSpotCapacity, 4);
      for (const fleet of [core, task]) {
        assert.deepEqual(fleet.launchSpecifications.spotSpecifications, [
          {
            allocationStrategy: "price-capacity-optimized",
            timeoutAction: "SWITCH_TO_ON_DEMAND",
            timeoutDurationMinutes: 10,
          },
        ]);
        assert.ok(fleetTypes(fleet).every((type) => GRAVITON.test(type)));
      }
      assert.equal(result.one(CLUSTER).inputs.masterInstanceFleet.targetOnDemandCapacity, 1);
      assert.equal(result.one(CLUSTER).inputs.tags["sla-tier"], "flexible");
    });

    it("keeps on-demand scaling to the core minimum", () => {
      assert.equal(result.one(SCALING).inputs.computeLimits[0].maximumOndemandCapacityUnits, 8);
    });
  });

  describe("critical tier", () => {
    let result: Synthesized;
    before(async () => {
      result = await synthesizeCluster("critical", {
        releaseLabel: "emr-7.13.0",
        stepConcurrencyLevel: 4,
        ebsRootVolumeSizeGiB: 64,
      });
    });

    it("uses no Spot anywhere", () => {
      const cluster = result.one(CLUSTER).inputs;
      const task = result.one(TASK_FLEET).inputs;
      for (const fleet of [cluster.masterInstanceFleet, cluster.coreInstanceFleet, task]) {
        assert.ok(!fleet.targetSpotCapacity, "targetSpotCapacity");
        assert.equal(fleet.launchSpecifications.spotSpecifications, undefined);
        assert.ok(
          fleet.instanceTypeConfigs.every(
            (config: any) => config.bidPriceAsPercentageOfOnDemandPrice === undefined,
          ),
        );
        assert.ok(fleetTypes(fleet).every((type) => GRAVITON.test(type)));
      }
      assert.equal(task.targetOnDemandCapacity, 4);
      assert.equal(result.one(SCALING).inputs.computeLimits[0].maximumOndemandCapacityUnits, 32);
    });

    it("takes a pinned release, step concurrency and root volume size", () => {
      const cluster = result.one(CLUSTER).inputs;
      assert.equal(cluster.releaseLabel, "emr-7.13.0");
      assert.equal(cluster.stepConcurrencyLevel, 4);
      assert.equal(cluster.ebsRootVolumeSize, 64);
    });
  });

  it("rejects bad settings with one error that lists every problem", async () => {
    await assert.rejects(
      () =>
        synthesizeCluster("standard", {
          maxCapacityUnits: 4,
          releaseLabel: "emr-6.15.0",
          idleTimeoutMinutes: 0,
        }),
      invalidArgsError(
        "bdp:emr:Cluster sales-emr",
        /maxCapacityUnits: must be at least minCapacityUnits/,
        /releaseLabel: must be an EMR 7 release label/,
        /idleTimeoutMinutes: must be 1 to 10080 minutes/,
      ),
    );
  });
});

describe("validateEmrClusterArgs", () => {
  const valid = { minCapacityUnits: 4, maxCapacityUnits: 16, idleTimeoutMinutes: 30 };

  it("accepts valid args, a pinned EMR 7 release and another catalog account", () => {
    assert.deepEqual(validateEmrClusterArgs(valid), []);
    assert.deepEqual(
      validateEmrClusterArgs({
        ...valid,
        releaseLabel: "emr-7.3.0",
        configurations: { catalogId: "111122223333" },
      }),
      [],
    );
  });

  it("names each bad field", () => {
    const fields = validateEmrClusterArgs({
      minCapacityUnits: 0,
      maxCapacityUnits: 16,
      idleTimeoutMinutes: 10081,
      spotTimeoutMinutes: 2,
      releaseLabel: "emr-6.15.0",
      configurations: { catalogId: "main" },
    }).map((problem) => formatPath(problem.path));
    assert.deepEqual(fields, [
      "minCapacityUnits",
      "spotTimeoutMinutes",
      "releaseLabel",
      "idleTimeoutMinutes",
      "configurations.catalogId",
    ]);
  });

  it("checks the prefixes of the job's data", () => {
    const location = { bucketName: "b", bucketArn: "arn:aws:s3:::b" };
    const access = {
      read: [{ ...location, prefix: "raw/" }],
      write: [{ ...location, prefix: "curated" }],
      readDatabases: [],
      writeDatabases: [],
      scripts: { ...location, prefix: "scripts/x/" },
    };
    assert.deepEqual(
      validateEmrClusterArgs({ ...valid, access }).map((problem) => formatPath(problem.path)),
      ["access.write[0].prefix"],
    );
  });
});
