/** log-group-retention (policies/cost/log-group-retention.ts) on a compliant stack of orchestration. */
import { stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("log-group-retention", () => stackWith("orchestration"), [
  { name: "passes 14 days", expect: CLEAN },
  {
    name: "fails a log group without retention",
    stack: mutate("bdp-dev-sfn-logs", (p) => {
      delete p.retentionInDays;
    }),
    expect: violation("bdp-dev-sfn-logs", "kept forever", "retentionInDays"),
  },
  {
    name: "fails retention 0 (never expire)",
    stack: mutate("bdp-dev-sfn-logs", (p) => {
      p.retentionInDays = 0;
    }),
    expect: violation("bdp-dev-sfn-logs", "kept forever"),
  },
  {
    name: "fails a value CloudWatch does not accept",
    stack: mutate("bdp-dev-sfn-logs", (p) => {
      p.retentionInDays = 10;
    }),
    expect: violation("bdp-dev-sfn-logs", "not a value CloudWatch accepts"),
  },
  {
    name: "knob maxRetentionDays fails a long retention",
    stack: mutate("bdp-dev-sfn-logs", (p) => {
      p.retentionInDays = 365;
    }),
    config: { maxRetentionDays: 30 },
    expect: violation("bdp-dev-sfn-logs", "exceeds the maximum of 30"),
  },
  {
    name: "cannot judge unknown retention",
    stack: mutate("bdp-dev-sfn-logs", (p) => {
      p.retentionInDays = UNKNOWN.number;
    }),
    expect: cannotJudge("bdp-dev-sfn-logs", "retentionInDays"),
  },
]);
