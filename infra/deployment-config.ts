/**
 * Where and as whom a stack deploys: the `deployment` block (the one AWS account of the
 * environment and the IAM role that runs `pulumi up`), and the `aws:` provider keys the stack's
 * explicit AWS provider honours. An explicit provider ignores the `aws:` stack config the default
 * provider would read, so each key it supports is read here and passed on; any other `aws:` key is
 * an error rather than silently ignored.
 *
 * The account guard: the provider's `allowedAccountIds` is the stack's `deployment.accountId`, so
 * credentials for any other account (dev's config with prod's credentials) fail before the first
 * change. Data Catalog encryption and Lake Formation settings are one per account and Region, so
 * every environment has an account of its own (checked across the stack files by `npm run plan`).
 */
import type * as aws from "@pulumi/aws";
import { z } from "zod";
import { problemAt, ArgsProblem } from "../decisions/problems";
import { uniqueValues } from "../decisions/pipeline";

/** A 12-digit AWS account id; YAML reads one without quotes as a number (and drops a leading 0). */
const accountIdSchema = z
  .string({
    error: (issue) =>
      typeof issue.input === "number"
        ? 'must be a 12-digit account id in quotes, e.g. "012345678901": YAML reads it unquoted as a number and drops leading zeros'
        : undefined,
  })
  .regex(/^\d{12}$/, "must be a 12-digit AWS account id");

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/** An IAM role ARN (arn:aws:iam::<account>:role/<path/name>). */
const iamRoleArnSchema = z
  .string()
  .regex(IAM_ROLE_ARN, "must be an IAM role ARN such as arn:aws:iam::111122223333:role/bdp-deployer");

/** The account of an IAM ARN, if it is one. */
function accountOfArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(arn)?.[1];
}

/** `batch-data-platform:deployment`: the environment's account and the role that deploys it. */
export const deploymentSchema = z
  .strictObject({
    /** The AWS account this environment lives in; the provider refuses credentials for any other. */
    accountId: accountIdSchema,
    /**
     * The IAM role `pulumi up` runs as (directly, or as the last role of aws:assumeRoles). Lake
     * Formation makes it an administrator: the stack's grants are made by it.
     */
    roleArn: iamRoleArnSchema,
  })
  .superRefine((deployment, ctx) => {
    const account = accountOfArn(deployment.roleArn);
    if (account !== undefined && account !== deployment.accountId) {
      ctx.addIssue({
        code: "custom",
        path: ["roleArn"],
        message: `must be a role in the stack's account, deployment.accountId (${deployment.accountId}), not ${account}`,
        input: deployment.roleArn,
      });
    }
  });

export type DeploymentConfig = z.infer<typeof deploymentSchema>;

/** A Go duration as the AWS provider takes it (`1h`, `90m`, `1h30m`), in seconds; undefined if malformed. */
function goDurationSeconds(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== text) return undefined;
  return parts.reduce((total, [, value, unit]) => total + Number(value) * units[unit], 0);
}

/**
 * One entry of `aws:assumeRoles`, as the provider's `assumeRoles` takes it (ProviderAssumeRole in
 * @pulumi/aws v7); limits from STS AssumeRole:
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
const assumeRoleSchema = z.strictObject({
  roleArn: iamRoleArnSchema,
  sessionName: z
    .string()
    .regex(/^[\w+=,.@-]{2,64}$/, "must be 2 to 64 letters, digits or +=,.@_-")
    .optional(),
  externalId: z
    .string()
    .regex(/^[\w+=,.@:/-]{2,1224}$/, "must be 2 to 1224 letters, digits or +=,.@:/_-")
    .optional(),
  duration: z
    .string()
    .refine((text) => {
      const seconds = goDurationSeconds(text);
      return seconds !== undefined && seconds >= 900 && seconds <= 43200;
    }, "must be a duration from 15m to 12h, such as 1h")
    .optional(),
  policy: z.string().optional(),
  policyArns: z.array(z.string().regex(/^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+$/)).optional(),
  sourceIdentity: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  transitiveTagKeys: z.array(z.string()).optional(),
});

/**
 * The `aws:` keys the stack reads besides aws:region, as fields of the validated config. Every
 * other `aws:` key is rejected (see UNSUPPORTED_AWS_KEY_MESSAGE).
 */
export const awsProviderFields = {
  /** aws:profile: the shared-config profile whose credentials deploy. */
  awsProfile: z.string().trim().min(1, "must not be empty").optional(),
  /** aws:assumeRoles: roles the provider assumes in turn; it acts as the last one. */
  awsAssumeRoles: z.array(assumeRoleSchema).min(1, "list at least one role, or leave the key out").optional(),
  /** aws:allowedAccountIds: must agree with deployment.accountId, the account the provider allows. */
  awsAllowedAccountIds: z.array(accountIdSchema).superRefine(uniqueValues("account")).optional(),
};

/** Config keys outside the project namespace that the program reads, and their field in the config. */
export const AWS_CONFIG_FIELDS = {
  "aws:region": "region",
  "aws:profile": "awsProfile",
  "aws:assumeRoles": "awsAssumeRoles",
  "aws:allowedAccountIds": "awsAllowedAccountIds",
} as const;

/** Why an `aws:` key the stack does not read is set, for each such key. */
export function unsupportedAwsKeyMessage(key: string): string {
  const supported = Object.keys(AWS_CONFIG_FIELDS).join(", ");
  if (key === "aws:forbiddenAccountIds") {
    return "conflicts with the allowed account the provider gets from batch-data-platform:deployment.accountId (the AWS provider takes one or the other); remove it";
  }
  return `is not read by the stack's explicit AWS provider, so it would be ignored; supported: ${supported} (credentials come from the environment or aws:profile)`;
}

/** The parts of the config the deployment checks read. */
interface DeploymentView {
  deployment: DeploymentConfig;
  awsAssumeRoles?: { roleArn: string }[];
  awsAllowedAccountIds?: string[];
}

/**
 * Problems between the deployment block and the provider keys, at config paths: aws:allowedAccountIds
 * may list only the stack's account, and the role the provider ends up as (the last of
 * aws:assumeRoles) must be the deployment role Lake Formation makes an administrator.
 */
export function deploymentProblems(config: DeploymentView): ArgsProblem[] {
  const { accountId, roleArn } = config.deployment;
  const allowed = config.awsAllowedAccountIds ?? [];
  const roles = config.awsAssumeRoles ?? [];
  const last = roles.length - 1;
  return [
    ...allowed.flatMap((account, index) =>
      problemAt(
        ["awsAllowedAccountIds", index],
        account === accountId
          ? undefined
          : `the stack deploys only into deployment.accountId (${accountId}); list only that account, or leave the key out`,
        account,
      ),
    ),
    ...problemAt(
      ["awsAssumeRoles", last, "roleArn"],
      last >= 0 && roles[last].roleArn !== roleArn
        ? `the provider acts as the last role it assumes, so it must be deployment.roleArn (${roleArn}), the role Lake Formation makes an administrator`
        : undefined,
      roles[last]?.roleArn,
    ),
  ];
}

/** What the explicit provider needs from the deployment config: the account guard and how to get credentials. */
export interface ProviderAccess {
  deployment: DeploymentConfig;
  awsProfile?: string;
  awsAssumeRoles?: aws.types.input.ProviderAssumeRole[];
}

/** The provider args for the account guard, the profile and the roles to assume. */
export function providerAccessArgs(
  config: ProviderAccess,
): Pick<aws.ProviderArgs, "allowedAccountIds" | "profile" | "assumeRoles"> {
  return {
    allowedAccountIds: [config.deployment.accountId],
    ...(config.awsProfile === undefined ? {} : { profile: config.awsProfile }),
    ...(config.awsAssumeRoles === undefined ? {} : { assumeRoles: config.awsAssumeRoles }),
  };
}
