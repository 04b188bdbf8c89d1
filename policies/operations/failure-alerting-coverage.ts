/**
 * failure-alerting-coverage: a batch platform fails quietly unless every job, queue, cluster and
 * state machine has a failure signal that reaches a person. Each one must be covered by
 *   - a CloudWatch metric alarm whose dimensions name it and whose alarmActions include an SNS
 *     topic, or
 *   - an enabled EventBridge rule whose event pattern matches its failure events (by source and
 *     detail-type, and by its name/ARN when the pattern filters on one) with a target that is an
 *     SNS topic.
 * "Names it" is judged from the values (name, ARN, id) and from the engine's property
 * dependencies, so it works in preview when ARNs are still unknown.
 */
import { configRegExp, text } from "../lib/config";
import { stackPolicy, StackContext, StackResource } from "../lib/define";
import { dependsVia, identifiers, RefAnswer, refersTo } from "../lib/refs";
import { T } from "../lib/types";
import { get, isRecord, isUnknown, keys, readBool, readJson, readString, unwrap } from "../lib/values";

export interface AlertingConfig {
  notificationArnPattern: string;
}

interface EventSource {
  source: string;
  detailTypes: string[];
  idKey: string;
}

/** The failure events of each covered resource type. */
export const EVENT_SOURCES: Record<string, EventSource> = {
  [T.glueJob]: { source: "aws.glue", detailTypes: ["Glue Job State Change"], idKey: "jobName" },
  [T.batchJobQueue]: { source: "aws.batch", detailTypes: ["Batch Job State Change"], idKey: "jobQueue" },
  [T.emrCluster]: {
    source: "aws.emr",
    detailTypes: ["EMR Cluster State Change", "EMR Step Status Change"],
    idKey: "clusterId",
  },
  [T.emrServerlessApplication]: {
    source: "aws.emr-serverless",
    detailTypes: ["EMR Serverless Job Run State Change"],
    idKey: "applicationId",
  },
  [T.sfnStateMachine]: {
    source: "aws.states",
    detailTypes: ["Step Functions Execution Status Change"],
    idKey: "stateMachineArn",
  },
};

const FAILURE_STATE = /FAIL|TIMED_OUT|TIMEOUT|ABORT|ERROR|TERMINATED/i;

type Ctx = StackContext<AlertingConfig>;

function combine(a: RefAnswer, b: RefAnswer): RefAnswer {
  if (a === "yes" || b === "yes") return "yes";
  if (a === "unknown" || b === "unknown") return "unknown";
  return "no";
}

function stringsOf(v: unknown): { values: string[]; objects: unknown[]; unknown: boolean } {
  const u = unwrap(v);
  const list = Array.isArray(u) ? u : u === undefined ? [] : [u];
  const out = { values: [] as string[], objects: [] as unknown[], unknown: isUnknown(u) };
  for (const e of list) {
    const x = unwrap(e);
    if (isUnknown(x)) out.unknown = true;
    else if (typeof x === "string") out.values.push(x);
    else if (isRecord(x)) out.objects.push(x);
  }
  return out;
}

/** Is `target` a notification target (an SNS topic)? Judged from an ARN value and dependencies. */
function notifies(ctx: Ctx, holder: StackResource, prop: string, re: RegExp): RefAnswer {
  const deps = holder.propertyDependencies[prop] ?? [];
  if (deps.some((d) => d.type === T.snsTopic)) return "yes";
  const arns = stringsOf(get(holder.props, prop));
  if (arns.values.some((a) => re.test(a))) return "yes";
  const topicIds = ctx.ofType(T.snsTopic).flatMap((t) => [...identifiers(t)]);
  if (arns.values.some((a) => topicIds.includes(a))) return "yes";
  return arns.unknown ? "unknown" : "no";
}

function alarmCovers(ctx: Ctx, alarm: StackResource, r: StackResource, re: RegExp): RefAnswer {
  const enabled = readBool(get(alarm.props, "actionsEnabled"));
  if (enabled.state === "ok" && !enabled.value) return "no";
  let names: RefAnswer =
    dependsVia(alarm, "dimensions", r) || dependsVia(alarm, "metricQueries", r) ? "yes" : "no";
  if (names !== "yes") {
    const dims = unwrap(get(alarm.props, "dimensions"));
    if (isUnknown(dims)) names = "unknown";
    else for (const k of keys(dims)) names = combine(names, refersToValue(get(dims, k), r));
    const queries = unwrap(get(alarm.props, "metricQueries"));
    if (Array.isArray(queries)) {
      for (const q of queries) {
        const qd = unwrap(get(q, "metric", "dimensions"));
        if (isUnknown(qd)) names = combine(names, "unknown");
        else for (const k of keys(qd)) names = combine(names, refersToValue(get(qd, k), r));
      }
    }
  }
  if (names === "no") return "no";
  const action = notifies(ctx, alarm, "alarmActions", re);
  if (names === "yes" && action === "yes") return "yes";
  return action === "no" ? "no" : "unknown";
}

function refersToValue(v: unknown, r: StackResource): RefAnswer {
  const u = unwrap(v);
  if (isUnknown(u)) return "unknown";
  if (typeof u !== "string") return "no";
  const ids = identifiers(r);
  if (ids.has(u)) return "yes";
  // A state machine's ARN ends with ":stateMachine:<name>"; a cluster id is "j-...".
  return [...ids].some((id) => u.endsWith(`:${id}`) || u.endsWith(`/${id}`)) ? "yes" : "no";
}

function patternMatchesResource(rule: StackResource, r: StackResource, es: EventSource): RefAnswer {
  const pattern = readJson(get(rule.props, "eventPattern"));
  if (pattern.state === "absent" || pattern.state === "invalid") return "no";
  if (pattern.state === "unknown") return dependsVia(rule, "eventPattern", r) ? "yes" : "unknown";
  const p = pattern.value;
  const sources = stringsOf(get(p, "source"));
  if (!sources.values.includes(es.source)) return sources.unknown ? "unknown" : "no";
  const dt = get(p, "detail-type");
  if (dt !== undefined) {
    const types = stringsOf(dt);
    if (!types.values.some((t) => es.detailTypes.includes(t))) return types.unknown ? "unknown" : "no";
  }
  const detail = get(p, "detail");
  for (const stateKey of ["state", "status"]) {
    const states = stringsOf(get(detail, stateKey));
    if (states.values.length > 0 && !states.values.some((s) => FAILURE_STATE.test(s))) return "no";
  }
  const idFilter = get(detail, es.idKey);
  if (idFilter === undefined) return "yes"; // the rule covers every resource of the type
  if (dependsVia(rule, "eventPattern", r)) return "yes";
  const ids = stringsOf(idFilter);
  let answer: RefAnswer = ids.unknown ? "unknown" : "no";
  for (const v of ids.values) answer = combine(answer, refersToValue(v, r));
  for (const o of ids.objects) {
    const prefix = get(o, "prefix");
    if (typeof prefix === "string" && [...identifiers(r)].some((id) => id.startsWith(prefix))) answer = "yes";
    else if (typeof prefix !== "string") answer = combine(answer, "unknown");
  }
  return answer;
}

function ruleCovers(ctx: Ctx, rule: StackResource, r: StackResource, es: EventSource, re: RegExp): RefAnswer {
  const state = readString(get(rule.props, "state"));
  const enabled = readBool(get(rule.props, "isEnabled"));
  if (
    (state.state === "ok" && state.value.toUpperCase() === "DISABLED") ||
    (enabled.state === "ok" && !enabled.value)
  ) {
    return "no";
  }
  const matches = patternMatchesResource(rule, r, es);
  if (matches === "no") return "no";
  let target: RefAnswer = "no";
  for (const t of ctx.ofType(T.eventTarget)) {
    const ref = refersTo(t, "rule", rule);
    if (ref === "no") continue;
    const n = notifies(ctx, t, "arn", re);
    target = combine(target, ref === "yes" ? n : n === "no" ? "no" : "unknown");
  }
  if (matches === "yes" && target === "yes") return "yes";
  return target === "no" ? "no" : "unknown";
}

export const failureAlertingCoverage = stackPolicy<AlertingConfig>({
  name: "failure-alerting-coverage",
  description:
    "Every Glue job, Batch job queue, EMR cluster, EMR Serverless application and Step Functions state machine is " +
    "covered by a CloudWatch alarm (dimensions naming it, alarmActions to an SNS topic) or an enabled EventBridge " +
    "rule matching its failure events with an SNS topic target.",
  remediationSteps:
    "Add an aws.cloudwatch.EventRule for the service's failure events (e.g. source aws.glue, detail-type " +
    '"Glue Job State Change", detail.state ["FAILED","TIMEOUT"]) with an aws.cloudwatch.EventTarget whose arn is ' +
    "the alert topic, or an aws.cloudwatch.MetricAlarm on the resource with alarmActions: [alerts.arn].",
  severity: "high",
  enforcementLevel: "advisory",
  tags: ["operations"],
  types: [...Object.keys(EVENT_SOURCES), T.metricAlarm, T.eventRule, T.eventTarget, T.snsTopic],
  knobs: {
    notificationArnPattern: text(
      "Regular expression for ARNs that count as notification targets",
      "^arn:aws[a-z-]*:sns:",
    ),
  },
  defaults: { notificationArnPattern: "^arn:aws[a-z-]*:sns:" },
  check: (ctx) => {
    const re = configRegExp(
      "failure-alerting-coverage",
      "notificationArnPattern",
      ctx.config.notificationArnPattern,
    );
    const alarms = ctx.ofType(T.metricAlarm);
    const rules = ctx.ofType(T.eventRule);
    for (const r of ctx.subjects(...Object.keys(EVENT_SOURCES))) {
      const es = EVENT_SOURCES[r.type];
      let answer: RefAnswer = "no";
      for (const a of alarms) {
        answer = combine(answer, alarmCovers(ctx, a, r, re));
        if (answer === "yes") break;
      }
      if (answer !== "yes") {
        for (const rule of rules) {
          answer = combine(answer, ruleCovers(ctx, rule, r, es, re));
          if (answer === "yes") break;
        }
      }
      if (answer === "unknown") {
        ctx.report.cannotJudge(
          r,
          "failure alerting",
          "an alarm or rule that may cover it has values unknown during preview",
        );
      } else if (answer === "no") {
        ctx.report.violation(
          r,
          "no alarm or EventBridge failure rule reaching an SNS topic covers it",
          `add an EventRule on source "${es.source}" detail-type "${es.detailTypes[0]}" (failure states) with an EventTarget to the alert SNS topic, or a MetricAlarm naming it with alarmActions to the topic`,
        );
      }
    }
  },
});
