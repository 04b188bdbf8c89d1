/** glue-incremental-bookmarks (policies/operations/glue-incremental-bookmarks.ts) on a compliant stack of glue. */
import { GLUE_JOB, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("glue-incremental-bookmarks", () => stackWith("glue"), [
  { name: "passes an incremental job with bookmarks enabled", expect: CLEAN },
  {
    name: "fails an incremental job without bookmarks",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.defaultArguments["--job-bookmark-option"];
    }),
    expect: violation(GLUE_JOB, "bookmarks"),
  },
  {
    name: "fails an incremental job with bookmarks disabled",
    stack: mutate(GLUE_JOB, (p) => {
      p.defaultArguments["--job-bookmark-option"] = "job-bookmark-disable";
    }),
    expect: violation(GLUE_JOB, "job-bookmark-disable"),
  },
  {
    name: "fails a pinned non-overridable disable",
    stack: mutate(GLUE_JOB, (p) => {
      p.nonOverridableArguments = { "--job-bookmark-option": "job-bookmark-pause" };
    }),
    expect: violation(GLUE_JOB, "nonOverridableArguments"),
  },
  {
    name: "ignores full-reload jobs (no incremental tag)",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.tags.incremental;
      delete p.defaultArguments["--job-bookmark-option"];
    }),
    expect: CLEAN,
  },
  {
    name: "knob incrementalTagKey reads another tag",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.tags.incremental;
      p.tags["load-mode"] = "true";
      delete p.defaultArguments["--job-bookmark-option"];
    }),
    config: { incrementalTagKey: "load-mode" },
    expect: violation(GLUE_JOB, "bookmarks"),
  },
  {
    name: "cannot judge unknown arguments",
    stack: mutate(GLUE_JOB, (p) => {
      p.defaultArguments = UNKNOWN.object;
    }),
    expect: cannotJudge(GLUE_JOB, "--job-bookmark-option"),
  },
]);
