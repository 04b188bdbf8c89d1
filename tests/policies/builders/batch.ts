/** Batch: a Fargate Spot and an EC2 Spot compute environment, a job queue, the aggregator job definition and its ECR repository. */
import { T } from "../../../policies/lib/types";
import { Res, res } from "../harness";
import { ACCOUNT, Area, areaOf, Env } from "./env";
import { PRIVATE_SUBNET_ID } from "./network";

export const JOB_DEFINITION = "bdp-dev-aggregator";
export const JOB_QUEUE_ARN = `arn:aws:batch:eu-west-1:${ACCOUNT}:job-queue/bdp-dev-batch-queue`;

export interface BatchArea extends Area {
  spotEnvironment: Res;
  ec2Environment: Res;
  queue: Res;
  jobDefinition: Res;
  repository: Res;
}

export function batch(env: Env): BatchArea {
  const o = { provider: env.provider };
  const spotEnvironment = res(
    T.batchComputeEnvironment,
    "bdp-dev-batch-spot",
    {
      type: "MANAGED",
      computeResources: { type: "FARGATE_SPOT", maxVcpus: 16, subnets: [PRIVATE_SUBNET_ID] },
      tags: { "sla-tier": "flexible" },
    },
    o,
  );
  const ec2Environment = res(
    T.batchComputeEnvironment,
    "bdp-dev-batch-ec2",
    {
      type: "MANAGED",
      computeResources: {
        type: "SPOT",
        maxVcpus: 64,
        instanceTypes: ["m7g.xlarge", "c7g", "default_arm64"],
        subnets: [PRIVATE_SUBNET_ID],
      },
      tags: { "sla-tier": "standard" },
    },
    o,
  );
  const queue = res(
    T.batchJobQueue,
    "bdp-dev-batch-queue",
    { name: "bdp-dev-batch-queue", arn: JOB_QUEUE_ARN, priority: 1, state: "ENABLED" },
    o,
  );
  const jobDefinition = res(
    T.batchJobDefinition,
    JOB_DEFINITION,
    {
      name: JOB_DEFINITION,
      type: "container",
      platformCapabilities: ["FARGATE"],
      containerProperties: JSON.stringify({
        image: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/sales-aggregator:abc123`,
        runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
        resourceRequirements: [
          { type: "VCPU", value: "1" },
          { type: "MEMORY", value: "2048" },
        ],
      }),
      timeout: { attemptDurationSeconds: 3600 },
      retryStrategy: {
        attempts: 3,
        evaluateOnExits: [
          { onStatusReason: "Host EC2*", action: "RETRY" },
          { onReason: "*", action: "EXIT" },
        ],
      },
      tags: { "sla-tier": "flexible" },
    },
    o,
  );
  const repository = res(
    T.ecrRepository,
    "bdp-dev-sales-aggregator",
    {
      name: "sales-aggregator",
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
    },
    o,
  );
  return areaOf({ spotEnvironment, ec2Environment, queue, jobDefinition, repository });
}
