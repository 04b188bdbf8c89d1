import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { CatalogDatabase } from "./central-catalog";
import { DataLake } from "../storage/data-lake";

/**
 * Lake Formation permissions by access kind. Readers see tables; writers also create and alter
 * tables and partitions in their databases (Spark and crawlers register what they write). No
 * principal gets DROP, ALL or grant options.
 */
export const LAKE_FORMATION_PERMISSIONS = {
  readDatabase: ["DESCRIBE"],
  readTables: ["SELECT", "DESCRIBE"],
  writeDatabase: ["DESCRIBE", "CREATE_TABLE"],
  writeTables: ["SELECT", "INSERT", "ALTER", "DESCRIBE"],
  dataLocation: ["DATA_LOCATION_ACCESS"],
} as const;

export interface CatalogGrantsArgs {
  /** The IAM role that receives the permissions. */
  principalArn: pulumi.Input<string>;
  catalogId: pulumi.Input<string>;
  /** Databases whose tables the principal reads. */
  readDatabases: CatalogDatabase[];
  /** Databases the principal writes tables into. */
  writeDatabases: CatalogDatabase[];
  /** The lake whose registered zone locations writers create tables in (DATA_LOCATION_ACCESS). */
  dataLake: DataLake;
}

/**
 * The Lake Formation grants one role needs on the central catalog, and nothing more: the
 * databases and tables its pipeline reads or writes, and the locations it creates tables in.
 * Every grant waits for the catalog's data lake settings; a data-location grant also waits for
 * the location's registration (see LakeFormationPrerequisites).
 */
export class CatalogGrants extends pulumi.ComponentResource {
  readonly permissions: aws.lakeformation.Permissions[] = [];

  constructor(name: string, args: CatalogGrantsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:catalog:CatalogGrants", name, {}, opts);
    const databases = [...args.readDatabases, ...args.writeDatabases];
    const settings = [...new Set(databases.map((database) => database.grantPrerequisites.settings))];
    const grant = (
      suffix: string,
      grantArgs: Omit<aws.lakeformation.PermissionsArgs, "principal" | "catalogId">,
      waitFor: pulumi.Resource[] = [],
    ) =>
      this.permissions.push(
        new aws.lakeformation.Permissions(
          `${name}-${suffix}`,
          { principal: args.principalArn, catalogId: args.catalogId, ...grantArgs },
          { parent: this, dependsOn: [...settings, ...waitFor] },
        ),
      );

    const writeNames = new Set(args.writeDatabases.map((database) => database.logicalName));
    for (const database of args.readDatabases.filter((candidate) => !writeNames.has(candidate.logicalName))) {
      grant(`read-${database.logicalName}`, {
        permissions: [...LAKE_FORMATION_PERMISSIONS.readDatabase],
        database: { name: database.name, catalogId: args.catalogId },
      });
      grant(`read-${database.logicalName}-tables`, {
        permissions: [...LAKE_FORMATION_PERMISSIONS.readTables],
        table: { databaseName: database.name, wildcard: true, catalogId: args.catalogId },
      });
    }
    for (const database of args.writeDatabases) {
      grant(`write-${database.logicalName}`, {
        permissions: [...LAKE_FORMATION_PERMISSIONS.writeDatabase],
        database: { name: database.name, catalogId: args.catalogId },
      });
      grant(`write-${database.logicalName}-tables`, {
        permissions: [...LAKE_FORMATION_PERMISSIONS.writeTables],
        table: { databaseName: database.name, wildcard: true, catalogId: args.catalogId },
      });
    }
    const writeZones = new Map(args.writeDatabases.map((database) => [database.zone, database]));
    for (const [zone, database] of writeZones) {
      grant(
        `location-${zone}`,
        {
          permissions: [...LAKE_FORMATION_PERMISSIONS.dataLocation],
          dataLocation: { arn: args.dataLake.zone(zone).arn, catalogId: args.catalogId },
        },
        [database.grantPrerequisites.location],
      );
    }
    this.registerOutputs({ grants: this.permissions.length });
  }
}
