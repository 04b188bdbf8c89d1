import { T } from "../../policies/lib/types";
import { add, CLEAN, cannotJudge, drop, mutate, policyCases, violation } from "./cases";
import { ALERTS_ARN, DLQ_ARN } from "./fixtures";
import { res, UNKNOWN } from "./harness";

const JOB = "bdp-dev-sales-etl";
const JOBDEF = "bdp-dev-aggregator";
const SFN = "bdp-dev-sales-pipeline";

function editDefinition(fn: (d: any) => void) {
  return mutate(SFN, (p) => {
    const d = JSON.parse(p.definition);
    fn(d);
    p.definition = JSON.stringify(d);
  });
}

policyCases("glue-job-timeout", [
  { name: "passes a 60-minute timeout", expect: CLEAN },
  {
    name: "fails a job without timeout",
    stack: mutate(JOB, (p) => {
      delete p.timeout;
    }),
    expect: violation(JOB, "no timeout", "48 hours"),
  },
  {
    name: "fails a timeout above the limit",
    stack: mutate(JOB, (p) => {
      p.timeout = 2880;
    }),
    expect: violation(JOB, "2880"),
  },
  {
    name: "knob maxTimeoutMinutes tightens the limit",
    config: { maxTimeoutMinutes: 30 },
    expect: violation(JOB, "outside 1..30"),
  },
  {
    name: "accepts a numeric string",
    stack: mutate(JOB, (p) => {
      p.timeout = "45";
    }),
    expect: CLEAN,
  },
  {
    name: "cannot judge a malformed timeout",
    stack: mutate(JOB, (p) => {
      p.timeout = { minutes: 5 };
    }),
    expect: cannotJudge(JOB, "timeout"),
  },
]);

policyCases("batch-job-timeout", [
  { name: "passes a one-hour attempt timeout", expect: CLEAN },
  {
    name: "fails a job definition without timeout",
    stack: mutate(JOBDEF, (p) => {
      delete p.timeout;
    }),
    expect: violation(JOBDEF, "attemptDurationSeconds"),
  },
  {
    name: "fails an attempt duration below 60 s",
    stack: mutate(JOBDEF, (p) => {
      p.timeout.attemptDurationSeconds = 30;
    }),
    expect: violation(JOBDEF, "30"),
  },
  {
    name: "knob maxAttemptSeconds tightens the limit",
    config: { maxAttemptSeconds: 1800 },
    expect: violation(JOBDEF, "3600"),
  },
  {
    name: "cannot judge an unknown timeout",
    stack: mutate(JOBDEF, (p) => {
      p.timeout = UNKNOWN.object;
    }),
    expect: cannotJudge(JOBDEF, "attemptDurationSeconds"),
  },
]);

policyCases("state-machine-timeouts", [
  { name: "passes a definition with execution and Task timeouts (Parallel and Map included)", expect: CLEAN },
  {
    name: "fails a definition without top-level TimeoutSeconds",
    stack: editDefinition((d) => delete d.TimeoutSeconds),
    expect: violation(SFN, "top-level TimeoutSeconds"),
  },
  {
    name: "fails a Task without TimeoutSeconds inside a Parallel branch",
    stack: editDefinition((d) => delete d.States.Fanout.Branches[0].States.Crawl.TimeoutSeconds),
    expect: violation(SFN, "Fanout[0]/Crawl"),
  },
  {
    name: "fails a Task without TimeoutSeconds inside a Map",
    stack: editDefinition((d) => delete d.States.PerStore.ItemProcessor.States.Aggregate.TimeoutSecondsPath),
    expect: violation(SFN, "PerStore[]/Aggregate"),
  },
  {
    name: "fails a Task timeout above the limit",
    stack: editDefinition((d) => (d.States.Etl.TimeoutSeconds = 100000)),
    expect: violation(SFN, "Etl (100000)"),
  },
  {
    name: "knob maxExecutionSeconds tightens the execution limit",
    config: { maxExecutionSeconds: 3600 },
    expect: violation(SFN, "7200"),
  },
  {
    name: "knob maxTaskSeconds tightens the Task limit",
    config: { maxTaskSeconds: 900 },
    expect: violation(SFN, "Etl (3600)"),
  },
  {
    name: "cannot judge a definition that is not JSON",
    stack: mutate(SFN, (p) => {
      p.definition = "StartAt: Etl";
    }),
    expect: cannotJudge(SFN, "definition"),
  },
  {
    name: "cannot judge an unknown definition",
    stack: mutate(SFN, (p) => {
      p.definition = UNKNOWN.string;
    }),
    expect: cannotJudge(SFN, "definition"),
  },
]);

policyCases("batch-retry-spot-reclaim", [
  { name: "passes RETRY on Host EC2* before a catch-all EXIT", expect: CLEAN },
  {
    name: "fails a job definition without retryStrategy",
    stack: mutate(JOBDEF, (p) => {
      delete p.retryStrategy;
    }),
    expect: violation(JOBDEF, "no retryStrategy"),
  },
  {
    name: "fails a single attempt",
    stack: mutate(JOBDEF, (p) => {
      p.retryStrategy.attempts = 1;
    }),
    expect: violation(JOBDEF, "attempts is 1"),
  },
  {
    name: "fails without a Spot reclaim RETRY entry",
    stack: mutate(JOBDEF, (p) => {
      p.retryStrategy.evaluateOnExits = [{ onExitCode: "1", action: "EXIT" }];
    }),
    expect: violation(JOBDEF, "Host EC2*"),
  },
  {
    name: "fails when a catch-all EXIT shadows the RETRY entry",
    stack: mutate(JOBDEF, (p) => {
      p.retryStrategy.evaluateOnExits.reverse();
    }),
    expect: violation(JOBDEF, "catch-all EXIT"),
  },
  {
    name: "knob minAttempts raises the bar",
    config: { minAttempts: 5 },
    expect: violation(JOBDEF, "below 5"),
  },
  {
    name: "knob statusReasonPatterns accepts another pattern",
    stack: mutate(JOBDEF, (p) => {
      p.retryStrategy.evaluateOnExits[0].onStatusReason = "Host EC2 (instance*";
    }),
    config: { statusReasonPatterns: ["Host EC2 (instance*"] },
    expect: CLEAN,
  },
  {
    name: "cannot judge unknown exits",
    stack: mutate(JOBDEF, (p) => {
      p.retryStrategy.evaluateOnExits = UNKNOWN.array;
    }),
    expect: cannotJudge(JOBDEF, "evaluateOnExits"),
  },
]);

policyCases("failure-alerting-coverage", [
  { name: "passes when every job, queue, cluster, application and state machine is covered", expect: CLEAN },
  {
    name: "fails a Glue job when neither alarm nor rule covers it",
    stack: drop("bdp-dev-glue-failed", "bdp-dev-sales-etl-failures"),
    expect: violation(JOB, "no alarm or EventBridge failure rule"),
  },
  {
    name: "passes a Glue job covered by its alarm alone",
    stack: drop("bdp-dev-glue-failed"),
    expect: CLEAN,
  },
  {
    name: "fails a job queue whose rule targets something other than SNS",
    stack: (s) =>
      s.all.map((r) =>
        r.name === "bdp-dev-batch-failed-to-alerts"
          ? {
              ...r,
              props: { ...r.props, arn: DLQ_ARN },
              deps: { rule: r.deps.rule, arn: [s.byName["bdp-dev-trigger-dlq"]] },
            }
          : r,
      ),
    expect: violation("bdp-dev-batch-queue", "SNS"),
  },
  {
    name: "fails a cluster whose rule names another cluster",
    stack: (s) =>
      s.all.map((r) =>
        r.name === "bdp-dev-emr-failed"
          ? {
              ...r,
              props: {
                ...r.props,
                eventPattern: JSON.stringify({
                  source: ["aws.emr"],
                  "detail-type": ["EMR Cluster State Change"],
                  detail: { clusterId: ["j-OTHER"] },
                }),
              },
            }
          : r,
      ),
    expect: violation("bdp-dev-sales-emr", "EMR Cluster State Change"),
  },
  {
    name: "fails a state machine whose rule only watches successes",
    stack: mutate("bdp-dev-sfn-failed", (p) => {
      const e = JSON.parse(p.eventPattern);
      e.detail.status = ["SUCCEEDED"];
      p.eventPattern = JSON.stringify(e);
    }),
    expect: violation(SFN, "aws.states"),
  },
  {
    name: "fails an EMR Serverless application when its rule is disabled",
    stack: mutate("bdp-dev-emr-serverless-failed", (p) => {
      p.state = "DISABLED";
    }),
    expect: violation("bdp-dev-sales-serverless", "aws.emr-serverless"),
  },
  {
    name: "accepts a rule that names the state machine through dependencies while its ARN is unknown",
    stack: (s) =>
      s.all.map((r) =>
        r.name === "bdp-dev-sfn-failed"
          ? {
              ...r,
              props: { ...r.props, eventPattern: UNKNOWN.string },
              deps: { eventPattern: [s.byName[SFN]] },
            }
          : r,
      ),
    expect: CLEAN,
  },
  {
    name: "knob notificationArnPattern changes what counts as a notification target",
    stack: (s) =>
      s.all.map((r) =>
        r.name === "bdp-dev-batch-failed-to-alerts"
          ? {
              ...r,
              props: { ...r.props, arn: "arn:aws:lambda:eu-west-1:111122223333:function:pager" },
              deps: { rule: r.deps.rule },
            }
          : r,
      ),
    config: { notificationArnPattern: "^arn:aws:(sns|lambda):" },
    expect: CLEAN,
  },
  {
    name: "cannot judge when the only rule's pattern is unknown",
    stack: (s) =>
      s.all.map((r) =>
        r.name === "bdp-dev-batch-failed" ? { ...r, props: { ...r.props, eventPattern: UNKNOWN.string } } : r,
      ),
    expect: cannotJudge("bdp-dev-batch-queue", "failure alerting"),
  },
]);

policyCases("alarm-has-actions", [
  { name: "passes an alarm with an SNS action", expect: CLEAN },
  {
    name: "fails an alarm without actions",
    stack: mutate("bdp-dev-sales-etl-failures", (p) => {
      p.alarmActions = [];
    }),
    expect: violation("bdp-dev-sales-etl-failures", "no alarmActions"),
  },
  {
    name: "fails an alarm with actions disabled",
    stack: mutate("bdp-dev-sales-etl-failures", (p) => {
      p.actionsEnabled = false;
    }),
    expect: violation("bdp-dev-sales-etl-failures", "actionsEnabled is false"),
  },
  {
    name: "knob requireSnsAction fails a non-SNS action",
    stack: mutate("bdp-dev-sales-etl-failures", (p) => {
      p.alarmActions = ["arn:aws:automate:eu-west-1:ec2:stop"];
    }),
    config: { requireSnsAction: true },
    expect: violation("bdp-dev-sales-etl-failures", "SNS"),
  },
  {
    name: "counts an unknown action as present",
    stack: mutate("bdp-dev-sales-etl-failures", (p) => {
      p.alarmActions = [UNKNOWN.string];
    }),
    expect: CLEAN,
  },
  {
    name: "cannot judge unknown actions when SNS is required",
    stack: mutate("bdp-dev-sales-etl-failures", (p) => {
      p.alarmActions = [UNKNOWN.string];
    }),
    config: { requireSnsAction: true },
    expect: cannotJudge("bdp-dev-sales-etl-failures", "SNS"),
  },
]);

policyCases("glue-incremental-bookmarks", [
  { name: "passes an incremental job with bookmarks enabled", expect: CLEAN },
  {
    name: "fails an incremental job without bookmarks",
    stack: mutate(JOB, (p) => {
      delete p.defaultArguments["--job-bookmark-option"];
    }),
    expect: violation(JOB, "bookmarks"),
  },
  {
    name: "fails an incremental job with bookmarks disabled",
    stack: mutate(JOB, (p) => {
      p.defaultArguments["--job-bookmark-option"] = "job-bookmark-disable";
    }),
    expect: violation(JOB, "job-bookmark-disable"),
  },
  {
    name: "fails a pinned non-overridable disable",
    stack: mutate(JOB, (p) => {
      p.nonOverridableArguments = { "--job-bookmark-option": "job-bookmark-pause" };
    }),
    expect: violation(JOB, "nonOverridableArguments"),
  },
  {
    name: "ignores full-reload jobs (no incremental tag)",
    stack: mutate(JOB, (p) => {
      delete p.tags.incremental;
      delete p.defaultArguments["--job-bookmark-option"];
    }),
    expect: CLEAN,
  },
  {
    name: "knob incrementalTagKey reads another tag",
    stack: mutate(JOB, (p) => {
      delete p.tags.incremental;
      p.tags["load-mode"] = "true";
      delete p.defaultArguments["--job-bookmark-option"];
    }),
    config: { incrementalTagKey: "load-mode" },
    expect: violation(JOB, "bookmarks"),
  },
  {
    name: "cannot judge unknown arguments",
    stack: mutate(JOB, (p) => {
      p.defaultArguments = UNKNOWN.object;
    }),
    expect: cannotJudge(JOB, "--job-bookmark-option"),
  },
]);

const START = "bdp-dev-sales-nightly-start";

policyCases("event-target-dlq-retry", [
  { name: "passes targets and schedules with DLQ and retry policy", expect: CLEAN },
  {
    name: "fails a state machine target without DLQ",
    stack: mutate(START, (p) => {
      delete p.deadLetterConfig;
    }),
    expect: violation(START, "dead-letter queue"),
  },
  {
    name: "fails a batch target without retry policy",
    stack: mutate("bdp-dev-upload-to-batch", (p) => {
      delete p.retryPolicy;
    }),
    expect: violation("bdp-dev-upload-to-batch", "retryPolicy"),
  },
  {
    name: "fails a schedule without DLQ",
    stack: mutate("bdp-dev-crawler-schedule", (p) => {
      delete p.target.deadLetterConfig;
    }),
    expect: violation("bdp-dev-crawler-schedule", "target.deadLetterConfig"),
  },
  {
    name: "fails too few retries",
    stack: mutate(START, (p) => {
      p.retryPolicy.maximumRetryAttempts = 0;
    }),
    expect: violation(START, "maximumRetryAttempts is 0"),
  },
  {
    name: "knob minRetryAttempts raises the bar",
    config: { minRetryAttempts: 5 },
    expect: violation(START, "below 5"),
  },
  {
    name: "ignores notification targets (SNS) without DLQ",
    stack: add((s) => [
      res(
        T.eventTarget,
        "bdp-dev-extra-sns",
        { rule: "bdp-dev-glue-failed", arn: ALERTS_ARN },
        { provider: s.provider },
      ),
    ]),
    expect: CLEAN,
  },
  {
    name: "knob workTargetArnPatterns decides what starts work",
    stack: add((s) => [
      res(
        T.eventTarget,
        "bdp-dev-extra-sns",
        { rule: "bdp-dev-glue-failed", arn: ALERTS_ARN },
        { provider: s.provider },
      ),
    ]),
    config: { workTargetArnPatterns: ["^arn:aws:sns:"] },
    expect: violation("bdp-dev-extra-sns", "dead-letter queue"),
  },
  {
    name: "cannot judge a target whose ARN is unknown and that has no DLQ",
    stack: add((s) => [
      res(T.eventTarget, "bdp-dev-new-target", { rule: "r", arn: UNKNOWN.string }, { provider: s.provider }),
    ]),
    expect: cannotJudge("bdp-dev-new-target", "starts work"),
  },
]);

policyCases("state-machine-logging-tracing", [
  { name: "passes ALL logging with execution data and tracing", expect: CLEAN },
  {
    name: "fails without logging",
    stack: mutate(SFN, (p) => {
      delete p.loggingConfiguration;
    }),
    expect: violation(SFN, "logging level is OFF"),
  },
  {
    name: "fails ERROR level",
    stack: mutate(SFN, (p) => {
      p.loggingConfiguration.level = "ERROR";
    }),
    expect: violation(SFN, "ERROR"),
  },
  {
    name: "fails without execution data",
    stack: mutate(SFN, (p) => {
      p.loggingConfiguration.includeExecutionData = false;
    }),
    expect: violation(SFN, "execution data"),
  },
  {
    name: "fails without tracing",
    stack: mutate(SFN, (p) => {
      delete p.tracingConfiguration;
    }),
    expect: violation(SFN, "X-Ray"),
  },
  {
    name: "knobs relax level, execution data and tracing",
    stack: mutate(SFN, (p) => {
      p.loggingConfiguration.level = "ERROR";
      p.loggingConfiguration.includeExecutionData = false;
      delete p.tracingConfiguration;
    }),
    config: { requiredLevel: "ERROR", requireExecutionData: false, requireTracing: false },
    expect: CLEAN,
  },
  {
    name: "cannot judge unknown tracing",
    stack: mutate(SFN, (p) => {
      p.tracingConfiguration = { enabled: UNKNOWN.boolean };
    }),
    expect: cannotJudge(SFN, "tracingConfiguration"),
  },
]);
