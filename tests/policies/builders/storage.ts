/** Storage: the data lake's raw bucket with encryption, public access block, TLS-only policy, versioning and lifecycle. */
import { T } from "../../../policies/lib/types";
import { component, Res, res } from "../harness";
import { Area, areaOf, Env, KEY_ARN } from "./env";

export const RAW_BUCKET = "bdp-dev-raw-1a2b";

export interface StorageArea extends Area {
  lake: Res;
  bucket: Res;
  encryption: Res;
  publicAccess: Res;
  policy: Res;
  versioning: Res;
  lifecycle: Res;
}

/** A bucket policy that denies every request not made over TLS. */
export function tlsPolicy(bucket: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

export function storage(env: Env): StorageArea {
  const lake = component("bdp:storage:DataLake", "bdp-dev-lake");
  const bucket = res(
    T.s3Bucket,
    "bdp-dev-lake-raw",
    { bucket: RAW_BUCKET, tags: { component: "data-lake-raw" } },
    { provider: env.provider, parent: lake },
  );
  /** A resource that configures the bucket through its `bucket` input. */
  const companion = (type: string, suffix: string, props: Record<string, any>) =>
    res(
      type,
      `bdp-dev-lake-raw-${suffix}`,
      { bucket: RAW_BUCKET, ...props },
      { provider: env.provider, parent: lake, deps: { bucket: [bucket] } },
    );
  const encryption = companion(T.s3BucketServerSideEncryptionConfiguration, "encryption", {
    rules: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN },
        bucketKeyEnabled: true,
      },
    ],
  });
  const publicAccess = companion(T.s3BucketPublicAccessBlock, "public-access", {
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const policy = companion(T.s3BucketPolicy, "policy", { policy: tlsPolicy(RAW_BUCKET) });
  const versioning = companion(T.s3BucketVersioning, "versioning", {
    versioningConfiguration: { status: "Enabled" },
  });
  const lifecycle = companion(T.s3BucketLifecycleConfiguration, "lifecycle", {
    rules: [
      {
        id: "raw-zone",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 3 },
        expiration: { days: 30 },
        noncurrentVersionExpiration: { noncurrentDays: 3 },
      },
    ],
  });
  return areaOf({ lake, bucket, encryption, publicAccess, policy, versioning, lifecycle });
}
