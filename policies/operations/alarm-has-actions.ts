/**
 * alarm-has-actions: an alarm without actions changes colour on a dashboard nobody watches.
 * Every metric and composite alarm has alarmActions (and does not disable them). A metric alarm
 * without actions passes only when it feeds a composite alarm that has them (the composite's
 * alarmRule or actionsSuppressor names it): AWS's own pattern for the alarms under a composite
 * alarm (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-combining.html).
 */
import { configRegExp, flag, text } from "../lib/config";
import { stackPolicy, StackContext, StackResource } from "../lib/define";
import { dependsVia } from "../lib/refs";
import { T } from "../lib/types";
import { get, isUnknown, readArray, readBool, unwrap } from "../lib/values";

export interface AlarmActionsConfig {
  requireSnsAction: boolean;
  notificationArnPattern: string;
}

type Ctx = StackContext<AlarmActionsConfig>;

/** The alarm's actions, or undefined when they cannot be judged (reported) or actions are disabled (reported). */
function actionsOf(ctx: Ctx, alarm: StackResource): unknown[] | undefined {
  const enabled = readBool(get(alarm.props, "actionsEnabled"));
  if (enabled.state === "ok" && !enabled.value) {
    ctx.report.violation(
      alarm,
      "actionsEnabled is false, so the alarm notifies nobody",
      "remove actionsEnabled: false",
    );
    return undefined;
  }
  const actions = readArray(get(alarm.props, "alarmActions"));
  if (ctx.report.unclear(alarm, "alarmActions", actions)) return undefined;
  return actions.state === "ok" ? actions.value.map(unwrap) : [];
}

/** Does the composite alarm's rule or suppressor name the metric alarm (by dependency, name or ARN)? */
function feeds(alarm: StackResource, composite: StackResource): boolean {
  if (dependsVia(composite, "alarmRule", alarm) || dependsVia(composite, "actionsSuppressor", alarm))
    return true;
  const ids = [get(alarm.props, "name"), get(alarm.props, "arn")].filter(
    (id): id is string => typeof id === "string" && id !== "" && !isUnknown(id),
  );
  const rule = get(composite.props, "alarmRule");
  const suppressor = get(composite.props, "actionsSuppressor", "alarm");
  return ids.some((id) => (typeof rule === "string" && rule.includes(`"${id}"`)) || suppressor === id);
}

/** With requireSnsAction: one action is an SNS topic ARN. */
function checkSnsAction(ctx: Ctx, alarm: StackResource, list: unknown[]): void {
  if (!ctx.config.requireSnsAction) return;
  const re = configRegExp("alarm-has-actions", "notificationArnPattern", ctx.config.notificationArnPattern);
  if (list.some((a) => typeof a === "string" && !isUnknown(a) && re.test(a))) return;
  if (list.some((a) => isUnknown(a))) {
    ctx.report.cannotJudge(
      alarm,
      "whether an alarm action is an SNS topic",
      "action ARNs unknown during preview",
    );
  } else {
    ctx.report.violation(
      alarm,
      "no alarm action is an SNS topic",
      "add the alert SNS topic's ARN to alarmActions",
    );
  }
}

export const alarmHasActions = stackPolicy<AlarmActionsConfig>({
  name: "alarm-has-actions",
  description:
    "Every CloudWatch metric and composite alarm has at least one alarmActions entry and actionsEnabled is not " +
    "false, except a metric alarm that feeds a composite alarm with actions; with requireSnsAction, one action " +
    "must be an SNS topic ARN.",
  remediationSteps:
    "Set alarmActions: [alertTopic.arn] (and okActions if recovery should notify) on the aws.cloudwatch.MetricAlarm " +
    "or aws.cloudwatch.CompositeAlarm, or name the metric alarm in the alarmRule of a composite alarm that has them.",
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["operations"],
  types: [T.metricAlarm, T.compositeAlarm],
  knobs: {
    requireSnsAction: flag("Require one alarm action to be an SNS topic ARN", false),
    notificationArnPattern: text("Regular expression for SNS topic ARNs", "^arn:aws[a-z-]*:sns:"),
  },
  defaults: { requireSnsAction: false, notificationArnPattern: "^arn:aws[a-z-]*:sns:" },
  check: (ctx) => {
    const composites = ctx.ofType(T.compositeAlarm);
    const notifying = (composite: StackResource) => {
      const actions = readArray(get(composite.props, "alarmActions"));
      return actions.state !== "ok" || actions.value.length > 0;
    };
    for (const alarm of ctx.subjects(T.metricAlarm, T.compositeAlarm)) {
      const list = actionsOf(ctx, alarm);
      if (list === undefined) continue;
      if (list.length > 0) {
        checkSnsAction(ctx, alarm, list);
        continue;
      }
      const parents = alarm.type === T.metricAlarm ? composites.filter((c) => feeds(alarm, c)) : [];
      if (parents.some(notifying)) continue;
      ctx.report.violation(
        alarm,
        parents.length > 0
          ? "alarm has no alarmActions and the composite alarms it feeds have none either"
          : "alarm has no alarmActions",
        "set alarmActions: [alertTopic.arn]",
      );
    }
  },
});
