/**
 * What monitoring needs to know about EMR Serverless: the failure event of job runs and the
 * engine's dashboard widgets (AWS/EMRServerless job counts per application).
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
import { metricWidget, WidgetSpec } from "../../components/monitoring/dashboard";

/** Failed job runs of the environment's EMR Serverless applications; none without applications. */
export function emrServerlessFailureRules(
  env: string,
  applicationIds: pulumi.Input<string>[],
): FailureRuleSpec[] {
  return ruleFor(applicationIds, (ids) => ({
    kind: "emrServerlessJob",
    suffix: "emr-serverless-job-failed",
    description: `EMR Serverless job runs of the ${env} environment's applications that failed`,
    pattern: {
      source: ["aws.emr-serverless"],
      "detail-type": ["EMR Serverless Job Run State Change"],
      detail: { applicationId: ids, state: ["FAILED"] },
    },
    inputPaths: {
      ...COMMON_ALERT_PATHS,
      applicationId: "$.detail.applicationId",
      jobRunId: "$.detail.jobRunId",
      jobRunName: "$.detail.jobRunName",
      arn: "$.detail.arn",
    },
    // The event carries no failure reason; the job run's stateDetails has it.
    inputTemplate: alertTemplate([
      `[bdp-${env}] EMR Serverless job run <jobRunName> failed`,
      "What: job run <jobRunId> (<jobRunName>) of EMR Serverless application <applicationId> failed.",
      alertWhere(),
      "Why: the event has no reason; see stateDetails with: aws emr-serverless get-job-run --region <region> --application-id <applicationId> --job-run-id <jobRunId>",
      "Job run: <arn>",
      `Console: ${CONSOLE_URL}/emr/home?region=<region>#/serverless`,
    ]),
  }));
}

/** Succeeded and failed job runs per application. */
export function emrServerlessEngineWidgets(applicationIds: pulumi.Input<string>[]): WidgetSpec[] {
  if (applicationIds.length === 0) return [];
  return [
    metricWidget(
      "EMR Serverless: job runs per application",
      applicationIds.flatMap((id) => [
        [
          "AWS/EMRServerless",
          "SuccessJobs",
          "ApplicationId",
          id,
          { label: pulumi.interpolate`${id} succeeded` },
        ],
        ["AWS/EMRServerless", "FailedJobs", "ApplicationId", id, { label: pulumi.interpolate`${id} failed` }],
      ]),
      { width: 12 },
    ),
  ];
}
