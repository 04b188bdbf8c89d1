/**
 * What monitoring needs to know about AWS Batch: the failure event of jobs in the environment's
 * queues. Batch publishes no per-job CloudWatch metrics, so Batch pipelines submitted by
 * EventBridge have no run alarms of their own; the failure rule's alarm and the trigger's alarms
 * cover them (for a schedule, did-not-run from Scheduler's invocation attempts).
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

/** Failed jobs of the environment's Batch queues; none without queues. */
export function batchJobFailureRules(env: string, jobQueueArns: pulumi.Input<string>[]): FailureRuleSpec[] {
  return ruleFor(jobQueueArns, (arns) => ({
    kind: "batchJob",
    suffix: "batch-job-failed",
    description: `AWS Batch jobs of the ${env} environment's queues that failed`,
    pattern: {
      source: ["aws.batch"],
      "detail-type": ["Batch Job State Change"],
      detail: { jobQueue: arns, status: ["FAILED"] },
    },
    inputPaths: {
      ...COMMON_ALERT_PATHS,
      job: "$.detail.jobName",
      jobId: "$.detail.jobId",
      queue: "$.detail.jobQueue",
      reason: "$.detail.statusReason",
    },
    inputTemplate: alertTemplate([
      `[bdp-${env}] Batch job <job> failed`,
      "What: AWS Batch job <job> (<jobId>) in queue <queue> failed after its last attempt.",
      alertWhere(),
      "Why: <reason>",
      `Console: ${CONSOLE_URL}/batch/home?region=<region>#jobs/detail/<jobId>`,
    ]),
  }));
}
