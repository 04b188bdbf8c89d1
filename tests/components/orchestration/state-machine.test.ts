import { strict as assert } from "assert";
import { PipelineStateMachine } from "../../../components/orchestration/state-machine";
import { actionsOf, invalidActions, statementsWithAction } from "../../support/iam";
import { Synthesized, synthesizeComponents } from "../../support/synth";
import {
  crawler,
  glueJob,
  redshiftSql,
  STEP_KINDS,
  TOPIC,
  assertValidAsl,
} from "../../decisions/orchestration/fixtures";

describe("PipelineStateMachine component", () => {
  let result: Synthesized;
  before(async () => {
    result = await synthesizeComponents((opts) => {
      new PipelineStateMachine(
        "daily-sales",
        {
          machineName: "bdp-test-daily-sales",
          spec: {
            pipelineName: "daily-sales",
            timeoutSeconds: 7200,
            alertTopicArn: TOPIC,
            steps: [glueJob(), crawler(), redshiftSql()],
          },
          stepKinds: STEP_KINDS,
          logRetentionDays: 30,
          logKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
          tags: { pipeline: "daily-sales", "sla-tier": "flexible" },
        },
        opts,
      );
    });
  });

  it("declares a STANDARD state machine whose definition is valid ASL with an overall timeout", async () => {
    const machine = result.one("aws:sfn/stateMachine:StateMachine");
    assert.equal(machine.inputs.type, "STANDARD");
    assert.equal(machine.inputs.name, "bdp-test-daily-sales");
    const definition = result.json(machine, "definition");
    assert.equal(definition.TimeoutSeconds, 7200);
    assertValidAsl(definition);
    const resources = Object.values(definition.States as Record<string, any>).map((state) => state.Resource);
    assert.ok(resources.includes("arn:aws:states:::glue:startJobRun.sync"));
  });

  it("logs every execution at level ALL to an encrypted log group with retention, and traces with X-Ray", () => {
    const machine = result.one("aws:sfn/stateMachine:StateMachine");
    const group = result.one("aws:cloudwatch/logGroup:LogGroup");
    assert.equal(group.inputs.name, "/aws/vendedlogs/states/bdp-test-daily-sales");
    assert.equal(group.inputs.retentionInDays, 30);
    assert.equal(group.inputs.kmsKeyId, "arn:aws:kms:eu-west-1:123456789012:key/k");
    assert.deepEqual(machine.inputs.loggingConfiguration, {
      logDestination: `${group.outputs.arn}:*`,
      includeExecutionData: true,
      level: "ALL",
    });
    assert.deepEqual(machine.inputs.tracingConfiguration, { enabled: true });
  });

  it("creates the state machine after its role's policy, which CreateStateMachine checks", () => {
    const machine = result.one("aws:sfn/stateMachine:StateMachine");
    const policy = result.one("aws:iam/rolePolicy:RolePolicy");
    assert.ok(machine.options.dependsOn.includes(policy.urn), machine.options.dependsOn.join("\n"));
  });

  it("gives the role only the pipeline's own jobs and real, non-wildcard actions", async () => {
    const role = result.one("aws:iam/role:Role");
    assert.deepEqual(result.json(role, "assumeRolePolicy").Statement[0].Principal, {
      Service: "states.amazonaws.com",
    });
    const policy = result.json(result.one("aws:iam/rolePolicy:RolePolicy"), "policy");
    assert.deepEqual(await invalidActions(actionsOf(policy)), []);
    const [glue] = statementsWithAction(policy, "glue:StartJobRun");
    assert.deepEqual(glue.Resource, ["arn:aws:glue:eu-west-1:123456789012:job/sales-daily-transform"]);
    const [publish] = statementsWithAction(policy, "sns:Publish");
    assert.deepEqual(publish.Resource, [TOPIC]);
  });

  it("puts role-only tags (RedshiftDbRoles) on the execution role, and no extra tags when there are none", async () => {
    const tagged = await synthesizeComponents((opts) => {
      new PipelineStateMachine(
        "loader",
        {
          machineName: "bdp-test-loader",
          spec: {
            pipelineName: "loader",
            timeoutSeconds: 7200,
            alertTopicArn: TOPIC,
            steps: [redshiftSql()],
          },
          stepKinds: STEP_KINDS,
          logRetentionDays: 30,
          logKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
          tags: { pipeline: "loader" },
          roleTags: { RedshiftDbRoles: "bdp_loader_role" },
        },
        opts,
      );
    });
    assert.deepEqual(tagged.one("aws:iam/role:Role").inputs.tags, {
      pipeline: "loader",
      RedshiftDbRoles: "bdp_loader_role",
    });
    assert.deepEqual(tagged.one("aws:sfn/stateMachine:StateMachine").inputs.tags, { pipeline: "loader" });
    assert.deepEqual(result.one("aws:iam/role:Role").inputs.tags, {
      pipeline: "daily-sales",
      "sla-tier": "flexible",
    });
  });
});
