/** emr-managed-scaling (policies/cost/emr-managed-scaling.ts) on a compliant stack of emr. */
import { EMR_CLUSTER, stackWith } from "../builders";
import { cannotJudge, CLEAN, drop, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("emr-managed-scaling", () => stackWith("emr"), [
  { name: "passes a long-running cluster with a managed scaling policy", expect: CLEAN },
  {
    name: "fails a long-running cluster without a managed scaling policy",
    stack: drop("bdp-dev-sales-emr-scaling"),
    expect: violation(EMR_CLUSTER, "ManagedScalingPolicy"),
  },
  {
    name: "passes a transient cluster without one",
    stack: (s) =>
      drop("bdp-dev-sales-emr-scaling")(s).map((r) =>
        r.name === EMR_CLUSTER ? { ...r, props: { ...r.props, keepJobFlowAliveWhenNoSteps: false } } : r,
      ),
    expect: CLEAN,
  },
  {
    name: "correlates by clusterId value when dependencies are missing",
    stack: (s) => s.all.map((r) => (r.name === "bdp-dev-sales-emr-scaling" ? { ...r, deps: {} } : r)),
    expect: CLEAN,
  },
  {
    name: "knob maxCapacityUnits bounds the policy's maximum",
    config: { maxCapacityUnits: 8 },
    expect: violation(EMR_CLUSTER, "16", "8"),
  },
  {
    name: "cannot judge when the policy's clusterId is unknown and has no dependencies",
    stack: (s) =>
      s.all.map((r) =>
        r.name === "bdp-dev-sales-emr-scaling"
          ? { ...r, deps: {}, props: { ...r.props, clusterId: UNKNOWN.string } }
          : r,
      ),
    expect: cannotJudge(EMR_CLUSTER, "managed scaling"),
  },
]);
