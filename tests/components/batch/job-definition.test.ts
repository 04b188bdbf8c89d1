import { strict as assert } from "assert";
import {
  JobDefinition,
  JobDefinitionArgs,
  validateJobDefinitionArgs,
} from "../../../components/batch/job-definition";
import { JOB_ENV } from "../../../components/batch/job-contract";
import { assertRolePoliciesUseRealActions, statementBySid } from "../../support/iam";
import { Synthesized, synthesizeComponents } from "../../support/synth";
import { assertOnlyProblem, invalidArgsError } from "../../support/problems";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/lake-key-id";
const REPOSITORY_ARN = "arn:aws:ecr:eu-west-1:123456789012:repository/jobs";
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs@sha256:${"ab".repeat(32)}`;
const JOB_DEFINITION = "aws:batch/jobDefinition:JobDefinition";

function args(overrides: Partial<JobDefinitionArgs> = {}): JobDefinitionArgs {
  return {
    pipeline: "sales-aggregator",
    slaTier: "standard",
    image: { imageUri: IMAGE, repositoryArn: REPOSITORY_ARN },
    vcpu: 1,
    memoryMiB: 2048,
    timeoutMinutes: 45,
    attempts: 3,
    source: {
      bucketName: "bdp-unit-raw-1",
      bucketArn: "arn:aws:s3:::bdp-unit-raw-1",
      prefix: "incoming/sales/",
    },
    target: {
      bucketName: "bdp-unit-curated-1",
      bucketArn: "arn:aws:s3:::bdp-unit-curated-1",
      prefix: "sales/daily/",
    },
    kmsKeyArn: KEY_ARN,
    logRetentionDays: 30,
    ...overrides,
  };
}

function synthesizeJob(overrides: Partial<JobDefinitionArgs> = {}): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    new JobDefinition("sales", args(overrides), opts);
  });
}

function rolePolicy(result: Synthesized, suffix: string): any {
  return result.json(result.one("aws:iam/rolePolicy:RolePolicy", suffix), "policy");
}

describe("JobDefinition component", () => {
  let result: Synthesized;
  let container: any;
  before(async () => {
    result = await synthesizeJob();
    container = result.json(result.one(JOB_DEFINITION), "containerProperties");
  });

  it("is a Fargate container job on ARM64 Linux, latest platform, no public IP", () => {
    const definition = result.one(JOB_DEFINITION);
    assert.equal(definition.inputs.type, "container");
    assert.deepEqual(definition.inputs.platformCapabilities, ["FARGATE"]);
    assert.deepEqual(container.runtimePlatform, { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" });
    assert.deepEqual(container.fargatePlatformConfiguration, { platformVersion: "LATEST" });
    assert.deepEqual(container.networkConfiguration, { assignPublicIp: "DISABLED" });
    assert.equal(container.image, IMAGE);
    assert.equal(container.command, undefined);
    assert.equal(container.readonlyRootFilesystem, true);
    assert.equal(result.componentOf(definition), "bdp:batch:JobDefinition");
  });

  it("requests the Fargate size as VCPU and MEMORY resource requirements", () => {
    assert.deepEqual(container.resourceRequirements, [
      { type: "VCPU", value: "1" },
      { type: "MEMORY", value: "2048" },
    ]);
  });

  it("has an attempt timeout and retries only Spot reclaims (and failures to start)", () => {
    const definition = result.one(JOB_DEFINITION);
    assert.deepEqual(definition.inputs.timeout, { attemptDurationSeconds: 45 * 60 });
    const retry = definition.inputs.retryStrategy;
    assert.equal(retry.attempts, 3);
    assert.deepEqual(retry.evaluateOnExits, [
      { action: "RETRY", onStatusReason: "Host EC2*" },
      { action: "RETRY", onStatusReason: "Your Spot Task was interrupted*" },
      { action: "EXIT", onExitCode: "*" },
    ]);
  });

  it("propagates tags and carries the pipeline and sla-tier tags", () => {
    const definition = result.one(JOB_DEFINITION);
    assert.equal(definition.inputs.propagateTags, true);
    assert.equal(definition.inputs.tags.pipeline, "sales-aggregator");
    assert.equal(definition.inputs.tags["sla-tier"], "standard");
  });

  it("sets the job's environment contract", () => {
    const environment = Object.fromEntries(
      container.environment.map((entry: any) => [entry.name, entry.value]),
    );
    assert.deepEqual(environment, {
      [JOB_ENV.pipelineName]: "sales-aggregator",
      JOB_MODE: "object",
      SOURCE_BUCKET: "bdp-unit-raw-1",
      SOURCE_PREFIX: "incoming/sales/",
      SOURCE_KEY_ENCODING: "raw",
      TARGET_BUCKET: "bdp-unit-curated-1",
      TARGET_PREFIX: "sales/daily/",
    });
  });

  it("logs to its own encrypted log group with the configured retention", () => {
    const group = result.one("aws:cloudwatch/logGroup:LogGroup");
    assert.equal(group.inputs.retentionInDays, 30);
    assert.equal(group.inputs.kmsKeyId, KEY_ARN);
    assert.match(group.inputs.namePrefix, /^\/bdp\/batch\/sales-aggregator-/);
    assert.deepEqual(container.logConfiguration, {
      logDriver: "awslogs",
      options: {
        "awslogs-group": group.outputs.name,
        "awslogs-region": "eu-west-1",
        "awslogs-stream-prefix": "sales-aggregator",
      },
    });
  });

  it("uses its own execution and job roles, both trusting ECS tasks of this account only", () => {
    const execution = result.one("aws:iam/role:Role", "sales-execution");
    const job = result.one("aws:iam/role:Role", "sales-job");
    assert.equal(container.executionRoleArn, execution.outputs.arn);
    assert.equal(container.jobRoleArn, job.outputs.arn);
    for (const role of [execution, job]) {
      const trust = result.json(role, "assumeRolePolicy").Statement[0];
      assert.equal(trust.Principal.Service, "ecs-tasks.amazonaws.com");
      assert.deepEqual(trust.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
    }
  });

  it("execution role: pull from the image's repository only, write to its own log group only", () => {
    const policy = rolePolicy(result, "sales-execution");
    assert.deepEqual(statementBySid(policy, "EcrAuthorizationToken").Resource, "*");
    assert.deepEqual(statementBySid(policy, "EcrAuthorizationToken").Action, ["ecr:GetAuthorizationToken"]);
    assert.deepEqual(statementBySid(policy, "PullJobImage").Resource, [REPOSITORY_ARN]);
    const group = result.one("aws:cloudwatch/logGroup:LogGroup").outputs.arn;
    assert.deepEqual(statementBySid(policy, "WriteJobLogs").Resource, [group, `${group}:log-stream:*`]);
  });

  it("job role: read the source prefix, list only that prefix, write the target prefix, key through S3 only", () => {
    const policy = rolePolicy(result, "sales-job");
    assert.deepEqual(statementBySid(policy, "ReadSource"), {
      Sid: "ReadSource",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: ["arn:aws:s3:::bdp-unit-raw-1/incoming/sales/*"],
    });
    assert.deepEqual(statementBySid(policy, "ListSourcePrefix").Resource, ["arn:aws:s3:::bdp-unit-raw-1"]);
    assert.deepEqual(statementBySid(policy, "ListSourcePrefix").Condition, {
      StringLike: { "s3:prefix": ["incoming/sales/*"] },
    });
    assert.deepEqual(statementBySid(policy, "WriteTarget").Action, ["s3:PutObject"]);
    assert.deepEqual(statementBySid(policy, "WriteTarget").Resource, [
      "arn:aws:s3:::bdp-unit-curated-1/sales/daily/*",
    ]);
    const key = statementBySid(policy, "UseLakeKeyThroughS3");
    assert.deepEqual(key.Resource, [KEY_ARN]);
    assert.deepEqual(key.Condition, { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } });
  });

  it("uses only real IAM actions, none with a wildcard", async () => {
    await assertRolePoliciesUseRealActions(result);
  });

  it("tells a day job to aggregate a day of uploads under its source prefix", async () => {
    const day = await synthesizeJob({ mode: "day" });
    const properties = day.json(day.one(JOB_DEFINITION), "containerProperties");
    const environment = new Map(properties.environment.map((entry: any) => [entry.name, entry.value]));
    assert.equal(environment.get(JOB_ENV.jobMode), "day");
    assert.equal(environment.get(JOB_ENV.sourcePrefix), "incoming/sales/");
    // ListObjectsV2 sends the prefix as s3:prefix; the condition admits it.
    const list = statementBySid(rolePolicy(day, "-job"), "ListSourcePrefix");
    assert.deepEqual(list.Condition, { StringLike: { "s3:prefix": ["incoming/sales/*"] } });
  });

  it("passes a command and extra environment variables", async () => {
    const custom = await synthesizeJob({
      command: ["--verbose"],
      environment: { MAX_SOURCE_BYTES: "1048576" },
    });
    const properties = custom.json(custom.one(JOB_DEFINITION), "containerProperties");
    assert.deepEqual(properties.command, ["--verbose"]);
    assert.ok(properties.environment.some((entry: any) => entry.name === "MAX_SOURCE_BYTES"));
  });

  it("on an EC2 queue: EC2 platform capability and no Fargate-only settings", async () => {
    const ec2 = await synthesizeJob({ platform: "EC2", vcpu: 2, memoryMiB: 3000 });
    const definition = ec2.one(JOB_DEFINITION);
    assert.deepEqual(definition.inputs.platformCapabilities, ["EC2"]);
    const properties = ec2.json(definition, "containerProperties");
    for (const key of ["runtimePlatform", "fargatePlatformConfiguration", "networkConfiguration"]) {
      assert.equal(properties[key], undefined, key);
    }
  });

  it("rejects invalid args with one error that lists every problem", async () => {
    await assert.rejects(
      synthesizeJob({ vcpu: 1, memoryMiB: 1024, attempts: 0 }),
      invalidArgsError(
        "bdp:batch:JobDefinition sales",
        /memoryMiB: 1024 is not allowed with 1 vCPU/,
        /attempts: must be an integer from 1 to 10/,
      ),
    );
  });
});

describe("validateJobDefinitionArgs", () => {
  it("accepts valid args, and any positive size on the EC2 platform", () => {
    assert.deepEqual(validateJobDefinitionArgs(args()), []);
    assert.deepEqual(validateJobDefinitionArgs(args({ platform: "EC2", vcpu: 3, memoryMiB: 5000 })), []);
  });

  const cases: [string, Partial<JobDefinitionArgs>, string, RegExp][] = [
    [
      "a memory size the vCPU does not allow",
      { vcpu: 1, memoryMiB: 1024 },
      "memoryMiB",
      /use 2048-8192 in steps of 1024/,
    ],
    [
      "a vCPU count Fargate does not offer",
      { vcpu: 3, memoryMiB: 8192 },
      "vcpu",
      /must be one of 0.25, 0.5, 1/,
    ],
    ["a zero-vCPU EC2 job", { platform: "EC2", vcpu: 0 }, "vcpu", /greater than 0/],
    ["zero attempts", { attempts: 0 }, "attempts", /integer from 1 to 10/],
    ["a zero timeout", { timeoutMinutes: 0 }, "timeoutMinutes", /positive integer/],
    [
      "a retention CloudWatch does not offer",
      { logRetentionDays: 10 },
      "logRetentionDays",
      /CloudWatch Logs retention values/,
    ],
    [
      "a reserved environment name",
      { environment: { AWS_BATCH_JOB_ID: "x" } },
      "environment",
      /AWS_BATCH are reserved/,
    ],
    [
      "a prefix that is not a folder",
      { target: { bucketName: "b", bucketArn: "arn:aws:s3:::b", prefix: "/sales" } },
      "target.prefix",
      /must be a key prefix/,
    ],
    [
      "a prefix with an IAM wildcard",
      { source: { bucketName: "b", bucketArn: "arn:aws:s3:::b", prefix: "sales*/" } },
      "source.prefix",
      /IAM wildcards/,
    ],
  ];
  for (const [what, overrides, field, message] of cases) {
    it(`rejects ${what} at ${field}`, () => {
      assertOnlyProblem(validateJobDefinitionArgs(args(overrides)), field, message);
    });
  }

  it("accepts the whole bucket as a prefix", () => {
    assert.deepEqual(
      validateJobDefinitionArgs(
        args({ source: { bucketName: "b", bucketArn: "arn:aws:s3:::b", prefix: "" } }),
      ),
      [],
    );
  });
});
