/** state-machine-logging-tracing (policies/operations/state-machine-logging-tracing.ts) on a compliant stack of orchestration. */
import { stackWith, STATE_MACHINE } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("state-machine-logging-tracing", () => stackWith("orchestration"), [
  { name: "passes ALL logging with execution data and tracing", expect: CLEAN },
  {
    name: "fails without logging",
    stack: mutate(STATE_MACHINE, (p) => {
      delete p.loggingConfiguration;
    }),
    expect: violation(STATE_MACHINE, "logging level is OFF"),
  },
  {
    name: "fails ERROR level",
    stack: mutate(STATE_MACHINE, (p) => {
      p.loggingConfiguration.level = "ERROR";
    }),
    expect: violation(STATE_MACHINE, "ERROR"),
  },
  {
    name: "fails without execution data",
    stack: mutate(STATE_MACHINE, (p) => {
      p.loggingConfiguration.includeExecutionData = false;
    }),
    expect: violation(STATE_MACHINE, "execution data"),
  },
  {
    name: "fails without tracing",
    stack: mutate(STATE_MACHINE, (p) => {
      delete p.tracingConfiguration;
    }),
    expect: violation(STATE_MACHINE, "X-Ray"),
  },
  {
    name: "knobs relax level, execution data and tracing",
    stack: mutate(STATE_MACHINE, (p) => {
      p.loggingConfiguration.level = "ERROR";
      p.loggingConfiguration.includeExecutionData = false;
      delete p.tracingConfiguration;
    }),
    config: { requiredLevel: "ERROR", requireExecutionData: false, requireTracing: false },
    expect: CLEAN,
  },
  {
    name: "cannot judge unknown tracing",
    stack: mutate(STATE_MACHINE, (p) => {
      p.tracingConfiguration = { enabled: UNKNOWN.boolean };
    }),
    expect: cannotJudge(STATE_MACHINE, "tracingConfiguration"),
  },
]);
