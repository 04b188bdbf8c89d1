/** The `emr` settings block of a pipeline, and the checks that involve the rest of the pipeline. */
import { z } from "zod";
import {
  addProblems,
  PipelineDefinition,
  PipelineIssue,
  pythonModulesSchema,
  repoScript,
} from "../../decisions/pipeline";
import { validateEmrClusterArgs } from "../../components/emr/cluster";
import { jobCodeProblems } from "../../components/storage/job-script";

/** An EMR 7 release label (checked with the components' rule); default DEFAULT_EMR_RELEASE_LABEL. */
export const emrReleaseLabelSchema = z.string().optional();

export const emrSettingsSchema = z
  .strictObject({
    /** transient: created per run by the orchestrator; longRunning: kept, scales and auto-terminates when idle. */
    mode: z.enum(["transient", "longRunning"]),
    script: repoScript("py"),
    /** Modules the script imports, shipped with `--py-files`. */
    pythonModules: pythonModulesSchema,
    releaseLabel: emrReleaseLabelSchema,
    /** Managed scaling bounds in instance-fleet units (one unit = one vCPU of the weighted types). */
    minCapacityUnits: z.number(),
    maxCapacityUnits: z.number().max(2000),
    /** The cluster terminates after this much idle time. */
    idleTimeoutMinutes: z.number(),
  })
  // The cluster components' own checks (capacity bounds, release, idle timeout) and the script
  // upload's (JobScript: the files exist in the repository), at this block's keys.
  .superRefine((emr, ctx) =>
    addProblems(ctx, [
      ...validateEmrClusterArgs(emr),
      ...jobCodeProblems("script", emr.script, "pythonModules", emr.pythonModules),
    ]),
  );

export type EmrSettings = z.infer<typeof emrSettingsSchema>;

/** How a pipeline with a long-running cluster runs: steps are submitted to the cluster ad hoc. */
export const LONG_RUNNING_CLUSTER = "longRunningCluster";

/** A long-running cluster takes ad-hoc steps: no trigger, no steps. */
export function checkEmrPipeline(
  pipeline: PipelineDefinition,
  settings: EmrSettings,
  issue: PipelineIssue,
): void {
  if (settings.mode !== "longRunning") return;
  if (pipeline.trigger.type !== "onDemand") {
    issue(
      ["trigger", "type"],
      'long-running EMR clusters take ad-hoc steps; use trigger "onDemand", or emr.mode "transient" for scheduled runs',
      pipeline.trigger.type,
    );
  }
  if (pipeline.steps !== undefined) {
    issue(["steps"], 'steps run on transient clusters; use emr.mode "transient"', "steps");
  }
}
