/**
 * The built-in `stateMachine` step: runs another state machine and waits for it
 * (`states:startExecution.sync:2`). The platform uses it to run the warehouse setup, which works
 * with the warehouse's admin secret, from a pipeline whose own role never sees that secret.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 */
import { StepKind, catchAll, integrationArn, isNonEmptyString, isPositiveInteger } from "./step-kind";
import { PolicyStatement, StepBase } from "./types";

/** Another state machine's execution, waited for; its failure fails this step. */
export interface StateMachineStep extends StepBase {
  kind: "stateMachine";
  /** ARN of the state machine to run. */
  stateMachineArn: string;
  /**
   * The child's own execution TimeoutSeconds. The step's timeout must exceed it, so the child
   * always ends (and cleans up) before this step gives up on it.
   */
  childTimeoutSeconds: number;
}

export const START_EXECUTION_SYNC = "states:startExecution.sync:2";

const STATE_MACHINE_ARN = /^arn:aws(-cn|-us-gov)?:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;

function machineName(arn: string): string {
  return arn.slice(arn.lastIndexOf(":") + 1);
}

/** `stateMachine:<name>` -> `execution:<name>:*`: the executions of that machine. */
function executionsOf(arn: string): string {
  return `${arn.replace(/:stateMachine:[^:]+$/, ":execution:")}${machineName(arn)}:*`;
}

export const STATE_MACHINE_STEP: StepKind<StateMachineStep> = {
  kind: "stateMachine",
  states: (step, ctx) => ({
    startAt: step.name,
    states: {
      [step.name]: {
        Type: "Task",
        Comment: `Run state machine ${machineName(step.stateMachineArn)} and wait for it`,
        Resource: integrationArn(ctx.partition, START_EXECUTION_SYNC),
        Parameters: {
          StateMachineArn: step.stateMachineArn,
          // Links the child execution to this one in the console and the execution history.
          Input: { "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id" },
        },
        ResultPath: null,
        TimeoutSeconds: step.timeoutSeconds,
        // A refused StartExecution (throttled, too many running executions) started nothing.
        Retry: [
          {
            ErrorEquals: [
              "StepFunctions.ExecutionLimitExceededException",
              "StepFunctions.AWSStepFunctionsException",
            ],
            IntervalSeconds: 5,
            MaxAttempts: 3,
            BackoffRate: 2,
            MaxDelaySeconds: 30,
            JitterStrategy: "FULL",
          },
        ],
        Catch: catchAll(step),
        Next: ctx.next,
      },
    },
  }),
  // https://docs.aws.amazon.com/step-functions/latest/dg/stepfunctions-iam.html (synchronous)
  statements: (steps): PolicyStatement[] => [
    {
      Sid: "StartNestedExecutions",
      Effect: "Allow",
      Action: ["states:StartExecution"],
      Resource: steps.map((step) => step.stateMachineArn),
    },
    {
      Sid: "WatchNestedExecutions",
      Effect: "Allow",
      Action: ["states:DescribeExecution", "states:StopExecution"],
      Resource: steps.map((step) => executionsOf(step.stateMachineArn)),
    },
  ],
  managedRules: ["StepFunctionsGetEventsForStepFunctionsExecutionRule"],
  problems: (step) => [
    ...(!isNonEmptyString(step.stateMachineArn) || !STATE_MACHINE_ARN.test(step.stateMachineArn)
      ? ["stateMachineArn must be a Step Functions state machine ARN"]
      : []),
    ...(!isPositiveInteger(step.childTimeoutSeconds, Number.MAX_SAFE_INTEGER)
      ? ["childTimeoutSeconds must be the child machine's TimeoutSeconds"]
      : step.timeoutSeconds <= step.childTimeoutSeconds
        ? [
            `timeoutSeconds ${step.timeoutSeconds} must exceed the child's TimeoutSeconds ${step.childTimeoutSeconds}, ` +
              "or this step could give up while the child still runs",
          ]
        : []),
  ],
};
