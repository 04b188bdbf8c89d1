/**
 * The EMR on EC2 engine's state-machine step: a transient cluster per run,
 * `createCluster.sync` -> `addStep.sync` (ActionOnFailure CONTINUE) -> `terminateCluster`,
 * with the cluster terminated on the failure path too. Pure: no Pulumi types.
 *
 * Step Functions does not terminate an EMR cluster when an execution stops or times out
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr.html), so the machine must
 * reach a terminate state on every path after the cluster exists: the time budget
 * (decisions/orchestration/budget.ts) keeps the execution timeout beyond the step's own timeout
 * and this cleanup, and paths.ts proves every path gets there (EMR_CLUSTER_LIFECYCLE).
 */
import {
  API_CALL_TIMEOUT_SECONDS,
  IAM_ROLE_ARN,
  JsonValue,
  MAX_TASK_TIMEOUT_SECONDS,
  NOTIFY_FAILURE,
  PIPELINE_TAG_KEY,
  PolicyStatement,
  ResourceLifecycle,
  StateMachineSpec,
  StatementContext,
  StepBase,
  StepBuildContext,
  StepKind,
  StepStates,
  TEMPLATE_ACCOUNT,
  catchAll,
  integrationArn,
  isNonEmptyString,
  isPositiveInteger,
  isStringArray,
  pathLikeKeys,
  resultKey,
  retries,
} from "../../decisions/orchestration";

export const DEFAULT_CLUSTER_CREATE_TIMEOUT_SECONDS = 1800;

export const EMR_INTEGRATIONS = {
  createCluster: "elasticmapreduce:createCluster.sync",
  addStep: "elasticmapreduce:addStep.sync",
  /**
   * Request/response: returns once EMR accepted TerminateJobFlows, which it then carries out on
   * its own. Waiting for TERMINATED (.sync) would only spend the execution's time budget.
   */
  terminateCluster: "elasticmapreduce:terminateCluster",
} as const;

/** The transient cluster: created by CreateCluster, released by either terminate state. */
export const EMR_CLUSTER_LIFECYCLE: ResourceLifecycle = {
  resource: "transient EMR cluster",
  acquiredBy: [EMR_INTEGRATIONS.createCluster],
  releasedBy: [EMR_INTEGRATIONS.terminateCluster],
};

/**
 * The EMR RunJobFlow request (the `createCluster` integration uses RunJobFlow's syntax). The
 * builder forces `Instances.KeepJobFlowAliveWhenNoSteps: true` (required by createCluster) and adds
 * the `pipeline` tag the IAM statements are conditioned on. `Steps` is not allowed.
 */
export interface EmrClusterConfig {
  Name: string;
  ReleaseLabel: string;
  Instances: { [key: string]: JsonValue };
  /** Name or ARN of the EMR service role; must be the role of `serviceRoleArn`. */
  ServiceRole: string;
  /** Instance profile name of the EC2 instances. */
  JobFlowRole: string;
  /** Required: the idle timeout is the backstop that terminates a cluster the machine lost track of. */
  AutoTerminationPolicy: { IdleTimeout: number };
  Applications?: { [key: string]: JsonValue }[];
  Configurations?: JsonValue[];
  SecurityConfiguration?: string;
  LogUri?: string;
  ManagedScalingPolicy?: { [key: string]: JsonValue };
  VisibleToAllUsers?: boolean;
  Tags?: { Key: string; Value: string }[];
  [key: string]: JsonValue | undefined;
}

/**
 * A transient EMR on EC2 cluster: `createCluster.sync` -> `addStep.sync` (ActionOnFailure
 * CONTINUE) -> `terminateCluster`, with the cluster terminated on the failure path too.
 */
export interface EmrTransientStep extends StepBase {
  kind: "emrTransientStep";
  clusterConfig: EmrClusterConfig;
  /** The Spark step, run through command-runner.jar, e.g. args ["spark-submit", "--deploy-mode", ...]. */
  step: { name: string; args: string[] };
  /** ARN of `clusterConfig.ServiceRole`: the machine's role may pass it to EMR. */
  serviceRoleArn: string;
  /** ARN of the role inside the `clusterConfig.JobFlowRole` instance profile: passed to EC2. */
  instanceProfileRoleArn: string;
  /** ARN of the `clusterConfig.AutoScalingRole`, when the cluster uses one. */
  autoScalingRoleArn?: string;
  /** TimeoutSeconds of the CreateCluster task (provisioning + bootstrap). Default 1800. */
  clusterCreateTimeoutSeconds?: number;
}

function emrTransientStates(step: EmrTransientStep, ctx: StepBuildContext): StepStates {
  const key = resultKey(ctx.index, step);
  const clusterId = `$.${key}.ClusterId`;
  const names = {
    create: `${step.name} CreateCluster`,
    run: `${step.name} RunStep`,
    terminate: `${step.name} TerminateCluster`,
    terminateOnFailure: `${step.name} TerminateClusterOnFailure`,
  };
  // A deep copy without undefined fields; the spec is not modified.
  const config = JSON.parse(JSON.stringify(step.clusterConfig)) as EmrTransientStep["clusterConfig"];
  const tags = (config.Tags ?? []).filter((tag) => tag.Key !== PIPELINE_TAG_KEY);
  const clusterParameters: Record<string, JsonValue> = {
    ...(config as Record<string, JsonValue>),
    Instances: { ...config.Instances, KeepJobFlowAliveWhenNoSteps: true },
    Tags: [...tags, { Key: PIPELINE_TAG_KEY, Value: ctx.pipelineName }],
  };
  return {
    startAt: names.create,
    states: {
      [names.create]: {
        Type: "Task",
        Comment:
          "Create the transient cluster. On failure there is no cluster id to terminate: EMR terminates a cluster that " +
          "fails to start; a cluster still starting when this task times out is not terminated by Step Functions, " +
          "and its AutoTerminationPolicy idle timeout is the backstop.",
        Resource: integrationArn(ctx.partition, EMR_INTEGRATIONS.createCluster),
        Parameters: clusterParameters,
        ResultPath: `$.${key}`,
        TimeoutSeconds: step.clusterCreateTimeoutSeconds ?? DEFAULT_CLUSTER_CREATE_TIMEOUT_SECONDS,
        Retry: retries.emrRetry(),
        Catch: catchAll(step),
        Next: names.run,
      },
      [names.run]: {
        Type: "Task",
        Comment:
          "Run the Spark step; ActionOnFailure CONTINUE keeps the cluster so this machine terminates it",
        Resource: integrationArn(ctx.partition, EMR_INTEGRATIONS.addStep),
        Parameters: {
          "ClusterId.$": clusterId,
          Step: {
            Name: step.step.name,
            ActionOnFailure: "CONTINUE",
            HadoopJarStep: { Jar: "command-runner.jar", Args: [...step.step.args] },
          },
        },
        ResultPath: null,
        TimeoutSeconds: step.timeoutSeconds,
        Retry: retries.emrRetry(),
        Catch: catchAll(step, names.terminateOnFailure),
        Next: names.terminate,
      },
      [names.terminate]: {
        Type: "Task",
        Comment: "Terminate the cluster (EMR finishes the termination on its own), then go on",
        Resource: integrationArn(ctx.partition, EMR_INTEGRATIONS.terminateCluster),
        Parameters: { "ClusterId.$": clusterId },
        ResultPath: null,
        TimeoutSeconds: API_CALL_TIMEOUT_SECONDS,
        Retry: retries.emrTerminateRetry(),
        Catch: catchAll(step),
        Next: ctx.next,
      },
      [names.terminateOnFailure]: {
        Type: "Task",
        Comment: "The step failed: terminate the cluster, then report the step's error (kept at $.error)",
        Resource: integrationArn(ctx.partition, EMR_INTEGRATIONS.terminateCluster),
        Parameters: { "ClusterId.$": clusterId },
        ResultPath: null,
        TimeoutSeconds: API_CALL_TIMEOUT_SECONDS,
        Retry: retries.emrTerminateRetry(),
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.terminateError", Next: NOTIFY_FAILURE }],
        Next: NOTIFY_FAILURE,
      },
    },
  };
}

function roleName(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

function emrTransientProblems(step: EmrTransientStep, spec: StateMachineSpec): string[] {
  const problems: string[] = [];
  const add = (message: string) => problems.push(message);
  const config = step.clusterConfig;
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    return ["clusterConfig must be the CreateCluster (RunJobFlow) request object"];
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
  if ("Steps" in config) add("clusterConfig.Steps is not allowed: createCluster takes no steps, use step");
  if (!isPositiveInteger(config.AutoTerminationPolicy?.IdleTimeout, 7 * 24 * 3600)) {
    add(
      "clusterConfig.AutoTerminationPolicy.IdleTimeout is required (seconds): it terminates a cluster the machine lost track of",
    );
  }
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
  if (
    step.clusterCreateTimeoutSeconds !== undefined &&
    !isPositiveInteger(step.clusterCreateTimeoutSeconds, MAX_TASK_TIMEOUT_SECONDS)
  ) {
    add("clusterCreateTimeoutSeconds must be a whole number of seconds > 0");
  }
  // The IAM statements are scoped to the pipeline's own tag value.
  const conflicting = (config.Tags ?? []).find(
    (tag) => tag.Key === PIPELINE_TAG_KEY && tag.Value !== spec.pipelineName,
  );
  if (conflicting) {
    add(
      `clusterConfig.Tags has pipeline="${conflicting.Value}", but the IAM statements are scoped to pipeline="${spec.pipelineName}"`,
    );
  }
  return problems;
}

/**
 * RunJobFlow takes no resource ARN (wildcard-only); it is conditioned on the `pipeline` request
 * tag the builder puts on every cluster. The cluster ARN is only known at run time, so the other
 * EMR actions name `cluster/*` in the account and region, conditioned on that tag.
 */
function emrTransientStatements(steps: EmrTransientStep[], ctx: StatementContext): PolicyStatement[] {
  const { spec, partition, accountId } = ctx;
  return [
    {
      Sid: "EmrCreateTaggedCluster",
      Effect: "Allow",
      Action: ["elasticmapreduce:RunJobFlow"],
      Resource: ["*"],
      Condition: { StringEquals: { [`aws:RequestTag/${PIPELINE_TAG_KEY}`]: spec.pipelineName } },
    },
    {
      Sid: "EmrManagePipelineClusters",
      Effect: "Allow",
      Action: [
        "elasticmapreduce:DescribeCluster",
        "elasticmapreduce:TerminateJobFlows",
        "elasticmapreduce:AddJobFlowSteps",
        "elasticmapreduce:DescribeStep",
        "elasticmapreduce:CancelSteps",
      ],
      Resource: [ctx.arn("elasticmapreduce", "cluster/*")],
      Condition: { StringEquals: { [`aws:ResourceTag/${PIPELINE_TAG_KEY}`]: spec.pipelineName } },
    },
    {
      Sid: "EmrPassServiceRole",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: steps.map((step) => step.serviceRoleArn),
      Condition: { StringLike: { "iam:PassedToService": "elasticmapreduce.amazonaws.com*" } },
    },
    {
      Sid: "EmrPassInstanceProfileRole",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: steps.map((step) => step.instanceProfileRoleArn),
      Condition: { StringLike: { "iam:PassedToService": "ec2.amazonaws.com*" } },
    },
    {
      Sid: "EmrPassAutoScalingRole",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: steps.flatMap((step) => (step.autoScalingRoleArn ? [step.autoScalingRoleArn] : [])),
      Condition: { StringLike: { "iam:PassedToService": "application-autoscaling.amazonaws.com*" } },
    },
    // createCluster needs the EMR cleanup service-linked role to exist (created once per account).
    {
      Sid: "EmrCleanupServiceLinkedRole",
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: [
        `arn:${partition}:iam::${accountId}:role/aws-service-role/elasticmapreduce.amazonaws.com*/AWSServiceRoleForEMRCleanup*`,
      ],
      Condition: { StringLike: { "iam:AWSServiceName": "elasticmapreduce.amazonaws.com*" } },
    },
  ];
}

export const EMR_TRANSIENT_STEP: StepKind<EmrTransientStep> = {
  kind: "emrTransientStep",
  firstState: (step) => `${step.name} CreateCluster`,
  states: emrTransientStates,
  statements: emrTransientStatements,
  managedRules: [
    "StepFunctionsGetEventForEMRRunJobFlowRule",
    "StepFunctionsGetEventForEMRAddJobFlowStepsRule",
  ],
  problems: emrTransientProblems,
  lifecycles: [EMR_CLUSTER_LIFECYCLE],
  // The platform's clusters keep the default create timeout; the budget relies on that.
  timingTemplate: (name, timeoutSeconds) => ({
    kind: "emrTransientStep",
    name,
    timeoutSeconds,
    clusterConfig: {
      Name: "timing-template",
      ReleaseLabel: "emr-7.5.0",
      Instances: {},
      ServiceRole: "timing-template",
      JobFlowRole: "timing-template",
      AutoTerminationPolicy: { IdleTimeout: 3600 },
    },
    step: { name, args: ["spark-submit", "s3://timing-template/job.py"] },
    serviceRoleArn: `arn:aws:iam::${TEMPLATE_ACCOUNT}:role/timing-template`,
    instanceProfileRoleArn: `arn:aws:iam::${TEMPLATE_ACCOUNT}:role/timing-template`,
  }),
};
