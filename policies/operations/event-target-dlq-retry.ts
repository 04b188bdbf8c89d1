/**
 * event-target-dlq-retry: an EventBridge rule or schedule that starts work (a Batch job, a state
 * machine, a Glue workflow, an ECS task, a Lambda function) must not lose the trigger when the
 * invocation fails: it has an explicit retryPolicy and a dead-letter queue.
 * Schedules (aws.scheduler.Schedule) always start work here, so every schedule is judged.
 */
import * as aws from "@pulumi/aws";
import { configRegExp, integer, stringList } from "../lib/config";
import { ResourceContext, resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, readNumber, readRecord, readString } from "../lib/values";

export interface DlqRetryConfig {
  minRetryAttempts: number;
  workTargetArnPatterns: string[];
}

const DEFAULT_WORK_PATTERNS = [
  "^arn:aws[a-z-]*:batch:",
  "^arn:aws[a-z-]*:states:",
  "^arn:aws[a-z-]*:glue:",
  "^arn:aws[a-z-]*:ecs:",
  "^arn:aws[a-z-]*:lambda:",
  "^arn:aws[a-z-]*:emr-serverless:",
  "^arn:aws[a-z-]*:scheduler:::aws-sdk:",
];

function checkTarget(ctx: ResourceContext<DlqRetryConfig>, prefix: string, target: unknown): void {
  const { subject, report, config } = ctx;
  const dlq = readString(get(target, "deadLetterConfig", "arn"));
  if (
    !report.unclear(subject, `${prefix}deadLetterConfig.arn`, dlq) &&
    (dlq.state === "absent" || dlq.value === "")
  ) {
    report.violation(
      subject,
      "target that starts work has no dead-letter queue",
      `set ${prefix}deadLetterConfig: { arn: <SQS queue ARN> }`,
    );
  }
  const retry = readRecord(get(target, "retryPolicy"));
  if (report.unclear(subject, `${prefix}retryPolicy`, retry)) return;
  if (retry.state === "absent") {
    report.violation(
      subject,
      "target that starts work has no explicit retryPolicy",
      `set ${prefix}retryPolicy: { maximumRetryAttempts: >= ${config.minRetryAttempts}, maximumEventAgeInSeconds }`,
    );
    return;
  }
  const attempts = readNumber(get(retry.value, "maximumRetryAttempts"));
  if (report.unclear(subject, `${prefix}retryPolicy.maximumRetryAttempts`, attempts)) return;
  if (attempts.state === "ok" && attempts.value < config.minRetryAttempts) {
    report.violation(
      subject,
      `retryPolicy.maximumRetryAttempts is ${attempts.value}, below ${config.minRetryAttempts}`,
      `set ${prefix}retryPolicy.maximumRetryAttempts to at least ${config.minRetryAttempts}`,
    );
  }
}

export const eventTargetDlqRetry = resourcePolicy<DlqRetryConfig>({
  name: "event-target-dlq-retry",
  description:
    "EventBridge targets that start work (batchTarget/ecsTarget, or an ARN of Batch, Step Functions, Glue, ECS, " +
    "Lambda, EMR Serverless) and every EventBridge Scheduler schedule have a deadLetterConfig and an explicit " +
    "retryPolicy with maximumRetryAttempts >= minRetryAttempts.",
  remediationSteps:
    "Set deadLetterConfig: { arn: dlq.arn } and retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: " +
    "3600 } on the aws.cloudwatch.EventTarget (target.deadLetterConfig / target.retryPolicy on an " +
    "aws.scheduler.Schedule); give the DLQ an alarm.",
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["operations"],
  types: [aws.cloudwatch.EventTarget, aws.scheduler.Schedule],
  knobs: {
    minRetryAttempts: integer("Least retryPolicy.maximumRetryAttempts", 2, 0),
    workTargetArnPatterns: stringList(
      "Regular expressions for target ARNs that start work",
      DEFAULT_WORK_PATTERNS,
    ),
  },
  defaults: { minRetryAttempts: 2, workTargetArnPatterns: DEFAULT_WORK_PATTERNS },
  check: (ctx) => {
    const { subject, props, config, report } = ctx;
    if (subject.type === T.schedule) {
      const target = get(props, "target");
      if (report.unclear(subject, "target", readRecord(target))) return;
      checkTarget(ctx, "target.", target);
      return;
    }
    const patterns = config.workTargetArnPatterns.map((p, i) =>
      configRegExp(ctx.policy, `workTargetArnPatterns[${i}]`, p),
    );
    const block = ["batchTarget", "ecsTarget", "sagemakerPipelineTarget"].some((k) => {
      const v = get(props, k);
      return v !== undefined && v !== null;
    });
    if (!block) {
      const arn = readString(get(props, "arn"));
      if (arn.state === "unknown") {
        // The ARN of a resource created in the same update: which kind of target it is shows after apply.
        const dlq = get(props, "deadLetterConfig");
        const retry = get(props, "retryPolicy");
        if (dlq !== undefined && dlq !== null && retry !== undefined && retry !== null) {
          checkTarget(ctx, "", props);
        } else {
          report.cannotJudge(
            subject,
            "whether the target starts work (it has no DLQ/retryPolicy)",
            "target arn unknown during preview",
          );
        }
        return;
      }
      if (arn.state !== "ok" || !patterns.some((re) => re.test(arn.value))) return;
    }
    checkTarget(ctx, "", props);
  },
});
