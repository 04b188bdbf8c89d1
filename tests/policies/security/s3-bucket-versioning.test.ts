/** s3-bucket-versioning (policies/security/s3-bucket-versioning.ts) on a compliant stack of storage. */
import { stackWith } from "../builders";
import { cannotJudge, CLEAN, drop, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

const BUCKET = "bdp-dev-lake-raw";

policyCases("s3-bucket-versioning", () => stackWith("storage"), [
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
