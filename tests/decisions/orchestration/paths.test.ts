import assert from "node:assert/strict";

import {
  API_CALL_TIMEOUT_SECONDS,
  EXECUTION_MARGIN_SECONDS,
  NOTIFY_FAILURE,
  PIPELINE_FAILED,
  REJECTED_REQUEST_SECONDS,
  StateMachineDefinition,
  checkExecutionPaths,
  lifecyclesOf,
  retrierWorstSeconds,
  stateWorstSeconds,
  worstCase,
} from "../../../decisions/orchestration";
import {
  EMR_PIPELINE,
  EVERY_KIND,
  GLUE_CRAWL_LOAD,
  SINGLE_STEP_SPECS,
  STEP_KINDS,
  TOPIC,
  crawler,
  definitionOf,
  glueJob,
  redshiftSql,
  spec,
} from "./fixtures";

const OPTIONS = { alertTopicArn: TOPIC, lifecycles: lifecyclesOf(STEP_KINDS) };

function check(definition: StateMachineDefinition) {
  return checkExecutionPaths(definition, OPTIONS);
}

/** A copy to break on purpose. */
function broken(definition: StateMachineDefinition, change: (copy: StateMachineDefinition) => void) {
  const copy = structuredClone(definition);
  change(copy);
  return check(copy).problems;
}

function assertProblem(problems: string[], pattern: RegExp): void {
  assert.ok(
    problems.some((problem) => pattern.test(problem)),
    `expected a problem matching ${pattern}, got:\n${problems.join("\n")}`,
  );
}

describe("orchestration: execution paths proven on the graph", () => {
  describe("the timing model", () => {
    it("charges a States.* retrier the full TimeoutSeconds per attempt plus its capped backoff", () => {
      // Delays 10, 20 (cap 15 -> 15), 40 -> 15: 40 s; three attempts of 100 s.
      const retrier = {
        ErrorEquals: ["States.Timeout"],
        IntervalSeconds: 10,
        MaxAttempts: 3,
        BackoffRate: 2,
        MaxDelaySeconds: 15,
      };
      assert.equal(retrierWorstSeconds(retrier, 100), 40 + 300);
    });

    it("charges a named-error retrier one rejected request per attempt, never more than the timeout", () => {
      const retrier = {
        ErrorEquals: ["Glue.ThrottlingException"],
        IntervalSeconds: 5,
        MaxAttempts: 2,
        BackoffRate: 2,
      };
      assert.equal(retrierWorstSeconds(retrier, 3600), 5 + 10 + 2 * REJECTED_REQUEST_SECONDS);
      assert.equal(retrierWorstSeconds(retrier, 7), 5 + 10 + 2 * 7);
    });

    it("uses the ASL defaults of a Retrier (1 s, 3 attempts, x2)", () => {
      assert.equal(retrierWorstSeconds({ ErrorEquals: ["States.ALL"] } as never, 10), 1 + 2 + 4 + 30);
    });

    it("a Task lasts its timeout plus its retriers; a Wait its Seconds; a Choice nothing", () => {
      const definition = definitionOf(spec([glueJob({ timeoutSeconds: 1000 })]));
      const glue = definition.States["transform-sales"];
      const retries = (glue.Retry ?? []).reduce(
        (sum, retrier) => sum + retrierWorstSeconds(retrier, 1000),
        0,
      );
      assert.equal(stateWorstSeconds(glue), 1000 + retries);
      assert.equal(stateWorstSeconds({ Type: "Wait", Seconds: 45 }), 45);
      assert.equal(stateWorstSeconds({ Type: "Choice", Choices: [], Default: "x" }), 0);
    });

    it("a poll loop lasts at most its rounds of Wait + one read, and fits its step's timeout", () => {
      const step = crawler({ timeoutSeconds: 600, pollSeconds: 30 });
      const definition = definitionOf(spec([step]));
      const rounds = Math.floor(600 / (30 + API_CALL_TIMEOUT_SECONDS));
      const { path, seconds } = worstCase(definition);
      assert.ok(
        path.includes(
          `loop(crawl-sales CheckCrawler, crawl-sales GetCrawler, crawl-sales MissedPoll, crawl-sales Wait) x${rounds}`,
        ),
        path.join("\n"),
      );
      const outside = ["crawl-sales", "crawl-sales StopCrawler", NOTIFY_FAILURE].reduce(
        (sum, name) => sum + stateWorstSeconds(definition.States[name]),
        0,
      );
      assert.equal(seconds, outside + rounds * (30 + API_CALL_TIMEOUT_SECONDS));
      assert.ok(rounds * (30 + API_CALL_TIMEOUT_SECONDS) <= 600);
    });
  });

  describe("generated machines pass every check", () => {
    const specs = { ...SINGLE_STEP_SPECS, GLUE_CRAWL_LOAD, EMR_PIPELINE, EVERY_KIND };
    for (const [label, input] of Object.entries(specs)) {
      it(label, () => {
        const report = check(definitionOf(input));
        assert.deepEqual(report.problems, []);
        assert.ok(report.worstCaseSeconds + EXECUTION_MARGIN_SECONDS <= input.timeoutSeconds);
      });
    }
  });

  describe("finds what would leave a failure unhandled", () => {
    const definition = definitionOf(GLUE_CRAWL_LOAD);

    it("an execution timeout that equals a step's timeout (the execution would time out first, uncaught)", () => {
      const tight = definitionOf(spec([glueJob({ timeoutSeconds: 3600 })], { timeoutSeconds: 3600 }));
      const report = check(tight);
      assertProblem(
        report.problems,
        /longest path takes up to \d+ s .* does not fit inside the execution's TimeoutSeconds 3600/,
      );
      assert.ok(report.worstCaseSeconds > 3600);
    });

    it("a Task without its own TimeoutSeconds", () => {
      assertProblem(
        broken(definition, (copy) => delete copy.States["transform-sales"].TimeoutSeconds),
        /transform-sales has no TimeoutSeconds of its own/,
      );
    });

    it("a Task that does not catch States.ALL", () => {
      assertProblem(
        broken(definition, (copy) => delete copy.States["crawl-sales StopCrawler"].Catch),
        /crawl-sales StopCrawler does not catch States.ALL/,
      );
    });

    it("a Choice without Default (States.NoChoiceMatched cannot be caught)", () => {
      assertProblem(
        broken(definition, (copy) => delete copy.States["crawl-sales CheckLastCrawl"].Default),
        /crawl-sales CheckLastCrawl has no Default/,
      );
    });

    it("a path into Fail that skips the alert", () => {
      assertProblem(
        broken(definition, (copy) => (copy.States["transform-sales"].Catch![0].Next = PIPELINE_FAILED)),
        /path transform-sales -> PipelineFailed fails without the alert/,
      );
    });

    it("an alert that goes on anywhere but Fail", () => {
      assertProblem(
        broken(definition, (copy) => (copy.States[NOTIFY_FAILURE].Next = "PipelineSucceeded")),
        /the alert NotifyFailure goes on to PipelineSucceeded/,
      );
    });

    it("an error path that ends in success", () => {
      assertProblem(
        broken(definition, (copy) => (copy.States["transform-sales"].Catch![0].Next = "crawl-sales")),
        /error path transform-sales -> crawl-sales -> .* -> PipelineSucceeded ends in success/,
      );
    });

    it("a missing state", () => {
      assertProblem(
        broken(definition, (copy) => (copy.States["transform-sales"].Next = "nowhere")),
        /goes to "nowhere", which is not a state/,
      );
    });

    it("a start state that does not exist, without walking the graph", () => {
      const copy = structuredClone(definition);
      copy.StartAt = "nowhere";
      const report = check(copy);
      assertProblem(report.problems, /StartAt "nowhere" is not a state/);
      assert.equal(report.worstCaseSeconds, Number.POSITIVE_INFINITY);
    });
  });

  describe("proves every loop is bounded", () => {
    const definition = definitionOf(spec([redshiftSql()]));
    const prefix = "load-warehouse";

    it("a loop without its round counter never ends", () => {
      assertProblem(
        broken(definition, (copy) => delete copy.States[`${prefix} Wait`].Assign),
        /has no single poll counter/,
      );
    });

    it("a bound checked only after a rule that stays in the loop does not bound it", () => {
      assertProblem(
        broken(definition, (copy) => {
          const rules = copy.States[`${prefix} CheckStatement`].Choices!;
          rules.unshift({
            Variable: `$.step1_load_warehouse.Status`,
            StringEquals: "STARTED",
            Next: `${prefix} Wait`,
          });
        }),
        /can go round without passing/,
      );
    });

    it("a missed poll that waits again without counting against the rounds", () => {
      assertProblem(
        broken(
          definition,
          (copy) => (copy.States[`${prefix} DescribeStatement`].Catch![0].Next = `${prefix} Wait`),
        ),
        /loop \(load-warehouse CheckStatement, load-warehouse DescribeStatement, load-warehouse Wait\) can go round without passing load-warehouse CheckStatement/,
      );
    });

    it("a loop entered without resetting its counter", () => {
      assertProblem(
        broken(definition, (copy) => delete copy.States[prefix].Assign),
        /enters loop .* without setting \$pollCount1 to 0/,
      );
    });
  });
});
