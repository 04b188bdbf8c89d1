/** bucket-lifecycle-rules (policies/cost/bucket-lifecycle-rules.ts) on a compliant stack of storage. */
import { stackWith } from "../builders";
import { cannotJudge, CLEAN, drop, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

const BUCKET = "bdp-dev-lake-raw";

policyCases("bucket-lifecycle-rules", () => stackWith("storage"), [
  { name: "passes a bucket with an enabled rule that aborts uploads", expect: CLEAN },
  {
    name: "fails a bucket without lifecycle configuration",
    stack: drop("bdp-dev-lake-raw-lifecycle"),
    expect: violation(BUCKET, "no lifecycle rules"),
  },
  {
    name: "fails when no rule is enabled",
    stack: mutate("bdp-dev-lake-raw-lifecycle", (p) => {
      p.rules[0].status = "Disabled";
    }),
    expect: violation(BUCKET, "no rule is enabled"),
  },
  {
    name: "fails when no rule aborts incomplete uploads",
    stack: mutate("bdp-dev-lake-raw-lifecycle", (p) => {
      delete p.rules[0].abortIncompleteMultipartUpload;
    }),
    expect: violation(BUCKET, "abort"),
  },
  {
    name: "knob requireAbortIncompleteUploads=false accepts it",
    stack: mutate("bdp-dev-lake-raw-lifecycle", (p) => {
      delete p.rules[0].abortIncompleteMultipartUpload;
    }),
    config: { requireAbortIncompleteUploads: false },
    expect: CLEAN,
  },
  {
    name: "knob onlyBucketsTagged skips untagged buckets",
    stack: drop("bdp-dev-lake-raw-lifecycle"),
    config: { onlyBucketsTagged: { "data-zone": "raw" } },
    expect: CLEAN,
  },
  {
    name: "accepts legacy inline lifecycleRules",
    stack: (s) =>
      drop("bdp-dev-lake-raw-lifecycle")(s).map((r) =>
        r.name === BUCKET
          ? {
              ...r,
              props: {
                ...r.props,
                lifecycleRules: [
                  { enabled: true, abortIncompleteMultipartUploadDays: 3, expiration: { days: 30 } },
                ],
              },
            }
          : r,
      ),
    expect: CLEAN,
  },
  {
    name: "cannot judge when the configuration's bucket reference is unknown",
    stack: (s) =>
      s.all.map((r) =>
        r.name === "bdp-dev-lake-raw-lifecycle"
          ? { ...r, deps: {}, props: { ...r.props, bucket: UNKNOWN.string } }
          : r,
      ),
    expect: cannotJudge(BUCKET, "lifecycle rules"),
  },
]);
