import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "../shared/iam";

/** Key administration and use for the account root, listed explicitly instead of `kms:*`. */
export const KEY_OWNER_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:CreateGrant",
  "kms:Decrypt",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListKeyRotations",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:RetireGrant",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

/** What a principal needs to read and write data encrypted with the key. */
export const KEY_USER_ACTIONS = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"];

/** Use of the lake key: data, bookmarks, catalog metadata and logs are all encrypted with it. */
export function lakeKeyStatement(keyArn: pulumi.Input<string>): PolicyStatement {
  return { Sid: "UseLakeKey", Effect: "Allow", Action: KEY_USER_ACTIONS, Resource: [keyArn] };
}

/** Lets the account's IAM policies grant use of the key (the standard delegation to IAM). */
export function accountRootStatement(
  partition: pulumi.Input<string>,
  accountId: pulumi.Input<string>,
): PolicyStatement {
  return {
    Sid: "AccountAdministersKeyThroughIam",
    Effect: "Allow",
    Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
    Action: KEY_OWNER_ACTIONS,
    Resource: "*",
  };
}

/** Lets CloudWatch Logs encrypt log groups of this account and region with the key. */
export function cloudWatchLogsStatement(
  partition: pulumi.Input<string>,
  region: pulumi.Input<string>,
  accountId: pulumi.Input<string>,
): PolicyStatement {
  return {
    Sid: "CloudWatchLogsEncryptLogGroups",
    Effect: "Allow",
    Principal: { Service: pulumi.interpolate`logs.${region}.amazonaws.com` },
    Action: [
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
    ],
    Resource: "*",
    Condition: {
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:*`,
      },
    },
  };
}
