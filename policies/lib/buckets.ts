/**
 * Shared logic of the S3 stack policies: which buckets are data buckets, and whether a bucket has a
 * good companion resource (encryption, versioning, lifecycle, public access block, policy) that
 * refers to it through its `bucket` input, or the equivalent legacy inline setting on the bucket.
 */
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { StackContext, StackResource } from "./define";
import { referrers } from "./refs";
import { effectiveTags, tagValue } from "./tags";
import { BUCKET_TYPES } from "./types";

/** The result of judging one companion resource or inline setting. */
export type Verdict =
  { kind: "ok" } | { kind: "bad"; problem: string } | { kind: "unknown"; why: string } | { kind: "absent" };

export const OK: Verdict = { kind: "ok" };
export const ABSENT: Verdict = { kind: "absent" };

export interface BucketConfig {
  /** Only buckets whose effective tags match all of these are judged; empty: every bucket. */
  onlyBucketsTagged: Record<string, string>;
}

export const ONLY_BUCKETS_TAGGED_SCHEMA: PolicyConfigJSONSchema = {
  type: "object",
  additionalProperties: { type: "string" },
  description: 'Judge only buckets carrying all of these tags (e.g. {"data-lake": "true"}); empty means all.',
  default: {},
};

export function isSelectedBucket(bucket: StackResource, selector: Record<string, string>): boolean {
  const entries = Object.entries(selector ?? {});
  if (entries.length === 0) return true;
  const tags = effectiveTags(bucket.props, bucket.provider).tags;
  return entries.every(([k, v]) => tagValue(tags, k) === v);
}

/**
 * The types a bucket policy declares: the bucket types and the types of its companion resources.
 * checkBuckets takes the companions from this declaration, so it is the only list.
 */
export function bucketPolicyTypes(...companionTypes: string[]): string[] {
  return [...BUCKET_TYPES, ...companionTypes];
}

export interface CompanionRule {
  /** What is required, e.g. "SSE-KMS default encryption". */
  what: string;
  judge: (companion: StackResource) => Verdict;
  /** Legacy inline setting on the bucket itself, if the bucket type has one. */
  inline?: (bucket: StackResource) => Verdict;
  /** How to fix a bucket without a (good) companion. */
  fix: string;
}

/**
 * Judges every selected, non-exempt bucket of the stack against one companion rule. The companions
 * are the resources of the policy's declared types other than buckets (see bucketPolicyTypes).
 */
export function checkBuckets<C extends BucketConfig>(ctx: StackContext<C>, rule: CompanionRule): void {
  const companions = ctx.ofType(...ctx.types.filter((t) => !BUCKET_TYPES.includes(t)));
  for (const bucket of ctx.subjects(...BUCKET_TYPES)) {
    if (!isSelectedBucket(bucket, ctx.config.onlyBucketsTagged)) continue;
    const { matches, unresolved } = referrers(companions, "bucket", bucket);
    const verdicts = matches.map((m) => ({ m, v: rule.judge(m) }));
    const inline = rule.inline ? rule.inline(bucket) : ABSENT;
    if (verdicts.some((x) => x.v.kind === "ok") || inline.kind === "ok") continue;
    const bad = verdicts.find((x) => x.v.kind === "bad");
    const unknown = verdicts.find((x) => x.v.kind === "unknown");
    if (bad && bad.v.kind === "bad") {
      ctx.report.violation(
        bucket,
        `${rule.what} falls short in ${bad.m.type} "${bad.m.name}": ${bad.v.problem}`,
        rule.fix,
      );
    } else if (unknown && unknown.v.kind === "unknown") {
      ctx.report.cannotJudge(bucket, rule.what, `${unknown.m.type} "${unknown.m.name}": ${unknown.v.why}`);
    } else if (inline.kind === "bad") {
      ctx.report.violation(
        bucket,
        `${rule.what} falls short in the bucket's inline setting: ${inline.problem}`,
        rule.fix,
      );
    } else if (inline.kind === "unknown") {
      ctx.report.cannotJudge(bucket, rule.what, inline.why);
    } else if (unresolved.length > 0) {
      ctx.report.cannotJudge(
        bucket,
        rule.what,
        `the bucket reference of ${unresolved.map((u) => `"${u.name}"`).join(", ")} is unknown during preview`,
      );
    } else {
      ctx.report.violation(bucket, `has no ${rule.what}`, rule.fix);
    }
  }
}
