/** glue-job-timeout (policies/operations/glue-job-timeout.ts) on a compliant stack of glue. */
import { GLUE_JOB, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";

policyCases("glue-job-timeout", () => stackWith("glue"), [
  { name: "passes a 60-minute timeout", expect: CLEAN },
  {
    name: "fails a job without timeout",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.timeout;
    }),
    expect: violation(GLUE_JOB, "no timeout", "48 hours"),
  },
  {
    name: "fails a timeout above the limit",
    stack: mutate(GLUE_JOB, (p) => {
      p.timeout = 2880;
    }),
    expect: violation(GLUE_JOB, "2880"),
  },
  {
    name: "knob maxTimeoutMinutes tightens the limit",
    config: { maxTimeoutMinutes: 30 },
    expect: violation(GLUE_JOB, "outside 1..30"),
  },
  {
    name: "accepts a numeric string",
    stack: mutate(GLUE_JOB, (p) => {
      p.timeout = "45";
    }),
    expect: CLEAN,
  },
  {
    name: "cannot judge a malformed timeout",
    stack: mutate(GLUE_JOB, (p) => {
      p.timeout = { minutes: 5 };
    }),
    expect: cannotJudge(GLUE_JOB, "timeout"),
  },
]);
