/** batch-job-timeout (policies/operations/batch-job-timeout.ts) on a compliant stack of batch. */
import { JOB_DEFINITION, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("batch-job-timeout", () => stackWith("batch"), [
  { name: "passes a one-hour attempt timeout", expect: CLEAN },
  {
    name: "fails a job definition without timeout",
    stack: mutate(JOB_DEFINITION, (p) => {
      delete p.timeout;
    }),
    expect: violation(JOB_DEFINITION, "attemptDurationSeconds"),
  },
  {
    name: "fails an attempt duration below 60 s",
    stack: mutate(JOB_DEFINITION, (p) => {
      p.timeout.attemptDurationSeconds = 30;
    }),
    expect: violation(JOB_DEFINITION, "30"),
  },
  {
    name: "knob maxAttemptSeconds tightens the limit",
    config: { maxAttemptSeconds: 1800 },
    expect: violation(JOB_DEFINITION, "3600"),
  },
  {
    name: "cannot judge an unknown timeout",
    stack: mutate(JOB_DEFINITION, (p) => {
      p.timeout = UNKNOWN.object;
    }),
    expect: cannotJudge(JOB_DEFINITION, "attemptDurationSeconds"),
  },
]);
