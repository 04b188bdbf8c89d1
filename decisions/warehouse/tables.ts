/**
 * The data contracts of the tables the warehouse loads from the lake: one definition per table
 * that the load statements (sql.ts) are built from and that the jobs writing the lake table
 * must match (tests/decisions/warehouse checks jobs/common/daily_sales.py against it).
 */

/** A type the Spark jobs write, as the Glue Data Catalog (and Spectrum) spells it. */
export type LakeType = "string" | "bigint" | "decimal(18,2)";

export interface WarehouseColumn {
  /** Lower-case name, the same in the lake table and the warehouse table. */
  name: string;
  /** The type in the lake table. */
  lakeType: LakeType;
  /** The Redshift type in the warehouse table; the load casts the lake value to it. */
  warehouseType: string;
  /**
   * `key`: part of the table's grain (one warehouse row per distinct key). `sum`: a measure the
   * load adds up over the lake rows of one key (a job may write several rows per key, e.g. one
   * per bookmarked run).
   */
  role: "key" | "sum";
}

export interface WarehouseTableContract {
  /** The lake (catalog) table the contract describes. */
  lakeTable: string;
  description: string;
  /** The columns, in the order the jobs write them. */
  columns: readonly WarehouseColumn[];
}

/**
 * Daily sales per store, written by jobs/glue/daily_sales_by_store.py and
 * jobs/spark/sales_by_store.py through `daily_sales_by_store` in jobs/common/daily_sales.py.
 * The Glue job appends one row per store, day and run, so the load sums per store and day.
 */
export const DAILY_SALES_BY_STORE: WarehouseTableContract = {
  lakeTable: "daily_sales_by_store",
  description: "Sales count and amount per store and UTC day",
  columns: [
    // Store ids are short codes; a longer one fails the load rather than being cut.
    { name: "store_id", lakeType: "string", warehouseType: "VARCHAR(256)", role: "key" },
    { name: "sales_count", lakeType: "bigint", warehouseType: "BIGINT", role: "sum" },
    { name: "total_amount", lakeType: "decimal(18,2)", warehouseType: "DECIMAL(18,2)", role: "sum" },
    // Written as YYYY-MM-DD text (the partition column).
    { name: "sale_date", lakeType: "string", warehouseType: "DATE", role: "key" },
  ],
};

/** Every table a redshiftLoad step may load. */
export const WAREHOUSE_TABLES: readonly WarehouseTableContract[] = [DAILY_SALES_BY_STORE];

/** The contract of a lake table, if the warehouse knows how to load it. */
export function tableContract(lakeTable: string): WarehouseTableContract | undefined {
  return WAREHOUSE_TABLES.find((contract) => contract.lakeTable === lakeTable);
}
