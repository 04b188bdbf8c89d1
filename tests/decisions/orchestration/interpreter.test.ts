/**
 * The generated definitions, executed in aws-local-stepfunctions on a virtual clock with Task
 * handlers that succeed, fail or never answer (tests/support/local-sfn.ts says what the
 * interpreter lacks and how that is bridged: JSONPath variables are lowered to Pass states,
 * QueryLanguage is dropped, context fields are fixed). What it proves by running, not by reading
 * the graph: a failed or timed-out step terminates its cluster and alerts before the execution
 * could time out, the alert names the step, the worst case stays inside the execution's
 * TimeoutSeconds and the path checker's bound, and the old wiring (step timeout = execution
 * timeout) timed out without cleanup.
 */
import assert from "node:assert/strict";

import {
  BudgetedStep,
  EXECUTION_MARGIN_SECONDS,
  NOTIFY_FAILURE,
  StateMachineDefinition,
  StateMachineSpec,
  planTimeBudget,
  worstCase,
} from "../../../decisions/orchestration";
import { error, hang, runLocally, TaskHandler } from "../../support/local-sfn";
import {
  STEP_KINDS,
  TOPIC,
  crawler,
  definitionOf,
  emrTransient,
  glueJob,
  redshiftSql,
  spec,
} from "./fixtures";

function budgeted(timeoutSeconds: number, steps: BudgetedStep[]): StateMachineSpec {
  return planTimeBudget({
    machine: { pipelineName: "weekly-report", timeoutSeconds, alertTopicArn: TOPIC },
    steps,
    kinds: STEP_KINDS,
  }).spec;
}

/** The weekly report: a transient cluster in a two-hour execution. */
const WEEKLY = definitionOf(
  budgeted(7200, [{ step: emrTransient({ name: "report" }), minSeconds: 1800, maxSeconds: 7200 }]),
);
const CREATE = "report CreateCluster";
const RUN = "report RunStep";
const TERMINATE = "report TerminateCluster";
const TERMINATE_ON_FAILURE = "report TerminateClusterOnFailure";
const created: TaskHandler = () => ({ ClusterId: "j-2AXXXXXXGAPLF" });

/** Records what NotifyFailure was asked to publish. */
function alertRecorder(): { handler: TaskHandler; messages: string[] } {
  const messages: string[] = [];
  return { handler: (input) => void messages.push(String((input as { Message: string }).Message)), messages };
}

/** Every Task of the definition never answers: only timeouts (and their retries) move on. */
function allHang(definition: StateMachineDefinition, except: Record<string, TaskHandler> = {}) {
  return Object.fromEntries(
    Object.entries(definition.States)
      .filter(([, state]) => state.Type === "Task")
      .map(([name]) => [name, except[name] ?? hang]),
  );
}

describe("orchestration: definitions executed in a local Step Functions interpreter", function () {
  this.timeout(60_000);

  it("succeeds when every step does, terminating the cluster once", async () => {
    const run = await runLocally(WEEKLY, { [CREATE]: created });
    assert.equal(run.status, "SUCCEEDED");
    assert.deepEqual(run.tasks, [CREATE, RUN, TERMINATE]);
  });

  it("a failed Spark step: terminates the cluster, alerts naming the step and its error, ends in PipelineFailed", async () => {
    const alert = alertRecorder();
    const run = await runLocally(WEEKLY, {
      [CREATE]: created,
      [RUN]: () => {
        throw error("States.TaskFailed", "Step failed: Exit code 1");
      },
      [NOTIFY_FAILURE]: alert.handler,
    });
    assert.equal(run.status, "FAILED");
    assert.equal(run.error, "PipelineFailed");
    assert.deepEqual(run.tasks, [CREATE, RUN, TERMINATE_ON_FAILURE, NOTIFY_FAILURE]);
    assert.equal(alert.messages.length, 1);
    assert.match(
      alert.messages[0],
      /^Pipeline weekly-report failed at step report \(execution .*\)\. Error: /,
    );
    assert.match(alert.messages[0], /States\.TaskFailed.*Exit code 1/);
  });

  it("a Spark step that never ends: times out, terminates the cluster and alerts before the execution's timeout", async () => {
    const run = await runLocally(WEEKLY, { [CREATE]: created, [RUN]: hang });
    assert.equal(run.status, "FAILED");
    assert.deepEqual(run.tasks, [CREATE, RUN, TERMINATE_ON_FAILURE, NOTIFY_FAILURE]);
    assert.ok(run.elapsedSeconds < WEEKLY.TimeoutSeconds, `${run.elapsedSeconds} s`);
  });

  it("regression: with the step's timeout equal to the execution's, the execution timed out first: no termination, no alert", async () => {
    const naive = definitionOf(
      spec([emrTransient({ name: "report", timeoutSeconds: 7200 })], { timeoutSeconds: 7200 }),
    );
    const run = await runLocally(naive, { [CREATE]: created, [RUN]: hang });
    assert.equal(run.status, "TIMED_OUT");
    assert.deepEqual(run.tasks, [CREATE, RUN]);
    assert.equal(run.elapsedSeconds, 7200);
  });

  it("even when the cleanup itself never answers, the run still ends failed, inside its timeout and the checker's bound", async () => {
    const run = await runLocally(WEEKLY, allHang(WEEKLY, { [CREATE]: created }));
    assert.equal(run.status, "FAILED");
    assert.deepEqual(run.tasks, [CREATE, RUN, TERMINATE_ON_FAILURE, NOTIFY_FAILURE]);
    const bound = worstCase(WEEKLY).seconds;
    assert.ok(run.elapsedSeconds <= bound, `ran ${run.elapsedSeconds} s, the checker's bound is ${bound} s`);
    assert.ok(bound + EXECUTION_MARGIN_SECONDS <= WEEKLY.TimeoutSeconds);
  });

  describe("a daily pipeline: crawl, Glue job, crawl, warehouse transaction", () => {
    const DAILY = definitionOf(
      budgeted(7200, [
        { step: crawler({ name: "crawl-raw" }), minSeconds: 300, maxSeconds: 1800 },
        { step: glueJob({ name: "aggregate" }), minSeconds: 900, maxSeconds: 7200 },
        { step: crawler({ name: "crawl-curated" }), minSeconds: 300, maxSeconds: 1800 },
        {
          step: redshiftSql({
            name: "load",
            sql: undefined,
            sqls: ["DELETE FROM public.t", "INSERT INTO public.t (a) SELECT a FROM lake.t"],
          }),
          minSeconds: 300,
          maxSeconds: 900,
        },
      ]),
    );
    const crawled: TaskHandler = () => ({ Crawler: { State: "READY", LastCrawl: { Status: "SUCCEEDED" } } });
    const succeeding = {
      "crawl-raw GetCrawler": crawled,
      "crawl-curated GetCrawler": crawled,
      load: () => ({ Id: "d9b6c0c9-0747-4bf4-b142-e8883122f766" }),
      "load DescribeStatement": () => ({ Id: "d9b6c0c9-0747-4bf4-b142-e8883122f766", Status: "FINISHED" }),
    };

    it("succeeds, submitting the load's statements as one batch", async () => {
      const submitted: unknown[] = [];
      const run = await runLocally(DAILY, {
        ...succeeding,
        load: (input) => {
          submitted.push(input);
          return { Id: "d9b6c0c9-0747-4bf4-b142-e8883122f766" };
        },
      });
      assert.equal(run.status, "SUCCEEDED");
      assert.deepEqual((submitted[0] as { Sqls: string[] }).Sqls, [
        "DELETE FROM public.t",
        "INSERT INTO public.t (a) SELECT a FROM lake.t",
      ]);
    });

    it("a crawl whose every poll is throttled ends after its rounds: stops the crawler, alerts, fails", async () => {
      const run = await runLocally(DAILY, {
        "crawl-raw GetCrawler": () => {
          throw error("Glue.ThrottlingException");
        },
      });
      assert.equal(run.status, "FAILED");
      const polls = run.tasks.filter((name) => name === "crawl-raw GetCrawler").length;
      const rounds = Number(
        /x(\d+)$/.exec(worstCase(DAILY).path.find((label) => label.startsWith("loop(crawl-raw"))!)![1],
      );
      assert.equal(polls, rounds);
      assert.deepEqual(run.tasks.slice(-2), ["crawl-raw StopCrawler", NOTIFY_FAILURE]);
      assert.ok(run.states.includes("crawl-raw TimedOut"));
    });

    it("a failed transaction alerts and fails (nothing after it runs)", async () => {
      const run = await runLocally(DAILY, {
        ...succeeding,
        "load DescribeStatement": () => ({
          Id: "x",
          Status: "FAILED",
          Error: "permission denied for relation t",
        }),
      });
      assert.equal(run.status, "FAILED");
      assert.ok(run.states.includes("load StatementFailed"));
      assert.equal(run.tasks.at(-1), NOTIFY_FAILURE);
    });

    it("when every call hangs or answers slowest, still ends failed inside its timeout and the checker's bound", async () => {
      const run = await runLocally(
        DAILY,
        allHang(DAILY, {
          "crawl-raw GetCrawler": () => ({ Crawler: { State: "RUNNING" } }),
        }),
      );
      assert.equal(run.status, "FAILED");
      assert.ok(run.elapsedSeconds <= worstCase(DAILY).seconds);
      assert.ok(run.elapsedSeconds < DAILY.TimeoutSeconds);
    });
  });
});
