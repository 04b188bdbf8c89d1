import assert from "node:assert/strict";

import {
  BudgetedStep,
  EXECUTION_MARGIN_SECONDS,
  TimeBudgetError,
  checkExecutionPaths,
  fitExecutionTimeout,
  lifecyclesOf,
  planTimeBudget,
  worstCase,
} from "../../../decisions/orchestration";
import {
  STEP_KINDS,
  TOPIC,
  batchJob,
  crawler,
  definitionOf,
  emrServerless,
  emrTransient,
  glueJob,
  redshiftSql,
  spec,
} from "./fixtures";
import { ENGINES } from "../../../engines/registry";

const machine = (timeoutSeconds: number) => ({
  pipelineName: "weekly-report",
  timeoutSeconds,
  alertTopicArn: TOPIC,
});

function plan(timeoutSeconds: number, steps: BudgetedStep[]) {
  return planTimeBudget({ machine: machine(timeoutSeconds), steps, kinds: STEP_KINDS });
}

/** The weekly report as it was: the Spark step's timeout was the whole execution's. */
const WEEKLY: BudgetedStep[] = [
  { step: emrTransient({ timeoutSeconds: 7200 }), minSeconds: 1800, maxSeconds: 7200 },
];

/** The daily sales shape: crawl, job, crawl, load. */
const DAILY: BudgetedStep[] = [
  { step: crawler({ name: "crawl-raw" }), minSeconds: 300, maxSeconds: 1800 },
  { step: glueJob({ name: "aggregate" }), minSeconds: 900, maxSeconds: 7200 },
  { step: crawler({ name: "crawl-curated" }), minSeconds: 300, maxSeconds: 1800 },
  { step: redshiftSql({ name: "load" }), minSeconds: 300, maxSeconds: 900 },
];

function timeouts(steps: { name: string; timeoutSeconds: number }[]): Record<string, number> {
  return Object.fromEntries(steps.map((step) => [step.name, step.timeoutSeconds]));
}

describe("orchestration: the time budget derives step windows from the execution's timeout", () => {
  it("regression: a step timeout equal to the execution's cannot be caught; the budget shortens it until cleanup fits", () => {
    const naive = definitionOf(spec([emrTransient({ timeoutSeconds: 7200 })], { timeoutSeconds: 7200 }));
    assert.ok(
      checkExecutionPaths(naive, { alertTopicArn: TOPIC }).problems.some((p) => p.includes("does not fit")),
    );

    const budget = plan(7200, WEEKLY);
    const definition = definitionOf(budget.spec);
    const report = checkExecutionPaths(definition, {
      alertTopicArn: TOPIC,
      lifecycles: lifecyclesOf(STEP_KINDS),
    });
    assert.deepEqual(report.problems, []);
    const run = budget.spec.steps[0].timeoutSeconds;
    assert.ok(run < 7200 - 1800, `the Spark step keeps ${run} s after 30 minutes of cluster creation`);
    assert.equal(report.worstCaseSeconds, budget.worstCaseSeconds);
    assert.ok(budget.worstCaseSeconds + EXECUTION_MARGIN_SECONDS <= 7200);
  });

  it("takes the largest windows that fit: one more second on the longest step would not", () => {
    const budget = plan(7200, WEEKLY);
    const wider = structuredClone(budget.spec);
    wider.steps[0].timeoutSeconds += 8; // at least one more thousandth of the 7200 s maximum
    assert.ok(worstCase(definitionOf(wider)).seconds + EXECUTION_MARGIN_SECONDS > 7200);
  });

  it("keeps every window when they all fit", () => {
    const budget = plan(6 * 3600, DAILY);
    assert.deepEqual(timeouts(budget.spec.steps), {
      "crawl-raw": 1800,
      aggregate: 7200,
      "crawl-curated": 1800,
      load: 900,
    });
  });

  it("scales all windows by one factor, none below its minimum, so the job keeps the largest share", () => {
    const budget = plan(7200, DAILY);
    const derived = timeouts(budget.spec.steps);
    assert.ok(
      derived.aggregate > derived["crawl-raw"] && derived["crawl-raw"] >= 300,
      JSON.stringify(derived),
    );
    assert.ok(derived.aggregate >= 900 && derived.aggregate < 7200, JSON.stringify(derived));
    const factor = derived.aggregate / 7200;
    assert.ok(Math.abs(derived["crawl-raw"] / 1800 - factor) < 0.01 || derived["crawl-raw"] === 300);
    assert.deepEqual(checkExecutionPaths(definitionOf(budget.spec), { alertTopicArn: TOPIC }).problems, []);
  });

  it("refuses a budget that cannot hold the minimum windows, and names the timeout that would", () => {
    assert.throws(
      () => plan(3600, DAILY),
      (error: unknown) => {
        assert.ok(error instanceof TimeBudgetError);
        assert.match(
          error.message,
          /cannot hold the steps' shortest windows \(crawl-raw 5 min, aggregate 15 min/,
        );
        assert.match(error.message, /the timeout must be at least \d+ s \(\d+ minutes\)/);
        // The number is right: exactly that budget holds the minimum windows.
        const fitted = timeouts(plan(error.requiredSeconds, DAILY).spec.steps);
        for (const { step, minSeconds } of DAILY) assert.ok(fitted[step.name] >= minSeconds, step.name);
        assert.throws(() => plan(error.requiredSeconds - 1, DAILY), TimeBudgetError);
        return true;
      },
    );
  });

  it("refuses a minimum window longer than the whole budget", () => {
    assert.throws(() => plan(600, [{ step: glueJob(), minSeconds: 900, maxSeconds: 900 }]), TimeBudgetError);
  });

  it("rejects inconsistent windows with a plain error", () => {
    assert.throws(
      () => plan(7200, [{ step: glueJob(), minSeconds: 900, maxSeconds: 600 }]),
      /step "transform-sales": its window must be whole seconds with 0 < minSeconds <= maxSeconds/,
    );
  });

  it("fits a machine without a budget of its own: the smallest whole minute above its longest path", () => {
    const setup = spec([redshiftSql({ name: "grants", timeoutSeconds: 180 })], { timeoutSeconds: 180 });
    const fitted = fitExecutionTimeout(setup, STEP_KINDS);
    assert.equal(fitted.timeoutSeconds % 60, 0);
    const longest = worstCase(definitionOf(fitted)).seconds;
    assert.ok(longest + EXECUTION_MARGIN_SECONDS <= fitted.timeoutSeconds);
    assert.ok(longest + EXECUTION_MARGIN_SECONDS > fitted.timeoutSeconds - 60);
  });

  describe("timing templates plan the budget before real names exist", () => {
    const real = { glueJob, emrTransientStep: emrTransient, emrServerlessJob: emrServerless, batchJob };
    for (const engine of ENGINES) {
      const [kind] = engine.stepKinds;
      it(`${engine.label}: the template of ${kind.kind} is valid and takes exactly as long as a real step`, () => {
        assert.ok(kind.timingTemplate, `${kind.kind} has no timingTemplate`);
        for (const timeoutSeconds of [600, 5400]) {
          const template = kind.timingTemplate("run", timeoutSeconds);
          const actual = real[kind.kind as keyof typeof real]({ name: "run", timeoutSeconds } as never);
          const machine = { timeoutSeconds: 6 * 3600 };
          assert.equal(
            worstCase(definitionOf(spec([template], machine))).seconds,
            worstCase(definitionOf(spec([actual], machine))).seconds,
            `${kind.kind} at ${timeoutSeconds} s`,
          );
        }
      });
    }
  });
});
