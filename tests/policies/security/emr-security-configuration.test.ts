/** emr-security-configuration (policies/security/emr-security-configuration.ts) on a compliant stack of emr. */
import { EMR_CLUSTER, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("emr-security-configuration", () => stackWith("emr"), [
  { name: "passes a cluster with a security configuration", expect: CLEAN },
  {
    name: "fails a cluster without one",
    stack: mutate(EMR_CLUSTER, (p) => {
      delete p.securityConfiguration;
    }),
    expect: violation(EMR_CLUSTER, "securityConfiguration"),
  },
  {
    name: "knob requireLogEncryptionKey requires encrypted logs",
    config: { requireLogEncryptionKey: true },
    expect: violation(EMR_CLUSTER, "logEncryptionKmsKeyId"),
  },
  {
    name: "cannot judge an unknown name",
    stack: mutate(EMR_CLUSTER, (p) => {
      p.securityConfiguration = UNKNOWN.string;
    }),
    expect: cannotJudge(EMR_CLUSTER, "securityConfiguration"),
  },
]);
