import assert from "node:assert/strict";

import { definitionOf, emrServerless, spec, state } from "../../decisions/orchestration/fixtures";

describe("EMR Serverless engine: state-machine step", () => {
  it("EMR Serverless: startJobRun.sync with application, role, Spark driver and an idempotency token", () => {
    const step = emrServerless();
    const task = state(definitionOf(spec([step])), step.name);
    assert.equal(task.Resource, "arn:aws:states:::emr-serverless:startJobRun.sync");
    assert.equal(task.Parameters?.ApplicationId, step.applicationId);
    assert.equal(task.Parameters?.ExecutionRoleArn, step.executionRoleArn);
    assert.deepEqual(task.Parameters?.JobDriver, {
      SparkSubmit: {
        EntryPoint: step.entryPoint,
        EntryPointArguments: step.entryPointArguments,
        SparkSubmitParameters: step.sparkSubmitParameters,
      },
    });
    assert.match(String(task.Parameters?.["ClientToken.$"]), /^States\.Hash\(States\.Format\(/);
    assert.equal(task.TimeoutSeconds, step.timeoutSeconds);
  });
});

describe("EMR Serverless engine: the job run's own timeout", () => {
  it("caps the run server-side with ExecutionTimeoutMinutes (default would be 12 hours), rounded up from the step's timeout", () => {
    for (const [timeoutSeconds, minutes] of [
      [5400, 90],
      [5401, 91],
      [30, 1],
    ]) {
      const step = emrServerless({ timeoutSeconds });
      const task = state(definitionOf(spec([step])), step.name);
      assert.equal(task.Parameters?.ExecutionTimeoutMinutes, minutes, `timeoutSeconds ${timeoutSeconds}`);
      assert.equal(task.TimeoutSeconds, timeoutSeconds);
    }
  });
});
