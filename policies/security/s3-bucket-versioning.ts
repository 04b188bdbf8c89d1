/**
 * s3-bucket-versioning: versioning lets a bad job run or an accidental delete be undone. Data
 * buckets enable it (lifecycle rules expire old versions, see bucket-lifecycle-rules).
 */
import {
  ABSENT,
  BucketConfig,
  bucketPolicyTypes,
  checkBuckets,
  OK,
  ONLY_BUCKETS_TAGGED_SCHEMA,
  Verdict,
} from "../lib/buckets";
import { stackPolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, readBool, readString, unwrap } from "../lib/values";

function inlineVersioning(v: unknown): Verdict {
  const u = unwrap(v);
  if (u === undefined || u === null) return ABSENT;
  const first = Array.isArray(u) ? u[0] : u;
  const enabled = readBool(get(first, "enabled"));
  if (enabled.state === "unknown") return { kind: "unknown", why: "versioning unknown during preview" };
  if (enabled.state === "ok" && enabled.value) return OK;
  return enabled.state === "absent" ? ABSENT : { kind: "bad", problem: "versioning.enabled is false" };
}

export const s3BucketVersioning = stackPolicy<BucketConfig>({
  name: "s3-bucket-versioning",
  description:
    "Every data S3 bucket (all buckets, or those matching onlyBucketsTagged) has an aws.s3.BucketVersioning whose " +
    "bucket is the bucket with versioningConfiguration.status Enabled (or legacy inline versioning enabled).",
  remediationSteps:
    'Add new aws.s3.BucketVersioning({ bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }) and a ' +
    "lifecycle rule that expires noncurrent versions.",
  severity: "medium",
  enforcementLevel: "mandatory",
  tags: ["security", "s3"],
  types: bucketPolicyTypes(T.s3BucketVersioning, T.s3BucketVersioningV2),
  knobs: { onlyBucketsTagged: ONLY_BUCKETS_TAGGED_SCHEMA },
  defaults: { onlyBucketsTagged: {} },
  check: (ctx) =>
    checkBuckets(ctx, {
      what: "versioning",
      judge: (c) => {
        const status = readString(get(c.props, "versioningConfiguration", "status"));
        if (status.state === "unknown") return { kind: "unknown", why: "status unknown during preview" };
        if (status.state === "ok" && status.value.toLowerCase() === "enabled") return OK;
        return { kind: "bad", problem: `status is ${status.state === "ok" ? status.value : "not set"}` };
      },
      inline: (b) => {
        const v1 = inlineVersioning(get(b.props, "versioning"));
        return v1.kind === "absent" ? inlineVersioning(get(b.props, "versionings")) : v1;
      },
      fix: 'add an aws.s3.BucketVersioning with bucket: <bucket>.id and versioningConfiguration: { status: "Enabled" }',
    }),
});
