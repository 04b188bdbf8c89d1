import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { TAG_KEYS } from "../shared/tags";
import { ArgsProblem, repeatedProblems } from "../../decisions/problems";
import { assertValidArgs } from "../shared/args";
import { FAILURE_ALERT_RETRY_POLICY } from "../../decisions/alarms";
import { alertRulePrefix } from "./alert-topic";

export interface FailureEventsArgs {
  /** Short environment name; rules are named `bdp-<env>-<suffix>`. */
  environment: string;
  /** The alert topic (AlertTopic.topicArn). */
  alertTopicArn: pulumi.Input<string>;
  /** Dead-letter queue for undeliverable alerts (AlertTopic.deadLetterQueueArn). */
  deadLetterQueueArn: pulumi.Input<string>;
  /**
   * The rules: the engines' (`EngineModule.failureRules`), crawlerFailureRules and
   * stateMachineFailureRules. Kinds and suffixes must be unique.
   */
  rules: FailureRuleSpec[];
}

/** An EventBridge event pattern: every leaf is a list of values or matchers (`{ prefix }`). */
export type EventPattern = {
  [key: string]: pulumi.Input<string>[] | { prefix: string }[] | EventPattern;
};

/** One failure rule: what it matches and the alert text it sends. */
export interface FailureRuleSpec {
  /** Names the rule's alarm (`bdp-<env>-<kind>-failures`), e.g. "glueJob". */
  kind: string;
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
export const COMMON_ALERT_PATHS = { account: "$.account", region: "$.region", time: "$.time" };
/** Console links in alerts; `<region>` is filled in by the input transformer. */
export const CONSOLE_URL = "https://<region>.console.aws.amazon.com";

/**
 * Builds the transformer template: a JSON string literal. EventBridge substitutes the placeholders
 * and JSON-escapes the values inside it (error messages contain quotes and newlines), and SNS
 * delivers the resulting text.
 */
export function alertTemplate(lines: string[]): string {
  return JSON.stringify(lines.join("\n"));
}

/** The alert line that says where and when. */
export function alertWhere(): string {
  return "Where: account <account>, region <region>, at <time>.";
}

/**
 * A rule only for a non-empty list: an empty list in an event pattern would match nothing, and a
 * missing one would match every resource in the account.
 */
export function ruleFor<T>(resources: T[], build: (resources: T[]) => FailureRuleSpec): FailureRuleSpec[] {
  return resources.length > 0 ? [build(resources)] : [];
}

/** Failed runs of this environment's Glue crawlers (crawl steps and Glue workflows); none without crawlers. */
export function crawlerFailureRules(env: string, crawlerNames: pulumi.Input<string>[]): FailureRuleSpec[] {
  return ruleFor(crawlerNames, (names) => ({
    kind: "glueCrawler",
    suffix: "glue-crawler-failed",
    description: `Glue crawler runs of the ${env} environment that failed`,
    pattern: {
      source: ["aws.glue"],
      "detail-type": ["Glue Crawler State Change"],
      detail: { crawlerName: names, state: ["Failed"] },
    },
    inputPaths: {
      ...COMMON_ALERT_PATHS,
      crawler: "$.detail.crawlerName",
      errorMessage: "$.detail.errorMessage",
      logLink: "$.detail.cloudWatchLogLink",
    },
    inputTemplate: alertTemplate([
      `[bdp-${env}] Glue crawler <crawler> failed`,
      "What: a run of Glue crawler <crawler> failed; the catalog was not updated.",
      alertWhere(),
      "Why: <errorMessage>",
      "Logs: <logLink>",
      `Console: ${CONSOLE_URL}/glue/home?region=<region>#/v2/data-catalog/crawlers/view/<crawler>`,
    ]),
  }));
}

/** Failed, timed-out or aborted executions of this environment's pipeline state machines; none without. */
export function stateMachineFailureRules(
  env: string,
  stateMachineArns: pulumi.Input<string>[],
): FailureRuleSpec[] {
  return ruleFor(stateMachineArns, (arns) => ({
    kind: "stepFunctions",
    suffix: "pipeline-failed",
    description: `Step Functions executions (pipeline runs) of the ${env} environment that failed, timed out or were aborted`,
    pattern: {
      source: ["aws.states"],
      "detail-type": ["Step Functions Execution Status Change"],
      detail: { stateMachineArn: arns, status: ["FAILED", "TIMED_OUT", "ABORTED"] },
    },
    inputPaths: {
      ...COMMON_ALERT_PATHS,
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
      alertWhere(),
      "Why: <error>: <cause>",
      `Console: ${CONSOLE_URL}/states/home?region=<region>#/v2/executions/details/<executionArn>`,
    ]),
  }));
}

/** Every problem with the rules: kinds and name suffixes must be unique (rules are keyed and named by them). */
export function validateFailureEventsArgs(args: Pick<FailureEventsArgs, "rules">): ArgsProblem[] {
  return (["kind", "suffix"] as const).flatMap((field) =>
    repeatedProblems(
      "rules",
      field,
      args.rules.map((spec) => spec[field]),
      (value) => `another rule has the ${field} "${value}" (rules are keyed and named by it)`,
    ),
  );
}

/**
 * EventBridge rules that turn failures of this environment's jobs, crawlers, clusters and pipeline
 * runs into readable alerts on the alert topic. Each rule is scoped to the resources passed in, so
 * another environment in the same account does not alert here. Deliveries are retried and land in
 * the dead-letter queue when they keep failing.
 */
export class FailureEvents extends pulumi.ComponentResource {
  readonly rules: Record<string, aws.cloudwatch.EventRule> = {};
  readonly targets: Record<string, aws.cloudwatch.EventTarget> = {};

  constructor(name: string, args: FailureEventsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:monitoring:FailureEvents", name, {}, opts);
    assertValidArgs("bdp:monitoring:FailureEvents", name, validateFailureEventsArgs(args));
    const child: pulumi.CustomResourceOptions = { parent: this };
    for (const spec of args.rules) {
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
