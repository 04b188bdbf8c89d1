/**
 * s3-bucket-public-access-block: a data-lake bucket must never become public by an ACL or a policy
 * change. All four public access block settings are on for every bucket.
 */
import {
  ABSENT,
  BucketConfig,
  bucketPolicyTypes,
  checkBuckets,
  OK,
  ONLY_BUCKETS_TAGGED_SCHEMA,
} from "../lib/buckets";
import { stackPolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, readBool } from "../lib/values";

export const PUBLIC_ACCESS_SETTINGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
];

export const s3BucketPublicAccessBlock = stackPolicy<BucketConfig>({
  name: "s3-bucket-public-access-block",
  description:
    "Every data-lake S3 bucket has an aws.s3.BucketPublicAccessBlock (bucket = the bucket) with blockPublicAcls, " +
    "blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
  remediationSteps:
    "Add new aws.s3.BucketPublicAccessBlock({ bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, " +
    "ignorePublicAcls: true, restrictPublicBuckets: true }).",
  severity: "critical",
  enforcementLevel: "mandatory",
  tags: ["security", "s3"],
  types: bucketPolicyTypes(T.s3BucketPublicAccessBlock),
  knobs: { onlyBucketsTagged: ONLY_BUCKETS_TAGGED_SCHEMA },
  defaults: { onlyBucketsTagged: {} },
  check: (ctx) =>
    checkBuckets(ctx, {
      what: "full public access block",
      judge: (c) => {
        const reads = PUBLIC_ACCESS_SETTINGS.map((k) => ({ k, r: readBool(get(c.props, k)) }));
        const off = reads
          .filter((x) => !(x.r.state === "ok" && x.r.value) && x.r.state !== "unknown")
          .map((x) => x.k);
        if (off.length > 0) return { kind: "bad", problem: `${off.join(", ")} not true` };
        if (reads.some((x) => x.r.state === "unknown"))
          return { kind: "unknown", why: "settings unknown during preview" };
        return OK;
      },
      inline: () => ABSENT,
      fix: "add an aws.s3.BucketPublicAccessBlock with bucket: <bucket>.id and all four settings true",
    }),
});
