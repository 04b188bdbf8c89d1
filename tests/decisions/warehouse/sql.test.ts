/**
 * The warehouse load's SQL: built from the table contract, one transaction, the same table after
 * any number of reruns, and nothing left half-done by a failure. The statements are run through
 * a small model of the three statement forms the load uses (BatchExecuteStatement semantics:
 * all statements commit together or none does), so idempotence and atomicity are shown on the
 * statement list itself, not assumed.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";

import {
  LOADER_ROLE,
  LOADER_USER,
  WarehouseLoad,
  createTableSql,
  loadSqls,
  loadStatementProblems,
  setupExternalSchemaSqls,
  setupSqls,
} from "../../../decisions/warehouse/sql";
import {
  DAILY_SALES_BY_STORE,
  WarehouseTableContract,
  tableContract,
} from "../../../decisions/warehouse/tables";

const LOAD: WarehouseLoad = {
  contract: DAILY_SALES_BY_STORE,
  lakeSchema: "lake_sales_curated",
  glueDatabase: "dev_sales_curated",
  targetSchema: "public",
  targetTable: "daily_sales_by_store",
};

type Row = Record<string, string | number>;

/** A warehouse: tables by qualified name, each with its columns and rows. */
interface Database {
  tables: Map<string, { columns: string[]; rows: Row[] }>;
}

function copy(db: Database): Database {
  return { tables: new Map([...db.tables].map(([name, table]) => [name, structuredClone(table)])) };
}

function cast(value: string | number, type: string): string | number {
  if (type === "BIGINT") {
    assert.ok(Number.isInteger(Number(value)), `${value} is not a BIGINT`);
    return Number(value);
  }
  if (type === "DECIMAL(18,2)") return Math.round(Number(value) * 100) / 100;
  if (type === "DATE") {
    assert.match(String(value), /^\d{4}-\d{2}-\d{2}$/, `${value} is not a DATE`);
    return String(value);
  }
  if (type === "VARCHAR(256)") {
    assert.ok(String(value).length <= 256, "value too long for VARCHAR(256)");
    return String(value);
  }
  throw new Error(`type ${type} not modelled`);
}

/** Runs one statement of the forms the load uses; anything else is a test failure. */
function execute(db: Database, sql: string, lake: Map<string, Row[]>): void {
  let match = /^CREATE TABLE IF NOT EXISTS ([a-z0-9_.]+) \((.*)\)$/.exec(sql);
  if (match) {
    if (!db.tables.has(match[1])) {
      const columns = match[2].split(", ").map((definition) => definition.split(" ")[0]);
      db.tables.set(match[1], { columns, rows: [] });
    }
    return;
  }
  match = /^DELETE FROM ([a-z0-9_.]+)$/.exec(sql);
  if (match) {
    const table = db.tables.get(match[1]);
    assert.ok(table, `relation ${match[1]} does not exist`);
    table.rows = [];
    return;
  }
  match = /^INSERT INTO ([a-z0-9_.]+) \(([^)]*)\) SELECT (.*) FROM ([a-z0-9_.]+) GROUP BY (.*)$/.exec(sql);
  if (match) {
    const table = db.tables.get(match[1]);
    assert.ok(table, `relation ${match[1]} does not exist`);
    const columns = match[2].split(", ");
    assert.deepEqual(columns, table.columns, "INSERT lists other columns than the table has");
    const expressions = match[3].split(/, (?=CAST)/).map((expression) => {
      const parsed = /^CAST\((?:SUM\((\w+)\)|(\w+)) AS (.+)\)$/.exec(expression);
      assert.ok(parsed, `expression not modelled: ${expression}`);
      return { sum: parsed[1], column: parsed[1] ?? parsed[2], type: parsed[3] };
    });
    const keys = match[5].split(", ");
    const source = lake.get(match[4]);
    assert.ok(source, `external table ${match[4]} does not exist`);
    const groups = new Map<string, Row[]>();
    for (const row of source) {
      const key = JSON.stringify(keys.map((name) => row[name]));
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    for (const rows of groups.values()) {
      const inserted: Row = {};
      expressions.forEach((expression, index) => {
        const value = expression.sum
          ? rows.reduce((sum, row) => sum + Number(row[expression.column]), 0)
          : rows[0][expression.column];
        inserted[columns[index]] = cast(value, expression.type);
      });
      table.rows.push(inserted);
    }
    return;
  }
  throw new Error(`statement not modelled: ${sql}`);
}

/** BatchExecuteStatement: the statements commit together, or a failure rolls all of them back. */
function batch(db: Database, sqls: string[], lake: Map<string, Row[]>, failAt?: number): Database {
  const working = copy(db);
  sqls.forEach((sql, index) => {
    if (index === failAt) throw new Error(`statement ${index + 1} failed`);
    execute(working, sql, lake);
  });
  return working;
}

function sorted(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Two bookmarked Glue runs wrote rows for store s1 on 2026-01-05: the warehouse sums them. */
const LAKE = new Map<string, Row[]>([
  [
    "lake_sales_curated.daily_sales_by_store",
    [
      { store_id: "s1", sales_count: 3, total_amount: 30.5, sale_date: "2026-01-05" },
      { store_id: "s1", sales_count: 2, total_amount: 9.25, sale_date: "2026-01-05" },
      { store_id: "s2", sales_count: 1, total_amount: 4, sale_date: "2026-01-05" },
      { store_id: "s1", sales_count: 7, total_amount: 70, sale_date: "2026-01-06" },
    ],
  ],
]);
const EXPECTED: Row[] = [
  { store_id: "s1", sales_count: 5, total_amount: 39.75, sale_date: "2026-01-05" },
  { store_id: "s2", sales_count: 1, total_amount: 4, sale_date: "2026-01-05" },
  { store_id: "s1", sales_count: 7, total_amount: 70, sale_date: "2026-01-06" },
];
const TARGET = "public.daily_sales_by_store";

describe("warehouse: the load's statements", () => {
  const sqls = loadSqls(LOAD);

  it("creates the table from the contract, empties it and inserts listed columns, grouped by the contract's keys", () => {
    assert.deepEqual(sqls, [
      "CREATE TABLE IF NOT EXISTS public.daily_sales_by_store (store_id VARCHAR(256) NOT NULL, sales_count BIGINT NOT NULL, total_amount DECIMAL(18,2) NOT NULL, sale_date DATE NOT NULL)",
      "DELETE FROM public.daily_sales_by_store",
      "INSERT INTO public.daily_sales_by_store (store_id, sales_count, total_amount, sale_date) SELECT CAST(store_id AS VARCHAR(256)), CAST(SUM(sales_count) AS BIGINT), CAST(SUM(total_amount) AS DECIMAL(18,2)), CAST(sale_date AS DATE) FROM lake_sales_curated.daily_sales_by_store GROUP BY store_id, sale_date",
    ]);
    assert.deepEqual(loadStatementProblems(sqls, DAILY_SALES_BY_STORE), []);
  });

  it("loads a new warehouse (no table yet) with one row per store and day", () => {
    const db = batch({ tables: new Map() }, sqls, LAKE);
    assert.deepEqual(sorted(db.tables.get(TARGET)!.rows), sorted(EXPECTED));
  });

  it("re-running the same day gives the same table", () => {
    const once = batch({ tables: new Map() }, sqls, LAKE);
    const twice = batch(once, sqls, LAKE);
    const thrice = batch(twice, sqls, LAKE);
    assert.deepEqual(sorted(twice.tables.get(TARGET)!.rows), sorted(once.tables.get(TARGET)!.rows));
    assert.deepEqual(sorted(thrice.tables.get(TARGET)!.rows), sorted(EXPECTED));
  });

  it("a failure at any statement leaves the table as it was (one transaction)", () => {
    const before = batch({ tables: new Map() }, sqls, LAKE);
    const newDay = new Map(LAKE);
    newDay.set("lake_sales_curated.daily_sales_by_store", [
      ...LAKE.get("lake_sales_curated.daily_sales_by_store")!,
      { store_id: "s3", sales_count: 1, total_amount: 1, sale_date: "2026-01-07" },
    ]);
    for (let failAt = 0; failAt < sqls.length; failAt++) {
      let after = before;
      assert.throws(() => (after = batch(before, sqls, newDay, failAt)));
      assert.deepEqual(
        after.tables.get(TARGET)!.rows,
        before.tables.get(TARGET)!.rows,
        `failure at ${failAt + 1}`,
      );
    }
    assert.equal(batch(before, sqls, newDay).tables.get(TARGET)!.rows.length, EXPECTED.length + 1);
  });

  it("regression: the old load (separate DELETE, then INSERT ... SELECT *) could leave the table empty", () => {
    const old = [
      `DELETE FROM ${TARGET}`,
      `INSERT INTO ${TARGET} SELECT * FROM lake_sales_curated.daily_sales_by_store`,
    ];
    // Each ran as its own statement: the DELETE committed before the INSERT failed.
    const loaded = batch({ tables: new Map() }, sqls, LAKE);
    const afterDelete = batch(loaded, [old[0]], LAKE);
    assert.throws(() => batch(afterDelete, [old[1]], LAKE, 0), /statement 1 failed/);
    assert.equal(afterDelete.tables.get(TARGET)!.rows.length, 0);
    // The checks name both defects of the INSERT.
    const problems = loadStatementProblems(old);
    assert.ok(
      problems.some((problem) => problem.includes("without listing its columns")),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((problem) => problem.includes("selects *")),
      problems.join("\n"),
    );
  });

  it("the checks reject what would break the transaction or the rerun", () => {
    const insert = sqls[2];
    assert.match(
      loadStatementProblems([`TRUNCATE ${TARGET}`, insert]).join("\n"),
      /TRUNCATE\) cannot run inside/,
    );
    assert.match(loadStatementProblems(["COMMIT", ...sqls]).join("\n"), /COMMIT\) cannot run inside/);
    assert.match(
      loadStatementProblems([sqls[0], insert]).join("\n"),
      /which the load does not empty first: a rerun would add the rows again/,
    );
    assert.match(
      loadStatementProblems([sqls[0], `DELETE FROM ${TARGET} WHERE sale_date = '2026-01-05'`, insert]).join(
        "\n",
      ),
      /does not empty first/,
    );
    const reordered = insert.replace("(store_id, sales_count", "(sales_count, store_id");
    assert.match(
      loadStatementProblems([sqls[1], reordered], DAILY_SALES_BY_STORE).join("\n"),
      /lists columns \(sales_count, store_id, total_amount, sale_date\), not the contract's/,
    );
  });

  it("refuses names that are not plain lower-case identifiers (they would change the SQL)", () => {
    assert.throws(
      () => loadSqls({ ...LOAD, targetTable: "t; DROP TABLE x" }),
      /table "t; DROP TABLE x" is not a lower-case Redshift identifier/,
    );
    assert.throws(() => createTableSql({ ...LOAD, targetSchema: "Public" }), /schema "Public"/);
  });
});

describe("warehouse: the setup the admin runs", () => {
  const serverless = setupSqls([LOAD]);
  const provisioned = setupSqls([LOAD], LOADER_USER);

  it("every statement can run again without error", () => {
    for (const sql of [...serverless, ...provisioned, ...setupExternalSchemaSqls([LOAD])]) {
      assert.match(
        sql,
        /^(CREATE (TABLE|SCHEMA|EXTERNAL SCHEMA) IF NOT EXISTS|CREATE OR REPLACE PROCEDURE|CALL public\.bdp_ensure_loader|GRANT )/,
        sql,
      );
    }
    // CREATE ROLE / CREATE USER have no IF NOT EXISTS: the procedure checks first.
    assert.match(
      serverless[0],
      /IF NOT EXISTS \(SELECT 1 FROM svv_roles WHERE role_name = loader_role\) THEN EXECUTE 'CREATE ROLE '/,
    );
    assert.match(
      serverless[0],
      /NOT EXISTS \(SELECT 1 FROM pg_user WHERE usename = loader_user\) THEN EXECUTE 'CREATE USER ' .* ' PASSWORD DISABLE'/,
    );
  });

  it("grants the loader role exactly what the load's statements need, on those objects only", () => {
    const grants = serverless.filter((sql) => sql.startsWith("GRANT"));
    assert.deepEqual(grants, [
      // CREATE TABLE IF NOT EXISTS in the load needs USAGE and CREATE on its schema.
      `GRANT USAGE, CREATE ON SCHEMA public TO ROLE ${LOADER_ROLE}`,
      // DELETE and INSERT on the target; SELECT to read it back.
      `GRANT SELECT, INSERT, DELETE ON TABLE public.daily_sales_by_store TO ROLE ${LOADER_ROLE}`,
      // Reading the lake table through Spectrum needs USAGE on the external schema.
      `GRANT USAGE ON SCHEMA lake_sales_curated TO ROLE ${LOADER_ROLE}`,
    ]);
    // The table exists before its grant: the setup creates it from the same contract.
    assert.ok(serverless.indexOf(createTableSql(LOAD)) < serverless.indexOf(grants[1]));
  });

  it("on a provisioned cluster, also creates the loader user without a password and gives it the role", () => {
    assert.match(
      provisioned[1],
      new RegExp(`CALL public.bdp_ensure_loader\\('${LOADER_ROLE}', '${LOADER_USER}'\\)`),
    );
    assert.ok(provisioned.includes(`GRANT ROLE ${LOADER_ROLE} TO ${LOADER_USER}`));
    assert.match(serverless[1], new RegExp(`CALL public.bdp_ensure_loader\\('${LOADER_ROLE}', NULL\\)`));
    assert.ok(!serverless.some((sql) => sql.startsWith("GRANT ROLE")));
  });

  it("creates each lake schema once, from its Glue database, with the warehouse's default role", () => {
    assert.deepEqual(setupExternalSchemaSqls([LOAD, { ...LOAD, targetTable: "copy" }]), [
      "CREATE EXTERNAL SCHEMA IF NOT EXISTS lake_sales_curated FROM DATA CATALOG DATABASE 'dev_sales_curated' IAM_ROLE default",
    ]);
  });
});

describe("warehouse: the table contract matches what the jobs write", () => {
  const repo = path.resolve(__dirname, "..", "..", "..");
  const shared = readFileSync(path.join(repo, "jobs", "common", "daily_sales.py"), "utf8");

  function contractColumns(contract: WarehouseTableContract): string[] {
    return contract.columns.map((column) => column.name);
  }

  it("daily_sales_by_store selects the contract's columns, in order", () => {
    const selected = /\.select\(((?:"[a-z_]+",?\s*)+)\)\s*\)\s*$/m.exec(
      shared.slice(shared.indexOf("def daily_sales_by_store")),
    );
    assert.ok(selected, "no final .select(...) in daily_sales_by_store");
    const names = [...selected[1].matchAll(/"([a-z_]+)"/g)].map((found) => found[1]);
    assert.deepEqual(names, contractColumns(DAILY_SALES_BY_STORE));
  });

  it("the jobs' catalog table (shared registration code) declares the contract's lake types", () => {
    const ddl =
      /CREATE EXTERNAL TABLE IF NOT EXISTS \{table\} "\s*"\(([^)]*\)?[^)]*)\) "\s*f?"PARTITIONED BY \(([^)]*)\)/.exec(
        shared,
      );
    assert.ok(ddl, "no CREATE EXTERNAL TABLE in jobs/common/daily_sales.py");
    const partitionColumn = /^PARTITION_COLUMN = "([a-z_]+)"$/m.exec(shared)?.[1];
    assert.ok(partitionColumn, "no PARTITION_COLUMN in jobs/common/daily_sales.py");
    const partitions = ddl[2].replace("{PARTITION_COLUMN}", partitionColumn);
    const declared = [...`${ddl[1]}, ${partitions}`.matchAll(/([a-z_]+) ([A-Z]+(?:\(\d+,\d+\))?)/g)].map(
      (found) => [found[1], found[2].toLowerCase()],
    );
    assert.deepEqual(
      declared,
      DAILY_SALES_BY_STORE.columns.map((column) => [column.name, column.lakeType]),
    );
  });

  it("the Glue job's sums are typed as the contract says", () => {
    assert.match(shared, /F\.count\(F\.lit\(1\)\)\.alias\("sales_count"\)/);
    assert.match(shared, /\.cast\("decimal\(18,2\)"\)\.alias\("total_amount"\)/);
    assert.equal(tableContract("daily_sales_by_store"), DAILY_SALES_BY_STORE);
    assert.equal(tableContract("unknown_table"), undefined);
  });
});
