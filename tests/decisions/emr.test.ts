import { strict as assert } from "assert";
import {
  DEFAULT_EMR_RELEASE_LABEL,
  EmrClusterPlan,
  emrClusterPlan,
  emrClusterPlanProblems,
  emrConfigurations,
  emrConfigurationsJson,
  emrReleaseLabel,
  emrServerlessCapacityProblems,
  emrServerlessIdleTimeoutMinutes,
  emrServerlessMaximumCapacity,
  emrServerlessSparkDefaults,
  fleetsOf,
  GLUE_CATALOG_CLIENT_FACTORY,
  idleTimeoutSeconds,
  isGravitonInstanceType,
  RunJobFlowInput,
  runJobFlowRequest,
  usesSpot,
  WORKER_INSTANCE_TYPES,
} from "../../decisions/emr";
import { SLA_TIERS, SlaTier } from "../../decisions/sla-tier";

const VCPUS: Record<string, number> = {
  "m7g.xlarge": 4,
  "m7g.2xlarge": 8,
  "m6g.xlarge": 4,
  "r7g.xlarge": 4,
  "c7g.2xlarge": 8,
};

function plan(tier: SlaTier, min = 16, max = 64): EmrClusterPlan {
  return emrClusterPlan({ tier, minCapacityUnits: min, maxCapacityUnits: max });
}

const SPOT = {
  allocationStrategy: "price-capacity-optimized",
  timeoutAction: "SWITCH_TO_ON_DEMAND",
  timeoutDurationMinutes: 10,
};

describe("EMR decisions", () => {
  describe("release label", () => {
    it("defaults to EMR 7.12.0 and accepts a pinned EMR 7 release", () => {
      assert.equal(DEFAULT_EMR_RELEASE_LABEL, "emr-7.12.0");
      assert.equal(emrReleaseLabel(), "emr-7.12.0");
      assert.equal(emrReleaseLabel("emr-7.13.0"), "emr-7.13.0");
    });

    it("rejects labels that are not EMR 7", () => {
      for (const label of ["emr-6.15.0", "7.12.0", "emr-7.12", "emr-8.0.0"]) {
        assert.throws(() => emrReleaseLabel(label), /not an EMR 7 release/);
      }
    });
  });

  describe("fleet plan", () => {
    for (const tier of SLA_TIERS) {
      it(`${tier}: a single on-demand Graviton primary node and only Graviton types everywhere`, () => {
        const result = plan(tier);
        assert.equal(result.primary.targetOnDemandCapacity, 1);
        assert.equal(result.primary.targetSpotCapacity, 0);
        assert.equal(result.primary.spot, undefined);
        assert.equal(result.primary.market, "ON_DEMAND");
        assert.deepEqual(
          result.primary.instanceTypes.map((type) => type.instanceType),
          ["m7g.xlarge", "m6g.xlarge"],
        );
        for (const fleet of fleetsOf(result)) {
          for (const type of fleet.instanceTypes) {
            assert.ok(isGravitonInstanceType(type.instanceType), `${fleet.role}: ${type.instanceType}`);
            assert.match(type.instanceType, /^[a-z]\d+g\./);
          }
          assert.deepEqual(fleet.onDemand, { allocationStrategy: "lowest-price" });
        }
      });

      it(`${tier}: core and task fleets diversify at least 4 types weighted by vCPUs`, () => {
        const result = plan(tier);
        for (const fleet of [result.core, result.task]) {
          assert.ok(fleet.instanceTypes.length >= 4);
          assert.ok(new Set(fleet.instanceTypes.map((type) => type.instanceType.split(".")[0])).size >= 3);
          for (const type of fleet.instanceTypes) {
            assert.equal(type.weightedCapacity, VCPUS[type.instanceType], type.instanceType);
            assert.ok(type.ebsVolumeGiB >= 32);
          }
        }
      });
    }

    it("flexible: core and task on Spot (price-capacity-optimized, switching to on-demand on timeout)", () => {
      const result = plan("flexible", 16, 64);
      assert.equal(result.core.market, "SPOT");
      assert.equal(result.core.targetSpotCapacity, 16);
      assert.equal(result.core.targetOnDemandCapacity, 0);
      assert.deepEqual(result.core.spot, SPOT);
      assert.equal(result.task.market, "SPOT");
      assert.equal(result.task.targetSpotCapacity, 4);
      assert.equal(result.task.targetOnDemandCapacity, 0);
      assert.deepEqual(result.task.spot, SPOT);
      assert.ok(usesSpot(result));
    });

    it("standard: core on-demand Graviton, task on Spot Graviton", () => {
      const result = plan("standard", 16, 64);
      assert.equal(result.core.market, "ON_DEMAND");
      assert.equal(result.core.targetOnDemandCapacity, 16);
      assert.equal(result.core.targetSpotCapacity, 0);
      assert.equal(result.core.spot, undefined);
      assert.equal(result.task.market, "SPOT");
      assert.equal(result.task.targetSpotCapacity, 4);
      assert.deepEqual(result.task.spot, SPOT);
    });

    it("critical: on-demand only, no Spot in any fleet", () => {
      const result = plan("critical", 16, 64);
      assert.equal(usesSpot(result), false);
      for (const fleet of fleetsOf(result)) {
        assert.equal(fleet.market, "ON_DEMAND");
        assert.equal(fleet.targetSpotCapacity, 0);
        assert.equal(fleet.spot, undefined);
      }
      assert.equal(result.core.targetOnDemandCapacity, 16);
      assert.equal(result.task.targetOnDemandCapacity, 4);
    });

    it("sets managed scaling limits per tier: core fixed at the minimum, on-demand capped unless critical", () => {
      const base = { unitType: "InstanceFleetUnits", minimumCapacityUnits: 8, maximumCapacityUnits: 40 };
      assert.deepEqual(plan("flexible", 8, 40).computeLimits, {
        ...base,
        maximumOnDemandCapacityUnits: 8,
        maximumCoreCapacityUnits: 8,
      });
      assert.deepEqual(plan("standard", 8, 40).computeLimits, {
        ...base,
        maximumOnDemandCapacityUnits: 8,
        maximumCoreCapacityUnits: 8,
      });
      assert.deepEqual(plan("critical", 8, 40).computeLimits, {
        ...base,
        maximumOnDemandCapacityUnits: 40,
        maximumCoreCapacityUnits: 8,
      });
    });

    it("keeps every limit within EMR's ordering (min <= core max <= max, on-demand max <= max)", () => {
      for (const tier of SLA_TIERS) {
        for (const [min, max] of [
          [1, 1],
          [4, 4],
          [8, 2000],
        ]) {
          const limits = plan(tier, min, max).computeLimits;
          assert.ok(limits.minimumCapacityUnits <= limits.maximumCoreCapacityUnits);
          assert.ok(limits.maximumCoreCapacityUnits <= limits.maximumCapacityUnits);
          assert.ok(limits.maximumOnDemandCapacityUnits <= limits.maximumCapacityUnits);
        }
      }
    });

    it("takes a custom Spot timeout and rejects one EMR would refuse", () => {
      const result = emrClusterPlan({
        tier: "flexible",
        minCapacityUnits: 4,
        maxCapacityUnits: 8,
        spotTimeoutMinutes: 30,
      });
      assert.equal(result.core.spot?.timeoutDurationMinutes, 30);
      for (const spotTimeoutMinutes of [4, 1441, 7.5]) {
        assert.throws(
          () =>
            emrClusterPlan({
              tier: "flexible",
              minCapacityUnits: 4,
              maxCapacityUnits: 8,
              spotTimeoutMinutes,
            }),
          /spotTimeoutMinutes/,
        );
      }
    });

    it("names the field of each bad bound (emrClusterPlanProblems)", () => {
      assert.deepEqual(emrClusterPlanProblems({ minCapacityUnits: 4, maxCapacityUnits: 4 }), []);
      assert.deepEqual(emrClusterPlanProblems({ minCapacityUnits: 16, maxCapacityUnits: 8 }), [
        { path: ["maxCapacityUnits"], message: "must be at least minCapacityUnits (16)", given: 8 },
      ]);
      assert.deepEqual(
        emrClusterPlanProblems({ minCapacityUnits: 0, maxCapacityUnits: 1.5, spotTimeoutMinutes: 1441 }).map(
          (problem) => problem.path[0],
        ),
        ["minCapacityUnits", "maxCapacityUnits", "spotTimeoutMinutes"],
      );
    });

    it("rejects bad capacity bounds", () => {
      assert.throws(
        () => plan("standard", 16, 8),
        /maxCapacityUnits must be at least minCapacityUnits \(16\), got 8/,
      );
      assert.throws(() => plan("standard", 0, 8), /minCapacityUnits must be a positive integer/);
      assert.throws(() => plan("standard", 2.5, 8), /minCapacityUnits/);
    });

    it("returns fresh objects (callers may not corrupt the shared instance catalog)", () => {
      const first = plan("flexible");
      first.core.instanceTypes[0].weightedCapacity = 99;
      assert.equal(plan("flexible").core.instanceTypes[0].weightedCapacity, 4);
      assert.equal(WORKER_INSTANCE_TYPES[0].weightedCapacity, 4);
    });
  });

  describe("Graviton instance types", () => {
    it("recognizes Graviton families and rejects x86 ones", () => {
      for (const type of ["m7g.xlarge", "r6gd.2xlarge", "c7gn.large", "x2gd.xlarge", "m8g.4xlarge"]) {
        assert.ok(isGravitonInstanceType(type), type);
      }
      for (const type of ["m5.xlarge", "m7i.xlarge", "g4dn.xlarge", "c6a.large", "m7g"]) {
        assert.equal(isGravitonInstanceType(type), false, type);
      }
    });
  });

  describe("idle timeout", () => {
    it("converts minutes to seconds within EMR's 60 s to 7 days", () => {
      assert.equal(idleTimeoutSeconds(1), 60);
      assert.equal(idleTimeoutSeconds(30), 1800);
      assert.equal(idleTimeoutSeconds(10080), 604800);
      assert.throws(() => idleTimeoutSeconds(0), /1 to 10080 minutes/);
      assert.throws(() => idleTimeoutSeconds(10081), /1 to 10080 minutes/);
    });
  });

  describe("configurations", () => {
    it("uses the Glue Data Catalog as Hive and Spark SQL metastore", () => {
      const byClassification = Object.fromEntries(
        emrConfigurations().map((configuration) => [configuration.Classification, configuration.Properties]),
      );
      assert.deepEqual(Object.keys(byClassification).sort(), [
        "hive-site",
        "spark-defaults",
        "spark-hive-site",
      ]);
      for (const classification of ["hive-site", "spark-hive-site"]) {
        assert.deepEqual(byClassification[classification], {
          "hive.metastore.client.factory.class":
            "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory",
        });
      }
    });

    it("turns on dynamic allocation (with the shuffle service) and adaptive execution", () => {
      const sparkDefaults = emrConfigurations().find(
        (c) => c.Classification === "spark-defaults",
      )!.Properties;
      assert.equal(sparkDefaults["spark.dynamicAllocation.enabled"], "true");
      assert.equal(sparkDefaults["spark.shuffle.service.enabled"], "true");
      assert.equal(sparkDefaults["spark.sql.adaptive.enabled"], "true");
      assert.equal(sparkDefaults["spark.sql.sources.partitionOverwriteMode"], "dynamic");
    });

    it("configures no JDBC metastore (javax.jdo) at all", () => {
      assert.doesNotMatch(emrConfigurationsJson(), /javax\.jdo/);
      assert.doesNotMatch(emrConfigurationsJson({ catalogId: "111122223333" }), /javax\.jdo|ConnectionURL/);
    });

    it("names another account's catalog and merges extra spark-defaults", () => {
      const configurations = JSON.parse(
        emrConfigurationsJson({
          catalogId: "111122223333",
          sparkDefaults: { "spark.sql.shuffle.partitions": "400" },
        }),
      );
      const hiveSite = configurations.find((c: any) => c.Classification === "hive-site");
      assert.equal(hiveSite.Properties["hive.metastore.glue.catalogid"], "111122223333");
      const sparkDefaults = configurations.find((c: any) => c.Classification === "spark-defaults");
      assert.equal(sparkDefaults.Properties["spark.sql.shuffle.partitions"], "400");
      assert.equal(sparkDefaults.Properties["spark.dynamicAllocation.enabled"], "true");
      assert.throws(() => emrConfigurations({ catalogId: "main" }), /account id/);
    });
  });

  describe("EMR Serverless", () => {
    it("formats the maximum capacity the way the API expects", () => {
      assert.deepEqual(emrServerlessMaximumCapacity(32, 128), { cpu: "32 vCPU", memory: "128 GB" });
      assert.throws(() => emrServerlessMaximumCapacity(0, 16), /maximumVcpu must be a positive integer/);
      assert.throws(() => emrServerlessMaximumCapacity(16, 8), /at least 2 GB per vCPU/);
    });

    it("needs at least 2 GB of memory per vCPU, the smallest worker's share", () => {
      assert.deepEqual(emrServerlessCapacityProblems(16, 32), []);
      assert.deepEqual(emrServerlessCapacityProblems(16, 31), [
        {
          path: ["maximumMemoryGb"],
          message: "must be at least 2 GB per vCPU (32 GB for 16 vCPU)",
          given: 31,
        },
      ]);
      assert.deepEqual(
        emrServerlessCapacityProblems(0, 0.5).map((problem) => problem.path[0]),
        ["maximumVcpu", "maximumMemoryGb"],
      );
    });

    it("bounds the auto-stop idle timeout", () => {
      assert.equal(emrServerlessIdleTimeoutMinutes(15), 15);
      assert.throws(() => emrServerlessIdleTimeoutMinutes(0), /1 to 10080/);
    });

    it("sets the Glue catalog client factory for Spark", () => {
      assert.equal(
        emrServerlessSparkDefaults()["spark.hadoop.hive.metastore.client.factory.class"],
        GLUE_CATALOG_CLIENT_FACTORY,
      );
    });
  });

  describe("RunJobFlow request", () => {
    function input(tier: SlaTier): RunJobFlowInput {
      return {
        name: "bdp-dev-sales",
        plan: plan(tier, 8, 32),
        releaseLabel: "emr-7.12.0",
        serviceRole: "arn:aws:iam::123456789012:role/emr-service",
        jobFlowRole: "emr-instance-profile",
        securityConfiguration: "bdp-dev-sales-security",
        logUri: "s3://logs-bucket/emr/bdp-dev-sales/",
        logEncryptionKmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k",
        subnetIds: ["subnet-1", "subnet-2"],
        securityGroups: { primary: "sg-p", coreAndTask: "sg-c", serviceAccess: "sg-s" },
        idleTimeoutSeconds: 900,
        configurations: emrConfigurations(),
        tags: { pipeline: "sales", "sla-tier": tier },
      };
    }

    it("renders the plan in RunJobFlow's PascalCase shape", () => {
      const request = runJobFlowRequest(input("flexible"));
      assert.equal(request.Name, "bdp-dev-sales");
      assert.equal(request.ReleaseLabel, "emr-7.12.0");
      assert.deepEqual(request.Applications, [{ Name: "Spark" }, { Name: "Hive" }]);
      assert.equal(request.ServiceRole, "arn:aws:iam::123456789012:role/emr-service");
      assert.equal(request.JobFlowRole, "emr-instance-profile");
      assert.equal(request.SecurityConfiguration, "bdp-dev-sales-security");
      assert.equal(request.LogUri, "s3://logs-bucket/emr/bdp-dev-sales/");
      assert.equal(request.LogEncryptionKmsKeyId, "arn:aws:kms:eu-west-1:123456789012:key/k");
      assert.equal(request.VisibleToAllUsers, true);
      assert.equal(request.StepConcurrencyLevel, 1);
      assert.equal(request.EbsRootVolumeSize, 32);
      assert.deepEqual(request.AutoTerminationPolicy, { IdleTimeout: 900 });
      assert.deepEqual(request.ManagedScalingPolicy, {
        ComputeLimits: {
          UnitType: "InstanceFleetUnits",
          MinimumCapacityUnits: 8,
          MaximumCapacityUnits: 32,
          MaximumOnDemandCapacityUnits: 8,
          MaximumCoreCapacityUnits: 8,
        },
      });
      assert.deepEqual(request.Configurations, emrConfigurations());
      assert.deepEqual(request.Tags, [
        { Key: "for-use-with-amazon-emr-managed-policies", Value: "true" },
        { Key: "pipeline", Value: "sales" },
        { Key: "sla-tier", Value: "flexible" },
      ]);
      const instances = request.Instances;
      assert.deepEqual(instances.Ec2SubnetIds, ["subnet-1", "subnet-2"]);
      assert.equal(instances.EmrManagedMasterSecurityGroup, "sg-p");
      assert.equal(instances.EmrManagedSlaveSecurityGroup, "sg-c");
      assert.equal(instances.ServiceAccessSecurityGroup, "sg-s");
      assert.equal(instances.KeepJobFlowAliveWhenNoSteps, true);
      assert.equal(instances.TerminationProtected, false);
      // Plain JSON: survives a round trip unchanged (Step Functions Parameters).
      assert.deepEqual(JSON.parse(JSON.stringify(request)), request);
    });

    it("gives the primary fleet exactly one on-demand unit and the workers weighted Spot fleets", () => {
      const [primary, core, task] = runJobFlowRequest(input("flexible")).Instances.InstanceFleets;
      assert.deepEqual(Object.keys(primary).sort(), [
        "InstanceFleetType",
        "InstanceTypeConfigs",
        "LaunchSpecifications",
        "Name",
        "TargetOnDemandCapacity",
      ]);
      assert.equal(primary.InstanceFleetType, "MASTER");
      assert.equal(primary.TargetOnDemandCapacity, 1);
      assert.deepEqual(primary.LaunchSpecifications, {
        OnDemandSpecification: { AllocationStrategy: "lowest-price" },
      });
      assert.equal(core.InstanceFleetType, "CORE");
      assert.equal(task.InstanceFleetType, "TASK");
      for (const fleet of [core, task]) {
        assert.ok("TargetSpotCapacity" in fleet && fleet.TargetSpotCapacity > 0);
        assert.equal(fleet.TargetOnDemandCapacity, 0);
        assert.deepEqual(fleet.LaunchSpecifications, {
          OnDemandSpecification: { AllocationStrategy: "lowest-price" },
          SpotSpecification: {
            AllocationStrategy: "price-capacity-optimized",
            TimeoutAction: "SWITCH_TO_ON_DEMAND",
            TimeoutDurationMinutes: 10,
          },
        });
      }
      assert.deepEqual(core.InstanceTypeConfigs[0], {
        InstanceType: "m7g.xlarge",
        WeightedCapacity: 4,
        EbsConfiguration: {
          EbsBlockDeviceConfigs: [
            { VolumeSpecification: { VolumeType: "gp3", SizeInGB: 64 }, VolumesPerInstance: 1 },
          ],
          EbsOptimized: true,
        },
      });
    });

    it("critical clusters request no Spot capacity or Spot specification", () => {
      const request = runJobFlowRequest(input("critical"));
      assert.doesNotMatch(JSON.stringify(request), /SpotSpecification|BidPrice/);
      for (const fleet of request.Instances.InstanceFleets) {
        if ("TargetSpotCapacity" in fleet) assert.equal(fleet.TargetSpotCapacity, 0);
      }
    });

    it("needs a subnet", () => {
      assert.throws(() => runJobFlowRequest({ ...input("standard"), subnetIds: [] }), /at least one subnet/);
    });
  });
});
