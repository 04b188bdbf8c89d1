import assert from "node:assert/strict";

import { batchEngine, batchJobMode } from "../../../engines/batch";
import { PipelineDefinition, PipelineTrigger } from "../../../decisions/pipeline";

function pipeline(trigger: PipelineTrigger, steps?: PipelineDefinition["steps"]): PipelineDefinition {
  return {
    name: "store-uploads",
    description: "uploads",
    slaTier: "flexible",
    engine: "batch",
    trigger,
    expectedRunsPerMonth: 10,
    expectedRuntimeMinutes: 3,
    timeoutMinutes: 20,
    source: { database: "sales_raw", table: "sales" },
    target: { zone: "curated", prefix: "uploads/sales_by_store/" },
    crawlers: [],
    ...(steps ? { steps } : {}),
    batch: { image: { buildContext: "jobs/sales-aggregator" }, vcpu: 0.5, memoryMiB: 1024, attempts: 2 },
  };
}

const UPLOAD: PipelineTrigger = { type: "s3Upload", prefix: "incoming/sales/", suffix: ".csv" };
const NIGHTLY: PipelineTrigger = { type: "schedule", expression: "cron(0 1 * * ? *)", timezone: "UTC" };

function problems(definition: PipelineDefinition): { path: (string | number)[]; message: string }[] {
  const found: { path: (string | number)[]; message: string }[] = [];
  batchEngine.checkPipeline!(definition, definition.batch as never, (path, message) =>
    found.push({ path, message }),
  );
  return found;
}

describe("Batch engine: settings and job mode", () => {
  it("runs an upload-triggered job on the uploaded object and every other job on a day of uploads", () => {
    assert.equal(batchJobMode(pipeline(UPLOAD)), "object");
    assert.equal(batchJobMode(pipeline(NIGHTLY)), "day");
    assert.equal(batchJobMode(pipeline({ type: "onDemand" })), "day");
  });

  it("rejects steps on an S3-triggered pipeline: the state machine would not pass the uploaded key", () => {
    assert.deepEqual(problems(pipeline(UPLOAD)), []);
    assert.deepEqual(problems(pipeline(NIGHTLY, [{ name: "run", type: "job" }])), []);
    const [problem, ...rest] = problems(pipeline(UPLOAD, [{ name: "run", type: "job" }]));
    assert.deepEqual(rest, []);
    assert.deepEqual(problem.path, ["steps"]);
    assert.match(problem.message, /S3-triggered Batch pipeline runs without steps/);
  });
});
