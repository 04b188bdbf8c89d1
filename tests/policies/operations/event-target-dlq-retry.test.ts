/** event-target-dlq-retry (policies/operations/event-target-dlq-retry.ts) on a compliant stack of orchestration. */
import { T } from "../../../policies/lib/types";
import { ALERTS_ARN, stackWith } from "../builders";
import { add, cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { res, UNKNOWN } from "../harness";

const START = "bdp-dev-sales-nightly-start";

/** The stack plus a target that only notifies (an SNS topic), without DLQ or retry policy. */
const withNotificationTarget = add((s) => [
  res(
    T.eventTarget,
    "bdp-dev-extra-sns",
    { rule: "bdp-dev-glue-failed", arn: ALERTS_ARN },
    { provider: s.provider },
  ),
]);

policyCases("event-target-dlq-retry", () => stackWith("orchestration"), [
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
    stack: withNotificationTarget,
    expect: CLEAN,
  },
  {
    name: "knob workTargetArnPatterns decides what starts work",
    stack: withNotificationTarget,
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
