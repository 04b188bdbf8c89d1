import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { TAG_KEYS } from "../shared/tags";
import { NamePrefixArgs, namePrefixOf } from "../shared/names";
import { occurredAlarm } from "./pipeline-alarms";

/** Physical names: alarms `<namePrefix>-<kind>-failures`. */
export interface FailureRuleAlarmsArgs extends NamePrefixArgs {
  alertTopicArn: pulumi.Input<string>;
  /** Failure rules by kind (e.g. `batch-job` -> the rule name). */
  ruleNames: Record<string, pulumi.Input<string>>;
}

/**
 * One alarm per failure rule, on the rule's AWS/Events `TriggeredRules` metric. Engines that
 * publish no per-job failure metric (AWS Batch, crawlers, EMR Serverless) still get an alarm
 * that shows state in CloudWatch and on the dashboard, not only an email.
 */
export class FailureRuleAlarms extends pulumi.ComponentResource {
  readonly alarms: aws.cloudwatch.MetricAlarm[];

  constructor(name: string, args: FailureRuleAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:monitoring:FailureRuleAlarms", name, {}, opts);
    const prefix = namePrefixOf(name, args);
    this.alarms = Object.entries(args.ruleNames).map(
      ([kind, ruleName]) =>
        new aws.cloudwatch.MetricAlarm(
          `${name}-${kind}`,
          {
            name: `${prefix}-${kind}-failures`,
            ...occurredAlarm(
              `${kind}-failures`,
              `A ${kind} of ${prefix} failed (EventBridge failure rule matched)`,
              { namespace: "AWS/Events", metricName: "TriggeredRules", dimensions: { RuleName: ruleName } },
            ).args,
            alarmActions: [args.alertTopicArn],
            okActions: [args.alertTopicArn],
            tags: { [TAG_KEYS.component]: "monitoring" },
          },
          { parent: this },
        ),
    );
    this.registerOutputs({ alarmNames: this.alarms.map((alarm) => alarm.name) });
  }
}
