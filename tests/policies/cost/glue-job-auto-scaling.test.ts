/** glue-job-auto-scaling (policies/cost/glue-job-auto-scaling.ts) on a compliant stack of glue. */
import { GLUE_JOB, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("glue-job-auto-scaling", () => stackWith("glue"), [
  { name: "passes an auto-scaled Glue 4.0 job", expect: CLEAN },
  {
    name: "fails a job without --enable-auto-scaling",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.defaultArguments["--enable-auto-scaling"];
    }),
    expect: violation(GLUE_JOB, "does not auto scale", '"--enable-auto-scaling"] = "true"'),
  },
  {
    name: "fails it set to false",
    stack: mutate(GLUE_JOB, (p) => {
      p.defaultArguments["--enable-auto-scaling"] = "false";
    }),
    expect: violation(GLUE_JOB, 'sets --enable-auto-scaling to "false"'),
  },
  {
    name: "fails a Glue 2.0 job, which cannot auto scale",
    stack: mutate(GLUE_JOB, (p) => {
      p.glueVersion = "2.0";
    }),
    expect: violation(GLUE_JOB, "runs Glue 2.0", 'glueVersion to "3.0" or later'),
  },
  {
    name: "fails a job without glueVersion (Glue 0.9)",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.glueVersion;
    }),
    expect: violation(GLUE_JOB, "runs Glue 0.9 (glueVersion is unset)"),
  },
  {
    name: "fails a job sized in Standard DPUs",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.workerType;
      delete p.numberOfWorkers;
      p.maxCapacity = 10;
    }),
    expect: violation(GLUE_JOB, "Standard DPUs (maxCapacity)"),
  },
  {
    name: "skips Python shell jobs by default",
    stack: mutate(GLUE_JOB, (p) => {
      p.command.name = "pythonshell";
      delete p.defaultArguments["--enable-auto-scaling"];
    }),
    expect: CLEAN,
  },
  {
    name: "knob skipCommandNames can include them",
    stack: mutate(GLUE_JOB, (p) => {
      p.command.name = "pythonshell";
      delete p.defaultArguments["--enable-auto-scaling"];
    }),
    config: { skipCommandNames: [] },
    expect: violation(GLUE_JOB, "does not auto scale"),
  },
  {
    name: "cannot judge unknown arguments",
    stack: mutate(GLUE_JOB, (p) => {
      p.defaultArguments = UNKNOWN.object;
    }),
    expect: cannotJudge(GLUE_JOB, "--enable-auto-scaling"),
  },
  {
    name: "cannot judge an unknown Glue version",
    stack: mutate(GLUE_JOB, (p) => {
      p.glueVersion = UNKNOWN.string;
    }),
    expect: cannotJudge(GLUE_JOB, "glueVersion"),
  },
]);
