import assert from "node:assert/strict";

import { batchJob, definitionOf, spec, state } from "../../decisions/orchestration/fixtures";

describe("Batch engine: state-machine step", () => {
  it("Batch: submitJob.sync with queue, definition, name, environment and Batch's own timeout", () => {
    const step = batchJob();
    const task = state(definitionOf(spec([step])), step.name);
    assert.equal(task.Resource, "arn:aws:states:::batch:submitJob.sync");
    assert.equal(task.Parameters?.JobQueue, step.jobQueueArn);
    assert.equal(task.Parameters?.JobDefinition, step.jobDefinitionArn);
    assert.equal(task.Parameters?.JobName, step.jobName);
    assert.deepEqual(task.Parameters?.ContainerOverrides, {
      Environment: [
        { Name: "RUN_DATE", Value: "2026-01-01" },
        { Name: "TARGET", Value: "s3://exports/partners/" },
      ],
    });
    assert.deepEqual(task.Parameters?.Timeout, { AttemptDurationSeconds: step.timeoutSeconds });
    const retried = task.Retry?.flatMap((retrier) => retrier.ErrorEquals);
    assert.ok(retried?.includes("Batch.AWSBatchException"));
  });
});
