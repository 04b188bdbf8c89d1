import { strict as assert } from "assert";
import { ComputeQueue, ComputeQueueArgs, validateComputeQueueArgs } from "../../../components/batch/compute";
import { formatArgsProblem } from "../../../decisions/problems";
import { Network } from "../../../components/network/network";
import { SLA_TIERS, SlaTier } from "../../../decisions/sla-tier";
import { Synthesized, synthesizeComponents } from "../../support/synth";
import { invalidArgsError } from "../../support/problems";

const SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
const CE = "aws:batch/computeEnvironment:ComputeEnvironment";
const QUEUE = "aws:batch/jobQueue:JobQueue";

function synthesizeQueue(slaTier: SlaTier, extra: Partial<ComputeQueueArgs> = {}): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    new ComputeQueue(
      "sales",
      { slaTier, maxVcpus: 16, subnetIds: SUBNETS, securityGroupId: "sg-0123456789abcdef0", ...extra },
      opts,
    );
  });
}

/** The compute environment types of the queue, in the order the queue tries them. */
function queueOrder(result: Synthesized): string[] {
  const queue = result.one(QUEUE);
  const byArn = new Map(result.ofType(CE).map((environment) => [environment.outputs.arn, environment]));
  return [...queue.inputs.computeEnvironmentOrders]
    .sort((a: any, b: any) => a.order - b.order)
    .map((entry: any) => byArn.get(entry.computeEnvironment)!.inputs.computeResources.type);
}

describe("ComputeQueue component", () => {
  const expectedOrder: Record<SlaTier, string[]> = {
    flexible: ["FARGATE_SPOT"],
    standard: ["FARGATE_SPOT", "FARGATE"],
    critical: ["FARGATE"],
  };
  for (const tier of SLA_TIERS) {
    it(`${tier}: queue tries ${expectedOrder[tier].join(" then ")}`, async () => {
      const result = await synthesizeQueue(tier);
      assert.deepEqual(queueOrder(result), expectedOrder[tier]);
      const orders = result.one(QUEUE).inputs.computeEnvironmentOrders.map((entry: any) => entry.order);
      assert.deepEqual(
        orders,
        expectedOrder[tier].map((_, index) => index + 1),
      );
    });
  }

  it("managed Fargate environments in the private subnets with the given security group and no service role", async () => {
    const result = await synthesizeQueue("standard");
    for (const environment of result.ofType(CE)) {
      assert.equal(environment.inputs.type, "MANAGED");
      assert.equal(environment.inputs.state, "ENABLED");
      // No serviceRole: AWS Batch uses its service-linked role.
      assert.equal(environment.inputs.serviceRole, undefined);
      const resources = environment.inputs.computeResources;
      assert.equal(resources.maxVcpus, 16);
      assert.deepEqual(resources.subnets, SUBNETS);
      assert.deepEqual(resources.securityGroupIds, ["sg-0123456789abcdef0"]);
      // Fargate rejects the EC2-only settings.
      for (const key of [
        "instanceTypes",
        "allocationStrategy",
        "instanceRole",
        "minVcpus",
        "ec2Configurations",
      ]) {
        assert.equal(resources[key], undefined, key);
      }
      assert.equal(environment.inputs.tags["sla-tier"], "standard");
      assert.equal(result.componentOf(environment), "bdp:batch:ComputeQueue");
    }
    assert.equal(result.ofType("aws:ec2/securityGroup:SecurityGroup").length, 0);
  });

  it("an enabled queue with the tier tag and a priority", async () => {
    const result = await synthesizeQueue("critical", { priority: 10, tags: { pipeline: "sales" } });
    const queue = result.one(QUEUE);
    assert.equal(queue.inputs.state, "ENABLED");
    assert.equal(queue.inputs.priority, 10);
    assert.equal(queue.inputs.tags["sla-tier"], "critical");
    assert.equal(queue.inputs.tags.pipeline, "sales");
  });

  it("flexible (Spot only) cancels jobs stuck in RUNNABLE for lack of capacity; every tier cancels misconfigured jobs", async () => {
    const flexible = (await synthesizeQueue("flexible", { capacityWaitSeconds: 7200 })).one(QUEUE);
    const critical = (await synthesizeQueue("critical")).one(QUEUE);
    const reasons = (queue: any) =>
      queue.inputs.jobStateTimeLimitActions.map((action: any) => [action.reason, action.maxTimeSeconds]);
    assert.deepEqual(reasons(flexible), [
      ["MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE", 600],
      ["MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT", 600],
      ["CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY", 7200],
    ]);
    assert.deepEqual(reasons(critical), [
      ["MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE", 600],
      ["MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT", 600],
    ]);
    for (const action of flexible.inputs.jobStateTimeLimitActions) {
      assert.deepEqual([action.state, action.action], ["RUNNABLE", "CANCEL"]);
    }
  });

  it("flexible with ec2Spot: one EC2 Spot environment with Graviton types, price-capacity-optimized, an instance profile", async () => {
    let queue: ComputeQueue | undefined;
    const result = await synthesizeComponents((opts) => {
      queue = new ComputeQueue(
        "sales",
        { slaTier: "flexible", ec2Spot: true, maxVcpus: 64, subnetIds: SUBNETS, securityGroupId: "sg-1" },
        opts,
      );
    });
    assert.equal(queue!.platform, "EC2");
    assert.deepEqual(queueOrder(result), ["SPOT"]);
    const resources = result.one(CE).inputs.computeResources;
    assert.deepEqual(resources.instanceTypes, ["m7g", "c7g", "r7g"]);
    for (const family of resources.instanceTypes) assert.match(family, /g$/);
    assert.equal(resources.allocationStrategy, "SPOT_PRICE_CAPACITY_OPTIMIZED");
    assert.equal(resources.minVcpus, 0);
    assert.equal(resources.maxVcpus, 64);
    // SPOT_PRICE_CAPACITY_OPTIMIZED does not use a Spot Fleet role.
    assert.equal(resources.spotIamFleetRole, undefined);
    assert.deepEqual(resources.ec2Configurations, [{ imageType: "ECS_AL2023" }]);
    const profile = result.one("aws:iam/instanceProfile:InstanceProfile");
    assert.equal(resources.instanceRole, profile.outputs.arn);
    const attachment = result.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    assert.equal(
      attachment.inputs.policyArn,
      "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
    );
    const role = result.one("aws:iam/role:Role");
    assert.equal(result.json(role, "assumeRolePolicy").Statement[0].Principal.Service, "ec2.amazonaws.com");
  });

  it("standard with ec2Spot: EC2 Spot first, then on-demand EC2", async () => {
    const result = await synthesizeQueue("standard", { ec2Spot: true });
    assert.deepEqual(queueOrder(result), ["SPOT", "EC2"]);
  });

  it("creates a security group with no ingress when none is given", async () => {
    const result = await synthesizeQueue("flexible", { securityGroupId: undefined, vpcId: "vpc-0123" });
    const group = result.one("aws:ec2/securityGroup:SecurityGroup");
    assert.deepEqual(group.inputs.ingress, []);
    assert.equal(group.inputs.vpcId, "vpc-0123");
    assert.deepEqual(
      group.inputs.egress.map((rule: any) => [rule.protocol, rule.fromPort, rule.toPort]),
      [["tcp", 443, 443]],
    );
    assert.deepEqual(result.one(CE).inputs.computeResources.securityGroupIds, [group.outputs.id]);
  });

  it("uses the network's job security group and private subnets", async () => {
    const result = await synthesizeComponents((opts) => {
      const network = new Network(
        "net",
        { mode: "new", cidrBlock: "10.0.0.0/16", availabilityZones: 2, natGateways: "single" },
        opts,
      );
      new ComputeQueue(
        "sales",
        {
          slaTier: "critical",
          maxVcpus: 8,
          subnetIds: network.privateSubnetIds,
          securityGroupId: network.jobSecurityGroup.id,
        },
        opts,
      );
    });
    const resources = result.one(CE).inputs.computeResources;
    assert.deepEqual(resources.subnets, ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]);
    assert.deepEqual(resources.securityGroupIds, ["sg-net-jobs"]);
  });

  it("rejects bad arguments with one error that lists every problem", async () => {
    await assert.rejects(
      synthesizeQueue("critical", { maxVcpus: 0, ec2Spot: true }),
      invalidArgsError(
        "bdp:batch:ComputeQueue sales",
        /maxVcpus: must be a positive integer \(given: 0\)/,
        /ec2Spot: is not allowed for the critical tier/,
      ),
    );
  });
});

describe("validateComputeQueueArgs", () => {
  const valid: ComputeQueueArgs = { slaTier: "standard", maxVcpus: 16, subnetIds: SUBNETS, vpcId: "vpc-1" };
  const problems = (overrides: Partial<ComputeQueueArgs>) =>
    validateComputeQueueArgs({ ...valid, ...overrides }).map(formatArgsProblem);

  it("accepts a queue with a security group or a VPC to create one in", () => {
    assert.deepEqual(problems({}), []);
    assert.deepEqual(problems({ vpcId: undefined, securityGroupId: "sg-1" }), []);
    assert.deepEqual(problems({ slaTier: "flexible", ec2Spot: true, capacityWaitSeconds: 600 }), []);
  });

  it("names each bad field and what is allowed", () => {
    assert.deepEqual(problems({ maxVcpus: 2.5 }), ["maxVcpus: must be a positive integer (given: 2.5)"]);
    assert.deepEqual(problems({ slaTier: "critical", ec2Spot: true }), [
      "ec2Spot: is not allowed for the critical tier: critical jobs never run on Spot (given: true)",
    ]);
    assert.deepEqual(problems({ capacityWaitSeconds: 599 }), [
      "capacityWaitSeconds: must be an integer from 600 to 86400 (given: 599)",
    ]);
    assert.deepEqual(problems({ vpcId: undefined }), [
      "securityGroupId: give securityGroupId, or vpcId to create a security group",
    ]);
  });
});
