/**
 * emr-auto-termination: an idle EMR cluster bills every instance-hour. A cluster is either
 * transient (keepJobFlowAliveWhenNoSteps = false: it ends after its steps) or auto-terminates
 * after an idle timeout no longer than the knob.
 */
import * as aws from "@pulumi/aws";
import { integer } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readBool, readNumber } from "../lib/values";

export interface EmrAutoTerminationConfig {
  maxIdleTimeoutSeconds: number;
}

export const emrAutoTermination = resourcePolicy<EmrAutoTerminationConfig>({
  name: "emr-auto-termination",
  description:
    "EMR clusters are transient (keepJobFlowAliveWhenNoSteps false) or have an auto-termination policy whose " +
    "idleTimeout is at most maxIdleTimeoutSeconds, so idle clusters stop billing.",
  remediationSteps:
    "Set autoTerminationPolicy.idleTimeout (seconds, 60..maxIdleTimeoutSeconds) on long-running clusters, or " +
    "keepJobFlowAliveWhenNoSteps: false on clusters that only run their submitted steps.",
  severity: "high",
  enforcementLevel: "advisory",
  tags: ["cost"],
  types: [aws.emr.Cluster],
  knobs: { maxIdleTimeoutSeconds: integer("Longest allowed idle timeout in seconds", 3600, 60) },
  defaults: { maxIdleTimeoutSeconds: 3600 },
  check: ({ subject, props, config, report }) => {
    const keepAlive = readBool(get(props, "keepJobFlowAliveWhenNoSteps"));
    if (keepAlive.state === "ok" && !keepAlive.value) return; // transient
    const idle = readNumber(get(props, "autoTerminationPolicy", "idleTimeout"));
    if (report.unclear(subject, "autoTerminationPolicy.idleTimeout", idle)) return;
    if (idle.state === "absent") {
      if (report.unclear(subject, "keepJobFlowAliveWhenNoSteps", keepAlive)) return;
      report.violation(
        subject,
        "the cluster stays up when idle: no autoTerminationPolicy.idleTimeout and keepJobFlowAliveWhenNoSteps is not false",
        `set autoTerminationPolicy: { idleTimeout: <= ${config.maxIdleTimeoutSeconds} } or keepJobFlowAliveWhenNoSteps: false`,
      );
    } else if (idle.value < 60 || idle.value > config.maxIdleTimeoutSeconds) {
      report.violation(
        subject,
        `autoTerminationPolicy.idleTimeout is ${idle.value} s, outside 60..${config.maxIdleTimeoutSeconds} s`,
        `set autoTerminationPolicy.idleTimeout between 60 and ${config.maxIdleTimeoutSeconds} seconds`,
      );
    }
  },
});
