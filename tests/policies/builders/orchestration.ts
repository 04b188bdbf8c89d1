/**
 * Orchestration: the sales pipeline state machine with its log group, the nightly EventBridge rule
 * that starts it (and a Batch job), the crawler schedule, and the dead-letter queue of those triggers.
 */
import { T } from "../../../policies/lib/types";
import { Res, res } from "../harness";
import { JOB_DEFINITION, JOB_QUEUE_ARN } from "./batch";
import { ACCOUNT, Area, areaOf, Env } from "./env";

export const STATE_MACHINE = "bdp-dev-sales-pipeline";
export const STATE_MACHINE_ARN = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:${STATE_MACHINE}`;
export const DLQ_ARN = `arn:aws:sqs:eu-west-1:${ACCOUNT}:bdp-dev-trigger-dlq`;

export interface OrchestrationArea extends Area {
  logGroup: Res;
  deadLetterQueue: Res;
  stateMachine: Res;
  nightlyRule: Res;
  startTarget: Res;
  batchTarget: Res;
  crawlerSchedule: Res;
}

/** Glue job, then a crawler in a Parallel branch, then a Batch job per store in a Map; all with timeouts. */
export function stateMachineDefinition(): string {
  return JSON.stringify({
    Comment: "sales pipeline",
    StartAt: "Etl",
    TimeoutSeconds: 7200,
    States: {
      Etl: {
        Type: "Task",
        Resource: "arn:aws:states:::glue:startJobRun.sync",
        Parameters: { JobName: "bdp-dev-sales-etl" },
        TimeoutSeconds: 3600,
        Next: "Fanout",
      },
      Fanout: {
        Type: "Parallel",
        Branches: [
          {
            StartAt: "Crawl",
            States: {
              Crawl: {
                Type: "Task",
                Resource: "arn:aws:states:::aws-sdk:glue:startCrawler",
                TimeoutSeconds: 600,
                End: true,
              },
            },
          },
        ],
        Next: "PerStore",
      },
      PerStore: {
        Type: "Map",
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Aggregate",
          States: {
            Aggregate: {
              Type: "Task",
              Resource: "arn:aws:states:::batch:submitJob.sync",
              TimeoutSecondsPath: "$.timeout",
              End: true,
            },
          },
        },
        End: true,
      },
    },
  });
}

/** How a trigger survives a failed invocation. */
function delivery(maximumRetryAttempts: number) {
  return {
    deadLetterConfig: { arn: DLQ_ARN },
    retryPolicy: { maximumRetryAttempts, maximumEventAgeInSeconds: 3600 },
  };
}

export function orchestration(env: Env): OrchestrationArea {
  const o = { provider: env.provider };
  const logGroup = res(
    T.logGroup,
    "bdp-dev-sfn-logs",
    { name: "/aws/vendedlogs/states/bdp-dev-sales", retentionInDays: 14 },
    o,
  );
  const deadLetterQueue = res(
    T.sqsQueue,
    "bdp-dev-trigger-dlq",
    { name: "bdp-dev-trigger-dlq", sqsManagedSseEnabled: true },
    o,
  );
  const stateMachine = res(
    T.sfnStateMachine,
    STATE_MACHINE,
    {
      name: STATE_MACHINE,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/bdp-dev-sfn`,
      definition: stateMachineDefinition(),
      loggingConfiguration: {
        level: "ALL",
        includeExecutionData: true,
        logDestination: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/vendedlogs/states/bdp-dev-sales:*`,
      },
      tracingConfiguration: { enabled: true },
      // Known output: failure rules name the state machine by its ARN.
      arn: STATE_MACHINE_ARN,
    },
    o,
  );
  const nightlyRule = res(
    T.eventRule,
    "bdp-dev-sales-nightly",
    { name: "bdp-dev-sales-nightly", scheduleExpression: "cron(0 2 * * ? *)" },
    o,
  );
  const startTarget = res(
    T.eventTarget,
    "bdp-dev-sales-nightly-start",
    {
      rule: "bdp-dev-sales-nightly",
      arn: STATE_MACHINE_ARN,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/bdp-dev-events`,
      ...delivery(3),
    },
    { ...o, deps: { rule: [nightlyRule], arn: [stateMachine] } },
  );
  const batchTarget = res(
    T.eventTarget,
    "bdp-dev-upload-to-batch",
    {
      rule: "bdp-dev-sales-nightly",
      arn: JOB_QUEUE_ARN,
      batchTarget: { jobDefinition: JOB_DEFINITION, jobName: "aggregate" },
      ...delivery(2),
    },
    { ...o, deps: { rule: [nightlyRule] } },
  );
  const crawlerSchedule = res(
    T.schedule,
    "bdp-dev-crawler-schedule",
    {
      name: "bdp-dev-crawler-schedule",
      scheduleExpression: "rate(1 day)",
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: "arn:aws:scheduler:::aws-sdk:glue:startCrawler",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/bdp-dev-scheduler`,
        ...delivery(3),
      },
    },
    o,
  );
  return areaOf({
    logGroup,
    deadLetterQueue,
    stateMachine,
    nightlyRule,
    startTarget,
    batchTarget,
    crawlerSchedule,
  });
}
