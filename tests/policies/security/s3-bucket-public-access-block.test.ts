/** s3-bucket-public-access-block (policies/security/s3-bucket-public-access-block.ts) on a compliant stack of storage. */
import { stackWith } from "../builders";
import { cannotJudge, CLEAN, drop, mutate, policyCases, unresolvable, violation } from "../cases";

const BUCKET = "bdp-dev-lake-raw";

policyCases("s3-bucket-public-access-block", () => stackWith("storage"), [
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
