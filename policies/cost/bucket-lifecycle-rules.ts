/**
 * bucket-lifecycle-rules: data-lake buckets grow without bound unless lifecycle rules expire or
 * tier their objects, clean up old versions and abort incomplete multipart uploads.
 */
import { flag } from "../lib/config";
import {
  ABSENT,
  BucketConfig,
  bucketPolicyTypes,
  checkBuckets,
  OK,
  ONLY_BUCKETS_TAGGED_SCHEMA,
  Verdict,
} from "../lib/buckets";
import { stackPolicy, StackResource } from "../lib/define";
import { T } from "../lib/types";
import { get, readArray, readBool, readString } from "../lib/values";

export interface LifecycleConfig extends BucketConfig {
  requireAbortIncompleteUploads: boolean;
}

function judgeRules(rules: unknown, requireAbort: boolean, legacy: boolean): Verdict {
  const list = readArray(rules);
  if (list.state === "absent") return legacy ? ABSENT : { kind: "bad", problem: "it has no rules" };
  if (list.state === "unknown") return { kind: "unknown", why: "rules unknown during preview" };
  if (list.state === "invalid") return { kind: "unknown", why: `rules: unexpected value ${list.got}` };
  const enabled = list.value.filter((r) => {
    if (legacy) {
      const e = readBool(get(r, "enabled"));
      return e.state === "ok" && e.value;
    }
    const s = readString(get(r, "status"));
    return s.state === "ok" && s.value.toLowerCase() === "enabled";
  });
  if (enabled.length === 0)
    return legacy && list.value.length === 0 ? ABSENT : { kind: "bad", problem: "no rule is enabled" };
  if (requireAbort) {
    const aborts = enabled.some((r) =>
      legacy
        ? get(r, "abortIncompleteMultipartUploadDays") !== undefined
        : get(r, "abortIncompleteMultipartUpload") !== undefined,
    );
    if (!aborts) return { kind: "bad", problem: "no enabled rule aborts incomplete multipart uploads" };
  }
  return OK;
}

export const bucketLifecycleRules = stackPolicy<LifecycleConfig>({
  name: "bucket-lifecycle-rules",
  description:
    "Every data-lake S3 bucket has lifecycle rules (an aws.s3.BucketLifecycleConfiguration whose bucket is the " +
    "bucket, or legacy inline lifecycleRules) with at least one enabled rule, and one that aborts incomplete " +
    "multipart uploads.",
  remediationSteps:
    "Add new aws.s3.BucketLifecycleConfiguration({ bucket: bucket.id, rules: [...] }) with enabled rules that " +
    "transition or expire objects, expire noncurrent versions, and set abortIncompleteMultipartUpload.",
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["cost", "s3"],
  types: bucketPolicyTypes(T.s3BucketLifecycleConfiguration, T.s3BucketLifecycleConfigurationV2),
  knobs: {
    onlyBucketsTagged: ONLY_BUCKETS_TAGGED_SCHEMA,
    requireAbortIncompleteUploads: flag("Require an enabled rule with abortIncompleteMultipartUpload", true),
  },
  defaults: { onlyBucketsTagged: {}, requireAbortIncompleteUploads: true },
  check: (ctx) =>
    checkBuckets(ctx, {
      what: "lifecycle rules",
      judge: (c: StackResource) =>
        judgeRules(get(c.props, "rules"), ctx.config.requireAbortIncompleteUploads, false),
      inline: (b: StackResource) =>
        judgeRules(get(b.props, "lifecycleRules"), ctx.config.requireAbortIncompleteUploads, true),
      fix: "add an aws.s3.BucketLifecycleConfiguration with bucket: <bucket>.id and enabled rules (expiration/transitions, noncurrent version expiration, abortIncompleteMultipartUpload)",
    }),
});
