/** Specs, the real ASL validator, and small graph / Choice helpers for the orchestration tests. */
import assert from "node:assert/strict";
import aslValidator from "asl-validator";

import {
  AslState,
  CrawlerStep,
  PolicyStatement,
  RedshiftSqlStep,
  ResolvedStep,
  StateMachineDefinition,
  StateMachinePolicyInput,
  StateMachineSpec,
  StateMachineStep,
  buildStateMachineDefinition,
  buildStateMachinePolicyStatements,
  stateMachineSpecProblems,
} from "../../../decisions/orchestration";
import { GlueJobStep } from "../../../engines/glue/step";
import { EmrTransientStep } from "../../../engines/emr/step";
import { EmrServerlessJobStep } from "../../../engines/emr-serverless/step";
import { BatchJobStep } from "../../../engines/batch/step";
import { STEP_KINDS } from "../../../engines/registry";

/** The kinds the platform's state machines are built with: the engines' and the built-in ones. */
export { STEP_KINDS };

/** The definition built with the platform's step kinds. */
export function definitionOf(input: StateMachineSpec): StateMachineDefinition {
  return buildStateMachineDefinition(input, STEP_KINDS);
}

/** The role statements built with the platform's step kinds. */
export function statementsOf(input: Omit<StateMachinePolicyInput, "kinds">): PolicyStatement[] {
  return buildStateMachinePolicyStatements({ ...input, kinds: STEP_KINDS });
}

/** The spec's problems with the platform's step kinds. */
export function problemsOf(input: StateMachineSpec): string[] {
  return stateMachineSpecProblems(input, STEP_KINDS);
}

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";
export const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:data-platform-alerts`;

export function glueJob(overrides: Partial<GlueJobStep> = {}): GlueJobStep {
  return {
    kind: "glueJob",
    name: "transform-sales",
    timeoutSeconds: 3600,
    jobName: "sales-daily-transform",
    arguments: { "--run_date": "2026-01-01", "--target": "s3://curated/sales/" },
    ...overrides,
  };
}

export function crawler(overrides: Partial<CrawlerStep> = {}): CrawlerStep {
  return {
    kind: "crawler",
    name: "crawl-sales",
    timeoutSeconds: 1800,
    crawlerName: "curated-sales",
    pollSeconds: 30,
    ...overrides,
  };
}

export function redshiftSql(overrides: Partial<RedshiftSqlStep> = {}): RedshiftSqlStep {
  return {
    kind: "redshiftSql",
    name: "load-warehouse",
    timeoutSeconds: 1200,
    workgroupName: "analytics",
    workgroupArn: `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:workgroup/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`,
    database: "dev",
    sql: "CALL staging.load_sales('2026-01-01');",
    pollSeconds: 20,
    ...overrides,
  };
}

export function emrTransient(overrides: Partial<EmrTransientStep> = {}): EmrTransientStep {
  return {
    kind: "emrTransientStep",
    name: "spark-aggregate",
    timeoutSeconds: 7200,
    serviceRoleArn: `arn:aws:iam::${ACCOUNT}:role/platform-emr-service`,
    instanceProfileRoleArn: `arn:aws:iam::${ACCOUNT}:role/platform-emr-ec2`,
    clusterConfig: {
      Name: "sales-daily-spark-aggregate",
      ReleaseLabel: "emr-7.5.0",
      Applications: [{ Name: "Spark" }],
      Instances: {
        InstanceFleets: [
          {
            InstanceFleetType: "MASTER",
            TargetOnDemandCapacity: 1,
            InstanceTypeConfigs: [{ InstanceType: "m6g.xlarge" }],
          },
          {
            InstanceFleetType: "CORE",
            TargetSpotCapacity: 4,
            InstanceTypeConfigs: [{ InstanceType: "r6g.2xlarge" }, { InstanceType: "r7g.2xlarge" }],
          },
        ],
        Ec2SubnetIds: ["subnet-0123456789abcdef0"],
      },
      Configurations: [
        { Classification: "spark-defaults", Properties: { "spark.sql.adaptive.enabled": "true" } },
      ],
      ServiceRole: "platform-emr-service",
      JobFlowRole: "platform-emr-ec2-profile",
      SecurityConfiguration: "platform-emr-security",
      LogUri: "s3://platform-logs/emr/",
      ManagedScalingPolicy: {
        ComputeLimits: { UnitType: "InstanceFleetUnits", MinimumCapacityUnits: 2, MaximumCapacityUnits: 8 },
      },
      AutoTerminationPolicy: { IdleTimeout: 900 },
      VisibleToAllUsers: true,
      Tags: [{ Key: "cost-center", Value: "analytics" }],
    },
    step: {
      name: "aggregate sales",
      args: [
        "spark-submit",
        "--deploy-mode",
        "cluster",
        "s3://platform-code/jobs/aggregate.py",
        "--date",
        "2026-01-01",
      ],
    },
    ...overrides,
  };
}

export function emrServerless(overrides: Partial<EmrServerlessJobStep> = {}): EmrServerlessJobStep {
  return {
    kind: "emrServerlessJob",
    name: "spark-serverless",
    timeoutSeconds: 5400,
    applicationId: "00fk2a3b4c5d6e7f",
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/platform-emr-serverless-job`,
    entryPoint: "s3://platform-code/jobs/enrich.py",
    entryPointArguments: ["--date", "2026-01-01"],
    sparkSubmitParameters: "--conf spark.executor.cores=4 --conf spark.executor.memory=8g",
    ...overrides,
  };
}

export function batchJob(overrides: Partial<BatchJobStep> = {}): BatchJobStep {
  return {
    kind: "batchJob",
    name: "export-partners",
    timeoutSeconds: 2700,
    jobQueueArn: `arn:aws:batch:${REGION}:${ACCOUNT}:job-queue/platform-fargate`,
    jobDefinitionArn: `arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/partner-export`,
    jobName: "partner-export",
    containerOverrides: { environment: { RUN_DATE: "2026-01-01", TARGET: "s3://exports/partners/" } },
    ...overrides,
  };
}

/** A transaction run with a secret (the warehouse setup's shape). */
export function redshiftBatch(overrides: Partial<RedshiftSqlStep> = {}): RedshiftSqlStep {
  return redshiftSql({
    name: "grants",
    sql: undefined,
    sqls: ["CREATE SCHEMA IF NOT EXISTS marts", "GRANT USAGE ON SCHEMA marts TO ROLE loader"],
    secretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:redshift!warehouse-admin-AbCdEf`,
    secretKmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`,
    ...overrides,
  });
}

export function nestedMachine(overrides: Partial<StateMachineStep> = {}): StateMachineStep {
  return {
    kind: "stateMachine",
    name: "warehouse-setup",
    timeoutSeconds: 1500,
    stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:bdp-dev-warehouse-setup`,
    childTimeoutSeconds: 1440,
    ...overrides,
  };
}

export function spec(steps: ResolvedStep[], overrides: Partial<StateMachineSpec> = {}): StateMachineSpec {
  return { pipelineName: "sales-daily", timeoutSeconds: 6 * 3600, alertTopicArn: TOPIC, steps, ...overrides };
}

/** One spec per step kind, plus the two multi-step pipelines of the design. */
export const SINGLE_STEP_SPECS: Record<string, StateMachineSpec> = {
  glueJob: spec([glueJob()]),
  crawler: spec([crawler()]),
  emrTransientStep: spec([emrTransient()]),
  emrServerlessJob: spec([emrServerless()]),
  batchJob: spec([batchJob()]),
  redshiftSql: spec([redshiftSql()]),
  "redshiftSql transaction": spec([redshiftBatch()]),
  stateMachine: spec([nestedMachine()]),
};

export const GLUE_CRAWL_LOAD = spec([glueJob(), crawler(), redshiftSql()]);
export const EMR_PIPELINE = spec([emrTransient(), crawler({ name: "crawl-aggregates" })], {
  pipelineName: "sales-aggregates",
});
/** Every kind in one machine: its steps' timeouts, retries and cleanup take up to ~8 hours. */
export const EVERY_KIND = spec(
  [
    glueJob(),
    crawler(),
    emrTransient(),
    emrServerless(),
    batchJob(),
    redshiftSql({
      name: "load-provisioned",
      workgroupName: undefined,
      workgroupArn: undefined,
      clusterIdentifier: "legacy-dw",
      dbUser: "etl",
    }),
    redshiftSql(),
    nestedMachine(),
    redshiftBatch(),
  ],
  { timeoutSeconds: 10 * 3600 },
);

/** Validates with the real asl-validator (on a copy: the validator writes QueryLanguage into states). */
export function assertValidAsl(definition: StateMachineDefinition): void {
  const copy = JSON.parse(JSON.stringify(definition));
  const result = aslValidator(copy);
  assert.ok(result.isValid, `asl-validator rejected the definition:\n${result.errorsText("\n")}`);
}

export function tasks(definition: StateMachineDefinition): [string, AslState][] {
  return Object.entries(definition.States).filter(([, state]) => state.Type === "Task");
}

/** Names a state can go to next: Next, Default, Choice rules and catchers. */
export function successors(state: AslState): string[] {
  return [
    ...(state.Next ? [state.Next] : []),
    ...(state.Default ? [state.Default] : []),
    ...(state.Choices ?? []).map((choice) => String(choice.Next)),
    ...(state.Catch ?? []).map((catcher) => catcher.Next),
  ];
}

/** States reachable from `start`, never entering the states in `avoid`. */
export function reachable(
  definition: StateMachineDefinition,
  start: string,
  avoid: string[] = [],
): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name) || avoid.includes(name)) continue;
    seen.add(name);
    const state = definition.States[name];
    assert.ok(state, `transition to missing state "${name}"`);
    queue.push(...successors(state));
  }
  return seen;
}

type Data = Record<string, unknown>;

function lookup(path: string, input: Data, variables: Data): { present: boolean; value: unknown } {
  const [root, ...parts] = path.startsWith("$.") ? ["$", ...path.slice(2).split(".")] : path.split(".");
  let current: unknown = root === "$" ? input : variables[root.slice(1)];
  let present = root === "$" || root.slice(1) in variables;
  for (const part of parts) {
    if (current === null || typeof current !== "object" || !(part in (current as Data))) {
      present = false;
      current = undefined;
      break;
    }
    current = (current as Data)[part];
  }
  return { present, value: current };
}

/**
 * Evaluates a JSONPath-mode Choice rule (the subset the builder uses) the way Step Functions
 * does: a comparison on a missing field is a runtime error, so the test fails on one.
 */
function matches(rule: Record<string, unknown>, input: Data, variables: Data): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((inner) => matches(inner, input, variables));
  if (Array.isArray(rule.Or)) return rule.Or.some((inner) => matches(inner, input, variables));
  const { present, value } = lookup(String(rule.Variable), input, variables);
  if ("IsPresent" in rule) return present === rule.IsPresent;
  assert.ok(present, `Choice compares ${String(rule.Variable)}, which is missing: States.Runtime`);
  if ("StringEquals" in rule) return value === rule.StringEquals;
  if ("NumericGreaterThanEquals" in rule) return Number(value) >= Number(rule.NumericGreaterThanEquals);
  throw new Error(`rule not supported by the test evaluator: ${JSON.stringify(rule)}`);
}

/** Where a Choice state goes for this input and these variables. */
export function choose(state: AslState, input: Data, variables: Data = {}): string {
  assert.equal(state.Type, "Choice");
  for (const rule of state.Choices ?? []) {
    if (matches(rule, input, variables)) return String(rule.Next);
  }
  assert.ok(state.Default, "no Choice rule matched and there is no Default: States.NoChoiceMatched");
  return state.Default;
}

/** The named state of a definition; fails with the names it has. */
export function state(definition: StateMachineDefinition, name: string): AslState {
  const found = definition.States[name];
  assert.ok(found, `no state "${name}"; states: ${Object.keys(definition.States).join(", ")}`);
  return found;
}
