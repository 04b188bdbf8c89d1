import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { policyJson, serviceTrustPolicy } from "../shared/iam";
import { lakeKeyStatement } from "../storage/kms";
import { DataLake, DataZone, DATA_ZONES } from "../storage/data-lake";
import { glueDatabaseName } from "../../decisions/locations";

export interface CatalogDatabaseSpec {
  /** Logical name used in config; the Glue name is prefixed with the environment. */
  name: string;
  zone: DataZone;
  description: string;
}

export interface CentralCatalogArgs {
  environment: string;
  dataLake: DataLake;
  databases: CatalogDatabaseSpec[];
  /** IAM role/user ARNs that administer Lake Formation. */
  lakeFormationAdmins: string[];
}

export interface CatalogDatabase {
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
 * The environment's one Glue Data Catalog: databases (each located in its zone's bucket),
 * catalog encryption (metadata and connection passwords with the lake key), Lake Formation
 * settings and the zone buckets registered as data lake locations. Other components get
 * database names from here and never create their own.
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
    const child = { parent: this };
    const identity = aws.getCallerIdentityOutput({}, child);
    this.catalogId = identity.accountId;
    const lake = args.dataLake;

    this.encryptionSettings = new aws.glue.DataCatalogEncryptionSettings(
      `${name}-encryption`,
      {
        catalogId: this.catalogId,
        dataCatalogEncryptionSettings: {
          encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: lake.key.arn },
          connectionPasswordEncryption: {
            returnConnectionPasswordEncrypted: true,
            awsKmsKeyId: lake.key.arn,
          },
        },
      },
      child,
    );

    this.lakeFormationSettings = new aws.lakeformation.DataLakeSettings(
      `${name}-lake-formation`,
      {
        catalogId: this.catalogId,
        admins: args.lakeFormationAdmins,
        // Hybrid mode, stated explicitly: IAM policies keep governing access while Lake Formation
        // grants are added per role; omitting these would silently revoke IAM-based access.
        createDatabaseDefaultPermissions: [{ principal: "IAM_ALLOWED_PRINCIPALS", permissions: ["ALL"] }],
        createTableDefaultPermissions: [{ principal: "IAM_ALLOWED_PRINCIPALS", permissions: ["ALL"] }],
      },
      child,
    );

    // Lake Formation reads registered locations with this role (the service-linked role cannot
    // use a customer-managed KMS key).
    this.locationRole = new aws.iam.Role(
      `${name}-locations`,
      {
        description: "Lake Formation access to the data lake zones",
        assumeRolePolicy: serviceTrustPolicy("lakeformation.amazonaws.com", identity.accountId),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-locations`,
      {
        role: this.locationRole.id,
        policy: policyJson([
          {
            Sid: "ListZones",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: DATA_ZONES.map((zone) => lake.zone(zone).arn),
          },
          {
            Sid: "ReadWriteZoneObjects",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: DATA_ZONES.map((zone) => pulumi.interpolate`${lake.zone(zone).arn}/*`),
          },
          lakeKeyStatement(lake.key.arn),
        ]),
      },
      child,
    );
    const register = (zone: DataZone) =>
      new aws.lakeformation.Resource(
        `${name}-${zone}-location`,
        { arn: lake.zone(zone).arn, roleArn: this.locationRole.arn, hybridAccessEnabled: true },
        child,
      );
    this.locations = { raw: register("raw"), curated: register("curated"), analytics: register("analytics") };

    this.databases = new Map(
      args.databases.map((spec) => {
        const glueName = glueDatabaseName(args.environment, spec.name);
        const locationUri = pulumi.interpolate`s3://${lake.zone(spec.zone).name}/${glueName}/`;
        const resource = new aws.glue.CatalogDatabase(
          `${name}-${spec.name}`,
          {
            catalogId: this.catalogId,
            name: glueName,
            description: spec.description,
            locationUri,
            tags: { zone: spec.zone },
          },
          { parent: this, dependsOn: [this.encryptionSettings] },
        );
        const database: CatalogDatabase = {
          logicalName: spec.name,
          name: resource.name,
          arn: resource.arn,
          zone: spec.zone,
          locationUri,
          resource,
          grantPrerequisites: { settings: this.lakeFormationSettings, location: this.locations[spec.zone] },
        };
        return [spec.name, database];
      }),
    );

    this.registerOutputs({
      catalogId: this.catalogId,
      databases: Object.fromEntries([...this.databases].map(([key, database]) => [key, database.name])),
    });
  }

  /** The database declared under a logical name; throws for an unknown name (config is validated first). */
  database(logicalName: string): CatalogDatabase {
    const database = this.databases.get(logicalName);
    if (!database) throw new Error(`central catalog has no database "${logicalName}"`);
    return database;
  }
}
