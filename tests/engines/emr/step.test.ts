import assert from "node:assert/strict";

import {
  API_CALL_TIMEOUT_SECONDS,
  NOTIFY_FAILURE,
  PIPELINE_FAILED,
  checkExecutionPaths,
  resultKey,
} from "../../../decisions/orchestration";
import { EMR_CLUSTER_LIFECYCLE } from "../../../engines/emr/step";
import {
  definitionOf,
  emrTransient,
  glueJob,
  reachable,
  spec,
  state,
  TOPIC,
} from "../../decisions/orchestration/fixtures";

const TERMINATE = "arn:aws:states:::elasticmapreduce:terminateCluster";

describe("EMR engine: transient cluster step", () => {
  const step = emrTransient();
  const definition = definitionOf(spec([step, glueJob()]));
  const key = resultKey(0, step);
  const create = state(definition, `${step.name} CreateCluster`);
  const run = state(definition, String(create.Next));
  const terminate = state(definition, String(run.Next));

  it("creates the cluster with createCluster.sync and keeps the cluster id at its ResultPath", () => {
    assert.equal(definition.StartAt, `${step.name} CreateCluster`);
    assert.equal(create.Resource, "arn:aws:states:::elasticmapreduce:createCluster.sync");
    assert.equal(create.ResultPath, `$.${key}`);
    const parameters = create.Parameters as Record<string, any>;
    assert.equal(parameters.Name, step.clusterConfig.Name);
    assert.equal(parameters.ReleaseLabel, step.clusterConfig.ReleaseLabel);
    assert.deepEqual(parameters.Instances.InstanceFleets, step.clusterConfig.Instances.InstanceFleets);
    assert.equal(parameters.Instances.KeepJobFlowAliveWhenNoSteps, true);
    assert.deepEqual(parameters.AutoTerminationPolicy, { IdleTimeout: 900 });
    assert.deepEqual(parameters.Tags, [
      { Key: "cost-center", Value: "analytics" },
      { Key: "pipeline", Value: "sales-daily" },
    ]);
    assert.ok(!("Steps" in parameters));
    // The input spec is not modified.
    assert.equal(step.clusterConfig.Instances.KeepJobFlowAliveWhenNoSteps, undefined);
    assert.equal(step.clusterConfig.Tags?.length, 1);
  });

  it("adds the Spark step with addStep.sync, ActionOnFailure CONTINUE, on the created cluster", () => {
    assert.equal(run.Resource, "arn:aws:states:::elasticmapreduce:addStep.sync");
    assert.deepEqual(run.Parameters, {
      "ClusterId.$": `$.${key}.ClusterId`,
      Step: {
        Name: step.step.name,
        ActionOnFailure: "CONTINUE",
        HadoopJarStep: { Jar: "command-runner.jar", Args: step.step.args },
      },
    });
    assert.equal(run.TimeoutSeconds, step.timeoutSeconds);
  });

  it("terminates the cluster with terminateCluster (request/response), then goes on to the next step", () => {
    assert.equal(terminate.Resource, TERMINATE);
    assert.deepEqual(terminate.Parameters, { "ClusterId.$": `$.${key}.ClusterId` });
    assert.equal(terminate.Next, glueJob().name);
  });

  it("on a failed step, terminates the cluster before alerting and failing", () => {
    const catcher = run.Catch?.find((c) => c.ErrorEquals.includes("States.ALL"));
    assert.ok(catcher);
    assert.equal(catcher.ResultPath, "$.error");
    const onFailure = state(definition, catcher.Next);
    assert.equal(onFailure.Resource, TERMINATE);
    assert.deepEqual(onFailure.Parameters, { "ClusterId.$": `$.${key}.ClusterId` });
    // Walk the graph: with every terminate state removed, the Fail state is unreachable from the step's catch.
    const terminates = Object.entries(definition.States)
      .filter(([, s]) => s.Resource === TERMINATE)
      .map(([name]) => name);
    assert.ok(!reachable(definition, catcher.Next, terminates).has(PIPELINE_FAILED));
    // ... and through the terminate state it goes NotifyFailure -> PipelineFailed, keeping the step's error.
    assert.equal(onFailure.Next, NOTIFY_FAILURE);
    for (const c of onFailure.Catch ?? []) {
      assert.equal(c.Next, NOTIFY_FAILURE);
      assert.notEqual(c.ResultPath, "$.error", "a failed terminate must not overwrite the step's error");
    }
    assert.ok(reachable(definition, catcher.Next).has(PIPELINE_FAILED));
    // Termination is idempotent: it is retried on anything, including timeouts.
    const retried = onFailure.Retry?.flatMap((r) => r.ErrorEquals);
    assert.ok(retried?.includes("States.TaskFailed") && retried.includes("States.Timeout"));
  });

  it("every Task that runs while the cluster exists either terminates it or catches into a terminate", () => {
    const whileClusterExists = [
      ...reachable(definition, String(create.Next), [String(run.Next), NOTIFY_FAILURE]),
    ].filter((name) => definition.States[name].Type === "Task");
    assert.ok(whileClusterExists.length > 0);
    for (const name of whileClusterExists) {
      const s = definition.States[name];
      if (s.Resource === TERMINATE) continue;
      for (const catcher of s.Catch ?? []) {
        assert.equal(
          definition.States[catcher.Next].Resource,
          TERMINATE,
          `${name} catches into ${catcher.Next}`,
        );
      }
    }
  });

  it("the create task has its own timeout (default or given); terminating is one API call", () => {
    assert.equal(create.TimeoutSeconds, 1800);
    assert.equal(terminate.TimeoutSeconds, API_CALL_TIMEOUT_SECONDS);
    const custom = definitionOf(spec([emrTransient({ clusterCreateTimeoutSeconds: 2400 })]));
    assert.equal(custom.States["spark-aggregate CreateCluster"].TimeoutSeconds, 2400);
    assert.equal(
      custom.States["spark-aggregate TerminateClusterOnFailure"].TimeoutSeconds,
      API_CALL_TIMEOUT_SECONDS,
    );
  });

  it("declares the cluster's lifecycle, which the path checker proves on the definition", () => {
    const report = checkExecutionPaths(definition, {
      alertTopicArn: TOPIC,
      lifecycles: [EMR_CLUSTER_LIFECYCLE],
    });
    assert.deepEqual(
      report.problems.filter((problem) => problem.includes("transient EMR cluster")),
      [],
    );
    // Without the terminate on the failure path, the checker finds the leak.
    const leaky = structuredClone(definition);
    leaky.States[`${step.name} RunStep`].Catch![0].Next = NOTIFY_FAILURE;
    const leak = checkExecutionPaths(leaky, { alertTopicArn: TOPIC, lifecycles: [EMR_CLUSTER_LIFECYCLE] });
    assert.ok(
      leak.problems.some((problem) =>
        problem.startsWith(`after ${step.name} CreateCluster creates the transient EMR cluster`),
      ),
      leak.problems.join("\n"),
    );
  });
});
