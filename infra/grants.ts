/**
 * Lake Formation grants on the central catalog: each job role, crawler role and the warehouse
 * role gets only the databases and tables its pipeline reads or writes.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "./config";
import { EngineJob, resourceName } from "./engines";
import { CentralCatalog, CatalogDatabase } from "../components/catalog/central-catalog";
import { CatalogGrants } from "../components/catalog/grants";
import { DataLake } from "../components/storage/data-lake";
import { GlueCrawler } from "../components/glue/crawler";
import { Warehouse } from "../components/warehouse/warehouse";
import { DataLocation } from "./pipeline-config";

export interface GrantsContext {
  config: StackConfig;
  dataLake: DataLake;
  catalog: CentralCatalog;
  engineJobs: Map<string, EngineJob>;
  crawlers: Map<string, GlueCrawler>;
  warehouse?: Warehouse;
  opts: pulumi.ComponentResourceOptions;
}

/** The role whose sessions read the catalog for an engine job (Batch jobs read S3 only). */
function catalogPrincipal(job: EngineJob): pulumi.Output<string> | undefined {
  switch (job.engine) {
    case "glue":
      return job.job.role.arn;
    case "emr":
      return job.cluster.roles.instanceRole.arn;
    case "emrServerless":
      return job.application.executionRole.arn;
    case "batch":
      return undefined;
  }
}

function databasesOf(locations: DataLocation[], catalog: CentralCatalog): CatalogDatabase[] {
  const names = new Set(locations.flatMap((location) => (location.database ? [location.database] : [])));
  return [...names].map((name) => catalog.database(name));
}

export function buildCatalogGrants(ctx: GrantsContext): CatalogGrants[] {
  const { config, catalog, dataLake, opts } = ctx;
  const grants: CatalogGrants[] = [];
  for (const pipeline of config.pipelines) {
    const principalArn = catalogPrincipal(ctx.engineJobs.get(pipeline.name)!);
    const readDatabases = databasesOf([pipeline.source], catalog);
    const writeDatabases = databasesOf([pipeline.target], catalog);
    if (!principalArn || readDatabases.length + writeDatabases.length === 0) continue;
    grants.push(
      new CatalogGrants(
        `${resourceName(config, pipeline.name)}-lf`,
        { principalArn, catalogId: catalog.catalogId, readDatabases, writeDatabases, dataLake },
        opts,
      ),
    );
  }
  for (const crawlerConfig of config.crawlers) {
    grants.push(
      new CatalogGrants(
        `${resourceName(config, crawlerConfig.name)}-lf`,
        {
          principalArn: ctx.crawlers.get(crawlerConfig.name)!.role.arn,
          catalogId: catalog.catalogId,
          readDatabases: [],
          writeDatabases: [catalog.database(crawlerConfig.database)],
          dataLake,
        },
        opts,
      ),
    );
  }
  if (ctx.warehouse) {
    grants.push(
      new CatalogGrants(
        `bdp-${config.environment}-warehouse-lf`,
        {
          principalArn: ctx.warehouse.role.arn,
          catalogId: catalog.catalogId,
          readDatabases: [...catalog.databases.values()],
          writeDatabases: [],
          dataLake,
        },
        opts,
      ),
    );
  }
  return grants;
}
