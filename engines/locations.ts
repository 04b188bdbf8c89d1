/**
 * Turns a config data location (catalog table or zone + prefix) into the bucket, prefix and
 * database the components need. Where a location is comes from decisions/locations.ts, the one
 * definition config validation checks against: a catalog table lives where the catalog declares
 * it, else at `<database location>/<table>/`.
 */
import * as pulumi from "@pulumi/pulumi";
import { DataLocation } from "../decisions/pipeline";
import { CatalogLayout, locationPath } from "../decisions/locations";
import { CentralCatalog, CatalogDatabase } from "../components/catalog/central-catalog";
import { DataLake } from "../components/storage/data-lake";
import { ResolvedLocation } from "./platform-context";

export function resolveLocation(
  location: DataLocation,
  layout: CatalogLayout,
  lake: DataLake,
  catalog: CentralCatalog,
): ResolvedLocation {
  const path = locationPath(location, layout);
  // Config validation guarantees a declared database, or a zone and a prefix.
  if (!path) throw new Error(`no such data location: ${JSON.stringify(location)}`);
  const bucket = lake.zone(path.zone);
  const resolved = {
    bucket,
    prefix: path.prefix,
    uri: pulumi.interpolate`s3://${bucket.name}/${path.prefix}`,
  };
  if (path.database === undefined) return resolved;
  return { ...resolved, database: catalog.database(path.database), table: path.table };
}

/** The distinct catalog databases of some locations (for IAM scoping and grants). */
export function uniqueDatabases(locations: ResolvedLocation[]): CatalogDatabase[] {
  const byName = new Map<string, CatalogDatabase>();
  for (const location of locations)
    if (location.database) byName.set(location.database.logicalName, location.database);
  return [...byName.values()];
}
