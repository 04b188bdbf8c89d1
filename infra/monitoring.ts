/** Wires monitoring for every pipeline: failure rules, alarms, the dashboard and the budget. */
import { StackConfig } from "./config";
import { DeclaredJob, jobsByEngine } from "./engines";
import { declareInBatches, Paced } from "./pacing";
import { PipelineRun } from "./orchestration";
import { AnyEngineModule } from "../engines/contract";
import { PlatformContext } from "../engines/platform-context";
import {
  Budget,
  crawlerFailureRules,
  Dashboard,
  FailureEvents,
  FailureRuleAlarms,
  PipelineAlarms,
  stateMachineFailureRules,
} from "../index";

export interface Monitoring {
  failureEvents: FailureEvents;
  failureRuleAlarms: FailureRuleAlarms;
  pipelineAlarms: PipelineAlarms[];
  dashboard: Dashboard;
  budget: Budget;
}

/** Failure alerts: one rule per engine in use, the crawlers' and the state machines'. */
function failureEvents(
  jobs: Map<string, DeclaredJob>,
  runs: PipelineRun[],
  engines: readonly AnyEngineModule[],
  ctx: PlatformContext,
): FailureEvents {
  const environment = ctx.environment;
  const byEngine = jobsByEngine(jobs, engines);
  return new FailureEvents(
    `${ctx.namePrefix}-failures`,
    {
      // The alert topic's dead-letter queue takes rules named after its own prefix.
      namePrefix: ctx.alerts.namePrefix,
      alertTopicArn: ctx.alerts.topicArn,
      deadLetterQueueArn: ctx.alerts.deadLetterQueueArn,
      rules: [
        ...byEngine.flatMap(({ engine, jobs: engineJobs }) => engine.failureRules(ctx, engineJobs)),
        ...crawlerFailureRules(
          environment,
          [...ctx.crawlers.values()].map((crawler) => crawler.crawlerName),
        ),
        ...stateMachineFailureRules(environment, [
          ...runs.flatMap((run) => (run.stateMachine ? [run.stateMachine.arn] : [])),
          // Machines runs start (the warehouse setup), once each.
          ...new Set(runs.flatMap((run) => run.nestedStateMachineArns ?? [])),
        ]),
      ],
    },
    ctx.opts,
  );
}

export function* buildMonitoring(
  config: StackConfig,
  jobs: Map<string, DeclaredJob>,
  runs: PipelineRun[],
  engines: readonly AnyEngineModule[],
  ctx: PlatformContext,
): Paced<Monitoring> {
  const { alerts, opts, namePrefix: prefix } = ctx;
  const failures = failureEvents(jobs, runs, engines, ctx);
  const failureRuleAlarms = new FailureRuleAlarms(
    `${prefix}-failure-rules`,
    {
      namePrefix: prefix,
      alertTopicArn: alerts.topicArn,
      ruleNames: Object.fromEntries(Object.entries(failures.rules).map(([kind, rule]) => [kind, rule.name])),
    },
    opts,
  );

  const pipelineAlarms = yield* declareInBatches(
    runs,
    (run) =>
      new PipelineAlarms(
        ctx.nameOf(run.pipeline.name),
        {
          pipeline: run.pipeline.name,
          slaTier: run.pipeline.slaTier,
          alertTopicArn: alerts.topicArn,
          alarms: run.alarms,
        },
        opts,
      ),
  );

  const dashboard = new Dashboard(
    prefix,
    {
      alertTopicName: alerts.topic.name,
      pipelines: runs.map((run) => ({
        name: run.pipeline.name,
        slaTier: run.pipeline.slaTier,
        widgets: run.dashboardRow,
        triggerWidgets: run.triggerWidgets,
      })),
      alarmArns: pipelineAlarms.flatMap((alarms) => alarms.alarmArns()),
      engineWidgets: jobsByEngine(jobs, engines).flatMap(({ engine, jobs: engineJobs }) =>
        engineJobs.length > 0 ? engine.dashboardWidgets(engineJobs) : [],
      ),
      failureRuleNames: failures.ruleNames(),
      deadLetterQueueName: alerts.deadLetterQueue.name,
    },
    opts,
  );

  const budget = new Budget(
    `${prefix}-budget`,
    {
      namePrefix: prefix,
      environment: ctx.environment,
      monthlyLimitUsd: config.budget.monthlyUsd,
      alertTopicArn: alerts.topicArn,
      emails: config.alerts.emails,
      anomalyThresholdUsd: config.budget.anomalyAlertUsd,
      activateCostAllocationTags: config.budget.activateCostAllocationTags,
    },
    opts,
  );

  return { failureEvents: failures, failureRuleAlarms, pipelineAlarms, dashboard, budget };
}
