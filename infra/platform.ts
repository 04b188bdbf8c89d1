/**
 * Composes the environment from components. Takes validated config only; reads nothing from
 * the Pulumi runtime itself, so tests and the offline plan can build any config.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { loadStackConfig, StackConfig } from "./config";
import { buildEngineJob, EngineJob } from "./engines";
import { buildPipelineRun, PipelineRun } from "./orchestration";
import { buildMonitoring, Monitoring } from "./monitoring";
import { resolveLocation } from "./locations";
import { estimateStackCost } from "./cost";
import { buildCatalogGrants } from "./grants";
import { CatalogGrants } from "../components/catalog/grants";
import { defaultTags } from "../components/shared/tags";
import { Network } from "../components/network/network";
import { DataLake } from "../components/storage/data-lake";
import { CentralCatalog } from "../components/catalog/central-catalog";
import { GlueSecurityConfiguration } from "../components/glue/security-configuration";
import { GlueCrawler } from "../components/glue/crawler";
import { JdbcConnection } from "../components/glue/connection";
import { EmrSecurityConfiguration } from "../components/emr/security-configuration";
import { EmrSecurityGroups } from "../components/emr/security-groups";
import { Warehouse } from "../components/warehouse/warehouse";
import { AlertTopic } from "../components/monitoring/alert-topic";
import { CostEstimate } from "../decisions/cost";

export interface Platform {
  config: StackConfig;
  provider: aws.Provider;
  network: Network;
  dataLake: DataLake;
  catalog: CentralCatalog;
  alerts: AlertTopic;
  warehouse?: Warehouse;
  crawlers: Map<string, GlueCrawler>;
  engineJobs: Map<string, EngineJob>;
  runs: PipelineRun[];
  catalogGrants: CatalogGrants[];
  monitoring: Monitoring;
  costEstimate: CostEstimate;
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
  const retention = config.logs.retentionDays;

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
  const alerts = new AlertTopic(
    `${prefix}-alerts`,
    {
      environment: config.environment,
      emails: config.alerts.emails,
      retainOnDelete: config.dataLake.retainOnDelete,
    },
    opts,
  );

  const usesGlue =
    config.crawlers.length > 0 ||
    config.connections.length > 0 ||
    config.pipelines.some((p) => p.engine === "glue");
  const glueSecurity = usesGlue
    ? new GlueSecurityConfiguration(`${prefix}-glue`, { environment: config.environment, dataLake }, opts)
    : undefined;

  // Glue places a connection's network interfaces in one subnet; its AZ is looked up only when needed.
  const firstSubnet = network.privateSubnetIds.apply((ids) => ids[0]);
  const connectionZone = () => aws.ec2.getSubnetOutput({ id: firstSubnet }, { provider }).availabilityZone;
  const connections = new Map(
    config.connections.map((connection) => [
      connection.name,
      new JdbcConnection(
        `${prefix}-${connection.name}`,
        {
          jdbcUrl: connection.jdbcUrl,
          secret: connection.secret,
          vpcId: network.vpcId,
          subnetId: firstSubnet,
          availabilityZone: connectionZone(),
          databaseCidrs: connection.databaseCidrs,
          port: connection.port,
        },
        opts,
      ),
    ]),
  );

  const crawlers = new Map(
    config.crawlers.map((crawler) => [
      crawler.name,
      new GlueCrawler(
        `${prefix}-${crawler.name}`,
        {
          database: catalog.database(crawler.database),
          tablePrefix: crawler.tablePrefix,
          s3Targets: crawler.s3Targets.map((target) => {
            const location = resolveLocation(target, config.environment, dataLake, catalog);
            return {
              bucketName: location.bucket.name,
              bucketArn: location.bucket.arn,
              prefix: location.prefix,
            };
          }),
          jdbcTargets: crawler.jdbcTargets.map((target) => ({
            connection: connections.get(target.connection)!,
            path: target.path,
          })),
          dynamodbTargets: crawler.dynamodbTargets,
          incremental: crawler.incremental,
          securityConfigurationName: glueSecurity!.name,
          dataLake,
          logRetentionDays: retention,
        },
        opts,
      ),
    ]),
  );

  const warehouse = config.warehouse
    ? new Warehouse(
        `${prefix}-warehouse`,
        {
          environment: config.environment,
          databaseName: config.warehouse.databaseName,
          capacity: config.warehouse,
          dataLake,
          spectrumDatabases: [...catalog.databases.values()],
          vpcId: network.vpcId,
          privateSubnetIds: network.privateSubnetIds,
          clientSecurityGroupId: network.jobSecurityGroup.id,
          s3PrefixListId: network.s3Endpoint.prefixListId,
          retainOnDelete: config.dataLake.retainOnDelete,
        },
        opts,
      )
    : undefined;

  let emrShared:
    { securityConfiguration: EmrSecurityConfiguration; securityGroups: EmrSecurityGroups } | undefined;
  const engineJobs = new Map<string, EngineJob>();
  for (const pipeline of config.pipelines) {
    engineJobs.set(
      pipeline.name,
      buildEngineJob(pipeline, {
        config,
        network,
        dataLake,
        catalog,
        glueSecurityConfigurationName: glueSecurity?.name ?? "",
        connections,
        emrShared: () =>
          (emrShared ??= {
            securityConfiguration: new EmrSecurityConfiguration(
              `${prefix}-emr`,
              { keyArn: dataLake.key.arn },
              opts,
            ),
            securityGroups: new EmrSecurityGroups(`${prefix}-emr`, { vpcId: network.vpcId }, opts),
          }),
        opts,
      }),
    );
  }

  const runs = config.pipelines.map((pipeline) =>
    buildPipelineRun(pipeline, {
      config,
      dataLake,
      catalog,
      engineJobs,
      crawlers,
      warehouse,
      alertTopicArn: alerts.topicArn,
      alertTopicKeyArn: alerts.key.arn,
      opts,
    }),
  );

  const catalogGrants = buildCatalogGrants({
    config,
    dataLake,
    catalog,
    engineJobs,
    crawlers,
    warehouse,
    opts,
  });
  const monitoring = buildMonitoring({ config, alerts, engineJobs, crawlers, runs, opts });
  const alarms =
    monitoring.pipelineAlarms.reduce((count, pipeline) => count + pipeline.alarms.length, 0) +
    monitoring.failureRuleAlarms.alarms.length +
    1; // the alert topic's dead-letter alarm
  const costEstimate = estimateStackCost(config, { alarms });

  return {
    config,
    provider,
    network,
    dataLake,
    catalog,
    alerts,
    warehouse,
    crawlers,
    engineJobs,
    runs,
    catalogGrants,
    monitoring,
    costEstimate,
  };
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
    alertTopicArn: platform.alerts.topicArn,
    pipelines: Object.fromEntries(
      platform.runs.map((run) => [
        run.pipeline.name,
        {
          engine: run.pipeline.engine,
          slaTier: run.pipeline.slaTier,
          orchestration: run.orchestration,
          stateMachineArn: run.stateMachine?.arn,
          glueWorkflow: run.workflow?.workflowName,
        },
      ]),
    ),
    dashboardName: platform.monitoring.dashboard.dashboardName,
    costEstimate: platform.costEstimate,
  };
}

/** The program: validate the stack config, then build the platform and return its outputs. */
export function platformProgram(): Record<string, unknown> {
  return platformOutputs(buildPlatform(loadStackConfig()));
}
