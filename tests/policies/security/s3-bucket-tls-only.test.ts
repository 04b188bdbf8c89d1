/** s3-bucket-tls-only (policies/security/s3-bucket-tls-only.ts) on a compliant stack of storage. */
import { stackWith, tlsPolicy } from "../builders";
import { cannotJudge, CLEAN, drop, mutate, policyCases, violation } from "../cases";

const BUCKET = "bdp-dev-lake-raw";

policyCases("s3-bucket-tls-only", () => stackWith("storage"), [
  { name: "passes a Deny on aws:SecureTransport false", expect: CLEAN },
  {
    name: "fails a bucket without a bucket policy",
    stack: drop("bdp-dev-lake-raw-policy"),
    expect: violation(BUCKET, "TLS-only"),
  },
  {
    name: "fails a policy without the TLS statement",
    stack: mutate("bdp-dev-lake-raw-policy", (p) => {
      p.policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::1:root" },
            Action: "s3:GetObject",
            Resource: "*",
          },
        ],
      });
    }),
    expect: violation(BUCKET, "aws:SecureTransport"),
  },
  {
    name: "fails a TLS statement that only covers some principals",
    stack: mutate("bdp-dev-lake-raw-policy", (p) => {
      const d = JSON.parse(p.policy);
      d.Statement[0].Principal = { AWS: "arn:aws:iam::1:root" };
      p.policy = JSON.stringify(d);
    }),
    expect: violation(BUCKET, "aws:SecureTransport"),
  },
  {
    name: "accepts the legacy inline policy and a boolean condition value",
    stack: (s) =>
      drop("bdp-dev-lake-raw-policy")(s).map((r) =>
        r.name === BUCKET
          ? { ...r, props: { ...r.props, policy: tlsPolicy("bdp-dev-raw-1a2b").replace('"false"', "false") } }
          : r,
      ),
    expect: CLEAN,
  },
  {
    name: "knob onlyBucketsTagged skips other buckets",
    stack: drop("bdp-dev-lake-raw-policy"),
    config: { onlyBucketsTagged: { component: "data-lake-curated" } },
    expect: CLEAN,
  },
  {
    name: "cannot judge a policy that is not JSON",
    stack: mutate("bdp-dev-lake-raw-policy", (p) => {
      p.policy = "{not json";
    }),
    expect: cannotJudge(BUCKET, "TLS-only"),
  },
]);
