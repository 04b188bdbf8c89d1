import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { LOG_RETENTION_DAYS, LogRetentionDays } from "../../decisions/logs";

export interface EncryptedLogGroupArgs {
  /** Log group name, e.g. `/aws/vendedlogs/states/bdp-dev-sales`; omitted, Pulumi generates one. */
  logGroupName?: pulumi.Input<string>;
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
 * A CloudWatch log group that always has a retention and a customer-managed KMS key. Declare the
 * log groups that services would otherwise create themselves (without retention or encryption)
 * with this, under the name the service writes to.
 */
export function encryptedLogGroup(
  name: string,
  args: EncryptedLogGroupArgs,
  opts?: pulumi.CustomResourceOptions,
): aws.cloudwatch.LogGroup {
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.retentionInDays)) {
    throw new Error(
      `log group ${name}: retentionInDays ${args.retentionInDays} is not one of ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  }
  return new aws.cloudwatch.LogGroup(
    name,
    {
      name: args.logGroupName,
      retentionInDays: args.retentionInDays,
      kmsKeyId: args.kmsKeyArn,
      tags: args.tags,
    },
    opts,
  );
}
