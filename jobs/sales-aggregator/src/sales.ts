import { CsvRecord, parseCsv } from "./csv";
import { InputError } from "./errors";

/** Columns the sales file must have (any order; extra columns are ignored). */
export const REQUIRED_COLUMNS = ["sale_id", "store_id", "sold_at", "amount"] as const;
type Column = (typeof REQUIRED_COLUMNS)[number];

/** Amounts are summed exactly in millionths of a currency unit; more decimals are rejected. */
export const MAX_AMOUNT_DECIMALS = 6;
const MICROS_PER_CENT = 10n ** BigInt(MAX_AMOUNT_DECIMALS - 2);

/** One output row: sales of one store on one (UTC) calendar day. */
export interface DailyStoreSales {
  saleDate: string;
  storeId: string;
  salesCount: number;
  /** Total rounded half away from zero to whole cents. */
  totalCents: bigint;
}

export interface Aggregation {
  rows: DailyStoreSales[];
  /** Number of sales (data lines) read. */
  salesRead: number;
}

const DECIMAL = new RegExp(`^([+-]?)(\\d+)(?:\\.(\\d+))?$`);

/** Parses a decimal amount exactly (no floating point) into millionths. */
export function parseAmountMicros(text: string): bigint | string {
  const match = DECIMAL.exec(text);
  if (!match)
    return `${JSON.stringify(text)} is not a decimal number (expected digits with an optional '.', e.g. 12.50)`;
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > MAX_AMOUNT_DECIMALS) {
    return `${JSON.stringify(text)} has more than ${MAX_AMOUNT_DECIMALS} decimal places`;
  }
  const micros = BigInt(whole + fraction.padEnd(MAX_AMOUNT_DECIMALS, "0"));
  return sign === "-" ? -micros : micros;
}

/** Rounds millionths to whole cents, half away from zero (12.345 -> 12.35, -12.345 -> -12.35). */
export function microsToCents(micros: bigint): bigint {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  let cents = abs / MICROS_PER_CENT;
  if ((abs % MICROS_PER_CENT) * 2n >= MICROS_PER_CENT) cents += 1n;
  return negative ? -cents : cents;
}

/** Formats whole cents as a decimal with exactly two places: 1234n -> "12.34", -5n -> "-0.05". */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses an ISO-8601 timestamp (`2024-05-01T13:45:00Z`, `2024-05-01T15:45:00+02:00`,
 * `2024-05-01 13:45`, fractional seconds allowed) and returns its UTC calendar date
 * (`YYYY-MM-DD`). A timestamp without an offset is taken as UTC.
 */
export function utcSaleDate(text: string): string | { error: string } {
  const bad = (why: string) => ({
    error: `${JSON.stringify(text)} is not an ISO-8601 timestamp (${why}; expected e.g. 2024-05-01T13:45:00Z)`,
  });
  const match = TIMESTAMP.exec(text);
  if (!match) return bad("unrecognised format");
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? "0"));
  const zone = match[8];
  if (month < 1 || month > 12) return bad("month out of range");
  if (day < 1 || day > daysInMonth(year, month)) return bad("day out of range");
  if (hour > 23 || minute > 59 || second > 59) return bad("time out of range");
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMins = Number(digits.slice(2) || "0");
    if (offsetHours > 18 || offsetMins > 59) return bad("UTC offset out of range");
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(hour, minute - offsetMinutes, second, 0);
  const y = instant.getUTCFullYear();
  if (y < 1 || y > 9999) return bad("year out of range");
  const pad = (n: number, width = 2) => n.toString().padStart(width, "0");
  return `${pad(y, 4)}-${pad(instant.getUTCMonth() + 1)}-${pad(instant.getUTCDate())}`;
}

/** Where a sale_id was first seen: the file (when several are aggregated) and the line. */
interface SaleIdOrigin {
  source?: string;
  line: number;
}

/** Positions of the required columns, from a validated header line. */
function columnPositions(header: CsvRecord): Record<Column, number> {
  const index = new Map<string, number>();
  header.fields.forEach((raw, position) => {
    const name = raw.trim().toLowerCase();
    if (index.has(name) && (REQUIRED_COLUMNS as readonly string[]).includes(name)) {
      throw new InputError(
        `column ${JSON.stringify(name)} appears more than once in the header`,
        header.line,
        name,
      );
    }
    index.set(name, position);
  });
  const missing = REQUIRED_COLUMNS.filter((column) => !index.has(column));
  if (missing.length > 0) {
    throw new InputError(
      `missing required header column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ` +
        `(found: ${header.fields.map((f) => f.trim()).join(",")}; expected: ${REQUIRED_COLUMNS.join(",")})`,
      header.line,
      missing[0],
    );
  }
  return Object.fromEntries(REQUIRED_COLUMNS.map((c) => [c, index.get(c)!])) as Record<Column, number>;
}

/**
 * Aggregates sales CSVs per (UTC sale date, store): one file, or all of a day's uploads. Every
 * file is validated whole; a sale_id may appear only once across everything added, since a sale
 * counted twice would inflate the totals. Pure: no I/O.
 */
export class SalesAggregator {
  private readonly groups = new Map<
    string,
    { saleDate: string; storeId: string; salesCount: number; micros: bigint }
  >();
  private readonly saleIds = new Map<string, SaleIdOrigin>();
  private salesRead = 0;

  /**
   * Adds one file. Throws an {@link InputError} naming the line and column of its first problem;
   * `source` names the file in a duplicate found in a later file.
   */
  add(text: string, source?: string): void {
    if (text.replace(/^\uFEFF/, "").trim() === "") {
      throw new InputError(
        "the file is empty (expected a header line: " + REQUIRED_COLUMNS.join(",") + ")",
        1,
      );
    }
    const [header, ...data] = parseCsv(text);
    const position = columnPositions(header);
    for (const record of data) {
      if (record.fields.length !== header.fields.length) {
        throw new InputError(
          `expected ${header.fields.length} fields like the header, found ${record.fields.length}`,
          record.line,
        );
      }
      const value = (column: Column) => record.fields[position[column]].trim();
      const fail = (column: Column, detail: string): never => {
        throw new InputError(detail, record.line, column);
      };

      const saleId = value("sale_id");
      if (saleId === "") fail("sale_id", "sale_id is empty");
      const first = this.saleIds.get(saleId);
      if (first !== undefined) {
        const where =
          first.source === undefined || first.source === source
            ? `on line ${first.line}`
            : `in ${first.source} line ${first.line}`;
        fail("sale_id", `duplicate sale_id ${JSON.stringify(saleId)} (first seen ${where})`);
      }
      this.saleIds.set(saleId, { source, line: record.line });

      const storeId = value("store_id");
      if (storeId === "") fail("store_id", "store_id is empty");

      const saleDate = utcSaleDate(value("sold_at"));
      if (typeof saleDate !== "string") return fail("sold_at", saleDate.error);

      const micros = parseAmountMicros(value("amount"));
      if (typeof micros === "string") return fail("amount", micros);

      const key = `${saleDate}\u0000${storeId}`;
      const group = this.groups.get(key) ?? { saleDate, storeId, salesCount: 0, micros: 0n };
      group.salesCount += 1;
      group.micros += micros;
      this.groups.set(key, group);
    }
    this.salesRead += data.length;
  }

  /** The rows so far, sorted by sale date then store, totals rounded to cents. */
  result(): Aggregation {
    const rows = [...this.groups.values()]
      .map(({ saleDate, storeId, salesCount, micros }) => ({
        saleDate,
        storeId,
        salesCount,
        totalCents: microsToCents(micros),
      }))
      .sort((a, b) => compare(a.saleDate, b.saleDate) || compare(a.storeId, b.storeId));
    return { rows, salesRead: this.salesRead };
  }
}

/**
 * Validates a whole sales CSV and aggregates it per (UTC sale date, store). Throws an
 * {@link InputError} naming the line and column of the first problem. Pure: no I/O.
 */
export function aggregateSalesCsv(text: string): Aggregation {
  const aggregator = new SalesAggregator();
  aggregator.add(text);
  return aggregator.result();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
