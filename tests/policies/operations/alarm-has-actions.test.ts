/** alarm-has-actions (policies/operations/alarm-has-actions.ts) on a compliant stack of monitoring. */
import { stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

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
    name: "cannot judge unknown actions when SNS is required",
    stack: mutate("bdp-dev-sales-etl-failures", (p) => {
      p.alarmActions = [UNKNOWN.string];
    }),
    config: { requireSnsAction: true },
    expect: cannotJudge("bdp-dev-sales-etl-failures", "SNS"),
  },
]);
