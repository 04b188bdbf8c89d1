/**
 * Lake Formation grants on the central catalog: each job role, crawler role and the warehouse
 * role gets only the databases and tables its pipeline reads or writes.
 */
import { StackConfig } from "./config";
import { DeclaredJob } from "./engines";
import { declareInBatches, Paced } from "./pacing";
import { CatalogDatabase, CatalogGrants } from "../index";
import { DataLocation } from "../decisions/pipeline";
import { PlatformContext } from "../engines/platform-context";

function databasesOf(locations: DataLocation[], ctx: PlatformContext): CatalogDatabase[] {
  const names = new Set(locations.flatMap((location) => (location.database ? [location.database] : [])));
  return [...names].map((name) => ctx.catalog.database(name));
}

export function* buildCatalogGrants(
  config: StackConfig,
  jobs: Map<string, DeclaredJob>,
  ctx: PlatformContext,
): Paced<CatalogGrants[]> {
  const { catalog, dataLake, opts } = ctx;
  const perPipeline = yield* declareInBatches(jobs.values(), ({ pipeline, job }) => {
    // Engines whose jobs only read S3 (Batch) name no catalog principal.
    const principalArn = job.catalogPrincipalArn;
    const readDatabases = databasesOf([pipeline.source], ctx);
    const writeDatabases = databasesOf([pipeline.target], ctx);
    if (!principalArn || readDatabases.length + writeDatabases.length === 0) return undefined;
    return new CatalogGrants(
      `${ctx.nameOf(pipeline.name)}-lf`,
      { principalArn, catalogId: catalog.catalogId, readDatabases, writeDatabases, dataLake },
      opts,
    );
  });
  const grants = perPipeline.filter((grant): grant is CatalogGrants => grant !== undefined);
  for (const crawlerConfig of config.crawlers) {
    grants.push(
      new CatalogGrants(
        `${ctx.nameOf(crawlerConfig.name)}-lf`,
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
        `${ctx.namePrefix}-warehouse-lf`,
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
