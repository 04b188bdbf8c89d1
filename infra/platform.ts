/**
 * Composes the environment from components. Takes validated config only; reads nothing from
 * the Pulumi runtime itself, so tests and the offline plan can build any config.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { StackConfig } from "./config";
import { defaultTags } from "../components/shared/tags";
import { Network } from "../components/network/network";
import { DataLake } from "../components/storage/data-lake";
import { CentralCatalog } from "../components/catalog/central-catalog";

export interface Platform {
  provider: aws.Provider;
  network: Network;
  dataLake: DataLake;
  catalog: CentralCatalog;
}

/** The one explicit AWS provider of the stack: region and default tags from config. */
export function createProvider(config: StackConfig): aws.Provider {
  return new aws.Provider("aws", {
    region: config.region as aws.Region,
    defaultTags: {
      tags: defaultTags({
        environment: config.environment,
        owner: config.owner,
        costCenter: config.costCenter,
      }),
    },
  });
}

export function buildPlatform(config: StackConfig): Platform {
  const provider = createProvider(config);
  const opts: pulumi.ComponentResourceOptions = { providers: { aws: provider } };
  const prefix = `bdp-${config.environment}`;

  const network = new Network(`${prefix}-network`, config.network, opts);
  const dataLake = new DataLake(
    `${prefix}-lake`,
    {
      environment: config.environment,
      zones: config.dataLake.zones,
      abortIncompleteUploadDays: config.dataLake.abortIncompleteUploadDays,
      logsExpireDays: config.dataLake.logsExpireDays,
      artifactsNoncurrentExpireDays: config.dataLake.artifactsNoncurrentExpireDays,
      retainOnDelete: config.dataLake.retainOnDelete,
    },
    opts,
  );
  const catalog = new CentralCatalog(
    `${prefix}-catalog`,
    {
      environment: config.environment,
      dataLake,
      databases: config.catalog.databases,
      lakeFormationAdmins: config.catalog.lakeFormationAdmins,
    },
    opts,
  );

  return { provider, network, dataLake, catalog };
}

/** Stack outputs: what operators and other stacks need to find the platform's resources. */
export function platformOutputs(platform: Platform): Record<string, unknown> {
  const { dataLake, catalog, network } = platform;
  return {
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    dataLakeKeyArn: dataLake.key.arn,
    buckets: {
      raw: dataLake.zones.raw.name,
      curated: dataLake.zones.curated.name,
      analytics: dataLake.zones.analytics.name,
      artifacts: dataLake.artifacts.name,
      logs: dataLake.logs.name,
    },
    catalogId: catalog.catalogId,
    databases: Object.fromEntries(
      [...catalog.databases].map(([logical, database]) => [logical, database.name]),
    ),
  };
}
