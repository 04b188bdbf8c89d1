/**
 * The built-in `crawler` step: `aws-sdk:glue:startCrawler`, then a Wait + `getCrawler` poll loop
 * of `pollRounds(timeoutSeconds, pollSeconds)` rounds; a crawl that outlives them is stopped.
 */
import { CRAWLER_POLL_TRANSIENT_ERRORS, crawlerCallRetry, crawlerStartRetry } from "./retries";
import {
  API_CALL_TIMEOUT_SECONDS,
  GLUE_NAME,
  StepBuildContext,
  StepKind,
  StepStates,
  catchAll,
  failurePass,
  integrationArn,
  intrinsicLiteral,
  isNonEmptyString,
  pollCountVariable,
  pollIntervalProblems,
  missedPollCheck,
  pollRead,
  pollRounds,
  pollWait,
  resultKey,
} from "./step-kind";
import { CrawlerStep } from "./types";

export const CRAWLER_INTEGRATIONS = {
  start: "aws-sdk:glue:startCrawler",
  get: "aws-sdk:glue:getCrawler",
  stop: "aws-sdk:glue:stopCrawler",
} as const;

function crawlerStates(step: CrawlerStep, ctx: StepBuildContext): StepStates {
  const key = resultKey(ctx.index, step);
  const polls = pollCountVariable(ctx);
  const rounds = pollRounds(step.timeoutSeconds, step.pollSeconds);
  const names = {
    start: step.name,
    wait: `${step.name} Wait`,
    get: `${step.name} GetCrawler`,
    check: `${step.name} CheckCrawler`,
    checkLastCrawl: `${step.name} CheckLastCrawl`,
    stop: `${step.name} StopCrawler`,
    missed: `${step.name} MissedPoll`,
    failed: `${step.name} CrawlFailed`,
    timedOut: `${step.name} TimedOut`,
  };
  const loop = {
    wait: names.wait,
    read: names.get,
    check: names.check,
    missed: names.missed,
    timedOut: names.stop,
  };
  const crawlerState = `$.${key}.Crawler.State`;
  const lastStatus = `$.${key}.Crawler.LastCrawl.Status`;
  return {
    startAt: names.start,
    states: {
      [names.start]: {
        Type: "Task",
        Comment: `Start Glue crawler ${step.crawlerName}; if it is already running, wait for that run and start again`,
        Resource: integrationArn(ctx.partition, CRAWLER_INTEGRATIONS.start),
        Parameters: { Name: step.crawlerName },
        // StartCrawler answers {}: the step's result key exists even if every poll is missed.
        ResultPath: `$.${key}`,
        TimeoutSeconds: API_CALL_TIMEOUT_SECONDS,
        Retry: crawlerStartRetry(step.pollSeconds),
        Catch: catchAll(step),
        Assign: { [polls]: 0 },
        Next: names.wait,
      },
      [names.wait]: pollWait(step.pollSeconds, ctx, names.get),
      [names.get]: pollRead(
        step,
        ctx,
        {
          resource: CRAWLER_INTEGRATIONS.get,
          parameters: { Name: step.crawlerName },
          resultSelector: { "Crawler.$": "$.Crawler" },
        },
        CRAWLER_POLL_TRANSIENT_ERRORS,
        loop,
      ),
      [names.missed]: missedPollCheck(ctx, rounds, loop),
      [names.check]: {
        Type: "Choice",
        Comment: `READY -> check the last crawl; RUNNING/STOPPING -> wait (at most ${rounds} rounds)`,
        Choices: [
          { Variable: crawlerState, StringEquals: "READY", Next: names.checkLastCrawl },
          { Variable: `$${polls}`, NumericGreaterThanEquals: rounds, Next: names.stop },
          {
            Or: [
              { Variable: crawlerState, StringEquals: "RUNNING" },
              { Variable: crawlerState, StringEquals: "STOPPING" },
            ],
            Next: names.wait,
          },
        ],
        Default: names.failed,
      },
      [names.checkLastCrawl]: {
        Type: "Choice",
        Comment: "LastCrawl.Status SUCCEEDED -> next step; missing, FAILED or CANCELLED -> failed",
        Choices: [
          // Rules are tried in order: the comparison only runs when the field exists.
          { Variable: lastStatus, IsPresent: false, Next: names.failed },
          { Variable: lastStatus, StringEquals: "SUCCEEDED", Next: ctx.next },
        ],
        Default: names.failed,
      },
      [names.stop]: {
        Type: "Task",
        Comment: "The crawl outlived the step's timeout: stop it",
        Resource: integrationArn(ctx.partition, CRAWLER_INTEGRATIONS.stop),
        Parameters: { Name: step.crawlerName },
        ResultPath: null,
        TimeoutSeconds: API_CALL_TIMEOUT_SECONDS,
        Retry: crawlerCallRetry(),
        // CrawlerNotRunningException (it just finished) or a failed stop: report the timeout anyway.
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.stopCrawlerError", Next: names.timedOut }],
        Next: names.timedOut,
      },
      [names.failed]: failurePass(
        step,
        "Pipeline.CrawlerFailed",
        `States.JsonToString($.${key}.Crawler)`,
        "The crawl ended without SUCCEEDED",
      ),
      [names.timedOut]: failurePass(
        step,
        "Pipeline.StepTimeout",
        `States.Format('crawler {} still running after ${step.timeoutSeconds} seconds: {}', ${intrinsicLiteral(step.crawlerName)}, States.JsonToString($.${key}))`,
        "The crawl did not finish within the step's timeout",
      ),
    },
  };
}

/** A Glue crawler run, waited for by polling GetCrawler. */
export const CRAWLER_STEP: StepKind<CrawlerStep> = {
  kind: "crawler",
  states: crawlerStates,
  // Glue crawlers: start, poll, stop on timeout.
  statements: (steps, ctx) => [
    {
      Sid: "GlueCrawlers",
      Effect: "Allow",
      Action: ["glue:StartCrawler", "glue:GetCrawler", "glue:StopCrawler"],
      Resource: steps.map((step) => ctx.arn("glue", `crawler/${step.crawlerName}`)),
    },
  ],
  managedRules: [],
  problems: (step) => [
    ...(!isNonEmptyString(step.crawlerName) || !GLUE_NAME.test(step.crawlerName)
      ? ["crawlerName must be a Glue crawler name"]
      : []),
    ...pollIntervalProblems("pollSeconds", step.pollSeconds, step.timeoutSeconds),
  ],
};
