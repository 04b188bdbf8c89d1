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
import { stackPolicy, StackResource } from "../lib/define";
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

/**
 * The values a string reference can match a resource's identifier by: the string itself and every
 * part after a ":" or "/" (a state machine's ARN ends with ":stateMachine:<name>", and a reference
 * counts when it ends with ":<id>" or "/<id>").
 */
function referenceKeys(value: string): string[] {
  const out = [value];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === ":" || value[i] === "/") out.push(value.slice(i + 1));
  }
  return out;
}

/** Does any identifier of `r` match one of `keys` (see referenceKeys)? */
function namedBy(keys: ReadonlySet<string>, r: StackResource): boolean {
  for (const id of identifiers(r)) if (keys.has(id)) return true;
  return false;
}

/** Is the value at `holder.<prop>` a notification target (an SNS topic)? From ARNs and dependencies. */
function notifies(holder: StackResource, prop: string, re: RegExp, topicIds: ReadonlySet<string>): RefAnswer {
  const deps = holder.propertyDependencies[prop] ?? [];
  if (deps.some((d) => d.type === T.snsTopic)) return "yes";
  const arns = stringsOf(get(holder.props, prop));
  if (arns.values.some((a) => re.test(a))) return "yes";
  if (arns.values.some((a) => topicIds.has(a))) return "yes";
  return arns.unknown ? "unknown" : "no";
}

/**
 * What an alarm can cover, worked out once per alarm. It covers a resource when its dimensions name
 * the resource (by dependency or value) and its actions reach an SNS topic; unknown values make the
 * answer unknown rather than no.
 */
interface AlarmReach {
  /** Resources the dimensions (or metric queries) were computed from. */
  dependsOn: ReadonlySet<StackResource>;
  /** referenceKeys of every dimension value. */
  keys: ReadonlySet<string>;
  /** A dimension (or all of them) is unknown: the alarm may name anything. */
  unknownNames: boolean;
  /** Whether alarmActions reach an SNS topic (never "no" here: such alarms cover nothing). */
  action: RefAnswer;
}

function alarmReach(alarm: StackResource, re: RegExp, topicIds: ReadonlySet<string>): AlarmReach | undefined {
  const enabled = readBool(get(alarm.props, "actionsEnabled"));
  if (enabled.state === "ok" && !enabled.value) return undefined;
  const action = notifies(alarm, "alarmActions", re, topicIds);
  if (action === "no") return undefined;
  const dependsOn = new Set([
    ...(alarm.propertyDependencies.dimensions ?? []),
    ...(alarm.propertyDependencies.metricQueries ?? []),
  ]);
  const valueKeys = new Set<string>();
  let unknownNames = false;
  const addValues = (dimensions: unknown) => {
    if (isUnknown(dimensions)) {
      unknownNames = true;
      return;
    }
    for (const k of keys(dimensions)) {
      const value = unwrap(get(dimensions, k));
      if (isUnknown(value)) unknownNames = true;
      else if (typeof value === "string") for (const key of referenceKeys(value)) valueKeys.add(key);
    }
  };
  addValues(unwrap(get(alarm.props, "dimensions")));
  const queries = unwrap(get(alarm.props, "metricQueries"));
  if (Array.isArray(queries)) for (const q of queries) addValues(unwrap(get(q, "metric", "dimensions")));
  return { dependsOn, keys: valueKeys, unknownNames, action };
}

/** Alarms indexed by what they can name, so each resource is judged against its candidates only. */
class AlarmIndex {
  private readonly byDependency = new Map<StackResource, AlarmReach[]>();
  private readonly byKey = new Map<string, AlarmReach[]>();
  private readonly unknown: AlarmReach[] = [];

  constructor(reaches: AlarmReach[]) {
    const add = <K>(map: Map<K, AlarmReach[]>, key: K, reach: AlarmReach) => {
      const list = map.get(key);
      if (list) list.push(reach);
      else map.set(key, [reach]);
    };
    for (const reach of reaches) {
      for (const d of reach.dependsOn) add(this.byDependency, d, reach);
      for (const k of reach.keys) add(this.byKey, k, reach);
      if (reach.unknownNames) this.unknown.push(reach);
    }
  }

  /** "yes" if an alarm names `r` and reaches a topic, "unknown" if one may, else "no". */
  covers(r: StackResource): RefAnswer {
    const candidates = new Set([...(this.byDependency.get(r) ?? []), ...this.unknown]);
    for (const id of identifiers(r)) for (const reach of this.byKey.get(id) ?? []) candidates.add(reach);
    let answer: RefAnswer = "no";
    for (const reach of candidates) {
      const names = reach.dependsOn.has(r) || namedBy(reach.keys, r) ? "yes" : "unknown";
      answer = combine(answer, names === "yes" && reach.action === "yes" ? "yes" : "unknown");
      if (answer === "yes") break;
    }
    return answer;
  }
}

/** How an event pattern selects resources of one event source, worked out once per rule and source. */
type PatternReach =
  | { kind: "fixed"; answer: RefAnswer }
  /** The pattern itself is unknown: it covers what it was computed from, and may cover anything. */
  | { kind: "unknown" }
  /** The pattern filters on the resource's id: these values and prefixes. */
  | { kind: "filter"; keys: ReadonlySet<string>; prefixes: string[]; otherwise: RefAnswer };

function patternReach(rule: StackResource, es: EventSource): PatternReach {
  const no = { kind: "fixed", answer: "no" } as const;
  const pattern = readJson(get(rule.props, "eventPattern"));
  if (pattern.state === "absent" || pattern.state === "invalid") return no;
  if (pattern.state === "unknown") return { kind: "unknown" };
  const p = pattern.value;
  const sources = stringsOf(get(p, "source"));
  if (!sources.values.includes(es.source)) return sources.unknown ? { kind: "fixed", answer: "unknown" } : no;
  const dt = get(p, "detail-type");
  if (dt !== undefined) {
    const types = stringsOf(dt);
    if (!types.values.some((t) => es.detailTypes.includes(t)))
      return types.unknown ? { kind: "fixed", answer: "unknown" } : no;
  }
  const detail = get(p, "detail");
  for (const stateKey of ["state", "status"]) {
    const states = stringsOf(get(detail, stateKey));
    if (states.values.length > 0 && !states.values.some((s) => FAILURE_STATE.test(s))) return no;
  }
  const idFilter = get(detail, es.idKey);
  // The rule covers every resource of the type.
  if (idFilter === undefined) return { kind: "fixed", answer: "yes" };
  const ids = stringsOf(idFilter);
  let otherwise: RefAnswer = ids.unknown ? "unknown" : "no";
  const prefixes: string[] = [];
  for (const o of ids.objects) {
    const prefix = get(o, "prefix");
    if (typeof prefix === "string") prefixes.push(prefix);
    else otherwise = combine(otherwise, "unknown");
  }
  return { kind: "filter", keys: new Set(ids.values.flatMap(referenceKeys)), prefixes, otherwise };
}

function patternMatchesResource(rule: StackResource, reach: PatternReach, r: StackResource): RefAnswer {
  if (reach.kind === "fixed") return reach.answer;
  if (dependsVia(rule, "eventPattern", r)) return "yes";
  if (reach.kind === "unknown") return "unknown";
  if (namedBy(reach.keys, r)) return "yes";
  if (reach.prefixes.some((prefix) => [...identifiers(r)].some((id) => id.startsWith(prefix)))) return "yes";
  return reach.otherwise;
}

/** An enabled rule, whether its targets reach an SNS topic, and its pattern per event source. */
interface RuleReach {
  rule: StackResource;
  /** Never "no" here: rules without a topic target cover nothing. */
  target: RefAnswer;
  patterns: Map<EventSource, PatternReach>;
}

function ruleReach(
  rule: StackResource,
  targets: StackResource[],
  re: RegExp,
  topicIds: ReadonlySet<string>,
): RuleReach | undefined {
  const state = readString(get(rule.props, "state"));
  const enabled = readBool(get(rule.props, "isEnabled"));
  if (
    (state.state === "ok" && state.value.toUpperCase() === "DISABLED") ||
    (enabled.state === "ok" && !enabled.value)
  ) {
    return undefined;
  }
  let target: RefAnswer = "no";
  for (const t of targets) {
    const ref = refersTo(t, "rule", rule);
    if (ref === "no") continue;
    const n = notifies(t, "arn", re, topicIds);
    target = combine(target, ref === "yes" ? n : n === "no" ? "no" : "unknown");
  }
  return target === "no" ? undefined : { rule, target, patterns: new Map() };
}

function ruleCovers(reach: RuleReach, r: StackResource, es: EventSource): RefAnswer {
  let pattern = reach.patterns.get(es);
  if (!pattern) {
    pattern = patternReach(reach.rule, es);
    reach.patterns.set(es, pattern);
  }
  const matches = patternMatchesResource(reach.rule, pattern, r);
  if (matches === "no") return "no";
  return matches === "yes" && reach.target === "yes" ? "yes" : "unknown";
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
    // Everything about an alarm or a rule that does not depend on the resource is worked out once;
    // alarms are indexed by what they name (a stack has alarms and resources per pipeline).
    const topicIds = new Set(ctx.ofType(T.snsTopic).flatMap((t) => [...identifiers(t)]));
    const alarms = new AlarmIndex(
      ctx.ofType(T.metricAlarm).flatMap((a) => alarmReach(a, re, topicIds) ?? []),
    );
    const targets = ctx.ofType(T.eventTarget);
    const rules = ctx.ofType(T.eventRule).flatMap((rule) => ruleReach(rule, targets, re, topicIds) ?? []);
    for (const r of ctx.subjects(...Object.keys(EVENT_SOURCES))) {
      const es = EVENT_SOURCES[r.type];
      let answer = alarms.covers(r);
      for (const rule of rules) {
        if (answer === "yes") break;
        answer = combine(answer, ruleCovers(rule, r, es));
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
