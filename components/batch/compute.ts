import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson } from "../shared/iam";
import { TAG_KEYS } from "../shared/tags";
import { SlaTier } from "../../decisions/sla-tier";
import {
  batchComputePlan,
  BatchPlatform,
  capacityWaitSecondsError,
  ComputeEnvironmentPlan,
  ComputePlan,
  ec2SpotError,
} from "../../decisions/batch";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import { HTTPS_ONLY_EGRESS } from "../shared/security-groups";
import { assertValidArgs } from "../shared/args";

export interface ComputeQueueArgs {
  slaTier: SlaTier;
  /** Most vCPUs each compute environment may run at once (caps cost and blast radius). */
  maxVcpus: number;
  /** Private subnets the jobs run in. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Security group of the jobs; it must allow no ingress (Network.jobSecurityGroup.id).
   * Omitted: one is created in `vpcId` with no ingress and HTTPS egress only.
   */
  securityGroupId?: pulumi.Input<string>;
  /** Needed only when `securityGroupId` is omitted. */
  vpcId?: pulumi.Input<string>;
  /** Run on EC2 Spot with Graviton instances instead of Fargate (see batchComputePlan). */
  ec2Spot?: boolean;
  /** flexible only: seconds a job may wait for Spot capacity before it is cancelled. */
  capacityWaitSeconds?: number;
  /** Job queue priority among queues sharing compute environments (higher first). Default 1. */
  priority?: number;
  /** Extra tags, e.g. pipelineTags(). */
  tags?: Record<string, string>;
}

/**
 * Every problem with a compute queue's args: a positive vCPU cap, no Spot for the critical tier,
 * a Spot capacity wait the job queue accepts, and a security group (given, or a VPC to create one in).
 */
export function validateComputeQueueArgs(
  args: Pick<
    ComputeQueueArgs,
    "slaTier" | "maxVcpus" | "ec2Spot" | "capacityWaitSeconds" | "securityGroupId" | "vpcId"
  >,
): ArgsProblem[] {
  return [
    ...problemAt(
      ["maxVcpus"],
      Number.isInteger(args.maxVcpus) && args.maxVcpus >= 1 ? undefined : "must be a positive integer",
      args.maxVcpus,
    ),
    ...problemAt(["ec2Spot"], ec2SpotError(args.slaTier, args.ec2Spot), args.ec2Spot),
    ...(args.capacityWaitSeconds === undefined
      ? []
      : problemAt(
          ["capacityWaitSeconds"],
          capacityWaitSecondsError(args.capacityWaitSeconds),
          args.capacityWaitSeconds,
        )),
    ...problemAt(
      ["securityGroupId"],
      args.securityGroupId === undefined && args.vpcId === undefined
        ? "give securityGroupId, or vpcId to create a security group"
        : undefined,
    ),
  ];
}

/**
 * A job queue with its compute environments, chosen by SLA tier (decisions/batch.ts): Fargate
 * Spot for flexible, Spot first with on-demand fallback for standard, on-demand for critical;
 * or the EC2 Spot Graviton variant. All capacity is ARM64 and lives in private subnets.
 *
 * No `serviceRole` is set: AWS Batch then uses its service-linked role AWSServiceRoleForBatch,
 * which AWS recommends over the legacy AWSBatchServiceRole and which Batch creates on first use.
 */
export class ComputeQueue extends pulumi.ComponentResource {
  readonly queue: aws.batch.JobQueue;
  readonly arn: pulumi.Output<string>;
  readonly computeEnvironments: aws.batch.ComputeEnvironment[];
  /** What job definitions submitted to this queue must declare in platformCapabilities. */
  readonly platform: BatchPlatform;
  readonly plan: ComputePlan;
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: ComputeQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:batch:ComputeQueue", name, {}, opts);
    assertValidArgs("bdp:batch:ComputeQueue", name, validateComputeQueueArgs(args));
    const child = { parent: this };
    this.plan = batchComputePlan(args.slaTier, {
      ec2Spot: args.ec2Spot,
      capacityWaitSeconds: args.capacityWaitSeconds,
    });
    this.platform = this.plan.platform;
    const tags = { [TAG_KEYS.slaTier]: args.slaTier, ...args.tags };

    this.securityGroupId = pulumi.output(args.securityGroupId ?? this.securityGroup(name, args, tags));
    const instanceProfileArn = this.platform === "EC2" ? this.instanceProfile(name, tags).arn : undefined;

    this.computeEnvironments = this.plan.environments.map(
      (environment) =>
        new aws.batch.ComputeEnvironment(
          `${name}-${environment.capacity.toLowerCase().replace("_", "-")}`,
          {
            type: "MANAGED",
            state: "ENABLED",
            computeResources: this.computeResources(environment, args, tags, instanceProfileArn),
            tags: { ...tags, [TAG_KEYS.component]: "batch-compute" },
          },
          child,
        ),
    );

    this.queue = new aws.batch.JobQueue(
      name,
      {
        state: "ENABLED",
        priority: args.priority ?? 1,
        // Tried in ascending order: Spot before on-demand where the tier allows both.
        computeEnvironmentOrders: this.plan.environments.map((environment, index) => ({
          order: environment.order,
          computeEnvironment: this.computeEnvironments[index].arn,
        })),
        jobStateTimeLimitActions: this.plan.jobStateTimeLimitActions,
        tags: { ...tags, [TAG_KEYS.component]: "batch-queue" },
      },
      child,
    );
    this.arn = this.queue.arn;

    this.registerOutputs({
      queueArn: this.arn,
      computeEnvironmentArns: this.computeEnvironments.map((environment) => environment.arn),
      platform: this.platform,
    });
  }

  private computeResources(
    environment: ComputeEnvironmentPlan,
    args: ComputeQueueArgs,
    tags: Record<string, string>,
    instanceProfileArn: pulumi.Output<string> | undefined,
  ): aws.types.input.batch.ComputeEnvironmentComputeResources {
    const common = {
      type: environment.capacity,
      maxVcpus: args.maxVcpus,
      subnets: args.subnetIds,
      securityGroupIds: [this.securityGroupId],
    };
    if (environment.capacity === "FARGATE" || environment.capacity === "FARGATE_SPOT") return common;
    return {
      ...common,
      // Scale to zero between runs: idle instances are pure cost.
      minVcpus: 0,
      instanceTypes: environment.instanceTypes,
      // SPOT_PRICE_CAPACITY_OPTIMIZED needs no Spot Fleet role (only BEST_FIT does).
      allocationStrategy: environment.allocationStrategy,
      instanceRole: instanceProfileArn,
      // Amazon Linux 2023 ECS-optimized AMI; Batch picks the ARM64 build for Graviton types.
      ec2Configurations: [{ imageType: "ECS_AL2023" }],
      tags: { ...tags, [TAG_KEYS.component]: "batch-instance" },
    };
  }

  private securityGroup(name: string, args: ComputeQueueArgs, tags: Record<string, string>) {
    return new aws.ec2.SecurityGroup(
      `${name}-jobs`,
      {
        // validateComputeQueueArgs: a VPC is given whenever no security group is.
        vpcId: args.vpcId!,
        description: "Batch jobs: no inbound traffic, HTTPS to AWS APIs only",
        ingress: [],
        egress: HTTPS_ONLY_EGRESS,
        tags: { ...tags, Name: `${name}-jobs` },
      },
      { parent: this },
    ).id;
  }

  /** The ECS container instance role (what ecsInstanceRole is in the console), as an instance profile. */
  private instanceProfile(name: string, tags: Record<string, string>): aws.iam.InstanceProfile {
    const child = { parent: this };
    const partition = aws.getPartitionOutput({}, child);
    const role = new aws.iam.Role(
      `${name}-instance`,
      {
        description: "ECS container instances of AWS Batch EC2 compute environments",
        assumeRolePolicy: policyJson([
          {
            Effect: "Allow",
            Principal: { Service: "ec2.amazonaws.com" },
            Action: ["sts:AssumeRole"],
          },
        ]),
        tags,
      },
      child,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-instance-ecs`,
      {
        role: role.name,
        // AWS's managed policy for ECS container instances (register with the cluster, pull images, logs).
        policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role`,
      },
      child,
    );
    return new aws.iam.InstanceProfile(`${name}-instance`, { role: role.name, tags }, child);
  }
}
