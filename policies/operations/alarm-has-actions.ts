/**
 * alarm-has-actions: an alarm without actions changes colour on a dashboard nobody watches.
 * Every metric alarm has alarmActions (and does not disable them).
 */
import * as aws from "@pulumi/aws";
import { configRegExp, flag, text } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, isUnknown, readArray, readBool, unwrap } from "../lib/values";

export interface AlarmActionsConfig {
  requireSnsAction: boolean;
  notificationArnPattern: string;
}

export const alarmHasActions = resourcePolicy<AlarmActionsConfig>({
  name: "alarm-has-actions",
  description:
    "Every CloudWatch metric alarm has at least one alarmActions entry and actionsEnabled is not false; with " +
    "requireSnsAction, one action must be an SNS topic ARN.",
  remediationSteps:
    "Set alarmActions: [alertTopic.arn] (and okActions if recovery should notify) on the aws.cloudwatch.MetricAlarm.",
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["operations"],
  types: [aws.cloudwatch.MetricAlarm],
  knobs: {
    requireSnsAction: flag("Require one alarm action to be an SNS topic ARN", false),
    notificationArnPattern: text("Regular expression for SNS topic ARNs", "^arn:aws[a-z-]*:sns:"),
  },
  defaults: { requireSnsAction: false, notificationArnPattern: "^arn:aws[a-z-]*:sns:" },
  check: ({ subject, props, config, report }) => {
    const enabled = readBool(get(props, "actionsEnabled"));
    if (enabled.state === "ok" && !enabled.value) {
      report.violation(
        subject,
        "actionsEnabled is false, so the alarm notifies nobody",
        "remove actionsEnabled: false",
      );
    }
    const actions = readArray(get(props, "alarmActions"));
    if (report.unclear(subject, "alarmActions", actions)) return;
    const list = actions.state === "ok" ? actions.value.map(unwrap) : [];
    if (list.length === 0) {
      report.violation(subject, "alarm has no alarmActions", "set alarmActions: [alertTopic.arn]");
      return;
    }
    if (config.requireSnsAction) {
      const re = configRegExp("alarm-has-actions", "notificationArnPattern", config.notificationArnPattern);
      if (list.some((a) => typeof a === "string" && !isUnknown(a) && re.test(a))) return;
      if (list.some((a) => isUnknown(a))) {
        report.cannotJudge(
          subject,
          "whether an alarm action is an SNS topic",
          "action ARNs unknown during preview",
        );
      } else {
        report.violation(
          subject,
          "no alarm action is an SNS topic",
          "add the alert SNS topic's ARN to alarmActions",
        );
      }
    }
  },
});
