/**
 * The EMR Serverless engine's state-machine step: a job run waited for with
 * `emr-serverless:startJobRun.sync`. Pure: no Pulumi types.
 */
import {
  IAM_ROLE_ARN,
  JsonValue,
  StepBase,
  StepKind,
  TEMPLATE_ACCOUNT,
  idempotencyToken,
  isNonEmptyString,
  isStringArray,
  retries,
  syncJobTask,
} from "../../decisions/orchestration";

/** An EMR Serverless job run, waited for with `emr-serverless:startJobRun.sync`. */
export interface EmrServerlessJobStep extends StepBase {
  kind: "emrServerlessJob";
  applicationId: string;
  executionRoleArn: string;
  /** S3 URI of the Spark entry point (script or jar). */
  entryPoint: string;
  entryPointArguments: string[];
  sparkSubmitParameters?: string;
}

export const EMR_SERVERLESS_START_JOB_RUN_SYNC = "emr-serverless:startJobRun.sync";
const APPLICATION_ID = /^[0-9a-z]+$/;

function emrServerlessProblems(step: EmrServerlessJobStep): string[] {
  const problems: string[] = [];
  const add = (message: string) => problems.push(message);
  if (!isNonEmptyString(step.applicationId) || !APPLICATION_ID.test(step.applicationId)) {
    add("applicationId must be an EMR Serverless application id");
  }
  if (!IAM_ROLE_ARN.test(String(step.executionRoleArn))) add("executionRoleArn must be an IAM role ARN");
  if (!isNonEmptyString(step.entryPoint)) add("entryPoint is required");
  if (!isStringArray(step.entryPointArguments)) add("entryPointArguments must be a list of strings");
  if (step.sparkSubmitParameters !== undefined && typeof step.sparkSubmitParameters !== "string") {
    add("sparkSubmitParameters must be a string");
  }
  return problems;
}

export const EMR_SERVERLESS_JOB_STEP: StepKind<EmrServerlessJobStep> = {
  kind: "emrServerlessJob",
  states: (step, ctx) => {
    const sparkSubmit: Record<string, JsonValue> = {
      EntryPoint: step.entryPoint,
      EntryPointArguments: [...step.entryPointArguments],
    };
    if (step.sparkSubmitParameters) sparkSubmit.SparkSubmitParameters = step.sparkSubmitParameters;
    return syncJobTask(step, ctx, {
      comment: `EMR Serverless job on application ${step.applicationId}`,
      integration: EMR_SERVERLESS_START_JOB_RUN_SYNC,
      parameters: {
        ApplicationId: step.applicationId,
        ExecutionRoleArn: step.executionRoleArn,
        Name: `${ctx.pipelineName}-${step.name}`,
        "ClientToken.$": idempotencyToken(step.name),
        JobDriver: { SparkSubmit: sparkSubmit },
        // EMR Serverless's own cap (default 12 hours): cancels the run even if Step Functions'
        // cancel does not get through.
        // https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_StartJobRun.html
        ExecutionTimeoutMinutes: Math.ceil(step.timeoutSeconds / 60),
      },
      retry: retries.emrServerlessRetry(),
    });
  },
  // Start the run on the application, watch and cancel the application's job runs, pass the job role.
  statements: (steps, ctx) => [
    {
      Sid: "EmrServerlessStartJobRun",
      Effect: "Allow",
      Action: ["emr-serverless:StartJobRun"],
      Resource: steps.map((step) => ctx.arn("emr-serverless", `/applications/${step.applicationId}`)),
    },
    {
      Sid: "EmrServerlessWatchJobRuns",
      Effect: "Allow",
      Action: ["emr-serverless:GetJobRun", "emr-serverless:CancelJobRun"],
      Resource: steps.map((step) =>
        ctx.arn("emr-serverless", `/applications/${step.applicationId}/jobruns/*`),
      ),
    },
    {
      Sid: "EmrServerlessPassExecutionRole",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: steps.map((step) => step.executionRoleArn),
      Condition: { StringEquals: { "iam:PassedToService": "emr-serverless.amazonaws.com" } },
    },
  ],
  managedRules: ["StepFunctionsGetEventsForEMRServerlessJobRule"],
  problems: emrServerlessProblems,
  timingTemplate: (name, timeoutSeconds) => ({
    kind: "emrServerlessJob",
    name,
    timeoutSeconds,
    applicationId: "timingtemplate",
    executionRoleArn: `arn:aws:iam::${TEMPLATE_ACCOUNT}:role/timing-template`,
    entryPoint: "s3://timing-template/job.py",
    entryPointArguments: [],
  }),
};
