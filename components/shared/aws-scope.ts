import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** Partition, region and account of the provider a component runs with, for building exact ARNs. */
export interface AwsScope {
  partition: pulumi.Output<string>;
  region: pulumi.Output<string>;
  accountId: pulumi.Output<string>;
}

/** Looks the scope up through the parent's provider (so tests and stacks see the same ARNs). */
export function awsScope(parent: pulumi.Resource): AwsScope {
  const opts = { parent };
  return {
    partition: aws.getPartitionOutput({}, opts).partition,
    region: aws.getRegionOutput({}, opts).region,
    accountId: aws.getCallerIdentityOutput({}, opts).accountId,
  };
}

/** `arn:<partition>:glue:<region>:<account>:<resource>`, e.g. `catalog`, `database/x`, `table/x/*`. */
export function glueArn(scope: AwsScope, resource: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`arn:${scope.partition}:glue:${scope.region}:${scope.accountId}:${resource}`;
}
