/**
 * Turns a config data location (catalog table or zone + prefix) into the bucket, prefix and
 * database the components need. A catalog table lives at `<database location>/<table>/`.
 */
import * as pulumi from "@pulumi/pulumi";
import { DataLocation } from "../decisions/pipeline";
import { CentralCatalog, CatalogDatabase, glueDatabaseName } from "../components/catalog/central-catalog";
import { DataLake } from "../components/storage/data-lake";
import { ResolvedLocation } from "./platform-context";

export function resolveLocation(
  location: DataLocation,
  environment: string,
  lake: DataLake,
  catalog: CentralCatalog,
): ResolvedLocation {
  if (location.database !== undefined && location.table !== undefined) {
    const database = catalog.database(location.database);
    const bucket = lake.zone(database.zone);
    const prefix = `${glueDatabaseName(environment, location.database)}/${location.table}/`;
    return {
      bucket,
      prefix,
      uri: pulumi.interpolate`s3://${bucket.name}/${prefix}`,
      database,
      table: location.table,
    };
  }
  // Config validation guarantees zone and prefix here.
  const bucket = lake.zone(location.zone!);
  const prefix = location.prefix!;
  return { bucket, prefix, uri: pulumi.interpolate`s3://${bucket.name}/${prefix}` };
}

/** The distinct catalog databases of some locations (for IAM scoping and grants). */
export function uniqueDatabases(locations: ResolvedLocation[]): CatalogDatabase[] {
  const byName = new Map<string, CatalogDatabase>();
  for (const location of locations)
    if (location.database) byName.set(location.database.logicalName, location.database);
  return [...byName.values()];
}
