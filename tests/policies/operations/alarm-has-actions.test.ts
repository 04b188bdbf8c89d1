/** alarm-has-actions (policies/operations/alarm-has-actions.ts) on a compliant stack of monitoring. */
import { replaceIn, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN, withOpts, withProps } from "../harness";

policyCases("alarm-has-actions", () => stackWith("monitoring"), [
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
    name: "passes alarms without actions under a composite alarm that has them",
    config: { requireSnsAction: true },
    expect: CLEAN,
  },
  {
    name: "fails a composite alarm without actions, and so the alarms it confirms",
    stack: mutate("bdp-dev-weekly-did-not-run", (p) => {
      p.alarmActions = [];
    }),
    expect: violation("bdp-dev-weekly-did-not-run", "no alarmActions"),
  },
  {
    name: "says why an alarm under a composite alarm without actions fails",
    stack: mutate("bdp-dev-weekly-did-not-run", (p) => {
      p.alarmActions = [];
    }),
    expect: violation("bdp-dev-weekly-did-not-run-window", "composite alarms it feeds have none"),
  },
  {
    name: "recognises the alarms a composite alarm names through its dependencies during preview",
    stack: (s) =>
      replaceIn(
        s,
        "bdp-dev-weekly-did-not-run",
        withOpts(
          withProps(s.byName["bdp-dev-weekly-did-not-run"], (p) => {
            p.alarmRule = UNKNOWN.string;
            p.actionsSuppressor = UNKNOWN.object;
          }),
          {
            deps: {
              alarmRule: [s.byName["bdp-dev-weekly-did-not-run-window"]],
              actionsSuppressor: [s.byName["bdp-dev-weekly-did-not-run-run-started"]],
            },
          },
        ),
      ),
    expect: CLEAN,
  },
  {
    name: "fails an alarm without actions that no composite alarm names",
    stack: mutate("bdp-dev-weekly-did-not-run", (p) => {
      p.alarmRule = 'ALARM("another-alarm")';
    }),
    expect: violation("bdp-dev-weekly-did-not-run-window", "no alarmActions"),
  },
  {
    name: "knob requireSnsAction fails a composite alarm with a non-SNS action",
    stack: mutate("bdp-dev-weekly-did-not-run", (p) => {
      p.alarmActions = ["arn:aws:lambda:eu-west-1:123456789012:function:page"];
    }),
    config: { requireSnsAction: true },
    expect: violation("bdp-dev-weekly-did-not-run", "SNS"),
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
