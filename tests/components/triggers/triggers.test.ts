import { strict as assert } from "assert";
import {
  ScheduleTrigger,
  ScheduleTriggerArgs,
  validateScheduleTriggerArgs,
} from "../../../components/triggers/schedule-trigger";
import {
  keyFilter,
  S3UploadTrigger,
  S3UploadTriggerArgs,
  s3UploadEventPattern,
  validateS3UploadTriggerArgs,
} from "../../../components/triggers/s3-upload-trigger";
import { formatPath } from "../../../decisions/problems";
import { jobDefinitionResources, TriggerTarget } from "../../../components/triggers/target";
import { ComputeQueue } from "../../../components/batch/compute";
import { JobDefinition } from "../../../components/batch/job-definition";
import { SLA_TIERS } from "../../../decisions/sla-tier";
import { assertRolePoliciesUseRealActions } from "../../support/iam";
import { matches } from "../../support/event-pattern";
import * as pulumi from "@pulumi/pulumi";
import { resolved, Synthesized, synthesizeComponents } from "../../support/synth";
import { assertOnlyProblem, invalidArgsError } from "../../support/problems";

const QUEUE_ARN = "arn:aws:batch:eu-west-1:123456789012:job-queue/sales";
const DEFINITION_ARN = "arn:aws:batch:eu-west-1:123456789012:job-definition/sales-aggregator:7";
const STATE_MACHINE_ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:sales";
const BATCH: TriggerTarget = {
  kind: "batch",
  jobQueueArn: QUEUE_ARN,
  jobDefinitionArn: DEFINITION_ARN,
  jobName: "sales-aggregator",
};
const SCHEDULE = "aws:scheduler/schedule:Schedule";
const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const QUEUE = "aws:sqs/queue:Queue";

function scheduleArgs(overrides: Partial<ScheduleTriggerArgs> = {}): ScheduleTriggerArgs {
  return {
    pipeline: "sales-aggregator",
    slaTier: "standard",
    expression: "cron(0 6 ? * MON-FRI *)",
    timezone: "Europe/Dublin",
    target: BATCH,
    ...overrides,
  };
}

function synthesizeSchedule(overrides: Partial<ScheduleTriggerArgs> = {}): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    new ScheduleTrigger("sales-schedule", scheduleArgs(overrides), opts);
  });
}

function uploadArgs(overrides: Partial<S3UploadTriggerArgs> = {}): S3UploadTriggerArgs {
  return {
    pipeline: "sales-aggregator",
    slaTier: "flexible",
    bucketName: "bdp-unit-raw-1",
    prefix: "incoming/sales/",
    suffix: ".csv",
    target: BATCH,
    ...overrides,
  };
}

function synthesizeUpload(overrides: Partial<S3UploadTriggerArgs> = {}): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    new S3UploadTrigger("sales-upload", uploadArgs(overrides), opts);
  });
}

function s3Event(bucket: string, key: string, detailType = "Object Created") {
  return {
    version: "0",
    source: "aws.s3",
    "detail-type": detailType,
    detail: { version: "0", bucket: { name: bucket }, object: { key, size: 10 }, reason: "PutObject" },
  };
}

describe("ScheduleTrigger component", () => {
  let result: Synthesized;
  before(async () => {
    result = await synthesizeSchedule();
  });

  it("schedules the expression in the time zone, on time for the standard tier", () => {
    const schedule = result.one(SCHEDULE);
    assert.equal(schedule.inputs.scheduleExpression, "cron(0 6 ? * MON-FRI *)");
    assert.equal(schedule.inputs.scheduleExpressionTimezone, "Europe/Dublin");
    assert.deepEqual(schedule.inputs.flexibleTimeWindow, { mode: "OFF" });
    assert.equal(schedule.inputs.state, "ENABLED");
    assert.equal(result.componentOf(schedule), "bdp:triggers:ScheduleTrigger");
  });

  for (const tier of SLA_TIERS) {
    it(`${tier}: ${tier === "flexible" ? "a flexible window" : "no flexible window"}`, async () => {
      const window = (await synthesizeSchedule({ slaTier: tier, flexibleWindowMinutes: 30 })).one(SCHEDULE)
        .inputs.flexibleTimeWindow;
      assert.deepEqual(
        window,
        tier === "flexible" ? { mode: "FLEXIBLE", maximumWindowInMinutes: 30 } : { mode: "OFF" },
      );
    });
  }

  it("submits the Batch job through the universal SubmitJob target, passing the time it fired", () => {
    const target = result.one(SCHEDULE).inputs.target;
    assert.equal(target.arn, "arn:aws:scheduler:::aws-sdk:batch:submitJob");
    assert.deepEqual(JSON.parse(target.input), {
      JobName: "sales-aggregator",
      JobQueue: QUEUE_ARN,
      JobDefinition: DEFINITION_ARN,
      // Scheduler's context attribute: a day job aggregates the day before it, however late it starts.
      ContainerOverrides: {
        Environment: [{ Name: "SCHEDULED_TIME", Value: "<aws.scheduler.scheduled-time>" }],
      },
    });
  });

  it("puts the schedule in its own group, whose Scheduler metrics and dead-letter queue it reports", async () => {
    const group = result.one("aws:scheduler/scheduleGroup:ScheduleGroup");
    assert.equal(group.inputs.name, "sales-schedule");
    assert.equal(result.one(SCHEDULE).inputs.groupName, group.outputs.name);
    let signals: unknown;
    await synthesizeComponents((opts) => {
      signals = new ScheduleTrigger("sales-schedule", scheduleArgs(), opts).signals;
    });
    assert.deepEqual(await resolved(pulumi.output(signals)), {
      kind: "schedule",
      scheduleGroupName: "sales-schedule",
      deadLetterQueueName: result.one(QUEUE).outputs.name,
    });
  });

  it("retries delivery and sends what it cannot deliver to an SSE-encrypted dead-letter queue", () => {
    const target = result.one(SCHEDULE).inputs.target;
    const queue = result.one(QUEUE);
    assert.deepEqual(target.retryPolicy, { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 3600 });
    assert.deepEqual(target.deadLetterConfig, { arn: queue.outputs.arn });
    assert.equal(queue.inputs.sqsManagedSseEnabled, true);
    assert.equal(queue.inputs.messageRetentionSeconds, 1209600);
  });

  it("assumes a role that only Scheduler of this account may assume", () => {
    const role = result.one("aws:iam/role:Role");
    assert.equal(result.one(SCHEDULE).inputs.target.roleArn, role.outputs.arn);
    const trust = result.json(role, "assumeRolePolicy").Statement[0];
    assert.equal(trust.Principal.Service, "scheduler.amazonaws.com");
    assert.deepEqual(trust.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
  });

  it("the role may submit only this job definition revision to this queue, and write only to its DLQ", async () => {
    const policy = result.json(result.one("aws:iam/rolePolicy:RolePolicy"), "policy");
    assert.deepEqual(policy.Statement, [
      {
        Sid: "SubmitPipelineJob",
        Effect: "Allow",
        Action: ["batch:SubmitJob"],
        Resource: [QUEUE_ARN, DEFINITION_ARN],
      },
      {
        Sid: "DeliverToDeadLetterQueue",
        Effect: "Allow",
        Action: ["sqs:SendMessage"],
        Resource: [result.one(QUEUE).outputs.arn],
      },
    ]);
    await assertRolePoliciesUseRealActions(result);
  });

  it("starts a state machine through its templated target with the given input", async () => {
    const machine = await synthesizeSchedule({
      target: { kind: "stateMachine", stateMachineArn: STATE_MACHINE_ARN },
      input: { mode: "daily" },
      retry: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 600 },
    });
    const target = machine.one(SCHEDULE).inputs.target;
    assert.equal(target.arn, STATE_MACHINE_ARN);
    assert.deepEqual(JSON.parse(target.input), { mode: "daily" });
    assert.deepEqual(target.retryPolicy, { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 600 });
    const policy = machine.json(machine.one("aws:iam/rolePolicy:RolePolicy"), "policy");
    assert.deepEqual(policy.Statement[0].Action, ["states:StartExecution"]);
    assert.deepEqual(policy.Statement[0].Resource, [STATE_MACHINE_ARN]);
    await assertRolePoliciesUseRealActions(machine);
  });

  it("refuses a name no schedule group may have", async () => {
    await assert.rejects(
      synthesizeComponents((opts) => {
        new ScheduleTrigger("sales schedule", scheduleArgs(), opts);
      }),
      invalidArgsError("bdp:triggers:ScheduleTrigger sales schedule", /name: must be 1-64 letters/),
    );
  });

  it("rejects invalid args with one error that lists every problem", async () => {
    await assert.rejects(
      synthesizeSchedule({ timezone: "Mars/Olympus", input: { a: 1 } }),
      invalidArgsError(
        "bdp:triggers:ScheduleTrigger sales-schedule",
        /timezone: must be an IANA time zone/,
        /input: is for state machine targets/,
      ),
    );
  });
});

describe("validateScheduleTriggerArgs", () => {
  it("accepts valid args", () => {
    assert.deepEqual(validateScheduleTriggerArgs(scheduleArgs()), []);
    assert.deepEqual(
      validateScheduleTriggerArgs(
        scheduleArgs({ target: { kind: "stateMachine", stateMachineArn: "arn" }, input: {} }),
      ),
      [],
    );
  });

  const cases: [string, Partial<ScheduleTriggerArgs>, string, RegExp][] = [
    [
      "both day fields set",
      { expression: "cron(0 6 * * MON *)" },
      "expression",
      /exactly one of day-of-month and day-of-week must be "\?"/,
    ],
    ["five cron fields", { expression: "cron(0 6 * * ?)" }, "expression", /takes 6 fields/],
    ["a plural rate of 1", { expression: "rate(1 hours)" }, "expression", /use the singular unit for 1/],
    [
      "a unix crontab",
      { expression: "0 6 * * 1-5" },
      "expression",
      /must be "cron\(<6 fields>\)" or "rate\(<value> <unit>\)"/,
    ],
    ["an unknown time zone", { timezone: "Mars/Olympus" }, "timezone", /IANA time zone/],
    [
      "too many retries",
      { retry: { maximumRetryAttempts: 186, maximumEventAgeSeconds: 600 } },
      "retry.maximumRetryAttempts",
      /integer from 0 to 185/,
    ],
    [
      "an event age below a minute",
      { retry: { maximumRetryAttempts: 1, maximumEventAgeSeconds: 30 } },
      "retry.maximumEventAgeSeconds",
      /integer from 60 to 86400/,
    ],
    [
      "a flexible window over a day",
      { slaTier: "flexible", flexibleWindowMinutes: 2000 },
      "flexibleWindowMinutes",
      /1 to 1440/,
    ],
    [
      "a job name with spaces",
      { target: { ...BATCH, jobName: "sales job" } },
      "target.jobName",
      /1-128 letters/,
    ],
    ["an input for a Batch target", { input: { a: 1 } }, "input", /for state machine targets/],
  ];
  for (const [what, overrides, field, message] of cases) {
    it(`rejects ${what} at ${field}`, () => {
      assertOnlyProblem(validateScheduleTriggerArgs(scheduleArgs(overrides)), field, message);
    });
  }
});

describe("S3UploadTrigger component", () => {
  let result: Synthesized;
  let pattern: any;
  before(async () => {
    result = await synthesizeUpload();
    pattern = result.json(result.one(RULE), "eventPattern");
  });

  it("matches S3 Object Created events of the bucket with one wildcard for prefix and suffix", () => {
    assert.deepEqual(pattern, {
      source: ["aws.s3"],
      "detail-type": ["Object Created"],
      detail: {
        bucket: { name: ["bdp-unit-raw-1"] },
        object: { key: [{ wildcard: "incoming/sales/*.csv" }] },
      },
    });
    const rule = result.one(RULE);
    assert.equal(rule.inputs.eventBusName, "default");
    assert.equal(rule.inputs.state, "ENABLED");
    assert.equal(rule.inputs.tags["sla-tier"], "flexible");
  });

  it("the pattern selects exactly the uploads it should", () => {
    const yes = ["incoming/sales/2024-05-01.csv", "incoming/sales/store 7/2024-05-01.csv"];
    const no = [
      "incoming/sales/2024-05-01.csv.tmp",
      "incoming/sales/2024-05-01.json",
      "incoming/other/2024-05-01.csv",
      "archive/incoming/sales/a.csv",
    ];
    for (const key of yes) assert.ok(matches(pattern, s3Event("bdp-unit-raw-1", key)), key);
    for (const key of no) assert.ok(!matches(pattern, s3Event("bdp-unit-raw-1", key)), key);
    assert.ok(!matches(pattern, s3Event("another-bucket", "incoming/sales/a.csv")));
    assert.ok(!matches(pattern, s3Event("bdp-unit-raw-1", "incoming/sales/a.csv", "Object Deleted")));
    assert.ok(!matches(pattern, { ...s3Event("bdp-unit-raw-1", "incoming/sales/a.csv"), source: "custom" }));
  });

  it("uses a prefix filter without a suffix, a suffix filter without a prefix, and escapes wildcard characters", () => {
    assert.deepEqual(keyFilter("incoming/"), [{ prefix: "incoming/" }]);
    assert.deepEqual(keyFilter("", ".csv"), [{ suffix: ".csv" }]);
    assert.deepEqual(keyFilter("in\\coming/", ".csv"), [{ wildcard: "in\\\\coming/*.csv" }]);
    assert.deepEqual(keyFilter("a*b/", ".csv"), [{ wildcard: "a\\*b/*.csv" }]);
    const escaped = s3UploadEventPattern("b", "a*b/in\\coming/", ".csv");
    assert.ok(matches(escaped, s3Event("b", "a*b/in\\coming/x.csv")));
    assert.ok(!matches(escaped, s3Event("b", "aXb/in\\coming/x.csv")));
  });

  it("submits the job with SOURCE_BUCKET and SOURCE_KEY taken from the event", () => {
    const target = result.one(TARGET);
    assert.equal(target.inputs.arn, QUEUE_ARN);
    assert.equal(target.inputs.rule, result.one(RULE).outputs.name);
    assert.deepEqual(target.inputs.batchTarget, {
      jobDefinition: DEFINITION_ARN,
      jobName: "sales-aggregator",
    });
    const transformer = target.inputs.inputTransformer;
    assert.deepEqual(transformer.inputPaths, { bucket: "$.detail.bucket.name", key: "$.detail.object.key" });
    assert.deepEqual(JSON.parse(transformer.inputTemplate), {
      ContainerOverrides: {
        Environment: [
          { Name: "SOURCE_BUCKET", Value: "<bucket>" },
          { Name: "SOURCE_KEY", Value: "<key>" },
        ],
      },
    });
    // Every placeholder is a declared input path.
    for (const placeholder of transformer.inputTemplate.match(/<[^>]+>/g)) {
      assert.ok(placeholder.slice(1, -1) in transformer.inputPaths, placeholder);
    }
  });

  it("reports its rule and dead-letter queue for monitoring", async () => {
    let signals: unknown;
    const synthesized = await synthesizeComponents((opts) => {
      signals = new S3UploadTrigger("sales-upload", uploadArgs(), opts).signals;
    });
    assert.deepEqual(await resolved(pulumi.output(signals)), {
      kind: "upload",
      ruleName: synthesized.one(RULE).outputs.name,
      deadLetterQueueName: synthesized.one(QUEUE).outputs.name,
    });
  });

  it("retries delivery and dead-letters to a queue only this rule may send to", () => {
    const target = result.one(TARGET);
    const queue = result.one(QUEUE);
    assert.deepEqual(target.inputs.retryPolicy, { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 3600 });
    assert.deepEqual(target.inputs.deadLetterConfig, { arn: queue.outputs.arn });
    assert.equal(queue.inputs.sqsManagedSseEnabled, true);
    const queuePolicy = result.one("aws:sqs/queuePolicy:QueuePolicy");
    assert.equal(queuePolicy.inputs.queueUrl, queue.outputs.url);
    assert.deepEqual(result.json(queuePolicy, "policy").Statement, [
      {
        Sid: "EventBridgeDeadLetters",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["sqs:SendMessage"],
        Resource: [queue.outputs.arn],
        Condition: { ArnEquals: { "aws:SourceArn": result.one(RULE).outputs.arn } },
      },
    ]);
  });

  it("EventBridge assumes a role that may only submit this job definition revision to this queue", async () => {
    const role = result.one("aws:iam/role:Role");
    assert.equal(result.one(TARGET).inputs.roleArn, role.outputs.arn);
    const trust = result.json(role, "assumeRolePolicy").Statement[0];
    assert.equal(trust.Principal.Service, "events.amazonaws.com");
    assert.deepEqual(trust.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
    const policy = result.json(result.one("aws:iam/rolePolicy:RolePolicy"), "policy");
    assert.deepEqual(policy.Statement, [
      {
        Sid: "SubmitPipelineJob",
        Effect: "Allow",
        Action: ["batch:SubmitJob"],
        Resource: [QUEUE_ARN, DEFINITION_ARN],
      },
    ]);
    await assertRolePoliciesUseRealActions(result);
  });

  it("starts a state machine with the bucket and key as execution input", async () => {
    const machine = await synthesizeUpload({
      target: { kind: "stateMachine", stateMachineArn: STATE_MACHINE_ARN },
    });
    const target = machine.one(TARGET);
    assert.equal(target.inputs.arn, STATE_MACHINE_ARN);
    assert.equal(target.inputs.batchTarget, undefined);
    assert.deepEqual(JSON.parse(target.inputs.inputTransformer.inputTemplate), {
      bucket: "<bucket>",
      key: "<key>",
    });
    const policy = machine.json(machine.one("aws:iam/rolePolicy:RolePolicy"), "policy");
    assert.deepEqual(policy.Statement[0].Action, ["states:StartExecution"]);
    assert.deepEqual(policy.Statement[0].Resource, [STATE_MACHINE_ARN]);
    await assertRolePoliciesUseRealActions(machine);
  });

  it("rejects a prefix starting with / and bad retry settings in one error", async () => {
    await assert.rejects(
      synthesizeUpload({
        prefix: "/incoming/",
        retry: { maximumRetryAttempts: -1, maximumEventAgeSeconds: 600 },
      }),
      invalidArgsError(
        "bdp:triggers:S3UploadTrigger sales-upload",
        /prefix: must be a key prefix such as "sales\/daily\/" \(ends with "\/", no leading "\/"\)/,
        /retry\.maximumRetryAttempts: must be an integer from 0 to 185/,
      ),
    );
  });
});

describe("validateS3UploadTriggerArgs", () => {
  it("accepts a folder, or the whole bucket", () => {
    assert.deepEqual(validateS3UploadTriggerArgs(uploadArgs()), []);
    assert.deepEqual(validateS3UploadTriggerArgs(uploadArgs({ prefix: "" })), []);
  });

  it("rejects a prefix that is not a folder, and a Batch job name Batch refuses", () => {
    assert.deepEqual(
      validateS3UploadTriggerArgs(
        uploadArgs({ prefix: "incoming", target: { ...BATCH, jobName: "-x" } }),
      ).map((problem) => formatPath(problem.path)),
      ["prefix", "target.jobName"],
    );
  });
});

describe("triggers wired to a real job definition and queue", () => {
  it("allow the job definition (and its revisions when no revision is given) and the queue", async () => {
    assert.deepEqual(jobDefinitionResources(DEFINITION_ARN), [DEFINITION_ARN]);
    assert.deepEqual(jobDefinitionResources("arn:aws:batch:eu-west-1:1:job-definition/x"), [
      "arn:aws:batch:eu-west-1:1:job-definition/x",
      "arn:aws:batch:eu-west-1:1:job-definition/x:*",
    ]);
    const result = await synthesizeComponents((opts) => {
      const queue = new ComputeQueue(
        "sales",
        { slaTier: "flexible", maxVcpus: 4, subnetIds: ["subnet-1"], securityGroupId: "sg-1" },
        opts,
      );
      const job = new JobDefinition(
        "sales",
        {
          pipeline: "sales-aggregator",
          slaTier: "flexible",
          image: {
            imageUri: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs:1",
            repositoryArn: "arn:aws:ecr:eu-west-1:123456789012:repository/jobs",
          },
          vcpu: 0.5,
          memoryMiB: 1024,
          timeoutMinutes: 30,
          attempts: 2,
          platform: queue.platform,
          source: { bucketName: "raw", bucketArn: "arn:aws:s3:::raw", prefix: "incoming/sales/" },
          target: { bucketName: "curated", bucketArn: "arn:aws:s3:::curated", prefix: "sales/" },
          kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
          logRetentionDays: 14,
        },
        opts,
      );
      new S3UploadTrigger(
        "sales-upload",
        {
          pipeline: "sales-aggregator",
          slaTier: "flexible",
          bucketName: "raw",
          prefix: "incoming/sales/",
          suffix: ".csv",
          target: { kind: "batch", jobQueueArn: queue.arn, jobDefinitionArn: job.arn, jobName: job.jobName },
        },
        opts,
      );
    });
    const queueArn = result.one("aws:batch/jobQueue:JobQueue").outputs.arn;
    const definitionArn = result.one("aws:batch/jobDefinition:JobDefinition").outputs.arn;
    const policy = result.json(result.one("aws:iam/rolePolicy:RolePolicy", "sales-upload-events"), "policy");
    assert.deepEqual(policy.Statement[0].Resource, [queueArn, ...jobDefinitionResources(definitionArn)]);
    assert.deepEqual(result.one(TARGET).inputs.batchTarget, {
      jobDefinition: definitionArn,
      jobName: "sales-aggregator",
    });
  });
});
