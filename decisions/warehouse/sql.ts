/**
 * The SQL of warehouse loads, built from the table contracts (tables.ts), and the checks that
 * keep it safe to run again.
 *
 * A load is one Redshift Data API BatchExecuteStatement, which runs its SQLs as one transaction
 * (https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_BatchExecuteStatement.html):
 *   CREATE TABLE IF NOT EXISTS <target> (<contract columns>)
 *   DELETE FROM <target>
 *   INSERT INTO <target> (<columns>) SELECT <casts and sums> FROM <lake table> GROUP BY <keys>
 * so a failure anywhere leaves yesterday's table, and a rerun replaces the table with the same
 * rows instead of adding them again. DELETE, not TRUNCATE: TRUNCATE commits the transaction it
 * runs in (https://docs.aws.amazon.com/redshift/latest/dg/r_BEGIN.html).
 *
 * It runs as a least-privilege database identity, never the admin: the LOADER_ROLE database
 * role holds exactly the grants the loads need. The warehouse setup (`setupSqls`, run with the
 * admin secret by the environment's warehouse-setup state machine) creates the role, the target
 * tables and the grants, idempotently. Who holds the role:
 * - Redshift Serverless: the Data API signs in as the caller's IAM role (database user
 *   `IAMR:<role name>`); the pipeline's role carries the tag `RedshiftDbRoles: <LOADER_ROLE>`,
 *   which grants that database role at sign-in
 *   (https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-iam-access-federated-db-roles.html).
 * - provisioned: the load signs in as the database user LOADER_USER (GetClusterCredentials),
 *   which the setup creates without a password and grants the role.
 */
import { WarehouseTableContract } from "./tables";

/** The database role every load runs with. */
export const LOADER_ROLE = "bdp_loader_role";
/** The database user loads sign in as on a provisioned cluster (a role and a user cannot share a name). */
export const LOADER_USER = "bdp_loader";
/** The IAM tag that maps an IAM role to database roles on Redshift Serverless. */
export const DB_ROLES_TAG = "RedshiftDbRoles";
/** The setup's procedure that creates the role and user when missing (CREATE ROLE has no IF NOT EXISTS). */
export const ENSURE_LOADER_PROCEDURE = "public.bdp_ensure_loader";

/** One redshiftLoad step: which lake table goes into which warehouse table. */
export interface WarehouseLoad {
  contract: WarehouseTableContract;
  /** The external schema that shows the lake database in Redshift (Spectrum). */
  lakeSchema: string;
  /** The Glue database behind it. */
  glueDatabase: string;
  /** The warehouse schema and table. */
  targetSchema: string;
  targetTable: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,126}$/;

/** An identifier the SQL uses unquoted: it must be one, or the SQL would mean something else. */
function identifier(kind: string, value: string): string {
  if (!IDENTIFIER.test(value)) {
    throw new Error(`${kind} "${value}" is not a lower-case Redshift identifier (letters, digits, _)`);
  }
  return value;
}

function target(load: WarehouseLoad): string {
  return `${identifier("schema", load.targetSchema)}.${identifier("table", load.targetTable)}`;
}

/** The target table, created from the contract when missing. */
export function createTableSql(load: WarehouseLoad): string {
  const columns = load.contract.columns.map(
    (column) => `${identifier("column", column.name)} ${column.warehouseType} NOT NULL`,
  );
  return `CREATE TABLE IF NOT EXISTS ${target(load)} (${columns.join(", ")})`;
}

/** The statements of one load, run as one transaction. */
export function loadSqls(load: WarehouseLoad): string[] {
  const columns = load.contract.columns;
  const names = columns.map((column) => identifier("column", column.name));
  const selected = columns.map((column) =>
    column.role === "sum"
      ? `CAST(SUM(${column.name}) AS ${column.warehouseType})`
      : `CAST(${column.name} AS ${column.warehouseType})`,
  );
  const keys = columns.filter((column) => column.role === "key").map((column) => column.name);
  const source = `${identifier("schema", load.lakeSchema)}.${identifier("table", load.contract.lakeTable)}`;
  return [
    createTableSql(load),
    `DELETE FROM ${target(load)}`,
    `INSERT INTO ${target(load)} (${names.join(", ")}) SELECT ${selected.join(", ")} FROM ${source} GROUP BY ${keys.join(", ")}`,
  ];
}

/** The external schema of a lake database, created when missing (its own statement: it reads the catalog). */
export function externalSchemaSql(load: Pick<WarehouseLoad, "lakeSchema" | "glueDatabase">): string {
  const database = identifier("Glue database", load.glueDatabase);
  return `CREATE EXTERNAL SCHEMA IF NOT EXISTS ${identifier("schema", load.lakeSchema)} FROM DATA CATALOG DATABASE '${database}' IAM_ROLE default`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * What the warehouse setup runs with the admin secret, in order, idempotently: the role (and on
 * a provisioned cluster its user), then per target schema and table the table and the grants,
 * and usage of each lake schema. `loaderUser` is LOADER_USER on a provisioned cluster and
 * undefined on Serverless (the IAM tag grants the role there).
 */
export function setupSqls(loads: readonly WarehouseLoad[], loaderUser?: string): string[] {
  const user = loaderUser === undefined ? "NULL" : `'${identifier("user", loaderUser)}'`;
  return [
    `CREATE OR REPLACE PROCEDURE ${ENSURE_LOADER_PROCEDURE}(loader_role VARCHAR(127), loader_user VARCHAR(127)) AS $$ ` +
      "BEGIN " +
      "IF NOT EXISTS (SELECT 1 FROM svv_roles WHERE role_name = loader_role) THEN " +
      "EXECUTE 'CREATE ROLE ' || quote_ident(loader_role); END IF; " +
      "IF loader_user IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_user WHERE usename = loader_user) THEN " +
      "EXECUTE 'CREATE USER ' || quote_ident(loader_user) || ' PASSWORD DISABLE'; END IF; " +
      "END; $$ LANGUAGE plpgsql",
    `CALL ${ENSURE_LOADER_PROCEDURE}('${LOADER_ROLE}', ${user})`,
    ...(loaderUser === undefined ? [] : [`GRANT ROLE ${LOADER_ROLE} TO ${identifier("user", loaderUser)}`]),
    ...unique(loads.map((load) => identifier("schema", load.targetSchema))).flatMap((schema) => [
      `CREATE SCHEMA IF NOT EXISTS ${schema}`,
      `GRANT USAGE, CREATE ON SCHEMA ${schema} TO ROLE ${LOADER_ROLE}`,
    ]),
    ...unique(
      loads.flatMap((load) => [
        createTableSql(load),
        `GRANT SELECT, INSERT, DELETE ON TABLE ${target(load)} TO ROLE ${LOADER_ROLE}`,
      ]),
    ),
    ...unique(loads.map((load) => identifier("schema", load.lakeSchema))).map(
      (schema) => `GRANT USAGE ON SCHEMA ${schema} TO ROLE ${LOADER_ROLE}`,
    ),
  ];
}

/** The external schemas the loads read, one statement each. */
export function setupExternalSchemaSqls(loads: readonly WarehouseLoad[]): string[] {
  return unique(loads.map((load) => externalSchemaSql(load)));
}

/**
 * Statements that end or escape the transaction of a BatchExecuteStatement, or cannot run in one:
 * TRUNCATE commits (r_BEGIN above); transaction control would split the batch; VACUUM and
 * external-table DDL cannot run inside a transaction block.
 */
const NOT_IN_A_TRANSACTION =
  /^\s*(TRUNCATE|BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT|VACUUM|CREATE\s+EXTERNAL\s+TABLE|ALTER\s+TABLE\s+\S+\s+APPEND)\b/i;

/**
 * Problems of a load's statements: anything that breaks the single transaction, an INSERT
 * without an explicit column list or with `SELECT *`, an INSERT into a table that the batch does
 * not empty first (a rerun would add the rows again), or a column list that is not the
 * contract's.
 */
export function loadStatementProblems(sqls: readonly string[], contract?: WarehouseTableContract): string[] {
  const problems: string[] = [];
  const emptied = new Set<string>();
  sqls.forEach((sql, index) => {
    const at = `statement ${index + 1}`;
    if (NOT_IN_A_TRANSACTION.test(sql)) {
      problems.push(`${at} (${sql.trim().split(/\s+/)[0]}) cannot run inside the load's transaction`);
    }
    const deletion = /^\s*DELETE\s+FROM\s+([a-z0-9_.]+)\s*(WHERE\b.*)?$/i.exec(sql);
    if (deletion && deletion[2] === undefined) emptied.add(deletion[1].toLowerCase());
    const insert = /^\s*INSERT\s+INTO\s+([a-z0-9_.]+)\s*(\(([^)]*)\))?\s*SELECT\s+(.*)$/i.exec(sql);
    if (/^\s*INSERT\b/i.test(sql) && !insert)
      problems.push(`${at} is an INSERT without a SELECT the check understands`);
    if (!insert) return;
    const table = insert[1].toLowerCase();
    if (insert[2] === undefined) problems.push(`${at} inserts into ${table} without listing its columns`);
    if (/(^|[\s,.])\*(\s|,|$)/.test(insert[4])) {
      problems.push(`${at} selects * (column order would decide where values land)`);
    }
    if (!emptied.has(table)) {
      problems.push(
        `${at} inserts into ${table}, which the load does not empty first: a rerun would add the rows again`,
      );
    }
    if (contract && insert[3] !== undefined) {
      const listed = insert[3].split(",").map((name) => name.trim().toLowerCase());
      const expected = contract.columns.map((column) => column.name);
      if (listed.join(",") !== expected.join(",")) {
        problems.push(
          `${at} lists columns (${listed.join(", ")}), not the contract's (${expected.join(", ")})`,
        );
      }
    }
  });
  return problems;
}
