import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson, PolicyStatement } from "../shared/iam";
import { TAG_KEYS } from "../shared/tags";
import { accountRootStatement } from "../storage/kms";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import { assertValidArgs } from "../shared/args";
import { queueHoldsMessages } from "./trigger-alarms";

/** AWS services that publish the platform's alerts: failure rules, alarms, budgets, cost anomalies. */
export const ALERT_PUBLISHERS = [
  "events.amazonaws.com",
  "cloudwatch.amazonaws.com",
  "budgets.amazonaws.com",
  "costalerts.amazonaws.com",
] as const;

/** What a publisher needs from the topic's key to publish to an encrypted topic. */
export const ALERT_PUBLISHER_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];

/** 14 days, the longest SQS keeps a message: time to notice and replay undelivered alerts. */
export const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

/**
 * Name prefix of every EventBridge rule of an environment. The dead-letter queue accepts messages
 * from rules with this prefix only, so name rules that use it `${alertRulePrefix(env)}...`.
 */
export function alertRulePrefix(environment: string): string {
  return `bdp-${environment}-`;
}

export interface AlertTopicArgs {
  /** Short environment name (`dev`, `prod`), used in resource names. */
  environment: string;
  /** Addresses subscribed to the topic; each must confirm the subscription e-mail AWS sends. */
  emails: string[];
  /** Keep the key when the stack is destroyed (prod): messages still in flight stay decryptable. */
  retainOnDelete?: boolean;
}

/** Every problem with an alert topic's args: someone must receive the alerts. */
export function validateAlertTopicArgs(args: Pick<AlertTopicArgs, "emails">): ArgsProblem[] {
  return problemAt(["emails"], args.emails.length === 0 ? "at least one address receives alerts" : undefined);
}

/**
 * The environment's alert channel: an SNS topic encrypted with its own KMS key (rotation on), that
 * EventBridge, CloudWatch alarms, AWS Budgets and Cost Anomaly Detection of this account may
 * publish to over TLS only, with an e-mail subscription per address. Also the SQS dead-letter
 * queue that EventBridge targets of this environment's rules use when a delivery keeps failing,
 * and an alarm when that queue is not empty.
 */
export class AlertTopic extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly topic: aws.sns.Topic;
  readonly topicArn: pulumi.Output<string>;
  readonly subscriptions: aws.sns.TopicSubscription[];
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly deadLetterQueueArn: pulumi.Output<string>;
  readonly deadLetterAlarm: aws.cloudwatch.MetricAlarm;

  constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:monitoring:AlertTopic", name, {}, opts);
    assertValidArgs("bdp:monitoring:AlertTopic", name, validateAlertTopicArgs(args));
    const child: pulumi.CustomResourceOptions = { parent: this };
    const identity = aws.getCallerIdentityOutput({}, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this });
    const region = aws.getRegionOutput({}, { parent: this });
    const accountId = identity.accountId;
    const tags = { [TAG_KEYS.component]: "monitoring" };

    this.key = this.declareKey(name, args, partition.partition, accountId, tags);
    this.topic = new aws.sns.Topic(
      `${name}-topic`,
      {
        name: `bdp-${args.environment}-alerts`,
        displayName: `bdp ${args.environment} alerts`,
        kmsMasterKeyId: this.key.arn,
        tags,
      },
      child,
    );
    this.topicArn = this.topic.arn;
    new aws.sns.TopicPolicy(
      `${name}-topic-policy`,
      { arn: this.topic.arn, policy: policyJson(topicPolicyStatements(this.topic.arn, accountId)) },
      child,
    );
    this.subscriptions = args.emails.map(
      (email, index) =>
        new aws.sns.TopicSubscription(
          `${name}-email-${index}`,
          { topic: this.topic.arn, protocol: "email", endpoint: email },
          child,
        ),
    );

    const rulesOfEnvironment = pulumi.interpolate`arn:${partition.partition}:events:${region.region}:${accountId}:rule/${alertRulePrefix(args.environment)}*`;
    this.deadLetterQueue = this.declareDeadLetterQueue(name, args, rulesOfEnvironment, tags);
    this.deadLetterQueueArn = this.deadLetterQueue.arn;
    this.deadLetterAlarm = this.declareDeadLetterAlarm(name, args, tags);

    this.registerOutputs({
      topicArn: this.topicArn,
      keyArn: this.key.arn,
      deadLetterQueueArn: this.deadLetterQueueArn,
    });
  }

  /** Its own key: the AWS managed SNS key cannot be used by CloudWatch, Budgets or EventBridge. */
  private declareKey(
    name: string,
    args: AlertTopicArgs,
    partition: pulumi.Input<string>,
    accountId: pulumi.Input<string>,
    tags: Record<string, string>,
  ): aws.kms.Key {
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Alert topic key of the ${args.environment} environment`,
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: 30,
        policy: policyJson([
          accountRootStatement(partition, accountId),
          {
            Sid: "AlertPublishersUseKey",
            Effect: "Allow",
            Principal: { Service: [...ALERT_PUBLISHERS] },
            Action: ALERT_PUBLISHER_KEY_ACTIONS,
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
        ]),
        tags,
      },
      { parent: this, retainOnDelete: args.retainOnDelete ?? false },
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { name: `alias/bdp-${args.environment}-alerts`, targetKeyId: key.keyId },
      { parent: this },
    );
    return key;
  }

  /** The queue EventBridge targets of this environment's rules dead-letter into; only those rules may. */
  private declareDeadLetterQueue(
    name: string,
    args: AlertTopicArgs,
    rulesOfEnvironment: pulumi.Input<string>,
    tags: Record<string, string>,
  ): aws.sqs.Queue {
    const queue = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        name: `bdp-${args.environment}-alert-dlq`,
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
        tags,
      },
      { parent: this },
    );
    new aws.sqs.QueuePolicy(
      `${name}-dlq-policy`,
      { queueUrl: queue.url, policy: policyJson(deadLetterQueueStatements(queue.arn, rulesOfEnvironment)) },
      { parent: this },
    );
    return queue;
  }

  /** An alert that could not be delivered is itself worth an alert (it may reach people on retry). */
  private declareDeadLetterAlarm(
    name: string,
    args: AlertTopicArgs,
    tags: Record<string, string>,
  ): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
      `${name}-dlq-alarm`,
      {
        name: `bdp-${args.environment}-undelivered-alerts`,
        alarmDescription: `Alerts of the ${args.environment} environment could not be delivered; they wait in the queue bdp-${args.environment}-alert-dlq for 14 days.`,
        ...queueHoldsMessages(this.deadLetterQueue.name),
        alarmActions: [this.topic.arn],
        okActions: [this.topic.arn],
        tags,
      },
      { parent: this },
    );
  }
}

/** Topic policy: the alert publishers of this account may publish, and nobody without TLS. */
export function topicPolicyStatements(
  topicArn: pulumi.Input<string>,
  accountId: pulumi.Input<string>,
): PolicyStatement[] {
  return [
    {
      Sid: "AlertPublishersPublish",
      Effect: "Allow",
      Principal: { Service: [...ALERT_PUBLISHERS] },
      Action: ["sns:Publish"],
      Resource: [topicArn],
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: ["sns:Publish"],
      Resource: [topicArn],
      Condition: { Bool: { "aws:SecureTransport": false } },
    },
  ];
}

/** Queue policy: only this environment's EventBridge rules may dead-letter into the queue, over TLS. */
export function deadLetterQueueStatements(
  queueArn: pulumi.Input<string>,
  ruleArnPattern: pulumi.Input<string>,
): PolicyStatement[] {
  return [
    {
      Sid: "EnvironmentRulesDeadLetter",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["sqs:SendMessage"],
      Resource: [queueArn],
      Condition: { ArnLike: { "aws:SourceArn": ruleArnPattern } },
    },
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
      Resource: [queueArn],
      Condition: { Bool: { "aws:SecureTransport": false } },
    },
  ];
}
