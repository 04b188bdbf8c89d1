/** The `glue` settings block of a pipeline, and the checks that involve the rest of the pipeline. */
import { z } from "zod";
import {
  addProblems,
  ConfigReferences,
  kebabName,
  PipelineDefinition,
  PipelineIssue,
  pythonModulesSchema,
  refineWith,
  repoScript,
  uniqueValues,
} from "../../decisions/pipeline";
import {
  GLUE_WORKER_TYPES,
  GlueWorkerType,
  glueMaxRetriesError,
  glueScheduleError,
  glueExpectedWorkersError,
  glueWorkerCountError,
  glueWorkerTypeError,
} from "../../decisions/glue";
import { jobCodeProblems } from "../../components/storage/job-script";
import { problemAt } from "../../decisions/problems";

export const glueSettingsSchema = z
  .strictObject({
    script: repoScript("py"),
    /** Modules the script imports, shipped with `--extra-py-files`. */
    pythonModules: pythonModulesSchema,
    workerType: z.enum(GLUE_WORKER_TYPES as [GlueWorkerType, ...GlueWorkerType[]]),
    /** The most workers a run may hold: jobs auto scale (`--enable-auto-scaling`) up to it. */
    numberOfWorkers: z.number().max(299).superRefine(refineWith(glueWorkerCountError)),
    /**
     * The average workers an auto-scaled run holds, which the cost estimate bills. Optional: without
     * it the estimate bills numberOfWorkers for the whole run (its upper bound).
     */
    expectedWorkers: z.number().optional(),
    maxRetries: z.number().superRefine(refineWith(glueMaxRetriesError)),
    /** Incremental jobs keep job bookmarks so each run reads only new data. */
    incremental: z.boolean(),
    /** Glue connection names (from `connections`) the job needs for JDBC sources. */
    connections: z.array(kebabName).superRefine(uniqueValues("connection")).default([]),
  })
  // The EtlJob component's file checks (the script and modules exist in the repository), at this block's keys.
  .superRefine((glue, ctx) =>
    addProblems(ctx, [
      ...jobCodeProblems("script", glue.script, "pythonModules", glue.pythonModules),
      ...problemAt(
        ["expectedWorkers"],
        glue.expectedWorkers === undefined
          ? undefined
          : glueExpectedWorkersError(glue.expectedWorkers, glue.numberOfWorkers),
        glue.expectedWorkers,
      ),
    ]),
  );

export type GlueSettings = z.infer<typeof glueSettingsSchema>;

/** How a Glue pipeline without steps runs. */
export const GLUE_WORKFLOW = "glueWorkflow";

/** The job's connections are declared under `connections`. */
export function checkGlueReferences(
  _pipeline: PipelineDefinition,
  settings: GlueSettings,
  issue: PipelineIssue,
  references: ConfigReferences,
): void {
  settings.connections.forEach((name, index) => {
    if (!references.connections.has(name)) {
      issue(["glue", "connections", index], "unknown connection; declare it under connections", name);
    }
  });
}

/** The worker type suits the tier; without steps, the trigger suits a Glue workflow. */
export function checkGluePipeline(
  pipeline: PipelineDefinition,
  settings: GlueSettings,
  issue: PipelineIssue,
): void {
  const problem = glueWorkerTypeError(pipeline.slaTier, settings.workerType);
  if (problem) issue(["glue", "workerType"], problem, settings.workerType);
  if (pipeline.steps !== undefined) return;
  // Without steps the pipeline runs as a Glue workflow.
  const trigger = pipeline.trigger;
  if (trigger.type === "s3Upload") {
    issue(
      ["trigger", "type"],
      "an S3-triggered Glue pipeline needs steps (it then runs in Step Functions), e.g. steps: [{name: run, type: job}]",
      trigger.type,
    );
  }
  if (trigger.type === "schedule") {
    const scheduleProblem = glueScheduleError(trigger.expression, trigger.timezone);
    if (scheduleProblem) issue(["trigger"], `Glue workflow schedule: ${scheduleProblem}`, trigger);
  }
}
