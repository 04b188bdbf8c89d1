import assert from "node:assert/strict";

import { PIPELINE_SUCCEEDED } from "../../../decisions/orchestration";
import { definitionOf, glueJob, spec, state } from "../../decisions/orchestration/fixtures";

describe("Glue engine: state-machine step", () => {
  it("glue job: startJobRun.sync with the job, its arguments and the step's timeout", () => {
    const step = glueJob();
    const definition = definitionOf(spec([step]));
    const task = state(definition, step.name);
    assert.equal(task.Resource, "arn:aws:states:::glue:startJobRun.sync");
    assert.equal(task.Parameters?.JobName, step.jobName);
    assert.deepEqual(task.Parameters?.Arguments, step.arguments);
    assert.equal(task.Parameters?.Timeout, 60);
    assert.equal(task.TimeoutSeconds, step.timeoutSeconds);
    assert.equal(task.Next, PIPELINE_SUCCEEDED);
    const retried = task.Retry?.flatMap((retrier) => retrier.ErrorEquals);
    assert.ok(retried?.includes("Glue.ConcurrentRunsExceededException"));
  });
});
