/**
 * What an engine module (and the program's wiring) builds on: the environment's shared
 * foundation, declared once per stack before any pipeline.
 */
import * as pulumi from "@pulumi/pulumi";
import { LogRetentionDays } from "../decisions/logs";
import { DataLocation } from "../decisions/pipeline";
import { Network } from "../components/network/network";
import { DataLake, LakeBucket } from "../components/storage/data-lake";
import { CatalogTable, S3Location } from "../components/shared/locations";
import { CentralCatalog, CatalogDatabase } from "../components/catalog/central-catalog";
import { AlertTopic } from "../components/monitoring/alert-topic";
import { JdbcConnection } from "../components/glue/connection";
import { GlueCrawler } from "../components/glue/crawler";
import { Warehouse } from "../components/warehouse/warehouse";

/**
 * A config data location resolved to what components take: the S3 location (bucket and prefix)
 * and, when the config named a catalog table, that table of its central-catalog database.
 */
export interface ResolvedLocation extends S3Location {
  /** The lake bucket (bucketName and bucketArn are its name and ARN). */
  bucket: LakeBucket;
  /** `s3://bucket/prefix` */
  uri: pulumi.Output<string>;
  catalogTable?: CatalogTable<CatalogDatabase>;
}

export interface PlatformContext {
  /** Short environment name (`dev`, `prod`). */
  environment: string;
  /** Prefix of the platform's physical and logical names, `bdp-<environment>`. */
  namePrefix: string;
  logRetentionDays: LogRetentionDays;
  network: Network;
  dataLake: DataLake;
  catalog: CentralCatalog;
  alerts: AlertTopic;
  /** Glue JDBC connections by config name. */
  connections: ReadonlyMap<string, JdbcConnection>;
  /** Glue crawlers by config name. */
  crawlers: ReadonlyMap<string, GlueCrawler>;
  warehouse?: Warehouse;
  /** Options every top-level component gets (the stack's explicit provider). */
  opts: pulumi.ComponentResourceOptions;
  /** The name of a pipeline's resources: `<namePrefix>-<pipeline>`. */
  nameOf(pipeline: string): string;
  /** A config data location (catalog table or zone + prefix) as bucket, prefix and database. */
  locate(location: DataLocation): ResolvedLocation;
  /**
   * One value per key for the whole environment, created on first use: resources an engine's
   * jobs share (e.g. the EMR security configuration), so none exist when no pipeline needs them.
   */
  shared<T>(key: string, create: () => T): T;
  /** The environment's Glue security configuration (created on first use). */
  glueSecurityConfigurationName(): pulumi.Output<string>;
}
