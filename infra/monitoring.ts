/** Wires monitoring for every pipeline: failure rules, alarms, the dashboard and the budget. */
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "./config";
import { EngineJob, resourceName } from "./engines";
import { PipelineRun } from "./orchestration";
import { AlertTopic } from "../components/monitoring/alert-topic";
import { FailureEvents } from "../components/monitoring/failure-events";
import { FailureRuleAlarms } from "../components/monitoring/failure-rule-alarms";
import { PipelineAlarms } from "../components/monitoring/pipeline-alarms";
import { Dashboard } from "../components/monitoring/dashboard";
import { Budget } from "../components/cost/budget";
import { GlueCrawler } from "../components/glue/crawler";

export interface Monitoring {
  failureEvents: FailureEvents;
  failureRuleAlarms: FailureRuleAlarms;
  pipelineAlarms: PipelineAlarms[];
  dashboard: Dashboard;
  budget: Budget;
}

export interface MonitoringContext {
  config: StackConfig;
  alerts: AlertTopic;
  engineJobs: Map<string, EngineJob>;
  crawlers: Map<string, GlueCrawler>;
  runs: PipelineRun[];
  opts: pulumi.ComponentResourceOptions;
}

export function buildMonitoring(ctx: MonitoringContext): Monitoring {
  const { config, alerts, opts } = ctx;
  const prefix = `bdp-${config.environment}`;
  const jobs = [...ctx.engineJobs.values()];
  const glueJobNames = jobs.flatMap((job) => (job.engine === "glue" ? [job.job.jobName] : []));
  const emrServerlessApplicationIds = jobs.flatMap((job) =>
    job.engine === "emrServerless" ? [job.application.applicationId] : [],
  );
  const stateMachineArns = ctx.runs.flatMap((run) => (run.stateMachine ? [run.stateMachine.arn] : []));

  const failureEvents = new FailureEvents(
    `${prefix}-failures`,
    {
      environment: config.environment,
      alertTopicArn: alerts.topicArn,
      deadLetterQueueArn: alerts.deadLetterQueueArn,
      glueJobNames,
      glueCrawlerNames: [...ctx.crawlers.values()].map((crawler) => crawler.crawlerName),
      batchJobQueueArns: jobs.flatMap((job) => (job.engine === "batch" ? [job.queue.arn] : [])),
      emrClusterNamePrefix: jobs.some((job) => job.engine === "emr") ? `${prefix}-` : undefined,
      emrServerlessApplicationIds,
      stateMachineArns,
    },
    opts,
  );
  const failureRuleAlarms = new FailureRuleAlarms(
    `${prefix}-failure-rules`,
    {
      environment: config.environment,
      alertTopicArn: alerts.topicArn,
      ruleNames: Object.fromEntries(
        Object.entries(failureEvents.rules).map(([kind, rule]) => [kind, rule!.name]),
      ),
    },
    opts,
  );

  const pipelineAlarms = ctx.runs.map((run) => {
    const pipeline = run.pipeline;
    const job = ctx.engineJobs.get(pipeline.name)!;
    return new PipelineAlarms(
      resourceName(config, pipeline.name),
      {
        environment: config.environment,
        pipeline: pipeline.name,
        slaTier: pipeline.slaTier,
        alertTopicArn: alerts.topicArn,
        stateMachineArn: run.stateMachine?.arn,
        glueJobName:
          run.orchestration === "glueWorkflow" && job.engine === "glue" ? job.job.jobName : undefined,
        scheduleExpression: pipeline.trigger.type === "schedule" ? pipeline.trigger.expression : undefined,
        triggerRuleName: run.uploadRuleName,
        expectedRuntimeMinutes: pipeline.expectedRuntimeMinutes,
        timeoutMinutes: pipeline.timeoutMinutes,
        emrCluster:
          job.engine === "emr" && job.mode === "longRunning" && pipeline.engine === "emr"
            ? { clusterId: job.cluster.cluster.id, idleTimeoutMinutes: pipeline.emr.idleTimeoutMinutes }
            : undefined,
      },
      opts,
    );
  });

  const dashboard = new Dashboard(
    prefix,
    {
      environment: config.environment,
      pipelines: ctx.runs.map((run) => {
        const job = ctx.engineJobs.get(run.pipeline.name)!;
        return {
          name: run.pipeline.name,
          slaTier: run.pipeline.slaTier,
          stateMachineArn: run.stateMachine?.arn,
          glueJobName: job.engine === "glue" ? job.job.jobName : undefined,
          expectedRuntimeMinutes: run.pipeline.expectedRuntimeMinutes,
          timeoutMinutes: run.pipeline.timeoutMinutes,
        };
      }),
      glueJobNames,
      emrClusters: jobs.some((job) => job.engine === "emr"),
      emrServerlessApplicationIds,
      failureRuleNames: failureEvents.ruleNames(),
      deadLetterQueueName: alerts.deadLetterQueue.name,
    },
    opts,
  );

  const budget = new Budget(
    `${prefix}-budget`,
    {
      environment: config.environment,
      monthlyLimitUsd: config.budget.monthlyUsd,
      alertTopicArn: alerts.topicArn,
      emails: config.alerts.emails,
      anomalyThresholdUsd: config.budget.anomalyAlertUsd,
    },
    opts,
  );

  return { failureEvents, failureRuleAlarms, pipelineAlarms, dashboard, budget };
}
