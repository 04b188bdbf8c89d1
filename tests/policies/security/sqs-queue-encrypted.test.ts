/** sqs-queue-encrypted (policies/security/sqs-queue-encrypted.ts) on a compliant stack of orchestration. */
import { KEY_ARN, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("sqs-queue-encrypted", () => stackWith("orchestration"), [
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
