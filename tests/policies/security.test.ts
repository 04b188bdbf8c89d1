import { T } from "../../policies/lib/types";
import { add, CLEAN, cannotJudge, drop, mutate, policyCases, violation } from "./cases";
import { KEY_ARN, tlsPolicy } from "./fixtures";
import { res, UNKNOWN } from "./harness";

const BUCKET = "bdp-dev-lake-raw";
const EMR = "bdp-dev-sales-emr";

/** The bucket's companion with its link to the bucket removed and its `bucket` value unknown. */
function unresolvable(name: string) {
  return (s: { all: any[] }) =>
    s.all.map((r) =>
      r.name === name ? { ...r, deps: {}, props: { ...r.props, bucket: UNKNOWN.string } } : r,
    );
}

policyCases("s3-bucket-sse-kms", [
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

policyCases("s3-bucket-public-access-block", [
  { name: "passes all four settings on", expect: CLEAN },
  {
    name: "fails a bucket without a public access block",
    stack: drop("bdp-dev-lake-raw-public-access"),
    expect: violation(BUCKET, "public access block"),
  },
  {
    name: "fails when one setting is off",
    stack: mutate("bdp-dev-lake-raw-public-access", (p) => {
      p.restrictPublicBuckets = false;
    }),
    expect: violation(BUCKET, "restrictPublicBuckets"),
  },
  {
    name: "knob onlyBucketsTagged selects buckets by tag",
    stack: drop("bdp-dev-lake-raw-public-access"),
    config: { onlyBucketsTagged: { component: "data-lake-raw" } },
    expect: violation(BUCKET, "public access block"),
  },
  {
    name: "cannot judge an unknown bucket reference",
    stack: unresolvable("bdp-dev-lake-raw-public-access"),
    expect: cannotJudge(BUCKET, "public access block"),
  },
]);

policyCases("s3-bucket-tls-only", [
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

policyCases("s3-bucket-versioning", [
  { name: "passes versioning Enabled", expect: CLEAN },
  {
    name: "fails a bucket without versioning",
    stack: drop("bdp-dev-lake-raw-versioning"),
    expect: violation(BUCKET, "no versioning"),
  },
  {
    name: "fails Suspended",
    stack: mutate("bdp-dev-lake-raw-versioning", (p) => {
      p.versioningConfiguration.status = "Suspended";
    }),
    expect: violation(BUCKET, "Suspended"),
  },
  {
    name: "accepts legacy inline versioning on the bucket",
    stack: (s) =>
      drop("bdp-dev-lake-raw-versioning")(s).map((r) =>
        r.name === BUCKET ? { ...r, props: { ...r.props, versioning: { enabled: true } } } : r,
      ),
    expect: CLEAN,
  },
  {
    name: "knob onlyBucketsTagged limits the rule to data buckets",
    stack: drop("bdp-dev-lake-raw-versioning"),
    config: { onlyBucketsTagged: { "data-lake": "true" } },
    expect: CLEAN,
  },
  {
    name: "cannot judge unknown status",
    stack: mutate("bdp-dev-lake-raw-versioning", (p) => {
      p.versioningConfiguration.status = UNKNOWN.string;
    }),
    expect: cannotJudge(BUCKET, "versioning"),
  },
]);

policyCases("glue-security-configuration", [
  { name: "passes jobs and crawlers with a security configuration", expect: CLEAN },
  {
    name: "fails a job without one",
    stack: mutate("bdp-dev-sales-etl", (p) => {
      delete p.securityConfiguration;
    }),
    expect: violation("bdp-dev-sales-etl", "securityConfiguration"),
  },
  {
    name: "fails a crawler without one",
    stack: mutate("bdp-dev-sales-crawler", (p) => {
      p.securityConfiguration = "";
    }),
    expect: violation("bdp-dev-sales-crawler", "securityConfiguration"),
  },
  {
    name: "knob allowedSecurityConfigurations restricts the names",
    config: { allowedSecurityConfigurations: ["bdp-prod-glue-security"] },
    expect: violation("bdp-dev-sales-etl", "not an approved one"),
  },
  {
    name: "cannot judge an unknown name",
    stack: mutate("bdp-dev-sales-etl", (p) => {
      p.securityConfiguration = UNKNOWN.string;
    }),
    expect: cannotJudge("bdp-dev-sales-etl", "securityConfiguration"),
  },
]);

policyCases("emr-security-configuration", [
  { name: "passes a cluster with a security configuration", expect: CLEAN },
  {
    name: "fails a cluster without one",
    stack: mutate(EMR, (p) => {
      delete p.securityConfiguration;
    }),
    expect: violation(EMR, "securityConfiguration"),
  },
  {
    name: "knob requireLogEncryptionKey requires encrypted logs",
    config: { requireLogEncryptionKey: true },
    expect: violation(EMR, "logEncryptionKmsKeyId"),
  },
  {
    name: "cannot judge an unknown name",
    stack: mutate(EMR, (p) => {
      p.securityConfiguration = UNKNOWN.string;
    }),
    expect: cannotJudge(EMR, "securityConfiguration"),
  },
]);

policyCases("emr-private-subnet", [
  { name: "passes a cluster in a private subnet", expect: CLEAN },
  {
    name: "fails a cluster in a stack subnet that maps public IPs",
    stack: (s) =>
      s.all.map((r) =>
        r.name === EMR
          ? {
              ...r,
              deps: { ec2Attributes: [s.byName["bdp-dev-network-public-1"]] },
              props: { ...r.props, ec2Attributes: { subnetIds: ["subnet-0public1"] } },
            }
          : r,
      ),
    expect: violation(EMR, "public subnet"),
  },
  {
    name: "fails a public subnet found by id without dependencies",
    stack: (s) =>
      s.all.map((r) =>
        r.name === EMR
          ? { ...r, deps: {}, props: { ...r.props, ec2Attributes: { subnetId: "subnet-0public1" } } }
          : r,
      ),
    expect: violation(EMR, "subnet-0public1"),
  },
  {
    name: "fails a cluster without subnets (default VPC)",
    stack: (s) =>
      s.all.map((r) =>
        r.name === EMR
          ? { ...r, deps: {}, props: { ...r.props, ec2Attributes: { instanceProfile: "p" } } }
          : r,
      ),
    expect: violation(EMR, "default VPC"),
  },
  {
    name: "knob publicSubnetIds marks subnets outside the stack as public",
    stack: (s) =>
      s.all.map((r) =>
        r.name === EMR
          ? { ...r, deps: {}, props: { ...r.props, ec2Attributes: { subnetIds: ["subnet-0shared9"] } } }
          : r,
      ),
    config: { publicSubnetIds: ["subnet-0shared9"] },
    expect: violation(EMR, "subnet-0shared9"),
  },
  {
    name: "knob publicSubnetTagKey/Values reads another tag",
    stack: (s) =>
      s.all.map((r) =>
        r.name === "bdp-dev-network-private-1" ? { ...r, props: { ...r.props, tags: { tier: "dmz" } } } : r,
      ),
    config: { publicSubnetTagKey: "tier", publicSubnetTagValues: ["dmz"] },
    expect: violation(EMR, "public subnet"),
  },
  {
    name: "cannot judge unknown subnet ids without dependencies",
    stack: (s) =>
      s.all.map((r) =>
        r.name === EMR
          ? { ...r, deps: {}, props: { ...r.props, ec2Attributes: { subnetIds: UNKNOWN.array } } }
          : r,
      ),
    expect: cannotJudge(EMR, "subnets"),
  },
]);

policyCases("redshift-encrypted-private-logged", [
  { name: "passes an encrypted private logged cluster and a compliant serverless warehouse", expect: CLEAN },
  {
    name: "fails an unencrypted cluster",
    stack: mutate("bdp-dev-warehouse", (p) => {
      p.encrypted = false;
    }),
    expect: violation("bdp-dev-warehouse", "not encrypted"),
  },
  {
    name: "fails a publicly accessible cluster",
    stack: mutate("bdp-dev-warehouse", (p) => {
      p.publiclyAccessible = true;
    }),
    expect: violation("bdp-dev-warehouse", "publicly accessible"),
  },
  {
    name: "fails a cluster without audit logging",
    stack: drop("bdp-dev-warehouse-logging"),
    expect: violation("bdp-dev-warehouse", "audit logging"),
  },
  {
    name: "fails a publicly accessible workgroup",
    stack: mutate("bdp-dev-workgroup", (p) => {
      p.publiclyAccessible = true;
    }),
    expect: violation("bdp-dev-workgroup", "publicly accessible"),
  },
  {
    name: "fails a namespace without a customer key",
    stack: mutate("bdp-dev-namespace", (p) => {
      delete p.kmsKeyId;
    }),
    expect: violation("bdp-dev-namespace", "customer-managed"),
  },
  {
    name: "fails a namespace without user activity logs",
    stack: mutate("bdp-dev-namespace", (p) => {
      p.logExports = ["connectionlog"];
    }),
    expect: violation("bdp-dev-namespace", "useractivitylog"),
  },
  {
    name: "knobs relax key and log exports",
    stack: mutate("bdp-dev-namespace", (p) => {
      delete p.kmsKeyId;
      p.logExports = ["connectionlog"];
    }),
    config: { requireCustomerKey: false, requiredLogExports: ["connectionlog"] },
    expect: CLEAN,
  },
  {
    name: "cannot judge an unknown publiclyAccessible",
    stack: mutate("bdp-dev-workgroup", (p) => {
      p.publiclyAccessible = UNKNOWN.boolean;
    }),
    expect: cannotJudge("bdp-dev-workgroup", "publiclyAccessible"),
  },
]);

policyCases("ecr-scan-immutable", [
  { name: "passes scan on push and immutable tags", expect: CLEAN },
  {
    name: "fails without scan on push",
    stack: mutate("bdp-dev-sales-aggregator", (p) => {
      delete p.imageScanningConfiguration;
    }),
    expect: violation("bdp-dev-sales-aggregator", "scanned on push"),
  },
  {
    name: "fails mutable tags (the default)",
    stack: mutate("bdp-dev-sales-aggregator", (p) => {
      delete p.imageTagMutability;
    }),
    expect: violation("bdp-dev-sales-aggregator", "MUTABLE (the default)"),
  },
  {
    name: "knob allowedTagMutability accepts MUTABLE",
    stack: mutate("bdp-dev-sales-aggregator", (p) => {
      p.imageTagMutability = "MUTABLE";
    }),
    config: { allowedTagMutability: ["MUTABLE", "IMMUTABLE"] },
    expect: CLEAN,
  },
  {
    name: "cannot judge an unknown scan setting",
    stack: mutate("bdp-dev-sales-aggregator", (p) => {
      p.imageScanningConfiguration = { scanOnPush: UNKNOWN.boolean };
    }),
    expect: cannotJudge("bdp-dev-sales-aggregator", "scanOnPush"),
  },
]);

policyCases("sns-topic-encrypted", [
  { name: "passes a topic with a customer key", expect: CLEAN },
  {
    name: "fails an unencrypted topic",
    stack: mutate("bdp-dev-alerts", (p) => {
      delete p.kmsMasterKeyId;
    }),
    expect: violation("bdp-dev-alerts", "not encrypted"),
  },
  {
    name: "knob allowAwsManagedKey=false fails alias/aws/sns",
    stack: mutate("bdp-dev-alerts", (p) => {
      p.kmsMasterKeyId = "alias/aws/sns";
    }),
    config: { allowAwsManagedKey: false },
    expect: violation("bdp-dev-alerts", "alias/aws/sns"),
  },
  {
    name: "cannot judge an unknown key",
    stack: mutate("bdp-dev-alerts", (p) => {
      p.kmsMasterKeyId = UNKNOWN.string;
    }),
    expect: cannotJudge("bdp-dev-alerts", "kmsMasterKeyId"),
  },
]);

policyCases("sqs-queue-encrypted", [
  { name: "passes SSE-SQS", expect: CLEAN },
  {
    name: "fails an unencrypted queue",
    stack: mutate("bdp-dev-trigger-dlq", (p) => {
      p.sqsManagedSseEnabled = false;
    }),
    expect: violation("bdp-dev-trigger-dlq", "not encrypted"),
  },
  {
    name: "knob requireKms fails SSE-SQS",
    config: { requireKms: true },
    expect: violation("bdp-dev-trigger-dlq", "KMS key"),
  },
  {
    name: "passes a KMS key under requireKms",
    stack: mutate("bdp-dev-trigger-dlq", (p) => {
      p.kmsMasterKeyId = KEY_ARN;
    }),
    config: { requireKms: true },
    expect: CLEAN,
  },
  {
    name: "cannot judge an unknown setting",
    stack: mutate("bdp-dev-trigger-dlq", (p) => {
      p.sqsManagedSseEnabled = UNKNOWN.boolean;
    }),
    expect: cannotJudge("bdp-dev-trigger-dlq", "sqsManagedSseEnabled"),
  },
]);

function doc(statement: object | object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statement });
}

policyCases("iam-no-wildcard-actions", [
  { name: "passes specific actions", expect: CLEAN },
  {
    name: "fails Action * in a managed policy",
    stack: mutate("bdp-dev-read-raw", (p) => {
      p.policy = doc({ Effect: "Allow", Action: "*", Resource: "*" });
    }),
    expect: violation("bdp-dev-read-raw", "wildcard", "*"),
  },
  {
    name: "fails service:* in a role policy action list",
    stack: mutate("bdp-dev-glue-read-raw", (p) => {
      p.policy = doc([{ Effect: "Allow", Action: ["s3:GetObject", "s3:*"], Resource: "*" }]);
    }),
    expect: violation("bdp-dev-glue-read-raw", "s3:*"),
  },
  {
    name: "fails NotAction in a role's inline policy",
    stack: mutate("bdp-dev-glue", (p) => {
      p.inlinePolicies = [
        { name: "broad", policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) },
      ];
    }),
    expect: violation("bdp-dev-glue", "inlinePolicies[broad]", "NotAction"),
  },
  {
    name: "accepts prefix wildcards such as s3:Get* and wildcard Deny statements",
    stack: mutate("bdp-dev-read-raw", (p) => {
      p.policy = doc([
        { Effect: "Allow", Action: "s3:Get*", Resource: "*" },
        {
          Effect: "Deny",
          Action: "*",
          Resource: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]);
    }),
    expect: CLEAN,
  },
  {
    name: "knob allowedWildcardActions accepts listed ones",
    stack: mutate("bdp-dev-read-raw", (p) => {
      p.policy = doc({ Effect: "Allow", Action: "logs:*", Resource: "*" });
    }),
    config: { allowedWildcardActions: ["logs:*"] },
    expect: CLEAN,
  },
  {
    name: "knob allowNotActionInDeny accepts NotAction in Deny",
    stack: mutate("bdp-dev-read-raw", (p) => {
      p.policy = doc({ Effect: "Deny", NotAction: ["s3:GetObject"], Resource: "*" });
    }),
    config: { allowNotActionInDeny: true },
    expect: CLEAN,
  },
  {
    name: "accepts a parsed object document as well as a string",
    stack: add((s) => [
      res(
        T.iamPolicy,
        "object-doc",
        { policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*:*", Resource: "*" }] } },
        { provider: s.provider },
      ),
    ]),
    expect: violation("object-doc", "*:*"),
  },
  {
    name: "cannot judge a policy that is not JSON",
    stack: mutate("bdp-dev-read-raw", (p) => {
      p.policy = "Allow everything";
    }),
    expect: cannotJudge("bdp-dev-read-raw", "policy document"),
  },
]);
