/**
 * Turns a config data location (catalog table or zone + prefix) into the bucket, prefix and
 * database the components need. A catalog table lives at `<database location>/<table>/`.
 */
import * as pulumi from "@pulumi/pulumi";
import { CentralCatalog, CatalogDatabase, glueDatabaseName } from "../components/catalog/central-catalog";
import { DataLake, LakeBucket } from "../components/storage/data-lake";
import { DataLocation } from "./pipeline-config";

export interface ResolvedLocation {
  bucket: LakeBucket;
  /** Key prefix ending in "/" (no leading "/"); a plain string so IAM scoping is exact. */
  prefix: string;
  /** `s3://bucket/prefix` */
  uri: pulumi.Output<string>;
  database?: CatalogDatabase;
  table?: string;
}

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
