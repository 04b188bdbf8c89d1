/**
 * Every state machine of generated configs (tools/bench/generate.ts: the committed stacks'
 * pipelines replicated across tiers and triggers) is proven on its graph and executed in the
 * local interpreter (tests/support/local-sfn.ts): the run that succeeds, a run in which each Task
 * in turn fails, and the slowest run, in which no call ever answers.
 */
import assert from "node:assert/strict";

import {
  NOTIFY_FAILURE,
  StateMachineDefinition,
  checkExecutionPaths,
  integrationOf,
  lifecyclesOf,
  worstCase,
} from "../../decisions/orchestration";
import { PROJECT } from "../../infra/config";
import { EMR_CLUSTER_LIFECYCLE } from "../../engines/emr/step";
import { STEP_KINDS } from "../../engines/registry";
import { configWithPipelines, readRawStackConfig } from "../../tools/bench/generate";
import { synthesizePlatform } from "../../tools/synth/program";
import { toRuntimeConfig } from "../../tools/synth/stack-config";
import { error, hang, runLocally, TaskHandler } from "../support/local-sfn";

/** What each integration answers when all goes well (only what later states read). */
const SUCCESS: Record<string, unknown> = {
  "elasticmapreduce:createCluster.sync": { ClusterId: "j-2AXXXXXXGAPLF" },
  "aws-sdk:glue:getCrawler": { Crawler: { State: "READY", LastCrawl: { Status: "SUCCEEDED" } } },
  "aws-sdk:redshiftdata:executeStatement": { Id: "d9b6c0c9-0747-4bf4-b142-e8883122f766" },
  "aws-sdk:redshiftdata:batchExecuteStatement": { Id: "d9b6c0c9-0747-4bf4-b142-e8883122f766" },
  "aws-sdk:redshiftdata:describeStatement": {
    Id: "d9b6c0c9-0747-4bf4-b142-e8883122f766",
    Status: "FINISHED",
  },
};

function taskNames(definition: StateMachineDefinition): string[] {
  return Object.entries(definition.States)
    .filter(([, state]) => state.Type === "Task")
    .map(([name]) => name);
}

function succeeding(definition: StateMachineDefinition): Record<string, TaskHandler> {
  return Object.fromEntries(
    taskNames(definition).map((name) => {
      const answer = SUCCESS[integrationOf(definition.States[name].Resource) ?? ""] ?? {};
      return [name, () => structuredClone(answer)];
    }),
  );
}

const is = (definition: StateMachineDefinition, name: string, integrations: readonly string[]) =>
  integrations.includes(integrationOf(definition.States[name]?.Resource) ?? "");

interface Machine {
  name: string;
  definition: StateMachineDefinition;
  alertTopicArn: string;
}

async function machinesOf(config: Record<string, string>, stack: string): Promise<Machine[]> {
  const result = await synthesizePlatform(config, stack);
  const alertTopicArn = result.resources.find((resource) => resource.type === "aws:sns/topic:Topic")!.outputs
    .arn;
  return result.resources
    .filter((resource) => resource.type === "aws:sfn/stateMachine:StateMachine")
    .map((resource) => ({
      name: resource.name,
      definition: JSON.parse(resource.inputs.definition),
      alertTopicArn,
    }));
}

describe("execution paths of every generated state machine", function () {
  this.timeout(120_000);
  // The committed stacks' machines are proven in pipelines.test.ts; here their pipelines are
  // replicated (renamed, on every tier, schedules and on-demand) and also executed.
  const generated = (stack: string, count: number) => () =>
    machinesOf(
      toRuntimeConfig(configWithPipelines(readRawStackConfig(stack), PROJECT, count), PROJECT),
      stack,
    );
  const configs: Record<string, () => Promise<Machine[]>> = {
    "generated from dev: 18 pipelines, Serverless warehouse": generated("dev", 18),
    "generated from prod: 6 pipelines, provisioned warehouse": generated("prod", 6),
  };

  for (const [label, load] of Object.entries(configs)) {
    describe(label, () => {
      let machines: Machine[] = [];
      before(async () => {
        machines = await load();
      });

      it("has machines with every kind of step", () => {
        const integrations = new Set(
          machines.flatMap(({ definition }) =>
            taskNames(definition).map((name) => integrationOf(definition.States[name].Resource)),
          ),
        );
        for (const integration of [
          "glue:startJobRun.sync",
          "elasticmapreduce:createCluster.sync",
          "emr-serverless:startJobRun.sync",
          "aws-sdk:glue:startCrawler",
          "aws-sdk:redshiftdata:batchExecuteStatement",
          "states:startExecution.sync:2",
        ]) {
          assert.ok(integrations.has(integration), `${label} has no ${integration} Task`);
        }
      });

      it("proves each one on its graph: alerts, cleanup, bounded loops, timeouts that can be caught", () => {
        for (const { name, definition, alertTopicArn } of machines) {
          const report = checkExecutionPaths(definition, {
            alertTopicArn,
            lifecycles: lifecyclesOf(STEP_KINDS),
          });
          assert.deepEqual(report.problems, [], name);
        }
      });

      it("runs each one: success, then each Task failing in turn, then every call hanging", async () => {
        for (const { name, definition } of machines) {
          const happy = await runLocally(definition, succeeding(definition));
          assert.equal(happy.status, "SUCCEEDED", name);
          const created = happy.tasks.filter((task) =>
            is(definition, task, EMR_CLUSTER_LIFECYCLE.acquiredBy),
          );
          const released = happy.tasks.filter((task) =>
            is(definition, task, EMR_CLUSTER_LIFECYCLE.releasedBy),
          );
          assert.equal(released.length, created.length, `${name}: clusters created and terminated`);

          for (const failing of new Set(happy.tasks)) {
            const run = await runLocally(definition, {
              ...succeeding(definition),
              [failing]: () => {
                throw error("States.TaskFailed");
              },
            });
            const where = `${name}, ${failing} failing`;
            assert.equal(run.status, "FAILED", where);
            assert.equal(run.error, "PipelineFailed", where);
            assert.equal(run.tasks.at(-1), NOTIFY_FAILURE, where);
            const at = run.tasks.indexOf(failing);
            const clusterUp =
              run.tasks.slice(0, at).some((task) => is(definition, task, EMR_CLUSTER_LIFECYCLE.acquiredBy)) &&
              !run.tasks.slice(0, at).some((task) => is(definition, task, EMR_CLUSTER_LIFECYCLE.releasedBy));
            if (clusterUp && !is(definition, failing, EMR_CLUSTER_LIFECYCLE.releasedBy)) {
              assert.ok(
                run.tasks
                  .slice(at + 1)
                  .some((task) => is(definition, task, EMR_CLUSTER_LIFECYCLE.releasedBy)),
                `${where}: the cluster is not terminated`,
              );
            }
          }

          const slowest = await runLocally(
            definition,
            Object.fromEntries(taskNames(definition).map((task) => [task, hang])),
          );
          assert.equal(slowest.status, "FAILED", `${name}, every call hanging`);
          assert.ok(slowest.elapsedSeconds <= worstCase(definition).seconds, name);
          assert.ok(slowest.elapsedSeconds < definition.TimeoutSeconds, name);
        }
      });
    });
  }
});
