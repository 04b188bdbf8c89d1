import { strict as assert } from "assert";
import { EmrTransientCluster } from "../../../components/emr";
import { RunJobFlowRequest } from "../../../decisions/emr";
import { resolved, Synthesized, synthesizeComponents } from "../../support/synth";
import { ACCOUNT, foundation, KEY_ARN, PRIVATE_SUBNETS } from "./fixtures";

describe("EmrTransientCluster component", () => {
  let result: Synthesized;
  let request: RunJobFlowRequest;
  let roleArns: { service: string; instance: string };
  before(async () => {
    let template: EmrTransientCluster | undefined;
    result = await synthesizeComponents((opts) => {
      const { lake, network, access } = foundation(opts);
      template = new EmrTransientCluster(
        "sales-batch",
        {
          pipeline: "sales",
          tier: "flexible",
          minCapacityUnits: 8,
          maxCapacityUnits: 64,
          idleTimeoutMinutes: 15,
          dataLake: lake,
          access,
          vpcId: network.vpcId,
          privateSubnetIds: network.privateSubnetIds,
        },
        opts,
      );
    });
    request = await resolved(template!.request);
    roleArns = {
      service: await resolved(template!.serviceRoleArn),
      instance: await resolved(template!.instanceRoleArn),
    };
  });

  it("declares roles, security groups and security configuration but no cluster", () => {
    assert.equal(result.ofType("aws:emr/cluster:Cluster").length, 0);
    assert.equal(result.ofType("aws:emr/instanceFleet:InstanceFleet").length, 0);
    assert.equal(result.ofType("aws:emr/securityConfiguration:SecurityConfiguration").length, 1);
    assert.equal(
      result.ofType("aws:ec2/securityGroup:SecurityGroup").filter((g) => g.name.startsWith("sales-batch"))
        .length,
      3,
    );
    assert.equal(
      result.componentOf(result.one("aws:iam/role:Role", "sales-batch-roles-service")),
      "bdp:emr:ClusterRoles",
    );
  });

  it("renders a RunJobFlow request wired to those resources", () => {
    assert.equal(request.Name, "sales-batch");
    assert.equal(request.ReleaseLabel, "emr-7.12.0");
    assert.equal(request.ServiceRole, `arn:aws:iam::${ACCOUNT}:role/sales-batch-roles-service`);
    assert.equal(request.JobFlowRole, "sales-batch-roles-instance");
    assert.equal(request.SecurityConfiguration, "sales-batch-security");
    assert.equal(request.LogUri, "s3://lake-logs/emr/sales-batch/");
    assert.equal(request.LogEncryptionKmsKeyId, KEY_ARN);
    assert.deepEqual(request.Instances.Ec2SubnetIds, PRIVATE_SUBNETS);
    assert.equal(request.Instances.EmrManagedMasterSecurityGroup, "sg-sales-batch-sg-primary");
    assert.equal(request.Instances.EmrManagedSlaveSecurityGroup, "sg-sales-batch-sg-core-task");
    assert.equal(request.Instances.ServiceAccessSecurityGroup, "sg-sales-batch-sg-service-access");
    assert.deepEqual(request.AutoTerminationPolicy, { IdleTimeout: 900 });
    assert.equal(request.ManagedScalingPolicy.ComputeLimits.MaximumCapacityUnits, 64);
    assert.deepEqual(
      request.Instances.InstanceFleets.map((fleet) => [
        fleet.InstanceFleetType,
        fleet.TargetOnDemandCapacity,
        "TargetSpotCapacity" in fleet ? fleet.TargetSpotCapacity : undefined,
      ]),
      [
        ["MASTER", 1, undefined],
        ["CORE", 0, 8],
        ["TASK", 0, 4],
      ],
    );
    const tags = Object.fromEntries(request.Tags.map((tag) => [tag.Key, tag.Value]));
    assert.equal(tags.pipeline, "sales");
    assert.equal(tags["sla-tier"], "flexible");
    assert.equal(tags["for-use-with-amazon-emr-managed-policies"], "true");
    assert.ok(
      request.Configurations.some((configuration) => configuration.Classification === "spark-hive-site"),
    );
  });

  it("names the roles the state machine must be allowed to pass", () => {
    assert.equal(roleArns.service, request.ServiceRole);
    assert.equal(roleArns.instance, `arn:aws:iam::${ACCOUNT}:role/sales-batch-roles-instance`);
  });
});
