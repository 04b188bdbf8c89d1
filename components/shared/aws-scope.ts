import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** Partition, region and account of the provider a component runs with, for building exact ARNs. */
export interface AwsScope {
  partition: pulumi.Output<string>;
  region: pulumi.Output<string>;
  accountId: pulumi.Output<string>;
}

/**
 * Thrown (as a Pulumi RunError, so no stack trace is printed) when the provider answers a scope
 * lookup without the value: under test mocks that do not answer the call, an ARN would otherwise
 * read `arn:undefined:iam::undefined:root` and pass every check.
 */
export class UnresolvedScopeError extends pulumi.RunError {
  constructor(
    /** The invoke token, e.g. `aws:index/getCallerIdentity:getCallerIdentity`. */
    readonly token: string,
    readonly field: string,
    given: unknown,
  ) {
    super(
      `${token} returned no ${field} (got ${JSON.stringify(given) ?? "undefined"}), so ARNs cannot be built. ` +
        `Under pulumi.runtime.setMocks, answer this call in mocks.call (batch-data-platform/testing: mockCall answers it).`,
    );
    this.name = "UnresolvedScopeError";
  }
}

/** `value`, once known; an UnresolvedScopeError when the lookup resolved to nothing. */
function required(value: pulumi.Output<string>, token: string, field: string): pulumi.Output<string> {
  return value.apply((resolved) => {
    if (typeof resolved !== "string" || resolved === "")
      throw new UnresolvedScopeError(token, field, resolved);
    return resolved;
  });
}

/**
 * Looks the scope up through the parent's provider (so tests and stacks see the same ARNs). A
 * lookup that resolves to nothing is an error, never `undefined` inside an ARN.
 */
export function awsScope(parent: pulumi.Resource): AwsScope {
  const opts = { parent };
  return {
    partition: required(
      aws.getPartitionOutput({}, opts).partition,
      "aws:index/getPartition:getPartition",
      "partition",
    ),
    region: required(aws.getRegionOutput({}, opts).region, "aws:index/getRegion:getRegion", "region"),
    accountId: required(
      aws.getCallerIdentityOutput({}, opts).accountId,
      "aws:index/getCallerIdentity:getCallerIdentity",
      "accountId",
    ),
  };
}

/** `arn:<partition>:glue:<region>:<account>:<resource>`, e.g. `catalog`, `database/x`, `table/x/*`. */
export function glueArn(scope: AwsScope, resource: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`arn:${scope.partition}:glue:${scope.region}:${scope.accountId}:${resource}`;
}
