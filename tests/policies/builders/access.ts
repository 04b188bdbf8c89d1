/** Access: the Glue job's role with an inline policy, a managed policy and a role policy, all least-privilege. */
import { T } from "../../../policies/lib/types";
import { Res, res } from "../harness";
import { Area, areaOf, Env, KEY_ARN } from "./env";
import { RAW_BUCKET } from "./storage";

export interface AccessArea extends Area {
  role: Res;
  managedPolicy: Res;
  rolePolicy: Res;
}

/** Read access to the raw bucket and its key: specific actions only. */
const READ_RAW = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:ListBucket"],
      Resource: [`arn:aws:s3:::${RAW_BUCKET}`, `arn:aws:s3:::${RAW_BUCKET}/*`],
    },
    { Effect: "Allow", Action: "kms:Decrypt", Resource: KEY_ARN },
  ],
});

export function access(env: Env): AccessArea {
  const o = { provider: env.provider };
  const role = res(
    T.iamRole,
    "bdp-dev-glue",
    {
      name: "bdp-dev-glue",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
      inlinePolicies: [{ name: "read-raw", policy: READ_RAW }],
    },
    o,
  );
  const managedPolicy = res(
    T.iamPolicy,
    "bdp-dev-read-raw",
    { name: "bdp-dev-read-raw", policy: READ_RAW },
    o,
  );
  const rolePolicy = res(
    T.iamRolePolicy,
    "bdp-dev-glue-read-raw",
    { role: "bdp-dev-glue", policy: READ_RAW },
    { ...o, deps: { role: [role] } },
  );
  return areaOf({ role, managedPolicy, rolePolicy });
}
