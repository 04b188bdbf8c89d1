/**
 * state-machine-timeouts: a Step Functions execution without TimeoutSeconds can wait up to a year
 * on a stuck task. The definition sets TimeoutSeconds at the top and on every Task state,
 * including Task states inside Parallel branches and Map item processors.
 */
import * as aws from "@pulumi/aws";
import { integer } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, isRecord, keys, readJson, readNumber, readString, unwrap } from "../lib/values";

export interface SfnTimeoutConfig {
  maxExecutionSeconds: number;
  maxTaskSeconds: number;
}

interface TaskFinding {
  path: string;
  problem: "missing" | "too-long" | "unknown";
  value?: number;
}

/** Walks a States map (recursing into Parallel branches and Map processors). */
function visitStates(states: unknown, prefix: string, maxTask: number, out: TaskFinding[], depth = 0): void {
  if (depth > 20) return;
  for (const name of keys(states)) {
    const state = get(states, name);
    const type = readString(get(state, "Type"));
    const path = prefix ? `${prefix}/${name}` : name;
    if (type.state === "ok" && type.value === "Task") {
      const t = readNumber(get(state, "TimeoutSeconds"));
      const tp = get(state, "TimeoutSecondsPath");
      if (t.state === "ok") {
        if (t.value > maxTask || t.value < 1) out.push({ path, problem: "too-long", value: t.value });
      } else if (t.state === "unknown") {
        out.push({ path, problem: "unknown" });
      } else if (!(typeof tp === "string" && tp !== "")) {
        out.push({ path, problem: "missing" });
      }
    } else if (type.state === "ok" && type.value === "Parallel") {
      const branches = unwrap(get(state, "Branches"));
      if (Array.isArray(branches)) {
        branches.forEach((b, i) => visitStates(get(b, "States"), `${path}[${i}]`, maxTask, out, depth + 1));
      }
    } else if (type.state === "ok" && type.value === "Map") {
      const processor = get(state, "ItemProcessor") ?? get(state, "Iterator");
      visitStates(get(processor, "States"), `${path}[]`, maxTask, out, depth + 1);
    }
  }
}

export const stateMachineTimeouts = resourcePolicy<SfnTimeoutConfig>({
  name: "state-machine-timeouts",
  description:
    "Every Step Functions state machine definition sets a top-level TimeoutSeconds <= maxExecutionSeconds and " +
    "TimeoutSeconds (<= maxTaskSeconds) or TimeoutSecondsPath on every Task state, including states inside " +
    "Parallel branches and Map processors.",
  remediationSteps:
    'Add "TimeoutSeconds" to the definition root and to each Task state (for .sync integrations: the job\'s ' +
    "own timeout plus a margin); catch States.Timeout and route it to the alert step.",
  severity: "high",
  enforcementLevel: "advisory",
  tags: ["operations"],
  types: [aws.sfn.StateMachine],
  knobs: {
    maxExecutionSeconds: integer("Longest allowed execution TimeoutSeconds", 86400, 1),
    maxTaskSeconds: integer("Longest allowed Task TimeoutSeconds", 43200, 1),
  },
  defaults: { maxExecutionSeconds: 86400, maxTaskSeconds: 43200 },
  check: ({ subject, props, config, report }) => {
    const def = readJson(get(props, "definition"));
    if (report.unclear(subject, "the definition", def)) return;
    if (def.state === "absent" || !isRecord(def.value)) {
      report.cannotJudge(subject, "the definition", "no definition object");
      return;
    }
    const top = readNumber(get(def.value, "TimeoutSeconds"));
    if (!report.unclear(subject, "the definition's TimeoutSeconds", top)) {
      if (top.state === "absent") {
        report.violation(
          subject,
          "definition has no top-level TimeoutSeconds (executions may run for a year)",
          `add "TimeoutSeconds": <= ${config.maxExecutionSeconds} at the root of the definition`,
        );
      } else if (top.value < 1 || top.value > config.maxExecutionSeconds) {
        report.violation(
          subject,
          `definition TimeoutSeconds is ${top.value}, outside 1..${config.maxExecutionSeconds}`,
          `set the root "TimeoutSeconds" to at most ${config.maxExecutionSeconds}`,
        );
      }
    }
    const findings: TaskFinding[] = [];
    visitStates(get(def.value, "States"), "", config.maxTaskSeconds, findings);
    const missing = findings.filter((f) => f.problem === "missing").map((f) => f.path);
    const long = findings.filter((f) => f.problem === "too-long");
    if (missing.length > 0) {
      report.violation(
        subject,
        `Task state(s) without TimeoutSeconds: ${missing.join(", ")}`,
        `add "TimeoutSeconds" (<= ${config.maxTaskSeconds}) or "TimeoutSecondsPath" to each of them`,
      );
    }
    if (long.length > 0) {
      report.violation(
        subject,
        `Task state(s) with TimeoutSeconds outside 1..${config.maxTaskSeconds}: ${long.map((f) => `${f.path} (${f.value})`).join(", ")}`,
        `lower their "TimeoutSeconds" to at most ${config.maxTaskSeconds}`,
      );
    }
    for (const f of findings.filter((x) => x.problem === "unknown")) {
      report.cannotJudge(subject, `TimeoutSeconds of Task state ${f.path}`, "value unknown during preview");
    }
  },
});
