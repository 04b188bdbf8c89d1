import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { TAG_KEYS } from "../shared/tags";
import { FAILURE_ALERT_RETRY_POLICY } from "../../decisions/alarms";
import { alertRulePrefix } from "./alert-topic";

/** The failure signals the platform alerts on, one EventBridge rule each. */
export type FailureKind =
  "glueJob" | "glueCrawler" | "batchJob" | "emrCluster" | "emrServerlessJob" | "stepFunctions";

export interface FailureEventsArgs {
  /** Short environment name; rules are named `bdp-<env>-<kind>-failed`. */
  environment: string;
  /** The alert topic (AlertTopic.topicArn). */
  alertTopicArn: pulumi.Input<string>;
  /** Dead-letter queue for undeliverable alerts (AlertTopic.deadLetterQueueArn). */
  deadLetterQueueArn: pulumi.Input<string>;
  /** Names of this environment's Glue jobs. */
  glueJobNames?: pulumi.Input<string>[];
  /** Names of this environment's Glue crawlers. */
  glueCrawlerNames?: pulumi.Input<string>[];
  /** ARNs of this environment's AWS Batch job queues (events carry the queue ARN). */
  batchJobQueueArns?: pulumi.Input<string>[];
  /** Name prefix of this environment's EMR clusters (e.g. `bdp-dev-`); transient clusters get new IDs per run. */
  emrClusterNamePrefix?: string;
  /** IDs of this environment's EMR Serverless applications. */
  emrServerlessApplicationIds?: pulumi.Input<string>[];
  /** ARNs of this environment's Step Functions state machines. */
  stateMachineArns?: pulumi.Input<string>[];
}

/** An EventBridge event pattern: every leaf is a list of values or matchers (`{ prefix }`). */
export type EventPattern = {
  [key: string]: pulumi.Input<string>[] | { prefix: string }[] | EventPattern;
};

/** One failure rule: what it matches and the alert text it sends. */
export interface FailureRuleSpec {
  kind: FailureKind;
  /** Rule name after the environment prefix. */
  suffix: string;
  description: string;
  pattern: EventPattern;
  /** Input transformer: placeholder name -> JSON path into the event. */
  inputPaths: Record<string, string>;
  /** Input transformer template: a JSON string literal with `<placeholder>`s, so SNS gets readable text. */
  inputTemplate: string;
}

// Fields every alert carries: where (account, region) and when.
const COMMON_PATHS = { account: "$.account", region: "$.region", time: "$.time" };
const CONSOLE = "https://<region>.console.aws.amazon.com";

/**
 * Builds the transformer template: a JSON string literal. EventBridge substitutes the placeholders
 * and JSON-escapes the values inside it (error messages contain quotes and newlines), and SNS
 * delivers the resulting text.
 */
export function alertTemplate(lines: string[]): string {
  return JSON.stringify(lines.join("\n"));
}

function where(): string {
  return "Where: account <account>, region <region>, at <time>.";
}

/**
 * The rules for the lists given; a rule whose list is empty is skipped (an empty list in an event
 * pattern would match nothing, and a missing one would match every account resource).
 */
export function failureRuleSpecs(
  args: Omit<FailureEventsArgs, "alertTopicArn" | "deadLetterQueueArn">,
): FailureRuleSpec[] {
  const env = args.environment;
  const specs: FailureRuleSpec[] = [];
  if (args.glueJobNames?.length) {
    specs.push({
      kind: "glueJob",
      suffix: "glue-job-failed",
      description: `Glue job runs of the ${env} environment that failed, timed out or errored`,
      pattern: {
        source: ["aws.glue"],
        "detail-type": ["Glue Job State Change"],
        detail: { jobName: args.glueJobNames, state: ["FAILED", "TIMEOUT", "ERROR"] },
      },
      inputPaths: {
        ...COMMON_PATHS,
        job: "$.detail.jobName",
        runId: "$.detail.jobRunId",
        state: "$.detail.state",
        message: "$.detail.message",
      },
      inputTemplate: alertTemplate([
        `[bdp-${env}] Glue job <job> ended <state>`,
        "What: run <runId> of Glue job <job> ended in state <state>.",
        where(),
        "Why: <message>",
        `Console: ${CONSOLE}/gluestudio/home?region=<region>#/job/<job>/run/<runId>`,
      ]),
    });
  }
  if (args.glueCrawlerNames?.length) {
    specs.push({
      kind: "glueCrawler",
      suffix: "glue-crawler-failed",
      description: `Glue crawler runs of the ${env} environment that failed`,
      pattern: {
        source: ["aws.glue"],
        "detail-type": ["Glue Crawler State Change"],
        detail: { crawlerName: args.glueCrawlerNames, state: ["Failed"] },
      },
      inputPaths: {
        ...COMMON_PATHS,
        crawler: "$.detail.crawlerName",
        errorMessage: "$.detail.errorMessage",
        logLink: "$.detail.cloudWatchLogLink",
      },
      inputTemplate: alertTemplate([
        `[bdp-${env}] Glue crawler <crawler> failed`,
        "What: a run of Glue crawler <crawler> failed; the catalog was not updated.",
        where(),
        "Why: <errorMessage>",
        "Logs: <logLink>",
        `Console: ${CONSOLE}/glue/home?region=<region>#/v2/data-catalog/crawlers/view/<crawler>`,
      ]),
    });
  }
  if (args.batchJobQueueArns?.length) {
    specs.push({
      kind: "batchJob",
      suffix: "batch-job-failed",
      description: `AWS Batch jobs of the ${env} environment's queues that failed`,
      pattern: {
        source: ["aws.batch"],
        "detail-type": ["Batch Job State Change"],
        detail: { jobQueue: args.batchJobQueueArns, status: ["FAILED"] },
      },
      inputPaths: {
        ...COMMON_PATHS,
        job: "$.detail.jobName",
        jobId: "$.detail.jobId",
        queue: "$.detail.jobQueue",
        reason: "$.detail.statusReason",
      },
      inputTemplate: alertTemplate([
        `[bdp-${env}] Batch job <job> failed`,
        "What: AWS Batch job <job> (<jobId>) in queue <queue> failed after its last attempt.",
        where(),
        "Why: <reason>",
        `Console: ${CONSOLE}/batch/home?region=<region>#jobs/detail/<jobId>`,
      ]),
    });
  }
  if (args.emrClusterNamePrefix) {
    specs.push({
      kind: "emrCluster",
      suffix: "emr-cluster-failed",
      description: `EMR clusters of the ${env} environment that terminated with errors`,
      pattern: {
        source: ["aws.emr"],
        "detail-type": ["EMR Cluster State Change"],
        detail: { name: [{ prefix: args.emrClusterNamePrefix }], state: ["TERMINATED_WITH_ERRORS"] },
      },
      inputPaths: {
        ...COMMON_PATHS,
        cluster: "$.detail.name",
        clusterId: "$.detail.clusterId",
        message: "$.detail.message",
        reason: "$.detail.stateChangeReason",
      },
      inputTemplate: alertTemplate([
        `[bdp-${env}] EMR cluster <cluster> terminated with errors`,
        "What: EMR cluster <cluster> (<clusterId>) terminated with errors.",
        where(),
        "Why: <message> <reason>",
        `Console: ${CONSOLE}/emr/home?region=<region>#/clusterDetails/<clusterId>`,
      ]),
    });
  }
  if (args.emrServerlessApplicationIds?.length) {
    specs.push({
      kind: "emrServerlessJob",
      suffix: "emr-serverless-job-failed",
      description: `EMR Serverless job runs of the ${env} environment's applications that failed`,
      pattern: {
        source: ["aws.emr-serverless"],
        "detail-type": ["EMR Serverless Job Run State Change"],
        detail: { applicationId: args.emrServerlessApplicationIds, state: ["FAILED"] },
      },
      inputPaths: {
        ...COMMON_PATHS,
        applicationId: "$.detail.applicationId",
        jobRunId: "$.detail.jobRunId",
        jobRunName: "$.detail.jobRunName",
        arn: "$.detail.arn",
      },
      // The event carries no failure reason; the job run's stateDetails has it.
      inputTemplate: alertTemplate([
        `[bdp-${env}] EMR Serverless job run <jobRunName> failed`,
        "What: job run <jobRunId> (<jobRunName>) of EMR Serverless application <applicationId> failed.",
        where(),
        "Why: the event has no reason; see stateDetails with: aws emr-serverless get-job-run --region <region> --application-id <applicationId> --job-run-id <jobRunId>",
        "Job run: <arn>",
        `Console: ${CONSOLE}/emr/home?region=<region>#/serverless`,
      ]),
    });
  }
  if (args.stateMachineArns?.length) {
    specs.push({
      kind: "stepFunctions",
      suffix: "pipeline-failed",
      description: `Step Functions executions (pipeline runs) of the ${env} environment that failed, timed out or were aborted`,
      pattern: {
        source: ["aws.states"],
        "detail-type": ["Step Functions Execution Status Change"],
        detail: { stateMachineArn: args.stateMachineArns, status: ["FAILED", "TIMED_OUT", "ABORTED"] },
      },
      inputPaths: {
        ...COMMON_PATHS,
        execution: "$.detail.name",
        executionArn: "$.detail.executionArn",
        stateMachineArn: "$.detail.stateMachineArn",
        status: "$.detail.status",
        error: "$.detail.error",
        cause: "$.detail.cause",
      },
      inputTemplate: alertTemplate([
        `[bdp-${env}] Pipeline run <execution> <status>`,
        "What: execution <execution> of state machine <stateMachineArn> ended <status>.",
        where(),
        "Why: <error>: <cause>",
        `Console: ${CONSOLE}/states/home?region=<region>#/v2/executions/details/<executionArn>`,
      ]),
    });
  }
  return specs;
}

/**
 * EventBridge rules that turn failures of this environment's jobs, crawlers, clusters and pipeline
 * runs into readable alerts on the alert topic. Each rule is scoped to the resources passed in, so
 * another environment in the same account does not alert here. Deliveries are retried and land in
 * the dead-letter queue when they keep failing.
 */
export class FailureEvents extends pulumi.ComponentResource {
  readonly rules: Partial<Record<FailureKind, aws.cloudwatch.EventRule>> = {};
  readonly targets: Partial<Record<FailureKind, aws.cloudwatch.EventTarget>> = {};

  constructor(name: string, args: FailureEventsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:monitoring:FailureEvents", name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this };
    for (const spec of failureRuleSpecs(args)) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${spec.suffix}`,
        {
          name: `${alertRulePrefix(args.environment)}${spec.suffix}`,
          description: spec.description,
          eventPattern: pulumi.jsonStringify(pulumi.output(spec.pattern)),
          state: "ENABLED",
          tags: { [TAG_KEYS.component]: "monitoring" },
        },
        child,
      );
      this.rules[spec.kind] = rule;
      this.targets[spec.kind] = new aws.cloudwatch.EventTarget(
        `${name}-${spec.suffix}-alert`,
        {
          rule: rule.name,
          targetId: "alert-topic",
          arn: args.alertTopicArn,
          inputTransformer: { inputPaths: spec.inputPaths, inputTemplate: spec.inputTemplate },
          retryPolicy: { ...FAILURE_ALERT_RETRY_POLICY },
          deadLetterConfig: { arn: args.deadLetterQueueArn },
        },
        child,
      );
    }
    this.registerOutputs({
      ruleNames: Object.fromEntries(Object.entries(this.rules).map(([kind, rule]) => [kind, rule.name])),
    });
  }

  /** Names of the rules created, for dashboards (AWS/Events metrics are per rule name). */
  ruleNames(): pulumi.Output<string>[] {
    return Object.values(this.rules).map((rule) => rule.name);
  }
}
