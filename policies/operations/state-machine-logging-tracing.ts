/**
 * state-machine-logging-tracing: a failed execution must be explainable after the fact. State
 * machines log at level ALL with execution data to CloudWatch Logs, and have X-Ray tracing on.
 */
import * as aws from "@pulumi/aws";
import { flag } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readBool, readString } from "../lib/values";

export interface SfnLoggingConfig {
  requiredLevel: string;
  requireExecutionData: boolean;
  requireTracing: boolean;
}

const LEVELS = ["OFF", "FATAL", "ERROR", "ALL"];

export const stateMachineLoggingTracing = resourcePolicy<SfnLoggingConfig>({
  name: "state-machine-logging-tracing",
  description:
    "Every Step Functions state machine has loggingConfiguration with level at least requiredLevel (default ALL), " +
    "includeExecutionData true and a logDestination, and tracingConfiguration.enabled true.",
  remediationSteps:
    'Set loggingConfiguration: { level: "ALL", includeExecutionData: true, logDestination: `${logGroup.arn}:*` } ' +
    "and tracingConfiguration: { enabled: true } on the aws.sfn.StateMachine (its role needs logs and X-Ray permissions).",
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["operations"],
  types: [aws.sfn.StateMachine],
  knobs: {
    requiredLevel: {
      type: "string",
      enum: ["FATAL", "ERROR", "ALL"],
      description: "Least logging level",
      default: "ALL",
    },
    requireExecutionData: flag("Require includeExecutionData: true", true),
    requireTracing: flag("Require X-Ray tracing", true),
  },
  defaults: { requiredLevel: "ALL", requireExecutionData: true, requireTracing: true },
  check: ({ subject, props, config, report }) => {
    const level = readString(get(props, "loggingConfiguration", "level"));
    const want = LEVELS.indexOf(config.requiredLevel.toUpperCase());
    if (!report.unclear(subject, "loggingConfiguration.level", level)) {
      const have = level.state === "ok" ? LEVELS.indexOf(level.value.toUpperCase()) : 0;
      if (have < want) {
        report.violation(
          subject,
          `logging level is ${level.state === "ok" ? level.value : "OFF (not configured)"}, below ${config.requiredLevel}`,
          `set loggingConfiguration.level to "${config.requiredLevel}" with a logDestination log group`,
        );
      }
    }
    const dest = readString(get(props, "loggingConfiguration", "logDestination"));
    if (
      !report.unclear(subject, "loggingConfiguration.logDestination", dest) &&
      (dest.state === "absent" || dest.value === "")
    ) {
      report.violation(
        subject,
        "logging has no logDestination",
        "set loggingConfiguration.logDestination to `${logGroup.arn}:*`",
      );
    }
    if (config.requireExecutionData) {
      const data = readBool(get(props, "loggingConfiguration", "includeExecutionData"));
      if (
        !report.unclear(subject, "loggingConfiguration.includeExecutionData", data) &&
        !(data.state === "ok" && data.value)
      ) {
        report.violation(
          subject,
          "execution data (inputs/outputs) is not logged",
          "set loggingConfiguration.includeExecutionData: true",
        );
      }
    }
    if (config.requireTracing) {
      const tracing = readBool(get(props, "tracingConfiguration", "enabled"));
      if (
        !report.unclear(subject, "tracingConfiguration.enabled", tracing) &&
        !(tracing.state === "ok" && tracing.value)
      ) {
        report.violation(subject, "X-Ray tracing is off", "set tracingConfiguration: { enabled: true }");
      }
    }
  },
});
