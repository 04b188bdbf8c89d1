/** emr-auto-termination (policies/cost/emr-auto-termination.ts) on a compliant stack of emr. */
import { EMR_CLUSTER, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("emr-auto-termination", () => stackWith("emr"), [
  { name: "passes a cluster with a 30-minute idle timeout", expect: CLEAN },
  {
    name: "passes a transient cluster",
    stack: mutate(EMR_CLUSTER, (p) => {
      delete p.autoTerminationPolicy;
      p.keepJobFlowAliveWhenNoSteps = false;
    }),
    expect: CLEAN,
  },
  {
    name: "fails a long-running cluster without auto-termination",
    stack: mutate(EMR_CLUSTER, (p) => {
      delete p.autoTerminationPolicy;
    }),
    expect: violation(EMR_CLUSTER, "stays up when idle", "idleTimeout"),
  },
  {
    name: "fails an idle timeout above the limit",
    stack: mutate(EMR_CLUSTER, (p) => {
      p.autoTerminationPolicy.idleTimeout = 14400;
    }),
    expect: violation(EMR_CLUSTER, "14400"),
  },
  {
    name: "knob maxIdleTimeoutSeconds tightens the limit",
    config: { maxIdleTimeoutSeconds: 900 },
    expect: violation(EMR_CLUSTER, "1800", "900"),
  },
  {
    name: "cannot judge an unknown idle timeout",
    stack: mutate(EMR_CLUSTER, (p) => {
      p.autoTerminationPolicy.idleTimeout = UNKNOWN.number;
    }),
    expect: cannotJudge(EMR_CLUSTER, "idleTimeout"),
  },
]);
