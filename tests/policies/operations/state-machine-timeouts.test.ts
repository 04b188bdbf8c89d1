/** state-machine-timeouts (policies/operations/state-machine-timeouts.ts) on a compliant stack of orchestration. */
import { stackWith, STATE_MACHINE } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

function editDefinition(fn: (d: any) => void) {
  return mutate(STATE_MACHINE, (p) => {
    const d = JSON.parse(p.definition);
    fn(d);
    p.definition = JSON.stringify(d);
  });
}

policyCases("state-machine-timeouts", () => stackWith("orchestration"), [
  { name: "passes a definition with execution and Task timeouts (Parallel and Map included)", expect: CLEAN },
  {
    name: "fails a definition without top-level TimeoutSeconds",
    stack: editDefinition((d) => delete d.TimeoutSeconds),
    expect: violation(STATE_MACHINE, "top-level TimeoutSeconds"),
  },
  {
    name: "fails a Task without TimeoutSeconds inside a Parallel branch",
    stack: editDefinition((d) => delete d.States.Fanout.Branches[0].States.Crawl.TimeoutSeconds),
    expect: violation(STATE_MACHINE, "Fanout[0]/Crawl"),
  },
  {
    name: "fails a Task without TimeoutSeconds inside a Map",
    stack: editDefinition((d) => delete d.States.PerStore.ItemProcessor.States.Aggregate.TimeoutSecondsPath),
    expect: violation(STATE_MACHINE, "PerStore[]/Aggregate"),
  },
  {
    name: "fails a Task timeout above the limit",
    stack: editDefinition((d) => (d.States.Etl.TimeoutSeconds = 100000)),
    expect: violation(STATE_MACHINE, "Etl (100000)"),
  },
  {
    name: "knob maxExecutionSeconds tightens the execution limit",
    config: { maxExecutionSeconds: 3600 },
    expect: violation(STATE_MACHINE, "7200"),
  },
  {
    name: "knob maxTaskSeconds tightens the Task limit",
    config: { maxTaskSeconds: 900 },
    expect: violation(STATE_MACHINE, "Etl (3600)"),
  },
  {
    name: "cannot judge a definition that is not JSON",
    stack: mutate(STATE_MACHINE, (p) => {
      p.definition = "StartAt: Etl";
    }),
    expect: cannotJudge(STATE_MACHINE, "definition"),
  },
  {
    name: "cannot judge an unknown definition",
    stack: mutate(STATE_MACHINE, (p) => {
      p.definition = UNKNOWN.string;
    }),
    expect: cannotJudge(STATE_MACHINE, "definition"),
  },
]);
