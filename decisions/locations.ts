/**
 * Where data lives, from config alone: the one definition every trigger filter, crawler path,
 * job argument and IAM scope is derived from. A location is a catalog table or a zone prefix; a
 * table lives at `<environment>_<database>/<table>/` in its database's zone unless the catalog
 * declares where it is (e.g. the folder the store systems upload to). Pure: no Pulumi.
 */
import { z } from "zod";
import { DataLocation, DataZone, s3Prefix, tableName, uniqueNames } from "./pipeline";

/** Glue names allow only lower-case letters, digits and underscores. */
export function glueDatabaseName(environment: string, logicalName: string): string {
  return `${environment.replace(/-/g, "_")}_${logicalName}`;
}

/**
 * A catalog table stored somewhere other than its database's folder. Its last folder is named
 * like the table: Glue crawlers name the tables they create after the S3 folder they find them
 * in (https://docs.aws.amazon.com/glue/latest/dg/crawler-s3-folder-table-partition.html), so a
 * crawl keeps the name every pipeline refers to.
 */
export const catalogTableSchema = z
  .strictObject({
    name: tableName,
    /** Key prefix in the database's zone bucket, e.g. "incoming/sales/". */
    prefix: s3Prefix,
  })
  .superRefine((table, ctx) => {
    const folder = lastFolder(table.prefix);
    if (folder !== table.name) {
      ctx.addIssue({
        code: "custom",
        path: ["prefix"],
        message: `must end in a folder named like the table ("${table.name}/", not "${folder}/"): Glue crawlers name a table after its folder`,
        input: table.prefix,
      });
    }
  });

/** The tables of one database whose location is declared, each name once. */
export const catalogTablesSchema = z.array(catalogTableSchema).default([]).superRefine(uniqueNames("table"));

/** What location resolution needs from the catalog config. */
export interface CatalogLayout {
  environment: string;
  databases: readonly {
    name: string;
    zone: DataZone;
    tables?: readonly { name: string; prefix: string }[];
  }[];
}

/** A location resolved to its zone and key prefix (and its catalog table, if it is one). */
export interface LocationPath {
  zone: DataZone;
  /** Ends in "/", no leading "/". */
  prefix: string;
  database?: string;
  table?: string;
}

/** The last folder of a key prefix: "incoming/sales/" -> "sales". */
export function lastFolder(prefix: string): string {
  const folders = prefix.split("/").filter((folder) => folder !== "");
  return folders[folders.length - 1] ?? "";
}

/**
 * Where a location is, or undefined when it names a database the catalog does not declare
 * (config validation reports that separately).
 */
export function locationPath(location: DataLocation, layout: CatalogLayout): LocationPath | undefined {
  if (location.database !== undefined && location.table !== undefined) {
    const database = layout.databases.find((candidate) => candidate.name === location.database);
    if (!database) return undefined;
    const declared = database.tables?.find((table) => table.name === location.table);
    const prefix =
      declared?.prefix ?? `${glueDatabaseName(layout.environment, database.name)}/${location.table}/`;
    return { zone: database.zone, prefix, database: database.name, table: location.table };
  }
  if (location.zone === undefined || location.prefix === undefined) return undefined;
  return { zone: location.zone, prefix: location.prefix };
}

/** Whether `prefix` lies inside the folder `folder` (or is that folder). */
export function isWithin(prefix: string, folder: LocationPath): boolean {
  return prefix.startsWith(folder.prefix);
}

/** Whether two locations are the same S3 folder. */
export function samePlace(a: LocationPath, b: LocationPath): boolean {
  return a.zone === b.zone && a.prefix === b.prefix;
}

/** `zone:prefix`, how problems name a place. */
export function describePath(path: LocationPath): string {
  const table = path.table !== undefined ? ` (table ${path.database}.${path.table})` : "";
  return `${path.zone} zone "${path.prefix}"${table}`;
}
