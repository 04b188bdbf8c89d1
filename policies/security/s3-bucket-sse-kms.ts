/**
 * s3-bucket-sse-kms: data-lake objects are encrypted with the environment's KMS key (SSE-KMS), so
 * access needs both S3 and key permissions and is logged in CloudTrail. Bucket keys cut the KMS
 * request cost by orders of magnitude.
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
import { stackPolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, isUnknown, readArray, readBool, readString, unwrap } from "../lib/values";

export interface SseKmsConfig extends BucketConfig {
  requireCustomerKey: boolean;
  requireBucketKey: boolean;
}

function judgeRule(rule: unknown, cfg: SseKmsConfig): Verdict {
  const algo = readString(get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"));
  if (algo.state === "unknown") return { kind: "unknown", why: "sseAlgorithm unknown during preview" };
  if (algo.state !== "ok") return { kind: "bad", problem: "no default encryption algorithm" };
  const a = algo.value.toLowerCase();
  if (a !== "aws:kms" && a !== "aws:kms:dsse")
    return { kind: "bad", problem: `sseAlgorithm is ${algo.value}, not aws:kms` };
  if (cfg.requireCustomerKey) {
    const key = unwrap(get(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"));
    if (!isUnknown(key) && !(typeof key === "string" && key !== "" && !/alias\/aws\/s3$/.test(key))) {
      return {
        kind: "bad",
        problem: "no customer-managed kmsMasterKeyId (the AWS managed aws/s3 key is used)",
      };
    }
  }
  if (cfg.requireBucketKey && a === "aws:kms") {
    const bk = readBool(get(rule, "bucketKeyEnabled"));
    if (bk.state === "unknown") return { kind: "unknown", why: "bucketKeyEnabled unknown during preview" };
    if (!(bk.state === "ok" && bk.value)) return { kind: "bad", problem: "bucketKeyEnabled is not true" };
  }
  return OK;
}

function judgeRules(rules: unknown, cfg: SseKmsConfig, absentIsMissing: boolean): Verdict {
  const u = unwrap(rules);
  if (isUnknown(u)) return { kind: "unknown", why: "rules unknown during preview" };
  const list = Array.isArray(u) ? u : u === undefined || u === null ? [] : [u];
  if (list.length === 0) return absentIsMissing ? { kind: "bad", problem: "no rules" } : ABSENT;
  // Array.from also visits holes of sparse arrays.
  const verdicts = Array.from(list, (r) => judgeRule(r, cfg));
  return verdicts.find((v) => v.kind === "ok") ?? verdicts.find((v) => v.kind === "unknown") ?? verdicts[0];
}

export const s3BucketSseKms = stackPolicy<SseKmsConfig>({
  name: "s3-bucket-sse-kms",
  description:
    "Every data-lake S3 bucket has default encryption SSE-KMS (aws.s3.BucketServerSideEncryptionConfiguration " +
    "with sseAlgorithm aws:kms whose bucket is the bucket), with a customer-managed key and bucket keys enabled (knobs).",
  remediationSteps:
    'Add new aws.s3.BucketServerSideEncryptionConfiguration({ bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", ' +
    "kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }] }).",
  severity: "high",
  enforcementLevel: "mandatory",
  tags: ["security", "s3"],
  types: bucketPolicyTypes(
    T.s3BucketServerSideEncryptionConfiguration,
    T.s3BucketServerSideEncryptionConfigurationV2,
  ),
  knobs: {
    onlyBucketsTagged: ONLY_BUCKETS_TAGGED_SCHEMA,
    requireCustomerKey: flag("Require a customer-managed KMS key (not aws/s3)", true),
    requireBucketKey: flag("Require bucketKeyEnabled for aws:kms", true),
  },
  defaults: { onlyBucketsTagged: {}, requireCustomerKey: true, requireBucketKey: true },
  check: (ctx) =>
    checkBuckets(ctx, {
      what: "SSE-KMS default encryption",
      judge: (c) => {
        const rules = readArray(get(c.props, "rules"));
        return judgeRules(rules.state === "ok" ? rules.value : get(c.props, "rules"), ctx.config, true);
      },
      inline: (b) => {
        const v1 = get(b.props, "serverSideEncryptionConfiguration");
        if (v1 !== undefined && v1 !== null) return judgeRules(get(v1, "rule"), ctx.config, false);
        const v2 = unwrap(get(b.props, "serverSideEncryptionConfigurations"));
        if (Array.isArray(v2) && v2.length > 0) return judgeRules(get(v2[0], "rules"), ctx.config, false);
        return ABSENT;
      },
      fix: 'add an aws.s3.BucketServerSideEncryptionConfiguration with bucket: <bucket>.id, sseAlgorithm "aws:kms", kmsMasterKeyId: <key>.arn, bucketKeyEnabled: true',
    }),
});
