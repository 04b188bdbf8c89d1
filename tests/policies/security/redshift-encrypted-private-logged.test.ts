/** redshift-encrypted-private-logged (policies/security/redshift-encrypted-private-logged.ts) on a compliant stack of warehouse. */
import { stackWith } from "../builders";
import { cannotJudge, CLEAN, drop, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("redshift-encrypted-private-logged", () => stackWith("warehouse"), [
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
