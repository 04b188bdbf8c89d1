/**
 * glue-job-worker-limits: Glue bills DPU-hours, so a job's worker type and count are bounded per
 * environment. A job must state its capacity explicitly (workerType + numberOfWorkers, or
 * maxCapacity for Python shell jobs) instead of inheriting Glue's default of 10 workers.
 */
import * as aws from "@pulumi/aws";
import { integer, stringList } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readNumber, readString } from "../lib/values";

export interface GlueWorkerLimitsConfig {
  maxWorkers: number;
  allowedWorkerTypes: string[];
  maxCapacityDpu: number;
}

export const glueJobWorkerLimits = resourcePolicy<GlueWorkerLimitsConfig>({
  name: "glue-job-worker-limits",
  description:
    "Glue jobs declare workerType and numberOfWorkers (or maxCapacity for Python shell jobs) within the " +
    "environment's limits: numberOfWorkers <= maxWorkers, workerType in allowedWorkerTypes, maxCapacity <= maxCapacityDpu.",
  remediationSteps:
    "Set workerType (e.g. G.1X) and numberOfWorkers within the limit; for Python shell jobs set maxCapacity " +
    "(0.0625 or 1). Raise the limit in policies/config/<env>.json only with a cost estimate.",
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["cost"],
  types: [aws.glue.Job],
  knobs: {
    maxWorkers: integer("Largest allowed numberOfWorkers", 20, 1),
    allowedWorkerTypes: stringList("Allowed worker types", ["G.025X", "G.1X", "G.2X"]),
    maxCapacityDpu: integer("Largest allowed maxCapacity (DPU)", 20, 1),
  },
  defaults: { maxWorkers: 20, allowedWorkerTypes: ["G.025X", "G.1X", "G.2X"], maxCapacityDpu: 20 },
  check: ({ subject, props, config, report }) => {
    const workers = readNumber(get(props, "numberOfWorkers"));
    const workerType = readString(get(props, "workerType"));
    const maxCapacity = readNumber(get(props, "maxCapacity"));
    if (report.unclear(subject, "numberOfWorkers", workers)) return;
    if (report.unclear(subject, "workerType", workerType)) return;
    if (report.unclear(subject, "maxCapacity", maxCapacity)) return;
    if (workers.state === "absent" && maxCapacity.state === "absent") {
      report.violation(
        subject,
        "the job does not declare its capacity (Glue defaults to 10 workers)",
        `set workerType and numberOfWorkers (at most ${config.maxWorkers}), or maxCapacity for Python shell jobs`,
      );
      return;
    }
    if (workers.state === "ok" && (workers.value < 1 || workers.value > config.maxWorkers)) {
      report.violation(
        subject,
        `numberOfWorkers is ${workers.value}, above the limit of ${config.maxWorkers}`,
        `set numberOfWorkers to at most ${config.maxWorkers} (policy config "maxWorkers")`,
      );
    }
    if (workers.state === "ok" && workerType.state === "absent") {
      report.violation(
        subject,
        "numberOfWorkers is set without workerType",
        `set workerType to one of ${config.allowedWorkerTypes.join(", ")}`,
      );
    }
    if (
      workerType.state === "ok" &&
      !config.allowedWorkerTypes.some((w) => w.toUpperCase() === workerType.value.toUpperCase())
    ) {
      report.violation(
        subject,
        `workerType ${workerType.value} is not allowed in this environment`,
        `use one of ${config.allowedWorkerTypes.join(", ")} (policy config "allowedWorkerTypes")`,
      );
    }
    if (maxCapacity.state === "ok" && maxCapacity.value > config.maxCapacityDpu) {
      report.violation(
        subject,
        `maxCapacity is ${maxCapacity.value} DPU, above the limit of ${config.maxCapacityDpu}`,
        `set maxCapacity to at most ${config.maxCapacityDpu} DPU`,
      );
    }
  },
});
