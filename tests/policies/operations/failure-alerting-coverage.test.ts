/** failure-alerting-coverage (policies/operations/failure-alerting-coverage.ts) on a compliant stack of glue, batch, emr, orchestration, monitoring. */
import { DLQ_ARN, GLUE_JOB, stackWith, STATE_MACHINE } from "../builders";
import { cannotJudge, CLEAN, drop, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases(
  "failure-alerting-coverage",
  () => stackWith("glue", "batch", "emr", "orchestration", "monitoring"),
  [
    {
      name: "passes when every job, queue, cluster, application and state machine is covered",
      expect: CLEAN,
    },
    {
      name: "fails a Glue job when neither alarm nor rule covers it",
      stack: drop("bdp-dev-glue-failed", "bdp-dev-sales-etl-failures"),
      expect: violation(GLUE_JOB, "no alarm or EventBridge failure rule"),
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
      expect: violation(STATE_MACHINE, "aws.states"),
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
                deps: { eventPattern: [s.byName[STATE_MACHINE]] },
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
          r.name === "bdp-dev-batch-failed"
            ? { ...r, props: { ...r.props, eventPattern: UNKNOWN.string } }
            : r,
        ),
      expect: cannotJudge("bdp-dev-batch-queue", "failure alerting"),
    },
  ],
);
