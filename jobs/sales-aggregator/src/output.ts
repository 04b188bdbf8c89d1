import { DailyStoreSales, formatCents } from "./sales";

/** Header of the curated CSV. One row per (sale_date, store_id). */
export const OUTPUT_COLUMNS = ["sale_date", "store_id", "sales_count", "total_amount"] as const;

const SOURCE_EXTENSIONS = [".csv.gz", ".csv", ".txt.gz", ".txt", ".gz"];

/**
 * The curated object key for a source object: `<targetPrefix>/<source key without its
 * extension>.csv`. A pure function of its inputs, so a rerun for the same upload
 * overwrites the same object instead of adding a second one.
 *
 *   targetPrefix "sales/daily_by_store", source "incoming/2024/05/01/store-feed.csv"
 *   -> "sales/daily_by_store/incoming/2024/05/01/store-feed.csv"
 */
export function outputKeyFor(targetPrefix: string, sourceKey: string): string {
  const prefix = targetPrefix.replace(/^\/+|\/+$/g, "");
  let stem = sourceKey.replace(/^\/+/, "");
  const extension = SOURCE_EXTENSIONS.find((ext) => stem.toLowerCase().endsWith(ext));
  if (extension !== undefined && stem.length > extension.length) stem = stem.slice(0, -extension.length);
  return `${prefix}/${stem}.csv`;
}

/** File name of a day run's output, inside the day's `upload_date=` folder. */
export const DAY_OUTPUT_FILE = "sales_by_store.csv";

/**
 * The curated object key of a day run: `<targetPrefix>/upload_date=<day>/sales_by_store.csv`.
 * One key per day (a Hive-style partition folder a crawler reads as column `upload_date`), so a
 * rerun for the same day replaces its output instead of adding a second one.
 */
export function dayOutputKey(targetPrefix: string, day: string): string {
  return `${targetPrefix.replace(/^\/+|\/+$/g, "")}/upload_date=${day}/${DAY_OUTPUT_FILE}`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Renders the aggregates as CSV (LF line ends, trailing newline), in the given (sorted) order. */
export function renderCsv(rows: readonly DailyStoreSales[]): string {
  const lines = [OUTPUT_COLUMNS.join(",")];
  for (const row of rows) {
    lines.push(
      [row.saleDate, csvField(row.storeId), String(row.salesCount), formatCents(row.totalCents)].join(","),
    );
  }
  return lines.join("\n") + "\n";
}
