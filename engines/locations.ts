/**
 * Turns a config data location (catalog table or zone + prefix) into the S3 location and catalog
 * table the components need. Where a location is comes from decisions/locations.ts, the one
 * definition config validation checks against: a catalog table lives where the catalog declares
 * it, else at `<database location>/<table>/`.
 */
import { DataLocation } from "../decisions/pipeline";
import { CatalogLayout, locationPath } from "../decisions/locations";
import { CentralCatalog, CatalogDatabase } from "../components/catalog/central-catalog";
import { DataLake, LakeBucket } from "../components/storage/data-lake";
import { s3Uri } from "../components/shared/locations";
import { ResolvedLocation } from "./platform-context";

function inBucket(bucket: LakeBucket, prefix: string): ResolvedLocation {
  const location = { bucketName: bucket.name, bucketArn: bucket.arn, prefix };
  return { ...location, bucket, uri: s3Uri(location) };
}

export function resolveLocation(
  location: DataLocation,
  layout: CatalogLayout,
  lake: DataLake,
  catalog: CentralCatalog,
): ResolvedLocation {
  const path = locationPath(location, layout);
  // Config validation guarantees a declared database, or a zone and a prefix.
  if (!path) throw new Error(`no such data location: ${JSON.stringify(location)}`);
  const resolved = inBucket(lake.zone(path.zone), path.prefix);
  if (path.database === undefined || path.table === undefined) return resolved;
  return { ...resolved, catalogTable: { database: catalog.database(path.database), table: path.table } };
}

/** The distinct catalog databases of some locations (for IAM scoping and grants). */
export function uniqueDatabases(locations: ResolvedLocation[]): CatalogDatabase[] {
  const byName = new Map<string, CatalogDatabase>();
  for (const { catalogTable } of locations)
    if (catalogTable) byName.set(catalogTable.database.logicalName, catalogTable.database);
  return [...byName.values()];
}
