/**
 * IAM policy documents built as typed objects and serialized once, never by string
 * concatenation. Allow statements always name explicit actions (no `*`); only Deny statements
 * may use a wildcard, because there a wildcard takes rights away instead of granting them.
 */
import * as pulumi from "@pulumi/pulumi";

/** An IAM role or user ARN (`arn:<partition>:iam::<account>:role|user/<path/name>`). */
export const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

/** Who a statement applies to: AWS principals (ARNs, accounts) or AWS services. */
export type Principal =
  | { AWS: pulumi.Input<string> | pulumi.Input<string>[] }
  | { Service: pulumi.Input<string> | pulumi.Input<string>[] };

/** One IAM policy statement; values may be Outputs (policyJson resolves them). */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: Principal | "*";
  Action: string[];
  Resource?: pulumi.Input<string>[] | "*";
  Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[] | boolean>>;
}

/** An IAM policy document as AWS reads it. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** Serializes a document whose values may be Outputs into the JSON string AWS expects. */
export function policyJson(statements: PolicyStatement[]): pulumi.Output<string> {
  for (const statement of statements) {
    const wildcard = statement.Action.find((action) => action.includes("*"));
    if (wildcard && statement.Effect === "Allow") {
      throw new Error(`IAM statement ${statement.Sid ?? ""} allows wildcard action ${wildcard}`);
    }
  }
  const document: PolicyDocument = { Version: "2012-10-17", Statement: statements };
  return pulumi.jsonStringify(pulumi.output(document));
}

/** Trust policy for an AWS service, pinned to this account (confused-deputy protection). */
export function serviceTrustPolicy(
  service: string | string[],
  accountId: pulumi.Input<string>,
): pulumi.Output<string> {
  return policyJson([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: ["sts:AssumeRole"],
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}

/** Statement that denies every S3 request to a bucket that does not use TLS. */
export function denyInsecureTransport(bucketArn: pulumi.Input<string>): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    // Deny-all: a list of actions would leave the others (ACLs, tagging, ...) open over plain HTTP.
    Action: ["s3:*"],
    Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": false } },
  };
}
