import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { logRetentionError, LogRetentionDays } from "../../decisions/logs";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import { assertValidArgs } from "./args";

export interface EncryptedLogGroupArgs {
  /** Log group name, e.g. `/aws/vendedlogs/states/bdp-dev-sales`. */
  logGroupName?: pulumi.Input<string>;
  /** Or a prefix to which Pulumi appends a unique suffix; with neither, Pulumi generates a name. */
  logGroupNamePrefix?: pulumi.Input<string>;
  /** How long CloudWatch Logs keeps events; never "forever". */
  retentionInDays: LogRetentionDays;
  /**
   * ARN of the KMS key that encrypts the events. Its policy must let `logs.<region>.amazonaws.com`
   * use it (the data lake key does: components/storage/kms.ts cloudWatchLogsStatement).
   */
  kmsKeyArn: pulumi.Input<string>;
  tags?: Record<string, string>;
}

/**
 * Problems with encrypted log group args: a retention CloudWatch Logs accepts, and at most one of
 * name and name prefix (the provider takes one or the other).
 */
export function validateEncryptedLogGroupArgs(
  args: Pick<EncryptedLogGroupArgs, "retentionInDays" | "logGroupName" | "logGroupNamePrefix">,
): ArgsProblem[] {
  return [
    ...problemAt(["retentionInDays"], logRetentionError(args.retentionInDays), args.retentionInDays),
    ...problemAt(
      ["logGroupNamePrefix"],
      args.logGroupName !== undefined && args.logGroupNamePrefix !== undefined
        ? "give logGroupName or logGroupNamePrefix, not both"
        : undefined,
    ),
  ];
}

/**
 * A CloudWatch log group that always has a retention and a customer-managed KMS key. Every
 * component declares its log groups with this, under the name the service writes to, so no
 * service creates one itself without retention or encryption.
 */
export function encryptedLogGroup(
  name: string,
  args: EncryptedLogGroupArgs,
  opts?: pulumi.CustomResourceOptions,
): aws.cloudwatch.LogGroup {
  assertValidArgs("log group", name, validateEncryptedLogGroupArgs(args));
  return new aws.cloudwatch.LogGroup(
    name,
    {
      name: args.logGroupName,
      namePrefix: args.logGroupNamePrefix,
      retentionInDays: args.retentionInDays,
      kmsKeyId: args.kmsKeyArn,
      tags: args.tags,
    },
    opts,
  );
}
