/**
 * The Glue engine's state-machine step: a job run waited for with the optimized
 * `glue:startJobRun.sync` integration. Pure: no Pulumi types.
 */
import {
  GLUE_NAME,
  JsonValue,
  StepBase,
  StepKind,
  isNonEmptyString,
  retries,
  syncJobTask,
} from "../../decisions/orchestration";

/** A Glue job run, waited for with the optimized `glue:startJobRun.sync` integration. */
export interface GlueJobStep extends StepBase {
  kind: "glueJob";
  jobName: string;
  /** Job arguments; keys start with "--" as Glue scripts expect them (`getResolvedOptions`). */
  arguments?: Record<string, string>;
}

export const GLUE_START_JOB_RUN_SYNC = "glue:startJobRun.sync";

function glueJobProblems(step: GlueJobStep): string[] {
  const problems: string[] = [];
  if (!isNonEmptyString(step.jobName) || !GLUE_NAME.test(step.jobName))
    problems.push("jobName must be a Glue job name");
  for (const [key, value] of Object.entries(step.arguments ?? {})) {
    if (!key.startsWith("--")) problems.push(`argument "${key}" must start with "--"`);
    if (key.endsWith(".$"))
      problems.push(`argument "${key}" must not end with ".$" (it would be read as a JSONPath)`);
    if (typeof value !== "string") problems.push(`argument "${key}" must be a string`);
  }
  return problems;
}

export const GLUE_JOB_STEP: StepKind<GlueJobStep> = {
  kind: "glueJob",
  states: (step, ctx) => {
    const parameters: Record<string, JsonValue> = {
      JobName: step.jobName,
      // Glue's own cap, in minutes: stops the run even if Step Functions' cancel does not get through.
      Timeout: Math.ceil(step.timeoutSeconds / 60),
    };
    if (step.arguments && Object.keys(step.arguments).length > 0)
      parameters.Arguments = { ...step.arguments };
    return syncJobTask(step, ctx, {
      comment: `Glue job ${step.jobName}`,
      integration: GLUE_START_JOB_RUN_SYNC,
      parameters,
      retry: retries.glueJobRetry(),
    });
  },
  // Glue jobs: start, poll (.sync) and stop on cancel/timeout.
  statements: (steps, ctx) => [
    {
      Sid: "GlueJobRuns",
      Effect: "Allow",
      Action: ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"],
      Resource: steps.map((step) => ctx.arn("glue", `job/${step.jobName}`)),
    },
  ],
  /** glue:startJobRun.sync polls GetJobRun; it needs no managed rule. */
  managedRules: [],
  problems: glueJobProblems,
  timingTemplate: (name, timeoutSeconds) => ({
    kind: "glueJob",
    name,
    timeoutSeconds,
    jobName: "timing-template",
  }),
};
