/** s3-bucket-sse-kms (policies/security/s3-bucket-sse-kms.ts) on a compliant stack of storage. */
import { stackWith } from "../builders";
import { cannotJudge, CLEAN, drop, mutate, policyCases, unresolvable, violation } from "../cases";

const BUCKET = "bdp-dev-lake-raw";

policyCases("s3-bucket-sse-kms", () => stackWith("storage"), [
  { name: "passes SSE-KMS with a customer key and bucket keys", expect: CLEAN },
  {
    name: "fails a bucket without encryption configuration",
    stack: drop("bdp-dev-lake-raw-encryption"),
    expect: violation(BUCKET, "no SSE-KMS"),
  },
  {
    name: "fails AES256",
    stack: mutate("bdp-dev-lake-raw-encryption", (p) => {
      p.rules[0].applyServerSideEncryptionByDefault = { sseAlgorithm: "AES256" };
    }),
    expect: violation(BUCKET, "AES256"),
  },
  {
    name: "fails the AWS managed aws/s3 key",
    stack: mutate("bdp-dev-lake-raw-encryption", (p) => {
      delete p.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId;
    }),
    expect: violation(BUCKET, "customer-managed"),
  },
  {
    name: "fails without bucket keys",
    stack: mutate("bdp-dev-lake-raw-encryption", (p) => {
      delete p.rules[0].bucketKeyEnabled;
    }),
    expect: violation(BUCKET, "bucketKeyEnabled"),
  },
  {
    name: "knobs requireCustomerKey/requireBucketKey relax the rule",
    stack: mutate("bdp-dev-lake-raw-encryption", (p) => {
      delete p.rules[0].bucketKeyEnabled;
      delete p.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId;
    }),
    config: { requireCustomerKey: false, requireBucketKey: false },
    expect: CLEAN,
  },
  {
    name: "correlates by bucket name when dependencies are missing",
    stack: (s) => s.all.map((r) => (r.name === "bdp-dev-lake-raw-encryption" ? { ...r, deps: {} } : r)),
    expect: CLEAN,
  },
  {
    name: "cannot judge when the configuration's bucket is unknown during preview",
    stack: unresolvable("bdp-dev-lake-raw-encryption"),
    expect: cannotJudge(BUCKET, "SSE-KMS"),
  },
]);
