/**
 * The AWS Batch engine's state-machine step: a job submitted and waited for with
 * `batch:submitJob.sync`. Pure: no Pulumi types.
 */
import {
  JsonValue,
  StepBase,
  StepKind,
  TEMPLATE_ACCOUNT,
  TEMPLATE_REGION,
  retries,
  syncJobTask,
} from "../../decisions/orchestration";

/** An AWS Batch job, waited for with `batch:submitJob.sync`. */
export interface BatchJobStep extends StepBase {
  kind: "batchJob";
  jobQueueArn: string;
  /** ARN of the job definition, with or without ":revision". */
  jobDefinitionArn: string;
  jobName: string;
  containerOverrides?: { environment: Record<string, string> };
}

export const BATCH_SUBMIT_JOB_SYNC = "batch:submitJob.sync";

const QUEUE_ARN = /^arn:aws(-cn|-us-gov)?:batch:[a-z0-9-]+:\d{12}:job-queue\/[A-Za-z0-9_-]+$/;
const JOB_DEFINITION_ARN =
  /^arn:aws(-cn|-us-gov)?:batch:[a-z0-9-]+:\d{12}:job-definition\/[A-Za-z0-9_-]+(:\d+)?$/;
const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

function batchProblems(step: BatchJobStep): string[] {
  const problems: string[] = [];
  const add = (message: string) => problems.push(message);
  if (!QUEUE_ARN.test(String(step.jobQueueArn))) add("jobQueueArn must be a Batch job queue ARN");
  if (!JOB_DEFINITION_ARN.test(String(step.jobDefinitionArn)))
    add("jobDefinitionArn must be a Batch job definition ARN");
  if (!JOB_NAME.test(String(step.jobName))) {
    add("jobName must be 1-128 letters, digits, '-' or '_', starting with a letter or digit");
  }
  for (const [name, value] of Object.entries(step.containerOverrides?.environment ?? {})) {
    if (name.startsWith("AWS_BATCH")) add(`environment variable "${name}" is reserved by AWS Batch`);
    if (name.endsWith(".$")) add(`environment variable "${name}" must not end with ".$"`);
    if (typeof value !== "string") add(`environment variable "${name}" must be a string`);
  }
  return problems;
}

function jobDefinitionResources(arn: string): string[] {
  // An ARN without ":revision" resolves to the latest ACTIVE revision; allow the name and its revisions.
  return /:\d+$/.test(arn) ? [arn] : [arn, `${arn}:*`];
}

export const BATCH_JOB_STEP: StepKind<BatchJobStep> = {
  kind: "batchJob",
  states: (step, ctx) => {
    const parameters: Record<string, JsonValue> = {
      JobName: step.jobName,
      JobQueue: step.jobQueueArn,
      JobDefinition: step.jobDefinitionArn,
      // Batch's own cap (minimum 60 s): terminates the attempt even if Step Functions' cancel does not get through.
      Timeout: { AttemptDurationSeconds: Math.max(60, step.timeoutSeconds) },
    };
    const environment = Object.entries(step.containerOverrides?.environment ?? {});
    if (environment.length > 0) {
      parameters.ContainerOverrides = { Environment: environment.map(([Name, Value]) => ({ Name, Value })) };
    }
    return syncJobTask(step, ctx, {
      comment: `Batch job ${step.jobName}`,
      integration: BATCH_SUBMIT_JOB_SYNC,
      parameters,
      retry: retries.batchRetry(),
    });
  },
  // batch:DescribeJobs (polled by submitJob.sync) is wildcard-only with no condition key.
  statements: (steps, ctx) => [
    {
      Sid: "BatchSubmitJob",
      Effect: "Allow",
      Action: ["batch:SubmitJob"],
      Resource: [
        ...steps.map((step) => step.jobQueueArn),
        ...steps.flatMap((step) => jobDefinitionResources(step.jobDefinitionArn)),
        // SubmitJob also authorizes the job it creates; its id is only known at run time.
        ctx.arn("batch", "job/*"),
      ],
    },
    {
      Sid: "BatchTerminateJob",
      Effect: "Allow",
      Action: ["batch:TerminateJob"],
      Resource: [ctx.arn("batch", "job/*")],
    },
    { Sid: "BatchDescribeJobs", Effect: "Allow", Action: ["batch:DescribeJobs"], Resource: ["*"] },
  ],
  managedRules: ["StepFunctionsGetEventsForBatchJobsRule"],
  problems: batchProblems,
  timingTemplate: (name, timeoutSeconds) => ({
    kind: "batchJob",
    name,
    timeoutSeconds,
    jobQueueArn: `arn:aws:batch:${TEMPLATE_REGION}:${TEMPLATE_ACCOUNT}:job-queue/timing-template`,
    jobDefinitionArn: `arn:aws:batch:${TEMPLATE_REGION}:${TEMPLATE_ACCOUNT}:job-definition/timing-template`,
    jobName: "timing-template",
  }),
};
