import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson, serviceTrustPolicy } from "../shared/iam";
import { pipelineTags, TAG_KEYS } from "../shared/tags";
import { SlaTier } from "../../decisions/sla-tier";
import { JOB_ENV } from "../batch/job-contract";
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
import { ArgsProblem } from "../../decisions/problems";
import { assertValidArgs } from "../shared/args";
import { locationProblems } from "../shared/locations";

export interface S3UploadTriggerArgs {
  pipeline: string;
  slaTier: SlaTier;
  /** Bucket whose uploads start the pipeline; it must send events to EventBridge (DataLake's raw bucket does). */
  bucketName: pulumi.Input<string>;
  /** Key prefix, e.g. "incoming/sales/" ("" for the whole bucket). */
  prefix: string;
  /** Key suffix, e.g. ".csv". */
  suffix?: string;
  target: TriggerTarget;
  /** Delivery retries before the event goes to the dead-letter queue. */
  retry?: TriggerRetryPolicy;
}

/** EventBridge content filter for an object key. */
export type KeyFilter = { prefix: string } | { suffix: string } | { wildcard: string };

/** Escapes the characters EventBridge wildcard patterns treat specially (`*` and `\`). */
function escapeWildcard(text: string): string {
  return text.replace(/[\\*]/g, (character) => `\\${character}`);
}

/**
 * The key filter for prefix and/or suffix. Filters listed in one array are OR-ed, so "prefix AND
 * suffix" cannot be two filters: it is one wildcard pattern `<prefix>*<suffix>` (the `*` also
 * matches "/", so objects in sub-folders of the prefix match too).
 */
export function keyFilter(prefix: string, suffix?: string): KeyFilter[] {
  if (!suffix) return [{ prefix }];
  if (prefix === "") return [{ suffix }];
  return [{ wildcard: `${escapeWildcard(prefix)}*${escapeWildcard(suffix)}` }];
}

/** The event pattern for "an object was created in this bucket under this prefix/suffix". */
export function s3UploadEventPattern<T>(bucketName: T, prefix: string, suffix?: string) {
  return {
    source: ["aws.s3"],
    "detail-type": ["Object Created"],
    detail: {
      bucket: { name: [bucketName] },
      object: { key: keyFilter(prefix, suffix) },
    },
  };
}

/** Values the input transformer takes from the S3 event. */
export const S3_EVENT_INPUT_PATHS = { bucket: "$.detail.bucket.name", key: "$.detail.object.key" };

/**
 * The input template for a target: for Batch, the SubmitJob overrides EventBridge accepts for a
 * Batch target (PascalCase members, as the Batch user guide requires for ContainerOverrides),
 * setting SOURCE_BUCKET and SOURCE_KEY; for a state machine, `{"bucket", "key"}` as execution
 * input. Placeholders stay inside quotes, so EventBridge inserts them as JSON strings.
 */
export function s3UploadInputTemplate(kind: TriggerTarget["kind"]): string {
  if (kind === "stateMachine") return JSON.stringify({ bucket: "<bucket>", key: "<key>" });
  return JSON.stringify({
    ContainerOverrides: {
      Environment: [
        { Name: JOB_ENV.sourceBucket, Value: "<bucket>" },
        { Name: JOB_ENV.sourceKey, Value: "<key>" },
      ],
    },
  });
}

/**
 * Every problem with an upload trigger's args: a key prefix (or "" for the whole bucket), what it
 * starts, and retries EventBridge accepts.
 */
export function validateS3UploadTriggerArgs(
  args: Pick<S3UploadTriggerArgs, "prefix" | "target" | "retry">,
): ArgsProblem[] {
  return [
    ...locationProblems([], args, { allowWholeBucket: true }),
    ...targetProblems(args.target),
    ...retryPolicyProblems(args.retry),
  ];
}

/**
 * Starts a pipeline when an object lands under a prefix: an EventBridge rule on the default bus
 * matching S3 "Object Created" events, and a target that submits the Batch job (or starts the
 * state machine) with the bucket and key, with delivery retries and a dead-letter queue. The
 * queue accepts messages only from this rule (aws:SourceArn).
 */
export class S3UploadTrigger extends pulumi.ComponentResource {
  readonly rule: aws.cloudwatch.EventRule;
  readonly target: aws.cloudwatch.EventTarget;
  readonly role: aws.iam.Role;
  readonly deadLetterQueue: aws.sqs.Queue;
  /** What monitoring watches: the rule's invocations and the dead-letter queue. */
  readonly signals: TriggerSignals;

  constructor(name: string, args: S3UploadTriggerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:triggers:S3UploadTrigger", name, {}, opts);
    assertValidArgs("bdp:triggers:S3UploadTrigger", name, validateS3UploadTriggerArgs(args));
    const child = { parent: this };
    const pattern = s3UploadEventPattern(args.bucketName, args.prefix, args.suffix);
    const tags = pipelineTags(args.pipeline, args.slaTier);
    const identity = aws.getCallerIdentityOutput({}, child);

    this.rule = new aws.cloudwatch.EventRule(
      name,
      {
        description: `Uploads to ${args.prefix}*${args.suffix ?? ""} start pipeline ${args.pipeline}`,
        eventBusName: "default",
        eventPattern: pulumi.jsonStringify(pulumi.output(pattern)),
        state: "ENABLED",
        tags: { ...tags, [TAG_KEYS.component]: "trigger-rule" },
      },
      child,
    );

    this.deadLetterQueue = this.declareDeadLetterQueue(name, tags);

    this.role = new aws.iam.Role(
      `${name}-events`,
      {
        description: `EventBridge starts pipeline ${args.pipeline} on uploads`,
        assumeRolePolicy: serviceTrustPolicy("events.amazonaws.com", identity.accountId),
        tags,
      },
      child,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-events`,
      { role: this.role.id, policy: policyJson([startTargetStatement(args.target)]) },
      child,
    );

    const target = args.target;
    this.target = new aws.cloudwatch.EventTarget(
      name,
      {
        rule: this.rule.name,
        eventBusName: "default",
        arn: target.kind === "batch" ? target.jobQueueArn : target.stateMachineArn,
        roleArn: this.role.arn,
        // No jobAttempts: the job definition's retry strategy decides what is retried.
        batchTarget:
          target.kind === "batch"
            ? { jobDefinition: target.jobDefinitionArn, jobName: target.jobName }
            : undefined,
        inputTransformer: {
          inputPaths: S3_EVENT_INPUT_PATHS,
          inputTemplate: s3UploadInputTemplate(target.kind),
        },
        retryPolicy: retryPolicy(args.retry),
        deadLetterConfig: { arn: this.deadLetterQueue.arn },
      },
      { parent: this, dependsOn: [rolePolicy] },
    );

    this.signals = {
      kind: "upload",
      ruleName: this.rule.name,
      deadLetterQueueName: this.deadLetterQueue.name,
    };
    this.registerOutputs({ ruleArn: this.rule.arn, deadLetterQueueArn: this.deadLetterQueue.arn });
  }

  /** The dead-letter queue; only this rule may send to it (aws:SourceArn). */
  private declareDeadLetterQueue(name: string, tags: Record<string, string>): aws.sqs.Queue {
    const queue = deadLetterQueue(name, tags, { parent: this });
    new aws.sqs.QueuePolicy(
      `${name}-dlq`,
      {
        queueUrl: queue.url,
        policy: policyJson([
          {
            Sid: "EventBridgeDeadLetters",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["sqs:SendMessage"],
            Resource: [queue.arn],
            Condition: { ArnEquals: { "aws:SourceArn": this.rule.arn } },
          },
        ]),
      },
      { parent: this },
    );
    return queue;
  }
}
