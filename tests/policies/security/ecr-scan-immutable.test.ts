/** ecr-scan-immutable (policies/security/ecr-scan-immutable.ts) on a compliant stack of batch. */
import { stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("ecr-scan-immutable", () => stackWith("batch"), [
  { name: "passes scan on push and immutable tags", expect: CLEAN },
  {
    name: "fails without scan on push",
    stack: mutate("bdp-dev-sales-aggregator", (p) => {
      delete p.imageScanningConfiguration;
    }),
    expect: violation("bdp-dev-sales-aggregator", "scanned on push"),
  },
  {
    name: "fails mutable tags (the default)",
    stack: mutate("bdp-dev-sales-aggregator", (p) => {
      delete p.imageTagMutability;
    }),
    expect: violation("bdp-dev-sales-aggregator", "MUTABLE (the default)"),
  },
  {
    name: "knob allowedTagMutability accepts MUTABLE",
    stack: mutate("bdp-dev-sales-aggregator", (p) => {
      p.imageTagMutability = "MUTABLE";
    }),
    config: { allowedTagMutability: ["MUTABLE", "IMMUTABLE"] },
    expect: CLEAN,
  },
  {
    name: "cannot judge an unknown scan setting",
    stack: mutate("bdp-dev-sales-aggregator", (p) => {
      p.imageScanningConfiguration = { scanOnPush: UNKNOWN.boolean };
    }),
    expect: cannotJudge("bdp-dev-sales-aggregator", "scanOnPush"),
  },
]);
