import { strict as assert } from "assert";
import { ConfigError } from "../../infra/config";
import { ENGINES, STEP_KINDS } from "../../engines/registry";
import { AnyEngineModule } from "../../engines/contract";
import { RawConfig, validConfig } from "../support/config";
import { Synthesized, synthesizeProgram, synthesizeProgramSettled } from "../support/synth";
import { FAKE_ENGINE_ID, fakeEngine } from "./fake-engine";

const WITH_FAKE = [...ENGINES, fakeEngine];

function configWithCopyPipeline(settings: Record<string, unknown>, slaTier = "standard"): RawConfig {
  const config = validConfig();
  config.pipelines = [
    {
      name: "copy-sales",
      description: "copies raw sales to the curated zone",
      slaTier,
      engine: FAKE_ENGINE_ID,
      trigger: { type: "schedule", expression: "cron(0 3 * * ? *)", timezone: "UTC" },
      expectedRuntimeMinutes: 5,
      timeoutMinutes: 15,
      source: { zone: "raw", prefix: "incoming/sales/" },
      target: { database: "sales_curated", table: "sales_copy" },
      [FAKE_ENGINE_ID]: settings,
    },
  ];
  return config;
}

async function configError(
  config: RawConfig,
  engines: readonly AnyEngineModule[] = WITH_FAKE,
): Promise<ConfigError> {
  const { error } = await synthesizeProgramSettled(config, "test", engines);
  assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
  return error;
}

describe("engine registry", () => {
  it("lists each engine once, with its own step kinds", () => {
    const ids = ENGINES.map((engine) => engine.id);
    assert.deepEqual(ids, ["glue", "emr", "emrServerless", "batch"]);
    const kinds = STEP_KINDS.map((kind) => kind.kind);
    assert.equal(new Set(kinds).size, kinds.length, `duplicate step kinds: ${kinds.join(", ")}`);
    assert.deepEqual(kinds, [
      "glueJob",
      "emrTransientStep",
      "emrServerlessJob",
      "batchJob",
      "crawler",
      "redshiftSql",
      "stateMachine",
    ]);
  });

  describe("a fifth engine registered next to the others needs no other change", () => {
    let result: Synthesized;
    before(async () => {
      result = await synthesizeProgram(
        configWithCopyPipeline({ memoryMiB: 512, reservedConcurrency: 1 }),
        "test",
        WITH_FAKE,
      );
    });

    it("declares the engine's resources for the pipeline", () => {
      const role = result.one("aws:iam/role:Role", "bdp-test-copy-sales-copy");
      assert.equal(
        JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal.Service,
        "lambda.amazonaws.com",
      );
    });

    it("runs the pipeline in a state machine built with the engine's step kind and statements", () => {
      const machine = result.one("aws:sfn/stateMachine:StateMachine", "bdp-test-copy-sales-machine");
      const definition = result.json(machine, "definition");
      assert.equal(definition.States.run.Resource, "arn:aws:states:::lambda:invoke");
      assert.equal(
        definition.States.run.Parameters.FunctionName,
        "arn:aws:lambda:eu-west-1:123456789012:function:bdp-test-copy-sales",
      );
      const policy = result
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .filter((candidate) => candidate.name === "bdp-test-copy-sales-role")
        .map((candidate) => result.json(candidate, "policy"))[0];
      const invoke = policy.Statement.find((statement: any) => statement.Sid === "InvokeCopyFunctions");
      assert.deepEqual(invoke.Resource, [
        "arn:aws:lambda:eu-west-1:123456789012:function:bdp-test-copy-sales",
      ]);
    });

    it("alerts on its failures, alarms on its runs and shows it on the dashboard", () => {
      const rule = result.one("aws:cloudwatch/eventRule:EventRule", "copy-function-failed");
      assert.equal(rule.inputs.name, "bdp-test-copy-function-failed");
      assert.ok(
        result
          .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
          .some((alarm) => alarm.inputs.name === "bdp-test-copyFunction-failures"),
      );
      assert.ok(
        result
          .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
          .some((alarm) => alarm.inputs.name === "bdp-test-copy-sales-failed"),
      );
      const body = result.json(result.one("aws:cloudwatch/dashboard:Dashboard"), "dashboardBody");
      assert.ok(body.widgets.some((widget: any) => widget.properties.title === "Copy functions: errors"));
    });

    it("grants its catalog principal the pipeline's target database", () => {
      const grants = result
        .ofType("aws:lakeformation/permissions:Permissions")
        .filter((grant) => grant.name.startsWith("bdp-test-copy-sales-lf"));
      assert.ok(grants.length > 0, "no Lake Formation grants for the copy pipeline");
    });

    it("prices the pipeline and reports the orchestration in the stack outputs", () => {
      const outputs = result.stackOutputs as any;
      assert.equal(outputs.pipelines["copy-sales"].engine, FAKE_ENGINE_ID);
      assert.equal(outputs.pipelines["copy-sales"].orchestration, "stepFunctions");
      const cost = outputs.costEstimate.pipelines.find((pipeline: any) => pipeline.name === "copy-sales");
      assert.ok(cost.compute > 0, "the copy pipeline has no compute cost");
    });
  });

  it("validates the engine's settings and checks, naming the config key", async () => {
    const error = await configError(
      configWithCopyPipeline({ memoryMiB: 64, reservedConcurrency: 1 }, "critical"),
    );
    const keys = error.problems.map((problem) => problem.key);
    assert.ok(
      keys.some((key) => key.startsWith(`batch-data-platform:pipelines[0].${FAKE_ENGINE_ID}.memoryMiB`)),
      keys.join("\n"),
    );
    const valid = await configError(
      configWithCopyPipeline({ memoryMiB: 256, reservedConcurrency: 1 }, "critical"),
    );
    assert.deepEqual(
      valid.problems.map((problem) => [problem.key, problem.message]),
      [
        [
          `batch-data-platform:pipelines[0].${FAKE_ENGINE_ID}.reservedConcurrency [pipeline "copy-sales"]`,
          "critical copies keep a spare: at least 2",
        ],
      ],
    );
  });

  it("rejects a pipeline of an engine that is not registered", async () => {
    const error = await configError(
      configWithCopyPipeline({ memoryMiB: 512, reservedConcurrency: 1 }),
      ENGINES,
    );
    assert.ok(
      error.problems.some((problem) => problem.key.startsWith("batch-data-platform:pipelines[0].engine")),
      error.message,
    );
  });
});
