import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson, serviceTrustPolicy } from "../shared/iam";
import { pipelineTags } from "../shared/tags";
import { SlaTier } from "../../decisions/sla-tier";
import {
  flexibleWindowError,
  scheduleExpressionError,
  scheduleTimeWindow,
  timeZoneError,
} from "../../decisions/schedule";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import { JOB_ENV } from "../batch/job-contract";
import { assertValidArgs } from "../shared/args";
import {
  deadLetterQueue,
  retryPolicy,
  retryPolicyProblems,
  startTargetStatement,
  targetProblems,
  TriggerRetryPolicy,
  TriggerSignals,
  TriggerTarget,
} from "./target";

/**
 * Scheduler replaces this keyword in a target's input with the time the schedule fired, e.g.
 * 2022-03-22T18:59:43Z, in templated and universal targets alike:
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
 */
export const SCHEDULED_TIME_ATTRIBUTE = "<aws.scheduler.scheduled-time>";
const SCHEDULED_TIME_OVERRIDE = { Name: JOB_ENV.scheduledTime, Value: SCHEDULED_TIME_ATTRIBUTE };

export interface ScheduleTriggerArgs {
  pipeline: string;
  /** flexible schedules may start up to `flexibleWindowMinutes` late; other tiers start on time. */
  slaTier: SlaTier;
  /** cron(...) or rate(...), validated like AWS does (decisions/schedule.ts). */
  expression: string;
  /** IANA time zone the cron expression is read in, e.g. "Europe/Dublin" (daylight saving aware). */
  timezone: string;
  target: TriggerTarget;
  /** Default 60 minutes; flexible tier only. */
  flexibleWindowMinutes?: number;
  /** Delivery retries before the event goes to the dead-letter queue. */
  retry?: TriggerRetryPolicy;
  /** State machine targets only: the execution input (default `{}`). */
  input?: Record<string, pulumi.Input<unknown>>;
}

/**
 * Every problem with a schedule trigger's args: an expression and time zone EventBridge Scheduler
 * accepts, a flexible window it accepts, what it starts (execution input only for state
 * machines) and retries EventBridge accepts.
 */
export function validateScheduleTriggerArgs(
  args: Pick<
    ScheduleTriggerArgs,
    "expression" | "timezone" | "target" | "flexibleWindowMinutes" | "retry" | "input"
  >,
): ArgsProblem[] {
  return [
    ...problemAt(["expression"], scheduleExpressionError(args.expression), args.expression),
    ...problemAt(["timezone"], timeZoneError(args.timezone), args.timezone),
    ...(args.flexibleWindowMinutes === undefined
      ? []
      : problemAt(
          ["flexibleWindowMinutes"],
          flexibleWindowError(args.flexibleWindowMinutes),
          args.flexibleWindowMinutes,
        )),
    ...targetProblems(args.target),
    ...problemAt(
      ["input"],
      args.input !== undefined && args.target.kind === "batch"
        ? "is for state machine targets; a Batch job gets its settings from the job definition"
        : undefined,
    ),
    ...retryPolicyProblems(args.retry),
  ];
}

/**
 * Schedule group names: 1-64 letters, digits, "-", "_" and ".".
 * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateScheduleGroup.html
 */
const SCHEDULE_GROUP_NAME = /^[0-9a-zA-Z-_.]{1,64}$/;

/** Why a schedule group cannot have this name, or undefined. */
export function scheduleGroupNameError(name: string): string | undefined {
  return SCHEDULE_GROUP_NAME.test(name)
    ? undefined
    : 'must be 1-64 letters, digits, "-", "_" or "." (it names the schedule group)';
}

/**
 * Starts a pipeline on a schedule with EventBridge Scheduler: time zones with daylight saving,
 * a flexible start window for the flexible tier, delivery retries and a dead-letter queue. The
 * schedule sits in its own schedule group, named like the component: Scheduler publishes its
 * CloudWatch metrics per group, so the group's metrics are this pipeline's.
 * A Batch job is submitted through Scheduler's universal target (aws-sdk:batch:submitJob; Batch
 * has no templated target), a state machine through its templated StartExecution target.
 * Scheduler delivers to the DLQ with the schedule's role, so the role (not a queue policy)
 * grants sqs:SendMessage. A Batch job gets the time the schedule fired as SCHEDULED_TIME, so it
 * knows which period to process however late it starts.
 */
export class ScheduleTrigger extends pulumi.ComponentResource {
  readonly schedule: aws.scheduler.Schedule;
  readonly role: aws.iam.Role;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly scheduleGroup: aws.scheduler.ScheduleGroup;
  /** What monitoring watches: the schedule group's Scheduler metrics and the dead-letter queue. */
  readonly signals: TriggerSignals;

  constructor(name: string, args: ScheduleTriggerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:triggers:ScheduleTrigger", name, {}, opts);
    assertValidArgs("bdp:triggers:ScheduleTrigger", name, [
      ...validateScheduleTriggerArgs(args),
      ...problemAt(["name"], scheduleGroupNameError(name), name),
    ]);
    const child = { parent: this };
    const retry = retryPolicy(args.retry);
    const timeWindow = scheduleTimeWindow(args.slaTier, args.flexibleWindowMinutes);
    const tags = pipelineTags(args.pipeline, args.slaTier);
    const identity = aws.getCallerIdentityOutput({}, child);
    const partition = aws.getPartitionOutput({}, child);

    this.deadLetterQueue = deadLetterQueue(name, tags, child);
    this.scheduleGroup = new aws.scheduler.ScheduleGroup(`${name}-group`, { name, tags }, child);
    this.role = new aws.iam.Role(
      `${name}-scheduler`,
      {
        description: `EventBridge Scheduler starts pipeline ${args.pipeline}`,
        assumeRolePolicy: serviceTrustPolicy("scheduler.amazonaws.com", identity.accountId),
        tags,
      },
      child,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-scheduler`,
      {
        role: this.role.id,
        policy: policyJson([
          startTargetStatement(args.target),
          {
            Sid: "DeliverToDeadLetterQueue",
            Effect: "Allow",
            Action: ["sqs:SendMessage"],
            Resource: [this.deadLetterQueue.arn],
          },
        ]),
      },
      child,
    );

    const target = args.target;
    const targetArn =
      target.kind === "batch"
        ? pulumi.interpolate`arn:${partition.partition}:scheduler:::aws-sdk:batch:submitJob`
        : pulumi.output(target.stateMachineArn);
    // Universal targets take the API request in the SDK's PascalCase shape.
    const input =
      target.kind === "batch"
        ? pulumi.jsonStringify(
            pulumi.output({
              JobName: target.jobName,
              JobQueue: target.jobQueueArn,
              JobDefinition: target.jobDefinitionArn,
              ContainerOverrides: { Environment: [SCHEDULED_TIME_OVERRIDE] },
            }),
          )
        : pulumi.jsonStringify(pulumi.output(args.input ?? {}));

    this.schedule = new aws.scheduler.Schedule(
      name,
      {
        description: `Starts pipeline ${args.pipeline} (${args.slaTier})`,
        groupName: this.scheduleGroup.name,
        scheduleExpression: args.expression,
        scheduleExpressionTimezone: args.timezone,
        flexibleTimeWindow: timeWindow,
        state: "ENABLED",
        target: {
          arn: targetArn,
          roleArn: this.role.arn,
          input,
          retryPolicy: retry,
          deadLetterConfig: { arn: this.deadLetterQueue.arn },
        },
      },
      // The role's policy must exist before the first invocation uses it.
      { parent: this, dependsOn: [rolePolicy] },
    );

    this.signals = {
      kind: "schedule",
      scheduleGroupName: this.scheduleGroup.name,
      deadLetterQueueName: this.deadLetterQueue.name,
    };
    this.registerOutputs({ scheduleArn: this.schedule.arn, deadLetterQueueArn: this.deadLetterQueue.arn });
  }
}
