/** A small lake, catalog and security configuration for the Glue component tests. */
import * as pulumi from "@pulumi/pulumi";
import { DataLake } from "../../../components/storage/data-lake";
import { CentralCatalog } from "../../../components/catalog/central-catalog";
import { testFoundation } from "../../support/foundation";
import { GlueSecurityConfiguration } from "../../../components/glue/security-configuration";
import { EtlJobArgs } from "../../../components/glue/etl-job";

import { TEST_ACCOUNT as ACCOUNT, TEST_REGION as REGION } from "../../support/foundation";

export { ACCOUNT, REGION };
export { LAKE_KEY_ARN as KEY_ARN } from "../../support/foundation";
export const SECURITY_CONFIGURATION = "bdp-unit-glue";
export const CATALOG_ARN = `arn:aws:glue:${REGION}:${ACCOUNT}:catalog`;
export const SCRIPT = "jobs/glue/daily_sales_by_store.py";

export interface Foundation {
  lake: DataLake;
  catalog: CentralCatalog;
  security: GlueSecurityConfiguration;
}

export function foundation(opts: pulumi.ComponentResourceOptions): Foundation {
  const { lake, catalog } = testFoundation(opts, {
    databases: [
      { name: "raw", zone: "raw", description: "raw" },
      { name: "curated", zone: "curated", description: "curated" },
    ],
  });
  const security = new GlueSecurityConfiguration(
    "glue-security",
    { environment: "unit", dataLake: lake },
    opts,
  );
  return { lake, catalog, security };
}

/** Args of an incremental flexible job reading raw sales and writing the curated table. */
export function jobArgs(base: Foundation, overrides: Partial<EtlJobArgs> = {}): EtlJobArgs {
  const raw = base.catalog.database("raw");
  const curated = base.catalog.database("curated");
  return {
    pipeline: "daily-sales",
    slaTier: "flexible",
    scriptPath: SCRIPT,
    workerType: "G.1X",
    numberOfWorkers: 4,
    timeoutMinutes: 90,
    maxRetries: 1,
    incremental: true,
    sources: [
      {
        bucketName: base.lake.zone("raw").name,
        bucketArn: base.lake.zone("raw").arn,
        prefix: "unit_raw/sales/",
      },
    ],
    targets: [
      {
        bucketName: base.lake.zone("curated").name,
        bucketArn: base.lake.zone("curated").arn,
        prefix: "unit_curated/daily_sales_by_store/",
      },
    ],
    databases: [
      { name: raw.name, arn: raw.arn },
      { name: curated.name, arn: curated.arn },
    ],
    writeDatabases: [{ name: curated.name, arn: curated.arn }],
    jobArguments: {
      "--source_database": raw.name,
      "--source_table": "sales",
      "--target_path": pulumi.interpolate`s3://${base.lake.zone("curated").name}/unit_curated/daily_sales_by_store/`,
      "--target_database": curated.name,
      "--target_table": "daily_sales_by_store",
    },
    dataLake: base.lake,
    securityConfigurationName: base.security.name,
    logRetentionDays: 30,
    ...overrides,
  };
}
