/**
 * What monitoring needs to know about EMR on EC2: the failure event of clusters that terminate
 * with errors, the idle alarm of long-running clusters, and the engine's dashboard widgets.
 * Transient clusters get a new id per run, so events and widgets match them by name prefix or
 * metric search instead of by id.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  alertTemplate,
  alertWhere,
  COMMON_ALERT_PATHS,
  CONSOLE_URL,
  FailureRuleSpec,
  ruleFor,
} from "../../components/monitoring/failure-events";
import { AlarmSpec, windowArgs } from "../../components/monitoring/pipeline-alarms";
import { metricWidget, WidgetSpec } from "../../components/monitoring/dashboard";
import { emrIdleWindow } from "../../decisions/alarms";

/** EMR clusters whose name starts with the environment's prefix that terminated with errors. */
export function emrClusterFailureRules(env: string, clusterNamePrefix: string): FailureRuleSpec[] {
  return ruleFor(clusterNamePrefix ? [clusterNamePrefix] : [], () => ({
    kind: "emrCluster",
    suffix: "emr-cluster-failed",
    description: `EMR clusters of the ${env} environment that terminated with errors`,
    pattern: {
      source: ["aws.emr"],
      "detail-type": ["EMR Cluster State Change"],
      detail: { name: [{ prefix: clusterNamePrefix }], state: ["TERMINATED_WITH_ERRORS"] },
    },
    inputPaths: {
      ...COMMON_ALERT_PATHS,
      cluster: "$.detail.name",
      clusterId: "$.detail.clusterId",
      message: "$.detail.message",
      reason: "$.detail.stateChangeReason",
    },
    inputTemplate: alertTemplate([
      `[bdp-${env}] EMR cluster <cluster> terminated with errors`,
      "What: EMR cluster <cluster> (<clusterId>) terminated with errors.",
      alertWhere(),
      "Why: <message> <reason>",
      `Console: ${CONSOLE_URL}/emr/home?region=<region>#/clusterDetails/<clusterId>`,
    ]),
  }));
}

/**
 * A long-running cluster still idle after its auto-termination timeout: AWS/ElasticMapReduce
 * IsIdle (dimension JobFlowId), minimum > 0 for longer than the idle timeout.
 */
export function emrIdleAlarm(
  pipeline: string,
  cluster: { clusterId: pulumi.Input<string>; idleTimeoutMinutes: number },
): AlarmSpec {
  return {
    purpose: "emr-idle",
    args: {
      alarmDescription:
        `The EMR cluster of pipeline ${pipeline} has been idle for longer than its ` +
        `${cluster.idleTimeoutMinutes}-minute auto-termination timeout and still costs money.`,
      namespace: "AWS/ElasticMapReduce",
      metricName: "IsIdle",
      dimensions: { JobFlowId: cluster.clusterId },
      statistic: "Minimum",
      ...windowArgs(emrIdleWindow(cluster.idleTimeoutMinutes)),
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    },
  };
}

/** The EMR part of the dashboard's engine section: failed applications and idle clusters. */
export function emrEngineWidgets(): WidgetSpec[] {
  // Transient clusters get a new JobFlowId per run, so search instead of naming them.
  const search = (metric: string, stat: string, id: string) => [
    { expression: `SEARCH('{AWS/ElasticMapReduce,JobFlowId} MetricName="${metric}"', '${stat}', 300)`, id },
  ];
  return [
    metricWidget("EMR: failed applications per cluster", [search("AppsFailed", "Sum", "appsFailed")], {
      width: 12,
    }),
    metricWidget("EMR: idle clusters", [search("IsIdle", "Minimum", "isIdle")], {
      width: 12,
      stat: "Minimum",
    }),
  ];
}
