/**
 * Turns a config data location (catalog table or zone + prefix) into the S3 location and catalog
 * table the components need. A catalog table lives at `<database location>/<table>/`.
 */
import { DataLocation } from "../decisions/pipeline";
import { CentralCatalog, CatalogDatabase, glueDatabaseName } from "../components/catalog/central-catalog";
import { DataLake, LakeBucket } from "../components/storage/data-lake";
import { s3Uri } from "../components/shared/locations";
import { ResolvedLocation } from "./platform-context";

function inBucket(bucket: LakeBucket, prefix: string): ResolvedLocation {
  const location = { bucketName: bucket.name, bucketArn: bucket.arn, prefix };
  return { ...location, bucket, uri: s3Uri(location) };
}

export function resolveLocation(
  location: DataLocation,
  environment: string,
  lake: DataLake,
  catalog: CentralCatalog,
): ResolvedLocation {
  if (location.database !== undefined && location.table !== undefined) {
    const database = catalog.database(location.database);
    const prefix = `${glueDatabaseName(environment, location.database)}/${location.table}/`;
    return {
      ...inBucket(lake.zone(database.zone), prefix),
      catalogTable: { database, table: location.table },
    };
  }
  // Config validation guarantees zone and prefix here.
  return inBucket(lake.zone(location.zone!), location.prefix!);
}

/** The distinct catalog databases of some locations (for IAM scoping and grants). */
export function uniqueDatabases(locations: ResolvedLocation[]): CatalogDatabase[] {
  const byName = new Map<string, CatalogDatabase>();
  for (const { catalogTable } of locations)
    if (catalogTable) byName.set(catalogTable.database.logicalName, catalogTable.database);
  return [...byName.values()];
}
