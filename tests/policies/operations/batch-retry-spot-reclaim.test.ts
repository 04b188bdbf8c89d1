/** batch-retry-spot-reclaim (policies/operations/batch-retry-spot-reclaim.ts) on a compliant stack of batch. */
import { JOB_DEFINITION, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("batch-retry-spot-reclaim", () => stackWith("batch"), [
  { name: "passes RETRY on Host EC2* before a catch-all EXIT", expect: CLEAN },
  {
    name: "fails a job definition without retryStrategy",
    stack: mutate(JOB_DEFINITION, (p) => {
      delete p.retryStrategy;
    }),
    expect: violation(JOB_DEFINITION, "no retryStrategy"),
  },
  {
    name: "fails a single attempt",
    stack: mutate(JOB_DEFINITION, (p) => {
      p.retryStrategy.attempts = 1;
    }),
    expect: violation(JOB_DEFINITION, "attempts is 1"),
  },
  {
    name: "fails without a Spot reclaim RETRY entry",
    stack: mutate(JOB_DEFINITION, (p) => {
      p.retryStrategy.evaluateOnExits = [{ onExitCode: "1", action: "EXIT" }];
    }),
    expect: violation(JOB_DEFINITION, "Host EC2*"),
  },
  {
    name: "fails when a catch-all EXIT shadows the RETRY entry",
    stack: mutate(JOB_DEFINITION, (p) => {
      p.retryStrategy.evaluateOnExits.reverse();
    }),
    expect: violation(JOB_DEFINITION, "catch-all EXIT"),
  },
  {
    name: "knob minAttempts raises the bar",
    config: { minAttempts: 5 },
    expect: violation(JOB_DEFINITION, "below 5"),
  },
  {
    name: "knob statusReasonPatterns accepts another pattern",
    stack: mutate(JOB_DEFINITION, (p) => {
      p.retryStrategy.evaluateOnExits[0].onStatusReason = "Host EC2 (instance*";
    }),
    config: { statusReasonPatterns: ["Host EC2 (instance*"] },
    expect: CLEAN,
  },
  {
    name: "cannot judge unknown exits",
    stack: mutate(JOB_DEFINITION, (p) => {
      p.retryStrategy.evaluateOnExits = UNKNOWN.array;
    }),
    expect: cannotJudge(JOB_DEFINITION, "evaluateOnExits"),
  },
]);
