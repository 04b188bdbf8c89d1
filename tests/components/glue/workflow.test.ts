import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  chain,
  GlueWorkflow,
  GlueWorkflowArgs,
  jobThenCrawlers,
  validateGlueWorkflowArgs,
} from "../../../components/glue/workflow";
import { policyJson } from "../../../components/shared/iam";
import { actionsOf, invalidActions } from "../../support/iam";
import { resolved, Synthesized, synthesizeComponents } from "../../support/synth";
import { assertOnlyProblem, invalidArgsError } from "../../support/problems";
import { ACCOUNT, REGION } from "./fixtures";

const TRIGGER = "aws:glue/trigger:Trigger";

function synthesizeWorkflow(overrides: Partial<GlueWorkflowArgs> = {}): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    new GlueWorkflow(
      "daily-sales",
      {
        pipeline: "daily-sales",
        slaTier: "standard",
        start: { type: "schedule", expression: "cron(0 3 * * ? *)" },
        stages: jobThenCrawlers("daily-sales-job", ["curated-sales", "curated-stores"]),
        ...overrides,
      },
      opts,
    );
  });
}

describe("GlueWorkflow component", () => {
  let result: Synthesized;
  before(async () => {
    result = await synthesizeWorkflow();
  });

  it("runs one workflow run at a time", () => {
    const workflow = result.one("aws:glue/workflow:Workflow");
    assert.equal(workflow.inputs.name, "daily-sales");
    assert.equal(workflow.inputs.maxConcurrentRuns, 1);
    assert.equal(workflow.inputs.tags["sla-tier"], "standard");
    assert.equal(result.componentOf(workflow), "bdp:glue:Workflow");
  });

  it("starts the job on the schedule, active from creation", () => {
    const start = result.one(TRIGGER, "-start");
    assert.equal(start.inputs.type, "SCHEDULED");
    assert.equal(start.inputs.schedule, "cron(0 3 * * ? *)");
    assert.equal(start.inputs.startOnCreation, true);
    assert.equal(start.inputs.workflowName, "daily-sales");
    assert.deepEqual(start.inputs.actions, [{ jobName: "daily-sales-job" }]);
  });

  it("starts every crawler once the job SUCCEEDED", () => {
    const stage = result.one(TRIGGER, "-stage-1");
    assert.equal(stage.inputs.type, "CONDITIONAL");
    assert.equal(stage.inputs.startOnCreation, true);
    assert.equal(stage.inputs.workflowName, "daily-sales");
    assert.deepEqual(stage.inputs.predicate, {
      logical: "AND",
      conditions: [{ jobName: "daily-sales-job", state: "SUCCEEDED", logicalOperator: "EQUALS" }],
    });
    assert.deepEqual(stage.inputs.actions, [
      { crawlerName: "curated-sales" },
      { crawlerName: "curated-stores" },
    ]);
    assert.equal(result.ofType(TRIGGER).length, 2);
  });

  it("chains job -> crawler -> next job, each waiting for the one before", async () => {
    const chained = await synthesizeWorkflow({
      start: { type: "onDemand" },
      stages: chain({ job: "load" }, { crawler: "curated-sales" }, { job: "aggregate", timeoutMinutes: 30 }),
    });
    const start = chained.one(TRIGGER, "-start");
    assert.equal(start.inputs.type, "ON_DEMAND");
    assert.equal(start.inputs.startOnCreation, undefined, "ON_DEMAND triggers cannot start on creation");
    const second = chained.one(TRIGGER, "-stage-1");
    assert.deepEqual(second.inputs.predicate.conditions, [
      { jobName: "load", state: "SUCCEEDED", logicalOperator: "EQUALS" },
    ]);
    const third = chained.one(TRIGGER, "-stage-2");
    assert.deepEqual(third.inputs.predicate.conditions, [
      { crawlerName: "curated-sales", crawlState: "SUCCEEDED", logicalOperator: "EQUALS" },
    ]);
    assert.deepEqual(third.inputs.actions, [{ jobName: "aggregate", timeout: 30 }]);
  });

  it("waits for all actions of a parallel stage", async () => {
    const parallel = await synthesizeWorkflow({
      stages: [[{ job: "a" }, { job: "b" }], [{ crawler: "c" }]],
    });
    assert.deepEqual(parallel.one(TRIGGER, "-stage-1").inputs.predicate, {
      logical: "AND",
      conditions: [
        { jobName: "a", state: "SUCCEEDED", logicalOperator: "EQUALS" },
        { jobName: "b", state: "SUCCEEDED", logicalOperator: "EQUALS" },
      ],
    });
  });

  it("starts from EventBridge events in batches, and tells rule roles what to allow", async () => {
    let document: pulumi.Output<string> | undefined;
    const events = await synthesizeComponents((opts) => {
      const workflow = new GlueWorkflow(
        "uploads",
        {
          pipeline: "uploads",
          slaTier: "flexible",
          start: { type: "event", batchSize: 10, batchWindowSeconds: 300 },
          stages: jobThenCrawlers("uploads-job", []),
        },
        opts,
      );
      document = policyJson([workflow.notifyEventStatement()]);
    });
    const start = events.one(TRIGGER, "-start");
    assert.equal(start.inputs.type, "EVENT");
    assert.deepEqual(start.inputs.eventBatchingConditions, [{ batchSize: 10, batchWindow: 300 }]);
    assert.equal(events.ofType(TRIGGER).length, 1);
    const policy = JSON.parse(await resolved(document!));
    assert.deepEqual(await invalidActions(actionsOf(policy)), []);
    assert.deepEqual(policy.Statement[0].Resource, [`arn:aws:glue:${REGION}:${ACCOUNT}:workflow/uploads`]);
  });

  it("rejects invalid args with one error that lists every problem", async () => {
    await assert.rejects(
      synthesizeWorkflow({ start: { type: "event", batchSize: 101 }, stages: [[{ job: "a" }], []] }),
      invalidArgsError(
        "bdp:glue:Workflow daily-sales",
        /stages\[1\]: needs at least one action/,
        /start\.batchSize: must be 1 to 100 \(given: 101\)/,
      ),
    );
  });
});

describe("validateGlueWorkflowArgs", () => {
  const stages = jobThenCrawlers("job", ["crawler"]);

  it("accepts each kind of start", () => {
    for (const start of [
      { type: "schedule", expression: "cron(0 3 * * ? *)" },
      { type: "onDemand" },
      { type: "event", batchSize: 100, batchWindowSeconds: 900 },
    ] as GlueWorkflowArgs["start"][]) {
      assert.deepEqual(validateGlueWorkflowArgs({ start, stages }), [], JSON.stringify(start));
    }
  });

  const invalid: [string, Pick<GlueWorkflowArgs, "start" | "stages">, string, RegExp][] = [
    [
      "a rate() schedule",
      { start: { type: "schedule", expression: "rate(1 day)" }, stages },
      "start.expression",
      /rate\(\) is not supported/,
    ],
    [
      "an empty stage",
      { start: { type: "onDemand" }, stages: [[{ job: "a" }], []] },
      "stages[1]",
      /at least one action/,
    ],
    ["no stages", { start: { type: "onDemand" }, stages: [] }, "stages", /at least one stage/],
    [
      "an oversized event batch",
      { start: { type: "event", batchSize: 101 }, stages },
      "start.batchSize",
      /must be 1 to 100/,
    ],
    [
      "a batch window over 15 minutes",
      { start: { type: "event", batchSize: 5, batchWindowSeconds: 901 }, stages },
      "start.batchWindowSeconds",
      /must be 1 to 900/,
    ],
  ];
  for (const [what, args, field, message] of invalid) {
    it(`rejects ${what} at ${field}`, () => {
      assertOnlyProblem(validateGlueWorkflowArgs(args), field, message);
    });
  }
});
