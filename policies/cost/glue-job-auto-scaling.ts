/**
 * glue-job-auto-scaling: Spark Glue jobs auto scale (defaultArguments["--enable-auto-scaling"] =
 * "true"), so numberOfWorkers is a ceiling and each run bills only the workers its stages use.
 * Auto scaling needs Glue 3.0 or later and a worker type (G.* or R.*), not Standard DPUs
 * (maxCapacity): https://docs.aws.amazon.com/glue/latest/dg/auto-scaling.html. A job created
 * without glueVersion runs Glue 0.9 (https://docs.aws.amazon.com/glue/latest/webapi/API_Job.html).
 */
import * as aws from "@pulumi/aws";
import { stringList } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readNumber, readString } from "../lib/values";

export interface GlueAutoScalingConfig {
  skipCommandNames: string[];
}

const ARG = "--enable-auto-scaling";
/** The first Glue version with auto scaling. */
const MIN_VERSION = 3;
/** What Glue runs when a job names no version. */
const DEFAULT_VERSION = "0.9";

export const glueJobAutoScaling = resourcePolicy<GlueAutoScalingConfig>({
  name: "glue-job-auto-scaling",
  description:
    'Spark Glue jobs (except command names in skipCommandNames, default pythonshell and glueray) set defaultArguments["--enable-auto-scaling"] ' +
    'to "true" on Glue 3.0 or later with a workerType, so numberOfWorkers is the most a run may hold and each run bills only what it uses.',
  remediationSteps:
    'Set glueVersion to "3.0" or later, workerType and numberOfWorkers (the maximum), and defaultArguments: { "--enable-auto-scaling": "true" }.',
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["cost"],
  types: [aws.glue.Job],
  knobs: {
    skipCommandNames: stringList("Glue command names the rule does not apply to", ["pythonshell", "glueray"]),
  },
  defaults: { skipCommandNames: ["pythonshell", "glueray"] },
  check: ({ subject, props, config, report }) => {
    const command = readString(get(props, "command", "name"));
    if (report.unclear(subject, "command.name", command)) return;
    const commandName = command.state === "ok" ? command.value : "glueetl";
    if (config.skipCommandNames.some((c) => c.toLowerCase() === commandName.toLowerCase())) return;

    const version = readString(get(props, "glueVersion"));
    if (report.unclear(subject, "glueVersion", version)) return;
    const glueVersion = version.state === "ok" ? version.value : DEFAULT_VERSION;
    if (!(Number.parseFloat(glueVersion) >= MIN_VERSION)) {
      report.violation(
        subject,
        `the job runs Glue ${glueVersion}${version.state === "ok" ? "" : " (glueVersion is unset)"}, which cannot auto scale`,
        `set glueVersion to "${MIN_VERSION}.0" or later and defaultArguments["${ARG}"] = "true"`,
      );
      return;
    }

    const workerType = readString(get(props, "workerType"));
    const maxCapacity = readNumber(get(props, "maxCapacity"));
    if (report.unclear(subject, "workerType", workerType)) return;
    if (workerType.state === "absent" && maxCapacity.state === "ok") {
      report.violation(
        subject,
        "the job sizes itself in Standard DPUs (maxCapacity), which cannot auto scale",
        `set workerType and numberOfWorkers instead of maxCapacity, and defaultArguments["${ARG}"] = "true"`,
      );
      return;
    }

    const flag = readString(get(props, "defaultArguments", ARG));
    if (report.unclear(subject, `defaultArguments["${ARG}"]`, flag)) return;
    if (flag.state === "absent") {
      report.violation(
        subject,
        "the job does not auto scale: every run holds numberOfWorkers from start to end",
        `set defaultArguments["${ARG}"] = "true" (numberOfWorkers becomes the maximum)`,
      );
    } else if (flag.value.trim().toLowerCase() !== "true") {
      report.violation(
        subject,
        `the job sets ${ARG} to "${flag.value}"`,
        `set defaultArguments["${ARG}"] = "true"`,
      );
    }
  },
});
