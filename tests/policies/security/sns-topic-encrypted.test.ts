/** sns-topic-encrypted (policies/security/sns-topic-encrypted.ts) on a compliant stack of monitoring. */
import { stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("sns-topic-encrypted", () => stackWith("monitoring"), [
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
