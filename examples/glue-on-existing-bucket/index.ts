/**
 * A team's Glue pipeline on a bucket that exists already: the team brings the bucket and its KMS
 * key; the platform's components add the encrypted Glue security configuration, the job (its
 * script uploaded under `scripts/clean-orders/` of that bucket, a role that reaches only the
 * job's prefixes), a nightly Glue trigger, and the alerting the policy pack asks for (an alert
 * topic, a failure rule and the job's alarms). Every physical name starts with `team`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  AlertTopic,
  BucketRef,
  EtlJob,
  FailureEvents,
  GlueSecurityConfiguration,
  glueJobAlarms,
  glueJobFailureRules,
  PipelineAlarms,
  S3Location,
  s3Uri,
} from "batch-data-platform";

const config = new pulumi.Config();
const team = config.require("team");
const alertEmails = config.requireObject<string[]>("alertEmails");

// The team's bucket and key, looked up rather than declared: this program never replaces them.
const existing = aws.s3.getBucketOutput({ bucket: config.require("bucketName") });
const bucket: BucketRef = { name: existing.bucket, arn: existing.arn };
const keyArn = config.require("kmsKeyArn");
const inBucket = (prefix: string): S3Location => ({ bucketName: bucket.name, bucketArn: bucket.arn, prefix });

const pipeline = "clean-orders";
const source = inBucket("incoming/orders/");
const target = inBucket("clean/orders/");

const security = new GlueSecurityConfiguration(`${team}-glue`, { dataLake: { keyArn } });

const job = new EtlJob(`${team}-${pipeline}`, {
  pipeline,
  slaTier: "flexible",
  description: "Cleans the day's raw order files into Parquet",
  scriptPath: "jobs/clean_orders.py",
  workerType: "G.1X",
  numberOfWorkers: 2,
  timeoutMinutes: 60,
  maxRetries: 1,
  incremental: true,
  sources: [source],
  targets: [target],
  databases: [],
  jobArguments: { "--source": s3Uri(source), "--target": s3Uri(target) },
  // The script and Glue's temporary files go to the same bucket, under scripts/ and tmp/.
  dataLake: { keyArn, artifacts: bucket },
  securityConfigurationName: security.name,
  logRetentionDays: 30,
});

new aws.glue.Trigger(`${team}-${pipeline}-nightly`, {
  type: "SCHEDULED",
  schedule: "cron(0 3 * * ? *)",
  actions: [{ jobName: job.jobName }],
});

const alerts = new AlertTopic(`${team}-alerts`, { emails: alertEmails });
const failures = new FailureEvents(`${team}-failures`, {
  // The alert topic's dead-letter queue takes only rules named after its prefix.
  namePrefix: alerts.namePrefix,
  alertTopicArn: alerts.topicArn,
  deadLetterQueueArn: alerts.deadLetterQueueArn,
  rules: glueJobFailureRules(team, [job.jobName]),
});
new PipelineAlarms(`${team}-${pipeline}`, {
  pipeline,
  slaTier: "flexible",
  alertTopicArn: alerts.topicArn,
  alarms: glueJobAlarms(
    { pipeline, scheduleExpression: "cron(0 3 * * ? *)", expectedRuntimeMinutes: 20, timeoutMinutes: 60 },
    job.jobName,
  ),
});

export const jobName = job.jobName;
export const scriptLocation = job.scriptLocation;
export const failureRules = failures.ruleNames();
