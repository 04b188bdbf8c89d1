/** glue-security-configuration (policies/security/glue-security-configuration.ts) on a compliant stack of glue, catalog. */
import { stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("glue-security-configuration", () => stackWith("glue", "catalog"), [
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
