import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { IAM_PRINCIPAL_ARN, policyJson, serviceTrustPolicy } from "../shared/iam";
import { lakeKeyStatement } from "../storage/kms";
import { DataZone, DATA_ZONES } from "../../decisions/pipeline";
import { ArgsProblem, problemAt, repeatedProblems } from "../../decisions/problems";
import { assertValidArgs } from "../shared/args";
import { awsScope } from "../shared/aws-scope";
import { CatalogDatabaseRef, DataLakeRef } from "../shared/locations";
import { NamePrefixArgs, namePrefixOf } from "../shared/names";
import { glueDatabaseName, glueDatabasePrefixError } from "../../decisions/locations";

/** One database of the central catalog: its logical name, its zone and its description. */
export interface CatalogDatabaseSpec {
  /** Logical name; the Glue name is `<namePrefix>_<name>` (hyphens in the prefix become underscores). */
  name: string;
  zone: DataZone;
  description: string;
}

/**
 * Physical names: Glue databases `<namePrefix>_<logical name>` (glueDatabaseName). The catalog's
 * encryption and Lake Formation settings exist once per account and Region, so declare one
 * CentralCatalog per account.
 */
export interface CentralCatalogArgs extends NamePrefixArgs {
  /** The lake key (catalog encryption) and the zone buckets (database locations, Lake Formation). */
  dataLake: Pick<DataLakeRef, "keyArn" | "zones">;
  databases: CatalogDatabaseSpec[];
  /** IAM role/user ARNs that administer Lake Formation. */
  lakeFormationAdmins: string[];
  /**
   * Enforce Lake Formation permissions (default false: hybrid access mode, where IAM policies keep
   * governing access and the per-role grants restrict nothing yet). See lakeFormationAccessMode.
   */
  enforceLakeFormation?: boolean;
  /**
   * The IAM role or user that deploys the stack. The data lake settings replace the account's whole
   * admin list, and only an administrator may make the stack's Lake Formation grants, so the
   * deployer is always one of the admins.
   */
  deployerArn: string;
}

/** How Lake Formation governs the catalog: the default permissions of new databases and tables, and the locations' mode. */
export interface LakeFormationAccessMode {
  /** Permissions every new database gets (DataLakeSettings.createDatabaseDefaultPermissions). */
  createDatabaseDefaultPermissions: { principal: string; permissions: string[] }[];
  /** Permissions every new table gets (DataLakeSettings.createTableDefaultPermissions). */
  createTableDefaultPermissions: { principal: string; permissions: string[] }[];
  /** Whether IAM-based access to the registered locations continues next to Lake Formation's. */
  hybridAccessEnabled: boolean;
}

/** The group Lake Formation uses to let IAM policies alone govern access. */
export const IAM_ALLOWED_PRINCIPALS = "IAM_ALLOWED_PRINCIPALS";

/**
 * Hybrid (default): new databases and tables grant ALL to IAM_ALLOWED_PRINCIPALS, so IAM policies
 * keep governing access, and the locations stay in hybrid access mode. Enforced: no
 * IAM_ALLOWED_PRINCIPALS defaults (the only values AWS accepts are that one grant or none), and the
 * locations leave hybrid access mode, so only Lake Formation grants give access to new databases
 * and tables. https://docs.aws.amazon.com/lake-formation/latest/dg/change-settings.html
 * Databases and tables that already exist keep the IAM_ALLOWED_PRINCIPALS grants they were created
 * with; the README lists the one-time revocation.
 */
export function lakeFormationAccessMode(enforce: boolean): LakeFormationAccessMode {
  const iamOnly = [{ principal: IAM_ALLOWED_PRINCIPALS, permissions: ["ALL"] }];
  return enforce
    ? { createDatabaseDefaultPermissions: [], createTableDefaultPermissions: [], hybridAccessEnabled: false }
    : {
        createDatabaseDefaultPermissions: iamOnly,
        createTableDefaultPermissions: iamOnly,
        hybridAccessEnabled: true,
      };
}

/**
 * The data lake administrators: the configured ones and the deployer, once each. PutDataLakeSettings
 * "replaces the current list of data lake admins with the new list being passed":
 * https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_PutDataLakeSettings.html
 * and a principal that is not a data lake administrator cannot grant Lake Formation permissions:
 * https://docs.aws.amazon.com/lake-formation/latest/dg/permissions-reference.html
 */
export function lakeFormationAdminsOf(
  args: Pick<CentralCatalogArgs, "lakeFormationAdmins" | "deployerArn">,
): string[] {
  return [...new Set([...args.lakeFormationAdmins, args.deployerArn])];
}

export interface CatalogDatabase extends CatalogDatabaseRef {
  /** Logical name from config. */
  logicalName: string;
  /** The Glue database name other components must use. */
  name: pulumi.Output<string>;
  arn: pulumi.Output<string>;
  zone: DataZone;
  /** `s3://bucket/<glue name>/`: where the database's tables live. */
  locationUri: pulumi.Output<string>;
  resource: aws.glue.CatalogDatabase;
  /** What Lake Formation grants on this database (and on its zone's location) must wait for. */
  grantPrerequisites: LakeFormationPrerequisites;
}

/**
 * Lake Formation evaluates a grant against the data lake settings in place when it is made, and
 * grants data location permissions only on registered locations ("For a grant to succeed, you must
 * first register the data location"):
 * https://docs.aws.amazon.com/lake-formation/latest/dg/granting-location-permissions.html
 */
export interface LakeFormationPrerequisites {
  settings: aws.lakeformation.DataLakeSettings;
  /** The registration of the database's zone bucket. */
  location: aws.lakeformation.Resource;
}

// One definition of the Glue name, shared with location resolution in decisions/locations.ts.
export { glueDatabaseName };

/**
 * Logical database names: lower case, as Glue and Athena store names, in letters, digits and
 * underscores (the Glue name adds the name prefix and "_", staying below Glue's 255 bytes).
 * Source: https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
 */
const LOGICAL_DATABASE_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Every problem with the catalog's args: at least one database, each with a Glue-compatible
 * logical name declared once, at least one Lake Formation administrator, and the deployer's ARN.
 */
export function validateCentralCatalogArgs(
  args: Pick<CentralCatalogArgs, "lakeFormationAdmins"> &
    Partial<Pick<CentralCatalogArgs, "deployerArn" | "namePrefix">> & {
      databases: Pick<CatalogDatabaseSpec, "name">[];
    },
): ArgsProblem[] {
  const names = args.databases.map((database) => database.name);
  return [
    ...(args.namePrefix === undefined
      ? []
      : problemAt(["namePrefix"], glueDatabasePrefixError(args.namePrefix), args.namePrefix)),
    ...problemAt(["databases"], names.length === 0 ? "declare at least one database" : undefined),
    ...names.flatMap((databaseName, index) =>
      problemAt(
        ["databases", index, "name"],
        LOGICAL_DATABASE_NAME.test(databaseName)
          ? undefined
          : "must be lower-case letters, digits and underscores, starting with a letter (at most 64)",
        databaseName,
      ),
    ),
    ...repeatedProblems("databases", "name", names, (repeated) => `database "${repeated}" is declared twice`),
    ...problemAt(
      ["lakeFormationAdmins"],
      args.lakeFormationAdmins.length === 0 ? "name at least one Lake Formation administrator" : undefined,
    ),
    ...problemAt(
      ["deployerArn"],
      args.deployerArn === undefined || IAM_PRINCIPAL_ARN.test(args.deployerArn)
        ? undefined
        : "must be the ARN of the IAM role or user that deploys the stack",
      args.deployerArn,
    ),
  ];
}

/**
 * The account's one Glue Data Catalog: databases (each located in its zone's bucket),
 * catalog encryption (metadata and connection passwords with the lake key), Lake Formation
 * settings (hybrid or enforced, lakeFormationAccessMode) and the zone buckets registered as data
 * lake locations. Other components get database names from here and never create their own.
 */
export class CentralCatalog extends pulumi.ComponentResource {
  readonly catalogId: pulumi.Output<string>;
  readonly databases: Map<string, CatalogDatabase>;
  readonly encryptionSettings: aws.glue.DataCatalogEncryptionSettings;
  readonly locationRole: aws.iam.Role;
  readonly lakeFormationSettings: aws.lakeformation.DataLakeSettings;
  /** The zone buckets registered with Lake Formation. */
  readonly locations: Record<DataZone, aws.lakeformation.Resource>;

  constructor(name: string, args: CentralCatalogArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:catalog:CentralCatalog", name, {}, opts);
    const databasePrefix = namePrefixOf(name, args);
    assertValidArgs("bdp:catalog:CentralCatalog", name, [
      ...validateCentralCatalogArgs(args),
      ...(args.namePrefix === undefined ? problemAt(["name"], glueDatabasePrefixError(name), name) : []),
    ]);
    const child = { parent: this };
    const { accountId } = awsScope(this);
    this.catalogId = accountId;
    const lake = args.dataLake;

    this.encryptionSettings = new aws.glue.DataCatalogEncryptionSettings(
      `${name}-encryption`,
      {
        catalogId: this.catalogId,
        dataCatalogEncryptionSettings: {
          encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: lake.keyArn },
          connectionPasswordEncryption: {
            returnConnectionPasswordEncrypted: true,
            awsKmsKeyId: lake.keyArn,
          },
        },
      },
      child,
    );

    // Stated explicitly in both modes: omitting the defaults would silently revoke IAM-based access.
    const mode = lakeFormationAccessMode(args.enforceLakeFormation ?? false);
    this.lakeFormationSettings = new aws.lakeformation.DataLakeSettings(
      `${name}-lake-formation`,
      {
        catalogId: this.catalogId,
        admins: lakeFormationAdminsOf(args),
        createDatabaseDefaultPermissions: mode.createDatabaseDefaultPermissions,
        createTableDefaultPermissions: mode.createTableDefaultPermissions,
      },
      child,
    );
    this.locationRole = this.declareLocationRole(name, lake, accountId);
    const register = (zone: DataZone) =>
      new aws.lakeformation.Resource(
        `${name}-${zone}-location`,
        {
          arn: lake.zones[zone].arn,
          roleArn: this.locationRole.arn,
          hybridAccessEnabled: mode.hybridAccessEnabled,
        },
        child,
      );
    this.locations = { raw: register("raw"), curated: register("curated"), analytics: register("analytics") };
    this.databases = new Map(
      args.databases.map((spec) => [spec.name, this.declareDatabase(name, databasePrefix, lake, spec, mode)]),
    );

    this.registerOutputs({
      catalogId: this.catalogId,
      databases: Object.fromEntries([...this.databases].map(([key, database]) => [key, database.name])),
    });
  }

  /**
   * The role Lake Formation reads registered locations with (the service-linked role cannot use
   * a customer-managed KMS key): the zone buckets and the lake key.
   */
  private declareLocationRole(
    name: string,
    lake: CentralCatalogArgs["dataLake"],
    accountId: pulumi.Input<string>,
  ): aws.iam.Role {
    const child = { parent: this };
    const role = new aws.iam.Role(
      `${name}-locations`,
      {
        description: "Lake Formation access to the data lake zones",
        assumeRolePolicy: serviceTrustPolicy("lakeformation.amazonaws.com", accountId),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-locations`,
      {
        role: role.id,
        policy: policyJson([
          {
            Sid: "ListZones",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: DATA_ZONES.map((zone) => lake.zones[zone].arn),
          },
          {
            Sid: "ReadWriteZoneObjects",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: DATA_ZONES.map((zone) => pulumi.interpolate`${lake.zones[zone].arn}/*`),
          },
          lakeKeyStatement(lake.keyArn),
        ]),
      },
      child,
    );
    return role;
  }

  /**
   * One database, located in its zone's bucket under its Glue name; grants on it wait for Lake
   * Formation. A database takes its default table permissions from the data lake settings in place
   * when it is created, so it is created after them; its own defaults repeat the mode's.
   */
  private declareDatabase(
    name: string,
    databasePrefix: string,
    lake: CentralCatalogArgs["dataLake"],
    spec: CatalogDatabaseSpec,
    mode: LakeFormationAccessMode,
  ): CatalogDatabase {
    const glueName = glueDatabaseName(databasePrefix, spec.name);
    const tableDefaults = mode.createTableDefaultPermissions.map(({ principal, permissions }) => ({
      permissions,
      principal: { dataLakePrincipalIdentifier: principal },
    }));
    const locationUri = pulumi.interpolate`s3://${lake.zones[spec.zone].name}/${glueName}/`;
    const resource = new aws.glue.CatalogDatabase(
      `${name}-${spec.name}`,
      {
        catalogId: this.catalogId,
        name: glueName,
        description: spec.description,
        locationUri,
        createTableDefaultPermissions: tableDefaults,
        tags: { zone: spec.zone },
      },
      { parent: this, dependsOn: [this.encryptionSettings, this.lakeFormationSettings] },
    );
    return {
      logicalName: spec.name,
      name: resource.name,
      arn: resource.arn,
      zone: spec.zone,
      locationUri,
      resource,
      grantPrerequisites: { settings: this.lakeFormationSettings, location: this.locations[spec.zone] },
    };
  }

  /** The database declared under a logical name; throws for an unknown name (config is validated first). */
  database(logicalName: string): CatalogDatabase {
    const database = this.databases.get(logicalName);
    if (!database) throw new Error(`central catalog has no database "${logicalName}"`);
    return database;
  }
}
