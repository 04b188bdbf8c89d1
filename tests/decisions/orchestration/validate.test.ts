import assert from "node:assert/strict";

import { StateMachineSpec, StateMachineSpecError } from "../../../decisions/orchestration";
import {
  batchJob,
  crawler,
  definitionOf,
  emrServerless,
  emrTransient,
  glueJob,
  problemsOf,
  nestedMachine,
  redshiftBatch,
  redshiftSql,
  spec,
} from "./fixtures";

/** Asserts the builder throws a StateMachineSpecError whose message contains every expected fragment. */
function assertRejected(input: StateMachineSpec, ...expected: (string | RegExp)[]): void {
  assert.throws(
    () => definitionOf(input),
    (error: unknown) => {
      assert.ok(error instanceof StateMachineSpecError, String(error));
      assert.ok(error.message.includes(`pipeline "${input.pipelineName}"`), error.message);
      for (const fragment of expected) {
        if (typeof fragment === "string") assert.ok(error.message.includes(fragment), error.message);
        else assert.match(error.message, fragment);
      }
      return true;
    },
  );
}

describe("orchestration: invalid specs are rejected with clear errors", () => {
  it("accepts the fixtures", () => {
    assert.deepEqual(
      problemsOf(spec([glueJob(), crawler(), emrTransient(), emrServerless(), batchJob(), redshiftSql()])),
      [],
    );
  });

  it("rejects an empty step list", () => {
    assertRejected(spec([]), "steps must list at least one step");
  });

  it("rejects duplicate step names, naming the duplicate", () => {
    assertRejected(
      spec([glueJob({ name: "transform" }), crawler({ name: "transform" })]),
      'step 2 "transform": duplicate step name "transform"',
    );
  });

  for (const timeoutSeconds of [0, -1, 1.5, Number.NaN]) {
    it(`rejects a machine timeout of ${timeoutSeconds}`, () => {
      assertRejected(
        spec([glueJob()], { timeoutSeconds }),
        "timeoutSeconds must be a whole number of seconds > 0",
      );
    });

    it(`rejects a step timeout of ${timeoutSeconds}`, () => {
      assertRejected(
        spec([glueJob(), batchJob({ timeoutSeconds })]),
        `step 2 "export-partners": timeoutSeconds must be a whole number of seconds > 0`,
      );
    });
  }

  it("rejects a machine timeout beyond a year and a step longer than the machine", () => {
    assertRejected(spec([glueJob()], { timeoutSeconds: 366 * 24 * 3600 }), "at most 31536000");
    assertRejected(
      spec([glueJob({ timeoutSeconds: 7200 })], { timeoutSeconds: 3600 }),
      "timeoutSeconds 7200 exceeds the machine's 3600",
    );
  });

  it("lists every problem at once", () => {
    assertRejected(
      spec([glueJob({ timeoutSeconds: 0 }), glueJob({ timeoutSeconds: 0 })], { alertTopicArn: "alerts" }),
      "alertTopicArn must be an SNS topic ARN",
      'step 1 "transform-sales": timeoutSeconds',
      'step 2 "transform-sales": duplicate step name',
      'step 2 "transform-sales": timeoutSeconds',
    );
  });

  it("rejects bad and reserved step names", () => {
    assertRejected(spec([glueJob({ name: "has space" })]), "name must be 1-48 letters");
    assertRejected(spec([glueJob({ name: "x".repeat(49) })]), "name must be 1-48 letters");
    assertRejected(spec([glueJob({ name: "NotifyFailure" })]), 'name "NotifyFailure" is reserved');
  });

  it("rejects a bad pipeline name, topic, KMS key or partition", () => {
    assertRejected(spec([glueJob()], { pipelineName: "sales daily" }), "pipelineName must be");
    assertRejected(
      spec([glueJob()], { alertTopicArn: "arn:aws:sqs:eu-west-1:123456789012:q" }),
      "alertTopicArn",
    );
    assertRejected(spec([glueJob()], { alertTopicKmsKeyArn: "alias/aws/sns" }), "alertTopicKmsKeyArn");
    assertRejected(spec([glueJob()], { partition: "aws-eu" as never }), "partition must be");
  });

  it("rejects Glue arguments without -- or shaped like a JSONPath field", () => {
    assertRejected(
      spec([glueJob({ arguments: { run_date: "x" } })]),
      'argument "run_date" must start with "--"',
    );
    assertRejected(
      spec([glueJob({ arguments: { "--input.$": "$.input" } })]),
      'argument "--input.$" must not end',
    );
  });

  it("rejects a crawler poll interval that is not shorter than its timeout", () => {
    assertRejected(spec([crawler({ pollSeconds: 0 })]), "pollSeconds must be a whole number");
    assertRejected(
      spec([crawler({ pollSeconds: 1800 })]),
      "pollSeconds 1800 must be shorter than timeoutSeconds 1800",
    );
  });

  it("rejects a transient cluster that could outlive the machine or that createCluster would refuse", () => {
    const base = emrTransient();
    const { AutoTerminationPolicy: _omitted, ...withoutAutoTermination } = base.clusterConfig;
    assertRejected(
      spec([emrTransient({ clusterConfig: withoutAutoTermination as typeof base.clusterConfig })]),
      "clusterConfig.AutoTerminationPolicy.IdleTimeout is required",
    );
    assertRejected(
      spec([emrTransient({ clusterConfig: { ...base.clusterConfig, Steps: [] } })]),
      "clusterConfig.Steps is not allowed",
    );
    assertRejected(
      spec([
        emrTransient({
          clusterConfig: {
            ...base.clusterConfig,
            Instances: { ...base.clusterConfig.Instances, KeepJobFlowAliveWhenNoSteps: false },
          },
        }),
      ]),
      "KeepJobFlowAliveWhenNoSteps must be true",
    );
    assertRejected(
      spec([emrTransient({ clusterConfig: { ...base.clusterConfig, ServiceRole: "someone-elses-role" } })]),
      'clusterConfig.ServiceRole "someone-elses-role" is not the role of serviceRoleArn',
    );
    assertRejected(
      spec([
        emrTransient({
          clusterConfig: { ...base.clusterConfig, Tags: [{ Key: "pipeline", Value: "other" }] },
        }),
      ]),
      'clusterConfig.Tags has pipeline="other"',
    );
    assertRejected(
      spec([emrTransient({ clusterConfig: { ...base.clusterConfig, AutoScalingRole: "emr-autoscaling" } })]),
      "give its autoScalingRoleArn",
    );
    assertRejected(
      spec([
        emrTransient({ clusterConfig: { ...base.clusterConfig, LogUri: undefined, "LogUri.$": "$.logs" } }),
      ]),
      'clusterConfig.LogUri.$ must not end with ".$"',
    );
    assertRejected(
      spec([emrTransient({ step: { name: "s", args: [] } })]),
      "step.args must be a non-empty list",
    );
    assertRejected(
      spec([emrTransient({ serviceRoleArn: "platform-emr-service" })]),
      "serviceRoleArn must be an IAM role ARN",
    );
  });

  it("rejects a bad EMR Serverless or Batch step", () => {
    assertRejected(spec([emrServerless({ applicationId: "My App" })]), "applicationId must be");
    assertRejected(
      spec([emrServerless({ executionRoleArn: "role" })]),
      "executionRoleArn must be an IAM role ARN",
    );
    assertRejected(
      spec([batchJob({ jobQueueArn: "platform-fargate" })]),
      "jobQueueArn must be a Batch job queue ARN",
    );
    assertRejected(
      spec([batchJob({ containerOverrides: { environment: { AWS_BATCH_JOB_ID: "x" } } })]),
      'environment variable "AWS_BATCH_JOB_ID" is reserved',
    );
  });

  it("rejects a Redshift step without exactly one target, or with mixed credentials", () => {
    assertRejected(
      spec([redshiftSql({ clusterIdentifier: "legacy-dw" })]),
      "exactly one of workgroupName and clusterIdentifier",
    );
    assertRejected(
      spec([redshiftSql({ workgroupName: undefined, workgroupArn: undefined })]),
      "exactly one of workgroupName and clusterIdentifier",
    );
    assertRejected(spec([redshiftSql({ dbUser: "etl" })]), "dbUser only goes with clusterIdentifier");
    assertRejected(
      spec([
        redshiftSql({
          workgroupName: undefined,
          workgroupArn: undefined,
          clusterIdentifier: "legacy-dw",
          dbUser: "etl",
          secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:etl-AbCdEf",
        }),
      ]),
      "either dbUser or secretArn",
    );
    assertRejected(spec([redshiftSql({ sql: " " })]), "sql must be a non-empty statement");
    assertRejected(spec([redshiftSql({ sql: undefined })]), "exactly one of sql (one statement) and sqls");
    assertRejected(
      spec([redshiftSql({ sqls: ["DELETE FROM t"] })]),
      "exactly one of sql (one statement) and sqls",
    );
    assertRejected(
      spec([redshiftSql({ sql: undefined, sqls: [] })]),
      "sqls must list 1 to 40 non-empty statements",
    );
    assertRejected(
      spec([redshiftSql({ sql: undefined, sqls: Array.from({ length: 41 }, (_, n) => `SELECT ${n}`) })]),
      "sqls must list 1 to 40",
    );
  });

  it("rejects a nested machine this step could give up on, or that is not a state machine", () => {
    assertRejected(
      spec([nestedMachine({ timeoutSeconds: 1440 })]),
      "timeoutSeconds 1440 must exceed the child's TimeoutSeconds 1440",
    );
    assertRejected(
      spec([nestedMachine({ stateMachineArn: "setup" })]),
      "stateMachineArn must be a Step Functions state machine ARN",
    );
  });

  it("rejects a secret key without a secret", () => {
    assertRejected(
      spec([redshiftSql({ secretKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc" })]),
      "secretKmsKeyArn must be a KMS key ARN, and only goes with secretArn",
    );
    assert.deepEqual(problemsOf(spec([redshiftBatch()])), []);
  });

  it("rejects an unknown step kind", () => {
    assertRejected(spec([{ ...glueJob(), kind: "lambda" } as never]), 'unknown kind "lambda"');
  });
});
