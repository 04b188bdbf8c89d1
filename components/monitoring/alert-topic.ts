import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson, PolicyStatement } from "../shared/iam";
import { TAG_KEYS } from "../shared/tags";
import { accountRootStatement } from "../storage/kms";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import { assertValidArgs } from "../shared/args";
import { awsScope } from "../shared/aws-scope";
import { NamePrefixArgs, namePrefixOf } from "../shared/names";
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
 * Name prefix of the EventBridge rules that may dead-letter into an alert topic's queue: the
 * topic's name prefix and "-". Name the rules that use the queue `${alertRulePrefix(prefix)}...`
 * (FailureEvents does, given the same namePrefix).
 */
export function alertRulePrefix(namePrefix: string): string {
  return `${namePrefix}-`;
}

/**
 * Physical names: topic `<namePrefix>-alerts`, key alias `alias/<namePrefix>-alerts`, queue
 * `<namePrefix>-alert-dlq`, alarm `<namePrefix>-undelivered-alerts`.
 */
export interface AlertTopicArgs extends NamePrefixArgs {
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
 * An alert channel: an SNS topic encrypted with its own KMS key (rotation on), that
 * EventBridge, CloudWatch alarms, AWS Budgets and Cost Anomaly Detection of this account may
 * publish to over TLS only, with an e-mail subscription per address. Also the SQS dead-letter
 * queue that EventBridge targets of rules named `<namePrefix>-*` use when a delivery keeps failing,
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
  /** The start of the topic's physical names (namePrefixOf). */
  readonly namePrefix: string;
  /** Only EventBridge rules whose names start with this may dead-letter into the queue. */
  readonly ruleNamePrefix: string;

  constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:monitoring:AlertTopic", name, {}, opts);
    assertValidArgs("bdp:monitoring:AlertTopic", name, validateAlertTopicArgs(args));
    this.namePrefix = namePrefixOf(name, args);
    this.ruleNamePrefix = alertRulePrefix(this.namePrefix);
    const child: pulumi.CustomResourceOptions = { parent: this };
    const { partition, region, accountId } = awsScope(this);
    const tags = { [TAG_KEYS.component]: "monitoring" };

    this.key = this.declareKey(name, args, partition, accountId, tags);
    this.topic = new aws.sns.Topic(
      `${name}-topic`,
      {
        name: `${this.namePrefix}-alerts`,
        displayName: `${this.namePrefix} alerts`,
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

    const allowedRules = pulumi.interpolate`arn:${partition}:events:${region}:${accountId}:rule/${this.ruleNamePrefix}*`;
    this.deadLetterQueue = this.declareDeadLetterQueue(name, allowedRules, tags);
    this.deadLetterQueueArn = this.deadLetterQueue.arn;
    this.deadLetterAlarm = this.declareDeadLetterAlarm(name, tags);

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
        description: `Alert topic key of ${this.namePrefix}`,
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
      { name: `alias/${this.namePrefix}-alerts`, targetKeyId: key.keyId },
      { parent: this },
    );
    return key;
  }

  /** The queue EventBridge targets of the allowed rules dead-letter into; only those rules may. */
  private declareDeadLetterQueue(
    name: string,
    allowedRules: pulumi.Input<string>,
    tags: Record<string, string>,
  ): aws.sqs.Queue {
    const queue = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        name: `${this.namePrefix}-alert-dlq`,
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
        tags,
      },
      { parent: this },
    );
    new aws.sqs.QueuePolicy(
      `${name}-dlq-policy`,
      { queueUrl: queue.url, policy: policyJson(deadLetterQueueStatements(queue.arn, allowedRules)) },
      { parent: this },
    );
    return queue;
  }

  /** An alert that could not be delivered is itself worth an alert (it may reach people on retry). */
  private declareDeadLetterAlarm(name: string, tags: Record<string, string>): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
      `${name}-dlq-alarm`,
      {
        name: `${this.namePrefix}-undelivered-alerts`,
        alarmDescription: `Alerts of ${this.namePrefix} could not be delivered; they wait in the queue ${this.namePrefix}-alert-dlq for 14 days.`,
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

/** Queue policy: only the allowed EventBridge rules may dead-letter into the queue, over TLS. */
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
