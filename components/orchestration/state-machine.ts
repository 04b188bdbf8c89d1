import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson, PolicyStatement, serviceTrustPolicy } from "../shared/iam";
import {
  buildStateMachineDefinition,
  buildStateMachinePolicyStatements,
  StateMachineSpec,
  StepKinds,
} from "../../decisions/orchestration";
import { encryptedLogGroup } from "../shared/log-group";
import { LogRetentionDays } from "../../decisions/logs";

export interface PipelineStateMachineArgs {
  /** Name of the state machine and its log group; unique per account and region (include the environment). */
  machineName: string;
  /** The pipeline's spec with resolved names and ARNs (Outputs are resolved before building). */
  spec: pulumi.Input<StateMachineSpec>;
  /**
   * The kinds that build the spec's steps: the engines' kinds (`engines/registry.ts`
   * STEP_KINDS) or your own, plus BUILT_IN_STEP_KINDS for crawler and Redshift steps.
   */
  stepKinds: StepKinds;
  /** Retention of the execution log group. */
  logRetentionDays: LogRetentionDays;
  /** Key that encrypts the execution log group (its policy must admit CloudWatch Logs). */
  logKmsKeyArn: pulumi.Input<string>;
  tags?: Record<string, string>;
  /**
   * Extra tags of the execution role only: principal tags services read at sign-in (e.g.
   * `RedshiftDbRoles`, which maps the role to database roles on Redshift Serverless).
   */
  roleTags?: Record<string, string>;
}

/**
 * Step Functions needs these account-wide calls to deliver execution logs to CloudWatch Logs
 * (vended log delivery); AWS documents no resource-level scoping for them.
 */
const LOG_DELIVERY_ACTIONS = [
  "logs:CreateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:DescribeLogGroups",
  "logs:DescribeResourcePolicies",
  "logs:GetLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:UpdateLogDelivery",
];

/** X-Ray tracing of executions. */
const TRACING_ACTIONS = [
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:PutTelemetryRecords",
  "xray:PutTraceSegments",
];

/**
 * One pipeline's Step Functions state machine (STANDARD): definition and least-privilege role
 * built by the pure functions in decisions/orchestration, execution logging at level ALL to
 * an encrypted log group with retention, and X-Ray tracing.
 */
export class PipelineStateMachine extends pulumi.ComponentResource {
  readonly stateMachine: aws.sfn.StateMachine;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly arn: pulumi.Output<string>;
  /** The ASL definition as sent to AWS. */
  readonly definition: pulumi.Output<string>;

  constructor(name: string, args: PipelineStateMachineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:orchestration:PipelineStateMachine", name, {}, opts);
    const child = { parent: this };
    const identity = aws.getCallerIdentityOutput({}, child);
    const region = aws.getRegionOutput({}, child);
    const spec = pulumi.output(args.spec) as pulumi.Output<StateMachineSpec>;

    this.logGroup = encryptedLogGroup(
      `${name}-executions`,
      {
        // The vendedlogs prefix keeps the log resource policy small (AWS's guidance for Step Functions).
        logGroupName: `/aws/vendedlogs/states/${args.machineName}`,
        retentionInDays: args.logRetentionDays,
        kmsKeyArn: args.logKmsKeyArn,
        tags: args.tags,
      },
      child,
    );

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: spec.apply((resolved) => `Step Functions role of pipeline ${resolved.pipelineName}`),
        assumeRolePolicy: serviceTrustPolicy("states.amazonaws.com", identity.accountId),
        tags:
          args.roleTags && Object.keys(args.roleTags).length > 0
            ? { ...args.tags, ...args.roleTags }
            : args.tags,
      },
      child,
    );
    const statements = pulumi
      .all([spec, region.region, identity.accountId])
      .apply(([resolved, regionName, accountId]) =>
        buildStateMachinePolicyStatements({
          region: regionName,
          accountId,
          spec: resolved,
          kinds: args.stepKinds,
        }),
      );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role`,
      {
        role: this.role.id,
        policy: statements.apply((pipelineStatements) =>
          policyJson([
            ...(pipelineStatements as PolicyStatement[]),
            { Sid: "DeliverExecutionLogs", Effect: "Allow", Action: LOG_DELIVERY_ACTIONS, Resource: "*" },
            { Sid: "TraceExecutions", Effect: "Allow", Action: TRACING_ACTIONS, Resource: "*" },
          ]),
        ),
      },
      child,
    );

    this.definition = spec.apply((resolved) =>
      JSON.stringify(buildStateMachineDefinition(resolved, args.stepKinds), null, 2),
    );
    this.stateMachine = new aws.sfn.StateMachine(
      `${name}-machine`,
      {
        name: args.machineName,
        type: "STANDARD",
        roleArn: this.role.arn,
        definition: this.definition,
        loggingConfiguration: {
          logDestination: pulumi.interpolate`${this.logGroup.arn}:*`,
          includeExecutionData: true,
          level: "ALL",
        },
        tracingConfiguration: { enabled: true },
        tags: args.tags,
      },
      // CreateStateMachine checks the role's permissions (log delivery, X-Ray, .sync integrations):
      // the policy must be attached first.
      // https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
      { parent: this, dependsOn: [rolePolicy] },
    );
    this.arn = this.stateMachine.arn;
    this.registerOutputs({ arn: this.arn, roleArn: this.role.arn, logGroup: this.logGroup.name });
  }
}
