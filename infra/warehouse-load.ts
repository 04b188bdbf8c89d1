/**
 * The pipelines' `redshiftLoad` steps (see decisions/warehouse/sql.ts for the SQL and why):
 *
 * - one warehouse-setup state machine per environment, run with the warehouse's admin secret,
 *   which creates the lake's external schemas, the loader role (and, on a provisioned cluster,
 *   its user), the target tables and the grants; idempotent, so it runs before every load;
 * - per load step, two steps in the pipeline's machine: `<name>-setup` runs the setup machine
 *   and waits for it, then `<name>` runs the load's statements as one transaction, signed in as
 *   the loader (never the admin, whose secret the pipeline's role cannot read).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  EXECUTION_MARGIN_SECONDS,
  MAX_BATCH_SQLS,
  RedshiftSqlStep,
  StateMachineSpec,
  StateMachineStep,
  StepKinds,
  TEMPLATE_ACCOUNT,
  TEMPLATE_REGION,
  fitExecutionTimeout,
} from "../decisions/orchestration";
import { loadsWarehouse, PipelineDefinition, PipelineStep } from "../decisions/pipeline";
import {
  DB_ROLES_TAG,
  LOADER_ROLE,
  LOADER_USER,
  WarehouseLoad,
  loadSqls,
  setupExternalSchemaSqls,
  setupSqls,
} from "../decisions/warehouse/sql";
import { tableContract } from "../decisions/warehouse/tables";
import { glueDatabaseName } from "../index";
import { PlatformContext } from "../engines/platform-context";
import { PlannedStep, TEMPLATE_ALERT_TOPIC_ARN, platformStateMachine } from "./state-machine-plan";

type RedshiftLoadStep = Extract<PipelineStep, { type: "redshiftLoad" }>;

/**
 * Window of each setup statement (they run in seconds; the rest is room for a busy warehouse).
 * The setup machine's own timeout is then fitted to its longest path (fitExecutionTimeout).
 */
const SETUP_STATEMENT_WINDOW_SECONDS = 180;
/** Windows of a load's transaction. */
const LOAD_WINDOW = { minSeconds: 300, maxSeconds: 900 };

/** The load a step describes (config validation guarantees the table has a contract). */
function warehouseLoadOf(step: RedshiftLoadStep, environment: string): WarehouseLoad {
  const contract = tableContract(step.from.table);
  if (!contract) throw new Error(`step "${step.name}": no warehouse table contract for ${step.from.table}`);
  return {
    contract,
    lakeSchema: `lake_${step.from.database}`,
    glueDatabase: glueDatabaseName(environment, step.from.database),
    targetSchema: step.schema,
    targetTable: step.table,
  };
}

/** Every load of every pipeline, in config order. */
export function warehouseLoadsOf(
  pipelines: readonly PipelineDefinition[],
  environment: string,
): WarehouseLoad[] {
  return pipelines.flatMap((pipeline) =>
    (pipeline.steps ?? []).flatMap((step) =>
      step.type === "redshiftLoad" ? [warehouseLoadOf(step, environment)] : [],
    ),
  );
}

/** Where a warehouse statement runs (the fields of a redshiftSql step that say it). */
type StatementTarget = Pick<
  RedshiftSqlStep,
  "workgroupName" | "workgroupArn" | "clusterIdentifier" | "database"
>;

/**
 * Where the warehouse's statements run: its Serverless workgroup, with its ARN so the IAM
 * statements name exactly that workgroup, or its provisioned cluster.
 */
function target(ctx: PlatformContext): pulumi.Output<StatementTarget> {
  const warehouse = ctx.warehouse!;
  return pulumi
    .all([warehouse.workgroupName, warehouse.workgroupArn, warehouse.clusterIdentifier])
    .apply(([workgroupName, workgroupArn, clusterIdentifier]) =>
      workgroupName
        ? { workgroupName, workgroupArn, database: warehouse.databaseName }
        : { clusterIdentifier, database: warehouse.databaseName },
    );
}

function chunks<T>(values: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(values.length / size) }, (_, index) =>
    values.slice(index * size, (index + 1) * size),
  );
}

/**
 * Names the setup machine (`<prefix>-warehouse-setup`), its executions' pipeline name and its
 * `component` tag, by which tests tell its role from the pipelines' machine roles.
 */
export const WAREHOUSE_SETUP = "warehouse-setup";

export interface WarehouseSetup {
  stateMachineArn: pulumi.Output<string>;
  /** The setup execution's TimeoutSeconds, fitted to its longest path. */
  timeoutSeconds: number;
}

/** Where statements run, as the timing templates say it (the timing does not depend on it). */
const TEMPLATE_TARGET: StatementTarget = { workgroupName: "timing-template", database: "dev" };
const TEMPLATE_SECRET_ARN = `arn:aws:secretsmanager:${TEMPLATE_REGION}:${TEMPLATE_ACCOUNT}:secret:timing-template`;

/** The setup's statement steps for a place to run them and the admin secret. */
function setupSteps(
  statements: { name: string; sql?: string; sqls?: string[] }[],
  where: StatementTarget,
  secretArn: string,
  secretKmsKeyArn?: string,
): RedshiftSqlStep[] {
  return statements.map((statement) => ({
    kind: "redshiftSql",
    name: statement.name,
    timeoutSeconds: SETUP_STATEMENT_WINDOW_SECONDS,
    ...where,
    ...(statement.sql ? { sql: statement.sql } : { sqls: statement.sqls }),
    secretArn,
    ...(secretKmsKeyArn ? { secretKmsKeyArn } : {}),
  }));
}

/**
 * The environment's warehouse-setup state machine, for every load of every pipeline. Its
 * TimeoutSeconds is fitted to its longest path on timing templates, so it is known before any
 * resource (the pipelines' setup steps wait just beyond it).
 */
export function declareWarehouseSetup(
  loads: WarehouseLoad[],
  stepKinds: StepKinds,
  ctx: PlatformContext,
): WarehouseSetup {
  const warehouse = ctx.warehouse!;
  const provisioned = warehouse.clusterIdentifier !== undefined;
  const name = `${ctx.namePrefix}-${WAREHOUSE_SETUP}`;
  const statements: { name: string; sql?: string; sqls?: string[] }[] = [
    ...setupExternalSchemaSqls(loads).map((sql, index) => ({ name: `lake-schema-${index + 1}`, sql })),
    ...chunks(setupSqls(loads, provisioned ? LOADER_USER : undefined), MAX_BATCH_SQLS).map((sqls, index) => ({
      name: `grants-${index + 1}`,
      sqls,
    })),
  ];
  const { timeoutSeconds } = fitExecutionTimeout(
    {
      pipelineName: WAREHOUSE_SETUP,
      timeoutSeconds: SETUP_STATEMENT_WINDOW_SECONDS,
      alertTopicArn: TEMPLATE_ALERT_TOPIC_ARN,
      steps: setupSteps(statements, TEMPLATE_TARGET, TEMPLATE_SECRET_ARN),
    },
    stepKinds,
  );
  const spec = pulumi
    .all([
      target(ctx),
      warehouse.adminSecretArn,
      warehouse.adminSecretKmsKeyArn,
      ctx.alerts.topicArn,
      ctx.alerts.key.arn,
    ])
    .apply(([where, secretArn, secretKmsKeyArn, alertTopicArn, alertTopicKmsKeyArn]): StateMachineSpec => ({
      pipelineName: WAREHOUSE_SETUP,
      timeoutSeconds,
      alertTopicArn,
      alertTopicKmsKeyArn,
      steps: setupSteps(statements, where, secretArn, secretKmsKeyArn),
    }));
  const machine = platformStateMachine(name, spec, stepKinds, ctx, { component: WAREHOUSE_SETUP });
  return { stateMachineArn: machine.arn, timeoutSeconds };
}

/**
 * The two steps of one redshiftLoad step: run the setup, then the load as the loader. The setup
 * step waits for the setup's whole execution, so its window is fixed just beyond the setup's
 * own timeout.
 */
export function warehouseLoadSteps(
  step: RedshiftLoadStep,
  setup: WarehouseSetup,
  ctx: PlatformContext,
): PlannedStep[] {
  const load = warehouseLoadOf(step, ctx.environment);
  const window = setup.timeoutSeconds + EXECUTION_MARGIN_SECONDS;
  const nested = (stateMachineArn: string): StateMachineStep => ({
    kind: "stateMachine",
    name: `${step.name}-setup`,
    timeoutSeconds: window,
    stateMachineArn,
    childTimeoutSeconds: setup.timeoutSeconds,
  });
  const transaction = (where: StatementTarget): RedshiftSqlStep => ({
    kind: "redshiftSql",
    name: step.name,
    timeoutSeconds: LOAD_WINDOW.maxSeconds,
    ...where,
    // Provisioned: temporary credentials of the loader user. Serverless: the machine's own
    // role, mapped to the loader role by its RedshiftDbRoles tag (loaderRoleTags).
    ...(where.clusterIdentifier ? { dbUser: LOADER_USER } : {}),
    sqls: loadSqls(load),
  });
  return [
    {
      template: nested(`arn:aws:states:${TEMPLATE_REGION}:${TEMPLATE_ACCOUNT}:stateMachine:timing-template`),
      minSeconds: window,
      maxSeconds: window,
      resolved: setup.stateMachineArn.apply(nested),
    },
    { template: transaction(TEMPLATE_TARGET), ...LOAD_WINDOW, resolved: target(ctx).apply(transaction) },
  ];
}

/**
 * Tags for a pipeline machine's role: on Redshift Serverless, a machine that loads the warehouse
 * signs in as its own IAM role, and this tag grants it the loader database role.
 */
export function loaderRoleTags(pipeline: PipelineDefinition, ctx: PlatformContext): Record<string, string> {
  return loadsWarehouse(pipeline) && ctx.warehouse?.workgroupName !== undefined
    ? { [DB_ROLES_TAG]: LOADER_ROLE }
    : {};
}
