/** iam-no-wildcard-actions (policies/security/iam-no-wildcard-actions.ts) on a compliant stack of access. */
import { T } from "../../../policies/lib/types";
import { stackWith } from "../builders";
import { add, cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { res } from "../harness";

function doc(statement: object | object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statement });
}

policyCases("iam-no-wildcard-actions", () => stackWith("access"), [
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
