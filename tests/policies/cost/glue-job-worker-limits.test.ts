/** glue-job-worker-limits (policies/cost/glue-job-worker-limits.ts) on a compliant stack of glue. */
import { GLUE_JOB, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("glue-job-worker-limits", () => stackWith("glue"), [
  { name: "passes 4 G.1X workers", expect: CLEAN },
  {
    name: "fails a job that does not declare its capacity",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.numberOfWorkers;
      delete p.workerType;
    }),
    expect: violation(GLUE_JOB, "does not declare its capacity"),
  },
  {
    name: "fails too many workers",
    stack: mutate(GLUE_JOB, (p) => {
      p.numberOfWorkers = 100;
    }),
    expect: violation(GLUE_JOB, "numberOfWorkers is 100"),
  },
  {
    name: "fails a disallowed worker type",
    stack: mutate(GLUE_JOB, (p) => {
      p.workerType = "G.8X";
    }),
    expect: violation(GLUE_JOB, "G.8X"),
  },
  {
    name: "fails numberOfWorkers without workerType",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.workerType;
    }),
    expect: violation(GLUE_JOB, "without workerType"),
  },
  {
    name: "fails maxCapacity above the DPU limit",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.numberOfWorkers;
      delete p.workerType;
      p.maxCapacity = 40;
    }),
    expect: violation(GLUE_JOB, "maxCapacity is 40"),
  },
  {
    name: "knob maxWorkers lowers the limit",
    config: { maxWorkers: 2 },
    expect: violation(GLUE_JOB, "above the limit of 2"),
  },
  {
    name: "cannot judge an unknown worker count",
    stack: mutate(GLUE_JOB, (p) => {
      p.numberOfWorkers = UNKNOWN.number;
    }),
    expect: cannotJudge(GLUE_JOB, "numberOfWorkers"),
  },
]);
