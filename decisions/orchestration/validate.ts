/**
 * Checks a StateMachineSpec before anything is built from it, so a bad pipeline fails
 * `pulumi preview` with every problem named, instead of CreateStateMachine or the first run
 * failing on one of them.
 */
import { ResolvedStep, StateMachineSpec } from "./types";

/** Standard workflows run for at most one year. */
export const MAX_EXECUTION_SECONDS = 365 * 24 * 60 * 60;

/** Upper bound of a Task's TimeoutSeconds in ASL. */
export const MAX_TASK_TIMEOUT_SECONDS = 99_999_999;

/** State names the builder uses for itself; steps cannot take them. */
export const RESERVED_STATE_NAMES = ["NotifyFailure", "PipelineFailed", "PipelineSucceeded"] as const;

/** Step names end up in state names (at most 80 characters, with suffixes of up to 26). */
const STEP_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/;
const PIPELINE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;
const SNS_TOPIC_ARN = /^arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const KMS_KEY_ARN = /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const IAM_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const BATCH_QUEUE_ARN = /^arn:aws(-cn|-us-gov)?:batch:[a-z0-9-]+:\d{12}:job-queue\/[A-Za-z0-9_-]+$/;
const BATCH_JOB_DEFINITION_ARN =
  /^arn:aws(-cn|-us-gov)?:batch:[a-z0-9-]+:\d{12}:job-definition\/[A-Za-z0-9_-]+(:\d+)?$/;
const BATCH_JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const GLUE_NAME = /^[\w .-]{1,255}$/;
const EMR_SERVERLESS_APPLICATION_ID = /^[0-9a-z]+$/;
const SECRET_ARN = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;
const WORKGROUP_ARN = /^arn:aws(-cn|-us-gov)?:redshift-serverless:[a-z0-9-]+:\d{12}:workgroup\/[0-9a-f-]+$/;
const REDSHIFT_IDENTIFIER = /^[a-z][a-z0-9-]{0,63}$/;

export class StateMachineSpecError extends Error {
  constructor(
    readonly pipelineName: string,
    readonly problems: string[],
  ) {
    super(`invalid state machine spec for pipeline "${pipelineName}":\n  - ${problems.join("\n  - ")}`);
    this.name = "StateMachineSpecError";
  }
}

function isPositiveInteger(value: unknown, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 && value <= max;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/**
 * Keys ending in ".$" are JSONPath or intrinsic-function fields in a Parameters block; a literal
 * config key shaped like that would be evaluated against the execution input.
 */
function pathLikeKeys(value: unknown, at: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => pathLikeKeys(item, `${at}[${index}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(key.endsWith(".$") ? [`${at}.${key}`] : []),
    ...pathLikeKeys(child, `${at}.${key}`),
  ]);
}

function roleName(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

function stepProblems(step: ResolvedStep, machineTimeout: number): string[] {
  const problems: string[] = [];
  const add = (message: string) => problems.push(message);

  if (!isPositiveInteger(step.timeoutSeconds, MAX_TASK_TIMEOUT_SECONDS)) {
    add(`timeoutSeconds must be a whole number of seconds > 0 (got ${JSON.stringify(step.timeoutSeconds)})`);
  } else if (
    isPositiveInteger(machineTimeout, MAX_EXECUTION_SECONDS) &&
    step.timeoutSeconds > machineTimeout
  ) {
    add(
      `timeoutSeconds ${step.timeoutSeconds} exceeds the machine's ${machineTimeout}: the step could never hit its own timeout`,
    );
  }
  const pollWithinTimeout = (field: string, poll: unknown) => {
    if (!isPositiveInteger(poll, 3600)) {
      add(`${field} must be a whole number of seconds between 1 and 3600 (got ${JSON.stringify(poll)})`);
    } else if (
      isPositiveInteger(step.timeoutSeconds, MAX_TASK_TIMEOUT_SECONDS) &&
      poll >= step.timeoutSeconds
    ) {
      add(`${field} ${poll} must be shorter than timeoutSeconds ${step.timeoutSeconds}`);
    }
  };

  switch (step.kind) {
    case "glueJob":
      if (!isNonEmptyString(step.jobName) || !GLUE_NAME.test(step.jobName))
        add("jobName must be a Glue job name");
      for (const [key, value] of Object.entries(step.arguments ?? {})) {
        if (!key.startsWith("--")) add(`argument "${key}" must start with "--"`);
        if (key.endsWith(".$"))
          add(`argument "${key}" must not end with ".$" (it would be read as a JSONPath)`);
        if (typeof value !== "string") add(`argument "${key}" must be a string`);
      }
      break;
    case "crawler":
      if (!isNonEmptyString(step.crawlerName) || !GLUE_NAME.test(step.crawlerName)) {
        add("crawlerName must be a Glue crawler name");
      }
      pollWithinTimeout("pollSeconds", step.pollSeconds);
      break;
    case "emrTransientStep": {
      const config = step.clusterConfig;
      if (config === null || typeof config !== "object" || Array.isArray(config)) {
        add("clusterConfig must be the CreateCluster (RunJobFlow) request object");
        break;
      }
      for (const field of ["Name", "ReleaseLabel", "ServiceRole", "JobFlowRole"] as const) {
        if (!isNonEmptyString(config[field])) add(`clusterConfig.${field} is required`);
      }
      const instances = config.Instances;
      if (instances === null || typeof instances !== "object" || Array.isArray(instances)) {
        add("clusterConfig.Instances is required");
      } else if (instances.KeepJobFlowAliveWhenNoSteps === false) {
        add("clusterConfig.Instances.KeepJobFlowAliveWhenNoSteps must be true for createCluster");
      }
      if ("Steps" in config)
        add("clusterConfig.Steps is not allowed: createCluster takes no steps, use step");
      if (!isPositiveInteger(config.AutoTerminationPolicy?.IdleTimeout, 7 * 24 * 3600)) {
        add(
          "clusterConfig.AutoTerminationPolicy.IdleTimeout is required (seconds): it terminates a cluster the machine lost track of",
        );
      }
      // A `pipeline` tag that disagrees with the pipeline name is checked in stateMachineSpecProblems.
      for (const key of pathLikeKeys(config, "clusterConfig")) {
        add(`${key} must not end with ".$" (it would be read as a JSONPath)`);
      }
      if (!IAM_ROLE_ARN.test(String(step.serviceRoleArn))) add("serviceRoleArn must be an IAM role ARN");
      else if (
        isNonEmptyString(config.ServiceRole) &&
        config.ServiceRole !== step.serviceRoleArn &&
        config.ServiceRole !== roleName(step.serviceRoleArn)
      ) {
        add(`clusterConfig.ServiceRole "${config.ServiceRole}" is not the role of serviceRoleArn`);
      }
      if (!IAM_ROLE_ARN.test(String(step.instanceProfileRoleArn))) {
        add("instanceProfileRoleArn must be an IAM role ARN");
      }
      if (step.autoScalingRoleArn !== undefined && !IAM_ROLE_ARN.test(step.autoScalingRoleArn)) {
        add("autoScalingRoleArn must be an IAM role ARN");
      }
      if ("AutoScalingRole" in config && step.autoScalingRoleArn === undefined) {
        add("clusterConfig.AutoScalingRole is set: give its autoScalingRoleArn so the machine may pass it");
      }
      if (!step.step || !isNonEmptyString(step.step.name)) add("step.name is required");
      if (!step.step || !isStringArray(step.step.args) || step.step.args.length === 0) {
        add("step.args must be a non-empty list of strings (the spark-submit command)");
      }
      for (const field of ["clusterCreateTimeoutSeconds", "clusterTerminateTimeoutSeconds"] as const) {
        if (step[field] !== undefined && !isPositiveInteger(step[field], MAX_TASK_TIMEOUT_SECONDS)) {
          add(`${field} must be a whole number of seconds > 0`);
        }
      }
      break;
    }
    case "emrServerlessJob":
      if (!isNonEmptyString(step.applicationId) || !EMR_SERVERLESS_APPLICATION_ID.test(step.applicationId)) {
        add("applicationId must be an EMR Serverless application id");
      }
      if (!IAM_ROLE_ARN.test(String(step.executionRoleArn))) add("executionRoleArn must be an IAM role ARN");
      if (!isNonEmptyString(step.entryPoint)) add("entryPoint is required");
      if (!isStringArray(step.entryPointArguments)) add("entryPointArguments must be a list of strings");
      if (step.sparkSubmitParameters !== undefined && typeof step.sparkSubmitParameters !== "string") {
        add("sparkSubmitParameters must be a string");
      }
      break;
    case "batchJob":
      if (!BATCH_QUEUE_ARN.test(String(step.jobQueueArn))) add("jobQueueArn must be a Batch job queue ARN");
      if (!BATCH_JOB_DEFINITION_ARN.test(String(step.jobDefinitionArn))) {
        add("jobDefinitionArn must be a Batch job definition ARN");
      }
      if (!BATCH_JOB_NAME.test(String(step.jobName))) {
        add("jobName must be 1-128 letters, digits, '-' or '_', starting with a letter or digit");
      }
      for (const [name, value] of Object.entries(step.containerOverrides?.environment ?? {})) {
        if (name.startsWith("AWS_BATCH")) add(`environment variable "${name}" is reserved by AWS Batch`);
        if (name.endsWith(".$")) add(`environment variable "${name}" must not end with ".$"`);
        if (typeof value !== "string") add(`environment variable "${name}" must be a string`);
      }
      break;
    case "redshiftSql": {
      const serverless = step.workgroupName !== undefined;
      const provisioned = step.clusterIdentifier !== undefined;
      if (serverless === provisioned) add("exactly one of workgroupName and clusterIdentifier is required");
      if (serverless && !REDSHIFT_IDENTIFIER.test(String(step.workgroupName))) {
        add("workgroupName must be a Redshift Serverless workgroup name");
      }
      if (provisioned && !REDSHIFT_IDENTIFIER.test(String(step.clusterIdentifier))) {
        add("clusterIdentifier must be a Redshift cluster identifier");
      }
      if (step.workgroupArn !== undefined && (!serverless || !WORKGROUP_ARN.test(step.workgroupArn))) {
        add("workgroupArn must be the ARN of the workgroup, and only goes with workgroupName");
      }
      if (step.dbUser !== undefined && (!provisioned || !isNonEmptyString(step.dbUser))) {
        add("dbUser only goes with clusterIdentifier");
      }
      if (step.dbUser !== undefined && step.secretArn !== undefined) {
        add("give either dbUser or secretArn, not both");
      }
      if (step.secretArn !== undefined && !SECRET_ARN.test(step.secretArn)) {
        add("secretArn must be a Secrets Manager secret ARN");
      }
      if (!isNonEmptyString(step.database)) add("database is required");
      if (!isNonEmptyString(step.sql)) add("sql is required");
      if (step.pollSeconds !== undefined) pollWithinTimeout("pollSeconds", step.pollSeconds);
      break;
    }
    default:
      add(`unknown kind ${JSON.stringify((step as { kind?: unknown }).kind)}`);
  }
  return problems;
}

/** Every problem of the spec, each prefixed with where it is; empty when the spec is valid. */
export function stateMachineSpecProblems(spec: StateMachineSpec): string[] {
  if (spec === null || typeof spec !== "object") return ["the spec must be an object"];
  const problems: string[] = [];
  if (!isNonEmptyString(spec.pipelineName) || !PIPELINE_NAME.test(spec.pipelineName)) {
    problems.push("pipelineName must be 1-80 letters, digits, '-' or '_'");
  }
  if (!isPositiveInteger(spec.timeoutSeconds, MAX_EXECUTION_SECONDS)) {
    problems.push(
      `timeoutSeconds must be a whole number of seconds > 0 and at most ${MAX_EXECUTION_SECONDS} (got ${JSON.stringify(spec.timeoutSeconds)})`,
    );
  }
  if (!SNS_TOPIC_ARN.test(String(spec.alertTopicArn)))
    problems.push("alertTopicArn must be an SNS topic ARN");
  if (spec.alertTopicKmsKeyArn !== undefined && !KMS_KEY_ARN.test(spec.alertTopicKmsKeyArn)) {
    problems.push("alertTopicKmsKeyArn must be a KMS key ARN");
  }
  if (spec.partition !== undefined && !["aws", "aws-cn", "aws-us-gov"].includes(spec.partition)) {
    problems.push(`partition must be aws, aws-cn or aws-us-gov`);
  }
  if (!Array.isArray(spec.steps) || spec.steps.length === 0) {
    problems.push("steps must list at least one step");
    return problems;
  }

  const seen = new Set<string>();
  spec.steps.forEach((step, index) => {
    const where = `step ${index + 1}${typeof step?.name === "string" ? ` "${step.name}"` : ""}`;
    if (step === null || typeof step !== "object") {
      problems.push(`${where}: must be an object`);
      return;
    }
    if (typeof step.name !== "string" || !STEP_NAME.test(step.name)) {
      problems.push(
        `${where}: name must be 1-48 letters, digits, '-' or '_', starting with a letter or digit`,
      );
    } else if ((RESERVED_STATE_NAMES as readonly string[]).includes(step.name)) {
      problems.push(`${where}: name "${step.name}" is reserved`);
    } else if (seen.has(step.name)) {
      problems.push(`${where}: duplicate step name "${step.name}" (step names must be unique)`);
    }
    seen.add(step.name);
    for (const problem of stepProblems(step, spec.timeoutSeconds)) problems.push(`${where}: ${problem}`);
    if (step.kind === "emrTransientStep" && step.clusterConfig && typeof step.clusterConfig === "object") {
      const conflicting = (step.clusterConfig.Tags ?? []).find(
        (tag) => tag.Key === "pipeline" && tag.Value !== spec.pipelineName,
      );
      if (conflicting) {
        problems.push(
          `${where}: clusterConfig.Tags has pipeline="${conflicting.Value}", but the IAM statements are scoped to pipeline="${spec.pipelineName}"`,
        );
      }
    }
  });
  return problems;
}

/** Throws a StateMachineSpecError listing every problem when the spec is invalid. */
export function validateStateMachineSpec(spec: StateMachineSpec): void {
  const problems = stateMachineSpecProblems(spec);
  if (problems.length > 0) throw new StateMachineSpecError(String(spec?.pipelineName), problems);
}
