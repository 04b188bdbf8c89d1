/**
 * What a trigger starts (a Batch job or a Step Functions state machine), the IAM statement
 * that lets the trigger start exactly that and nothing else, the dead-letter queue every
 * trigger sends undeliverable events to, and the delivery retry policy.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PolicyStatement } from "../shared/iam";
import { TAG_KEYS } from "../shared/tags";
import { ArgsProblem, problemAt } from "../../decisions/problems";

export type TriggerTarget =
  | {
      kind: "batch";
      jobQueueArn: pulumi.Input<string>;
      /** Job definition ARN; with a revision (JobDefinition.arn) only that revision may be submitted. */
      jobDefinitionArn: pulumi.Input<string>;
      /** Name of the submitted jobs (letters, digits, "-" and "_", up to 128). */
      jobName: string;
    }
  | { kind: "stateMachine"; stateMachineArn: pulumi.Input<string> };

/**
 * What monitoring watches of a trigger (components/monitoring/trigger-alarms.ts): its dead-letter
 * queue, and the Scheduler schedule group or the EventBridge rule whose metrics show whether it
 * started the pipeline.
 */
export type TriggerSignals =
  | {
      kind: "schedule";
      /** The schedule's own group: AWS/Scheduler metrics are per schedule group. */
      scheduleGroupName: pulumi.Input<string>;
      deadLetterQueueName: pulumi.Input<string>;
    }
  | { kind: "upload"; ruleName: pulumi.Input<string>; deadLetterQueueName: pulumi.Input<string> };

/** How long and how often EventBridge retries delivering an event before it goes to the DLQ. */
export interface TriggerRetryPolicy {
  /** 0 to 185. */
  maximumRetryAttempts: number;
  /** 60 to 86400. */
  maximumEventAgeSeconds: number;
}

export const DEFAULT_TRIGGER_RETRY: TriggerRetryPolicy = {
  maximumRetryAttempts: 5,
  maximumEventAgeSeconds: 3600,
};

function integerBetween(value: number, min: number, max: number): string | undefined {
  return Number.isInteger(value) && value >= min && value <= max
    ? undefined
    : `must be an integer from ${min} to ${max}`;
}

/** Problems with a retry policy against EventBridge's limits, at `retry.<field>`. */
export function retryPolicyProblems(retry: TriggerRetryPolicy = DEFAULT_TRIGGER_RETRY): ArgsProblem[] {
  const { maximumRetryAttempts, maximumEventAgeSeconds } = retry;
  return [
    ...problemAt(
      ["retry", "maximumRetryAttempts"],
      integerBetween(maximumRetryAttempts, 0, 185),
      maximumRetryAttempts,
    ),
    ...problemAt(
      ["retry", "maximumEventAgeSeconds"],
      integerBetween(maximumEventAgeSeconds, 60, 86400),
      maximumEventAgeSeconds,
    ),
  ];
}

/** The retry policy in the provider's shape (validated by retryPolicyProblems). */
export function retryPolicy(retry: TriggerRetryPolicy = DEFAULT_TRIGGER_RETRY): {
  maximumRetryAttempts: number;
  maximumEventAgeInSeconds: number;
} {
  return {
    maximumRetryAttempts: retry.maximumRetryAttempts,
    maximumEventAgeInSeconds: retry.maximumEventAgeSeconds,
  };
}

const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Problems with what a trigger starts: a Batch job name Batch accepts, at `target.jobName`. */
export function targetProblems(target: TriggerTarget): ArgsProblem[] {
  return problemAt(
    ["target", "jobName"],
    target.kind === "batch" && !JOB_NAME.test(target.jobName)
      ? 'must be 1-128 letters, digits, "-" or "_", starting with a letter or digit'
      : undefined,
    target.kind === "batch" ? target.jobName : undefined,
  );
}

/**
 * The job definition ARNs a submit permission needs: a revision ARN names exactly that
 * revision; an ARN without a revision resolves to the latest active one, so it and its
 * revisions (`<arn>:*`) are allowed.
 */
export function jobDefinitionResources(arn: string): string[] {
  return /:\d+$/.test(arn) ? [arn] : [arn, `${arn}:*`];
}

/** The resources a trigger starts: the job queue and job definition(s), or the state machine. */
export function targetResources(target: TriggerTarget): pulumi.Output<string[]> {
  if (target.kind === "batch") {
    return pulumi
      .all([target.jobQueueArn, target.jobDefinitionArn])
      .apply(([queueArn, definitionArn]) => [queueArn, ...jobDefinitionResources(definitionArn)]);
  }
  return pulumi.output(target.stateMachineArn).apply((arn) => [arn]);
}

/** The one statement a trigger's role needs to start its target, and nothing else. */
export function startTargetStatement(target: TriggerTarget): PolicyStatement {
  const batch = target.kind === "batch";
  return {
    Sid: batch ? "SubmitPipelineJob" : "StartPipelineStateMachine",
    Effect: "Allow",
    Action: batch ? ["batch:SubmitJob"] : ["states:StartExecution"],
    // policyJson resolves nested Outputs, so a resolved list can stand in for the array.
    Resource: targetResources(target) as unknown as pulumi.Input<string>[],
  };
}

/**
 * A dead-letter queue for events a trigger could not deliver. SQS-managed encryption (SSE-SQS)
 * instead of the lake's KMS key: with a customer-managed key, the key policy would have to let
 * EventBridge (and every scheduler role) use the data key, which widens who can decrypt lake
 * data; the messages hold only event metadata. Kept 14 days, the SQS maximum, for replay.
 */
export function deadLetterQueue(
  name: string,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): aws.sqs.Queue {
  return new aws.sqs.Queue(
    `${name}-dlq`,
    {
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 14 * 24 * 60 * 60,
      tags: { ...tags, [TAG_KEYS.component]: "trigger-dlq" },
    },
    opts,
  );
}
