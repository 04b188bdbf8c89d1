import assert from "node:assert/strict";

import {
  API_CALL_TIMEOUT_SECONDS,
  FAILED_STEP_VARIABLE,
  NOTIFY_FAILURE,
  PIPELINE_FAILED,
  PIPELINE_SUCCEEDED,
  resultKey,
} from "../../../decisions/orchestration";
import {
  EMR_PIPELINE,
  EVERY_KIND,
  GLUE_CRAWL_LOAD,
  SINGLE_STEP_SPECS,
  TOPIC,
  assertValidAsl,
  choose,
  crawler,
  definitionOf,
  glueJob,
  reachable,
  redshiftSql,
  spec,
  state,
  tasks,
} from "./fixtures";

const ALL_SPECS = {
  ...Object.fromEntries(Object.entries(SINGLE_STEP_SPECS).map(([kind, value]) => [`single ${kind}`, value])),
  "glue job -> crawler -> redshift load": GLUE_CRAWL_LOAD,
  "transient EMR step -> crawler": EMR_PIPELINE,
  "every kind": EVERY_KIND,
};

/** The reads of poll loops. */
const POLL_READ_RESOURCES = [
  "arn:aws:states:::aws-sdk:glue:getCrawler",
  "arn:aws:states:::aws-sdk:redshiftdata:describeStatement",
];

/** Tasks that run a job through a .sync integration (their TimeoutSeconds is the job's budget). */
const SYNC_JOB_RESOURCES = [
  "arn:aws:states:::glue:startJobRun.sync",
  "arn:aws:states:::elasticmapreduce:createCluster.sync",
  "arn:aws:states:::elasticmapreduce:addStep.sync",
  "arn:aws:states:::emr-serverless:startJobRun.sync",
  "arn:aws:states:::batch:submitJob.sync",
];

describe("orchestration: state machine definition", () => {
  for (const [label, input] of Object.entries(ALL_SPECS)) {
    describe(label, () => {
      const definition = definitionOf(input);

      it("passes the real asl-validator and is plain JSON", () => {
        assertValidAsl(definition);
        assert.deepEqual(JSON.parse(JSON.stringify(definition)), definition);
      });

      it("has the machine's TimeoutSeconds and a TimeoutSeconds on every Task", () => {
        assert.equal(definition.TimeoutSeconds, input.timeoutSeconds);
        for (const [name, task] of tasks(definition)) {
          assert.ok(
            Number.isInteger(task.TimeoutSeconds) && (task.TimeoutSeconds as number) > 0,
            `${name} has no TimeoutSeconds`,
          );
        }
      });

      it("retries every Task on named transient errors with exponential backoff; poll reads catch them instead", () => {
        for (const [name, task] of tasks(definition)) {
          if (POLL_READ_RESOURCES.includes(String(task.Resource))) {
            // A transient error of a poll read is a missed poll: it counts against the loop's
            // rounds (MissedPoll), then the loop waits and reads again.
            assert.equal(task.Retry, undefined, `${name} retries a poll read`);
            const missed = task.Catch?.[0];
            assert.ok(missed && !missed.ErrorEquals.includes("States.ALL"), name);
            assert.ok(missed.ErrorEquals.includes("States.Timeout"), name);
            const check = state(definition, missed.Next);
            assert.equal(check.Type, "Choice", name);
            assert.equal(state(definition, String(check.Default)).Type, "Wait", name);
            continue;
          }
          assert.ok(task.Retry && task.Retry.length > 0, `${name} has no Retry`);
          for (const retrier of task.Retry) {
            assert.ok(retrier.BackoffRate > 1, `${name}: BackoffRate ${retrier.BackoffRate}`);
            assert.ok(
              retrier.IntervalSeconds >= 1 && retrier.MaxAttempts >= 1,
              `${name}: ${JSON.stringify(retrier)}`,
            );
            assert.ok(retrier.MaxDelaySeconds && retrier.MaxDelaySeconds >= retrier.IntervalSeconds, name);
            assert.equal(retrier.JitterStrategy, "FULL", name);
            assert.ok(!retrier.ErrorEquals.includes("States.ALL"), `${name} retries States.ALL`);
          }
        }
      });

      it("never retries a failed or timed-out job run", () => {
        for (const [name, task] of tasks(definition)) {
          if (!SYNC_JOB_RESOURCES.includes(String(task.Resource))) continue;
          const retried = (task.Retry ?? []).flatMap((retrier) => retrier.ErrorEquals);
          assert.ok(!retried.includes("States.TaskFailed"), `${name} retries States.TaskFailed`);
          assert.ok(!retried.includes("States.Timeout"), `${name} retries States.Timeout`);
        }
      });

      it("catches States.ALL on every Task into $.error, and every catch path alerts then fails", () => {
        for (const [name, task] of tasks(definition)) {
          const catchAll = (task.Catch ?? []).find((catcher) => catcher.ErrorEquals.includes("States.ALL"));
          assert.ok(catchAll, `${name} does not catch States.ALL`);
          assert.deepEqual(catchAll.ErrorEquals, ["States.ALL"]);
          if (name === NOTIFY_FAILURE) {
            assert.equal(catchAll.Next, PIPELINE_FAILED);
            continue;
          }
          const fromCatch = reachable(definition, catchAll.Next);
          assert.ok(fromCatch.has(NOTIFY_FAILURE), `${name}: the catch path never reaches ${NOTIFY_FAILURE}`);
          assert.ok(!fromCatch.has(PIPELINE_SUCCEEDED), `${name}: the catch path can succeed`);
          // Failing steps may only go through their own clean-up before the alert.
          const beforeAlert = reachable(definition, catchAll.Next, [NOTIFY_FAILURE]);
          assert.ok(!beforeAlert.has(PIPELINE_FAILED), `${name}: fails without alerting`);
        }
      });

      it("records the failed step for the alert on every path into NotifyFailure", () => {
        for (const [name, st] of Object.entries(definition.States)) {
          for (const catcher of st.Catch ?? []) {
            if (catcher.Next !== NOTIFY_FAILURE || catcher.ResultPath !== "$.error") continue;
            assert.ok(
              catcher.Assign?.[FAILED_STEP_VARIABLE],
              `${name}'s catch does not set ${FAILED_STEP_VARIABLE}`,
            );
          }
          if (st.Type === "Pass" && st.Next === NOTIFY_FAILURE) {
            assert.equal(st.ResultPath, "$.error", name);
            assert.ok(st.Assign?.[FAILED_STEP_VARIABLE], `${name} does not set ${FAILED_STEP_VARIABLE}`);
          }
        }
      });

      it("NotifyFailure publishes pipeline, failed step and error to the alert topic, then Fail", () => {
        const notify = state(definition, NOTIFY_FAILURE);
        assert.equal(notify.Resource, "arn:aws:states:::sns:publish");
        assert.equal(notify.Parameters?.TopicArn, input.alertTopicArn);
        const message = String(notify.Parameters?.["Message.$"]);
        assert.match(message, /^States\.Format\(/);
        assert.ok(message.includes(`'${input.pipelineName}'`), message);
        assert.ok(message.includes(`$${FAILED_STEP_VARIABLE}`), message);
        assert.ok(message.includes("States.JsonToString($.error)"), message);
        assert.equal(notify.Next, PIPELINE_FAILED);
        const failed = state(definition, PIPELINE_FAILED);
        assert.equal(failed.Type, "Fail");
        assert.ok(failed.Error && failed.Cause);
      });

      it("runs the steps in order and ends in PipelineSucceeded", () => {
        const happy = reachable(definition, definition.StartAt);
        assert.ok(happy.has(PIPELINE_SUCCEEDED));
        assert.equal(definition.States[PIPELINE_SUCCEEDED].Type, "Succeed");
        assert.equal(definition.StartAt, Object.keys(definition.States)[0]);
        assert.ok(definition.Comment.includes(input.steps.map((step) => step.name).join(" -> ")));
      });
    });
  }

  describe("per step kind", () => {
    it("crawler: startCrawler, Wait + getCrawler poll loop, Choice on Crawler.State", () => {
      const step = crawler();
      const definition = definitionOf(spec([step]));
      const key = resultKey(0, step);
      const start = state(definition, step.name);
      assert.equal(start.Resource, "arn:aws:states:::aws-sdk:glue:startCrawler");
      assert.deepEqual(start.Parameters, { Name: step.crawlerName });
      const running = start.Retry?.find((retrier) =>
        retrier.ErrorEquals.includes("Glue.CrawlerRunningException"),
      );
      assert.ok(running, "Glue.CrawlerRunningException is not handled on start");
      assert.equal(running.IntervalSeconds, step.pollSeconds);

      const wait = state(definition, String(start.Next));
      assert.equal(wait.Type, "Wait");
      assert.equal(wait.Seconds, step.pollSeconds);
      const get = state(definition, String(wait.Next));
      assert.equal(get.Resource, "arn:aws:states:::aws-sdk:glue:getCrawler");
      assert.equal(get.TimeoutSeconds, API_CALL_TIMEOUT_SECONDS);
      assert.equal(get.ResultPath, `$.${key}`);
      const check = state(definition, String(get.Next));

      const crawlerIn = (State: string, LastCrawl?: object) => ({ [key]: { Crawler: { State, LastCrawl } } });
      const polls = { pollCount1: 3 };
      const lastCrawlCheck = choose(check, crawlerIn("READY", { Status: "SUCCEEDED" }), polls);
      assert.equal(
        choose(state(definition, lastCrawlCheck), crawlerIn("READY", { Status: "SUCCEEDED" })),
        PIPELINE_SUCCEEDED,
      );
      const failedCheck = choose(state(definition, lastCrawlCheck), crawlerIn("READY", { Status: "FAILED" }));
      assert.ok(reachable(definition, failedCheck).has(NOTIFY_FAILURE));
      assert.ok(!reachable(definition, failedCheck).has(PIPELINE_SUCCEEDED));
      const neverCrawled = choose(state(definition, lastCrawlCheck), crawlerIn("READY"));
      assert.equal(neverCrawled, failedCheck);
      assert.equal(choose(check, crawlerIn("RUNNING"), polls), start.Next);
      assert.equal(choose(check, crawlerIn("STOPPING"), polls), start.Next);
    });

    it("crawler: the poll loop gets as many rounds as fit its timeout, then stops the crawler", () => {
      // A round waits 60 s and reads for at most API_CALL_TIMEOUT_SECONDS: 600 / (60 + 20) = 7 rounds.
      const step = crawler({ timeoutSeconds: 600, pollSeconds: 60 });
      const definition = definitionOf(spec([step]));
      const key = resultKey(0, step);
      const check = state(definition, `${step.name} CheckCrawler`);
      const running = { [key]: { Crawler: { State: "RUNNING" } } };
      assert.equal(choose(check, running, { pollCount1: 6 }), `${step.name} Wait`);
      const stop = choose(check, running, { pollCount1: 7 });
      assert.equal(state(definition, stop).Resource, "arn:aws:states:::aws-sdk:glue:stopCrawler");
      assert.ok(reachable(definition, stop).has(NOTIFY_FAILURE));
      assert.ok(!reachable(definition, stop).has(PIPELINE_SUCCEEDED));
    });

    it("redshift: executeStatement, Wait + describeStatement poll loop, Choice on Status", () => {
      const step = redshiftSql();
      const definition = definitionOf(spec([step]));
      const key = resultKey(0, step);
      const execute = state(definition, step.name);
      assert.equal(execute.Resource, "arn:aws:states:::aws-sdk:redshiftdata:executeStatement");
      assert.equal(execute.Parameters?.WorkgroupName, step.workgroupName);
      assert.equal(execute.Parameters?.Database, step.database);
      assert.equal(execute.Parameters?.Sql, step.sql);
      assert.match(String(execute.Parameters?.["ClientToken.$"]), /^States\.Hash\(/);
      assert.equal(execute.ResultPath, `$.${key}`);

      const wait = state(definition, String(execute.Next));
      assert.equal(wait.Seconds, step.pollSeconds);
      const describe = state(definition, String(wait.Next));
      assert.equal(describe.Resource, "arn:aws:states:::aws-sdk:redshiftdata:describeStatement");
      assert.equal(describe.Parameters?.["Id.$"], `$.${key}.Id`);
      const check = state(definition, String(describe.Next));
      const withStatus = (Status: string) => ({ [key]: { Id: "abc", Status } });
      const polls = { pollCount1: 1 };
      assert.equal(choose(check, withStatus("FINISHED"), polls), PIPELINE_SUCCEEDED);
      for (const status of ["FAILED", "ABORTED"]) {
        const failed = choose(check, withStatus(status), polls);
        assert.equal(state(definition, failed).Next, NOTIFY_FAILURE, status);
      }
      for (const status of ["SUBMITTED", "PICKED", "STARTED"]) {
        assert.equal(choose(check, withStatus(status), polls), String(execute.Next), status);
      }
      const rounds = Math.floor(
        step.timeoutSeconds / ((step.pollSeconds as number) + API_CALL_TIMEOUT_SECONDS),
      );
      assert.equal(choose(check, withStatus("STARTED"), { pollCount1: rounds - 1 }), String(execute.Next));
      const cancel = choose(check, withStatus("STARTED"), { pollCount1: rounds });
      assert.equal(
        state(definition, cancel).Resource,
        "arn:aws:states:::aws-sdk:redshiftdata:cancelStatement",
      );
    });

    it("redshift on a provisioned cluster: ClusterIdentifier and DbUser, no workgroup", () => {
      const step = redshiftSql({
        workgroupName: undefined,
        workgroupArn: undefined,
        clusterIdentifier: "legacy-dw",
        dbUser: "etl",
      });
      const parameters = state(definitionOf(spec([step])), step.name).Parameters;
      assert.equal(parameters?.ClusterIdentifier, "legacy-dw");
      assert.equal(parameters?.DbUser, "etl");
      assert.ok(!("WorkgroupName" in (parameters ?? {})));
    });
  });

  describe("multi-step pipeline: glue job -> crawler -> redshift load", () => {
    const definition = definitionOf(GLUE_CRAWL_LOAD);
    const [glue, crawl, load] = GLUE_CRAWL_LOAD.steps;

    it("chains the steps: the Glue job, then the crawl, then the load", () => {
      assert.equal(definition.StartAt, glue.name);
      assert.equal(definition.States[glue.name].Next, crawl.name);
      const lastCrawl = `${crawl.name} CheckLastCrawl`;
      const crawlSucceeded = choose(definition.States[lastCrawl], {
        [resultKey(1, crawl)]: { Crawler: { State: "READY", LastCrawl: { Status: "SUCCEEDED" } } },
      });
      assert.equal(crawlSucceeded, load.name);
      const loaded = choose(
        definition.States[`${load.name} CheckStatement`],
        { [resultKey(2, load)]: { Id: "x", Status: "FINISHED" } },
        { pollCount3: 1 },
      );
      assert.equal(loaded, PIPELINE_SUCCEEDED);
    });

    it("uses one poll counter per loop", () => {
      assert.deepEqual(definition.States[crawl.name].Assign, { pollCount2: 0 });
      assert.deepEqual(definition.States[load.name].Assign, { pollCount3: 0 });
    });

    it("publishes to the spec's topic", () => {
      assert.equal(definition.States[NOTIFY_FAILURE].Parameters?.TopicArn, TOPIC);
    });
  });

  it("escapes the pipeline name inside the intrinsic-function literal", () => {
    const definition = definitionOf(spec([glueJob()], { pipelineName: "sales_daily-2" }));
    assertValidAsl(definition);
    assert.ok(
      String(definition.States[NOTIFY_FAILURE].Parameters?.["Message.$"]).includes("'sales_daily-2'"),
    );
  });

  it("uses the partition of the spec in integration ARNs", () => {
    const definition = definitionOf(
      spec([glueJob()], {
        partition: "aws-cn",
        alertTopicArn: "arn:aws-cn:sns:cn-north-1:123456789012:alerts",
      }),
    );
    assert.equal(definition.States[glueJob().name].Resource, "arn:aws-cn:states:::glue:startJobRun.sync");
    assert.equal(definition.States[NOTIFY_FAILURE].Resource, "arn:aws-cn:states:::sns:publish");
  });
});
