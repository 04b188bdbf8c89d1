/** glue-job-catalog-enabled (policies/catalog/glue-job-catalog-enabled.ts) on a compliant stack of glue. */
import { GLUE_JOB, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("glue-job-catalog-enabled", () => stackWith("glue"), [
  { name: "passes --enable-glue-datacatalog", expect: CLEAN },
  {
    name: "fails a job without it",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.defaultArguments["--enable-glue-datacatalog"];
    }),
    expect: violation(GLUE_JOB, "Glue Data Catalog"),
  },
  {
    name: "fails it set to false",
    stack: mutate(GLUE_JOB, (p) => {
      p.defaultArguments["--enable-glue-datacatalog"] = "false";
    }),
    expect: violation(GLUE_JOB, '"false"'),
  },
  {
    name: "skips Python shell jobs by default",
    stack: mutate(GLUE_JOB, (p) => {
      p.command.name = "pythonshell";
      delete p.defaultArguments["--enable-glue-datacatalog"];
    }),
    expect: CLEAN,
  },
  {
    name: "knob skipCommandNames can include them",
    stack: mutate(GLUE_JOB, (p) => {
      p.command.name = "pythonshell";
      delete p.defaultArguments["--enable-glue-datacatalog"];
    }),
    config: { skipCommandNames: [] },
    expect: violation(GLUE_JOB, "Glue Data Catalog"),
  },
  {
    name: "cannot judge unknown arguments",
    stack: mutate(GLUE_JOB, (p) => {
      p.defaultArguments = UNKNOWN.object;
    }),
    expect: cannotJudge(GLUE_JOB, "--enable-glue-datacatalog"),
  },
]);
