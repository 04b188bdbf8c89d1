/**
 * s3-bucket-tls-only: data must not travel in clear text. Each data-lake bucket's policy denies
 * every request made without TLS (aws:SecureTransport = false).
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
import { get, isRecord, isUnknown, keys, readJson, unwrap } from "../lib/values";

function list(v: unknown): unknown[] {
  const u = unwrap(v);
  return Array.isArray(u) ? u.map(unwrap) : u === undefined || u === null ? [] : [u];
}

function deniesInsecureTransport(stmt: unknown): boolean {
  const effect = unwrap(get(stmt, "Effect"));
  if (typeof effect !== "string" || effect.toLowerCase() !== "deny") return false;
  const principal = unwrap(get(stmt, "Principal"));
  const anyone = principal === "*" || (isRecord(principal) && list(get(principal, "AWS")).includes("*"));
  if (!anyone) return false;
  const actions = list(get(stmt, "Action"));
  if (!actions.some((a) => a === "*" || (typeof a === "string" && /^s3:\*$/i.test(a)))) return false;
  const cond = get(stmt, "Condition");
  for (const op of keys(cond)) {
    if (!/^Bool(IfExists)?$/i.test(op)) continue;
    const block = get(cond, op);
    for (const k of keys(block)) {
      if (k.toLowerCase() !== "aws:securetransport") continue;
      if (
        list(get(block, k)).some((v) => v === false || (typeof v === "string" && v.toLowerCase() === "false"))
      )
        return true;
    }
  }
  return false;
}

export function judgeTlsPolicy(policy: unknown, absent: Verdict): Verdict {
  const doc = readJson(policy);
  if (doc.state === "absent") return absent;
  if (doc.state === "unknown") return { kind: "unknown", why: "policy document unknown during preview" };
  if (doc.state === "invalid") return { kind: "unknown", why: `policy: ${doc.got}` };
  const statements = list(get(doc.value, "Statement"));
  if (statements.some((s) => deniesInsecureTransport(s))) return OK;
  if (statements.some((s) => isUnknown(s)))
    return { kind: "unknown", why: "a statement is unknown during preview" };
  return { kind: "bad", problem: "no statement denies requests with aws:SecureTransport false" };
}

export const s3BucketTlsOnly = stackPolicy<BucketConfig>({
  name: "s3-bucket-tls-only",
  description:
    "Every data-lake S3 bucket has a bucket policy (aws.s3.BucketPolicy whose bucket is the bucket, or the legacy " +
    'inline policy) with a Deny statement for Principal "*", Action s3:* and Condition Bool aws:SecureTransport "false".',
  remediationSteps:
    'Add a statement { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, ' +
    '`${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } } to the bucket policy.',
  severity: "high",
  enforcementLevel: "mandatory",
  tags: ["security", "s3"],
  types: bucketPolicyTypes(T.s3BucketPolicy),
  knobs: { onlyBucketsTagged: ONLY_BUCKETS_TAGGED_SCHEMA },
  defaults: { onlyBucketsTagged: {} },
  check: (ctx) =>
    checkBuckets(ctx, {
      what: "TLS-only bucket policy",
      judge: (c) => judgeTlsPolicy(get(c.props, "policy"), { kind: "bad", problem: "the policy is empty" }),
      inline: (b) => judgeTlsPolicy(get(b.props, "policy"), ABSENT),
      fix: 'add a Deny statement for Principal "*", Action "s3:*", Condition { Bool: { "aws:SecureTransport": "false" } } to an aws.s3.BucketPolicy with bucket: <bucket>.id',
    }),
});
