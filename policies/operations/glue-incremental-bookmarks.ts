/**
 * glue-incremental-bookmarks: a Glue job that reads an incremental source (new files or rows since
 * the last run) must enable job bookmarks, or every run reprocesses everything (cost) or nothing
 * (data loss). "Incremental" is declared by the tag `incremental=true` on the job (or the
 * provider's default tags); the pipeline config's `incremental` flag sets it.
 */
import * as aws from "@pulumi/aws";
import { stringList, text } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { readTag } from "../lib/tags";
import { get, readString } from "../lib/values";

export interface BookmarksConfig {
  incrementalTagKey: string;
  incrementalTagValues: string[];
}

const ARG = "--job-bookmark-option";
const ENABLE = "job-bookmark-enable";

export const glueIncrementalBookmarks = resourcePolicy<BookmarksConfig>({
  name: "glue-incremental-bookmarks",
  description:
    'Glue jobs tagged incremental=true (knob incrementalTagKey/Values) set defaultArguments["--job-bookmark-option"] ' +
    'to "job-bookmark-enable" and do not override it in nonOverridableArguments.',
  remediationSteps:
    'Add defaultArguments: { "--job-bookmark-option": "job-bookmark-enable" } to the aws.glue.Job and give the ' +
    "job's sources a transformation_ctx; or drop the incremental tag if the job re-reads its whole input by design.",
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["operations"],
  types: [aws.glue.Job],
  knobs: {
    incrementalTagKey: text("Tag that marks a job as reading an incremental source", "incremental"),
    incrementalTagValues: stringList("Tag values meaning incremental", ["true", "yes"]),
  },
  defaults: { incrementalTagKey: "incremental", incrementalTagValues: ["true", "yes"] },
  check: ({ subject, props, provider, config, report }) => {
    const tag = readTag(props, provider, config.incrementalTagKey);
    if (report.unclear(subject, `the ${config.incrementalTagKey} tag`, tag)) return;
    if (
      tag.state !== "ok" ||
      !config.incrementalTagValues.some((v) => v.toLowerCase() === tag.value.toLowerCase())
    )
      return;
    const fix = `set defaultArguments["${ARG}"] = "${ENABLE}"`;
    const pinned = readString(get(props, "nonOverridableArguments", ARG));
    if (
      !report.unclear(subject, `nonOverridableArguments["${ARG}"]`, pinned) &&
      pinned.state === "ok" &&
      pinned.value !== ENABLE
    ) {
      report.violation(
        subject,
        `incremental job pins nonOverridableArguments["${ARG}"] to "${pinned.value}"`,
        `remove it or set it to "${ENABLE}"`,
      );
      return;
    }
    if (pinned.state === "ok") return;
    const opt = readString(get(props, "defaultArguments", ARG));
    if (report.unclear(subject, `defaultArguments["${ARG}"]`, opt)) return;
    if (opt.state === "absent") {
      report.violation(
        subject,
        "incremental job does not enable job bookmarks (Glue's default is disabled)",
        fix,
      );
    } else if (opt.value !== ENABLE) {
      report.violation(subject, `incremental job sets ${ARG} to "${opt.value}"`, fix);
    }
  },
});
