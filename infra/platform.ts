/**
 * Composes the environment from components and engine modules. Takes validated config only;
 * reads nothing from the Pulumi runtime itself, so tests and the offline plan can build any
 * config. The steps, in order: provider, foundation (network, lake, catalog, alerts), shared
 * Glue pieces (connections, crawlers), warehouse, engine jobs, runs, grants, monitoring, cost.
 * The per-pipeline steps pause between batches of pipelines (pacing.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { loadStackConfig, StackConfig } from "./config";
import { providerAccessArgs } from "./deployment-config";
import { declareEngineJobs, DeclaredJob } from "./engines";
import { engineOf } from "./pipeline-config";
import { buildPipelineRun, PipelineRun } from "./orchestration";
import { buildMonitoring, Monitoring } from "./monitoring";
import { DeclaredCounts, estimateStackCost } from "./cost";
import { buildCatalogGrants } from "./grants";
import { declareInBatches, Paced, runPaced } from "./pacing";
import { AnyEngineModule } from "../engines/contract";
import { PlatformContext } from "../engines/platform-context";
import { ENGINES, stepKindsOf } from "../engines/registry";
import { resolveLocation } from "../engines/locations";
import {
  AlertTopic,
  CatalogGrants,
  CentralCatalog,
  DataLake,
  defaultTags,
  endpointServicesFor,
  GlueCrawler,
  GlueSecurityConfiguration,
  JdbcConnection,
  Network,
  NetworkArgs,
  NetworkWorkload,
  Warehouse,
} from "../index";
import { CostEstimate } from "../decisions/cost";

export interface Platform {
  config: StackConfig;
  provider: aws.Provider;
  context: PlatformContext;
  jobs: Map<string, DeclaredJob>;
  runs: PipelineRun[];
  catalogGrants: CatalogGrants[];
  monitoring: Monitoring;
  costEstimate: CostEstimate;
}

/**
 * The one explicit AWS provider of the stack: region, the account guard (only the stack's account),
 * the profile and roles to assume from the `aws:` config, and default tags.
 */
export function createProvider(config: StackConfig): aws.Provider {
  return new aws.Provider("aws", {
    region: config.region as aws.Region,
    ...providerAccessArgs(config),
    defaultTags: {
      tags: defaultTags({
        environment: config.environment,
        owner: config.owner,
        costCenter: config.costCenter,
      }),
    },
  });
}

/** What the stack runs in the private subnets: each pipeline's engine, Glue connections, the warehouse. */
function networkWorkloads(config: StackConfig, engines: readonly AnyEngineModule[]): NetworkWorkload[] {
  return [
    ...config.pipelines.flatMap((pipeline) => engineOf(pipeline, engines).networkWorkloads),
    ...(config.connections.length > 0 ? (["glueConnection"] as const) : []),
    ...(config.warehouse ? (["redshiftSpectrum"] as const) : []),
  ];
}

/** The network: a new VPC gets interface endpoints for exactly the workloads the stack runs. */
function networkArgs(config: StackConfig, engines: readonly AnyEngineModule[]): NetworkArgs {
  const network = config.network;
  if (network.mode !== "new") return network;
  return { ...network, interfaceEndpoints: endpointServicesFor(networkWorkloads(config, engines)) };
}

/** The foundation every pipeline builds on: network, data lake, central catalog, alert topic. */
function declareFoundation(
  config: StackConfig,
  engines: readonly AnyEngineModule[],
  prefix: string,
  opts: pulumi.ComponentResourceOptions,
) {
  const network = new Network(`${prefix}-network`, networkArgs(config, engines), opts);
  // The prefixes keep the physical names the stacks were first deployed with (`bdp-<env>-raw-...`).
  const dataLake = new DataLake(
    `${prefix}-lake`,
    {
      namePrefix: prefix,
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
      namePrefix: config.environment,
      dataLake,
      databases: config.catalog.databases,
      lakeFormationAdmins: config.catalog.lakeFormationAdmins,
      enforceLakeFormation: config.catalog.enforceLakeFormation,
      deployerArn: config.deployment.roleArn,
    },
    opts,
  );
  const alerts = new AlertTopic(
    `${prefix}-alerts`,
    {
      namePrefix: prefix,
      emails: config.alerts.emails,
      retainOnDelete: config.dataLake.retainOnDelete,
    },
    opts,
  );
  return { network, dataLake, catalog, alerts };
}

type Foundation = ReturnType<typeof declareFoundation>;

/** The context engines and wiring share; Glue pieces and the warehouse are added by later steps. */
function createContext(
  config: StackConfig,
  foundation: Foundation,
  opts: pulumi.ComponentResourceOptions,
): PlatformContext {
  const namePrefix = `bdp-${config.environment}`;
  const shared = new Map<string, unknown>();
  const context: PlatformContext = {
    environment: config.environment,
    namePrefix,
    logRetentionDays: config.logs.retentionDays,
    ...foundation,
    connections: new Map(),
    crawlers: new Map(),
    opts,
    nameOf: (pipeline) => `${namePrefix}-${pipeline}`,
    locate: (location) =>
      resolveLocation(
        location,
        { environment: config.environment, databases: config.catalog.databases },
        foundation.dataLake,
        foundation.catalog,
      ),
    shared: <T>(key: string, create: () => T): T => {
      if (!shared.has(key)) shared.set(key, create());
      return shared.get(key) as T;
    },
    glueSecurityConfigurationName: () =>
      context.shared(
        "glue-security",
        () => new GlueSecurityConfiguration(`${namePrefix}-glue`, { dataLake: foundation.dataLake }, opts),
      ).name,
  };
  return context;
}

/** Glue JDBC connections; Glue places a connection's network interfaces in one subnet. */
function declareConnections(config: StackConfig, ctx: PlatformContext, provider: aws.Provider) {
  const firstSubnet = ctx.network.privateSubnetIds.apply((ids) => ids[0]);
  // The subnet's AZ is looked up only when a connection exists.
  const connectionZone = () => aws.ec2.getSubnetOutput({ id: firstSubnet }, { provider }).availabilityZone;
  return new Map(
    config.connections.map((connection) => [
      connection.name,
      new JdbcConnection(
        ctx.nameOf(connection.name),
        {
          jdbcUrl: connection.jdbcUrl,
          secret: connection.secret,
          vpcId: ctx.network.vpcId,
          subnetId: firstSubnet,
          availabilityZone: connectionZone(),
          databaseCidrs: connection.databaseCidrs,
          port: connection.port,
        },
        ctx.opts,
      ),
    ]),
  );
}

/** Glue crawlers that keep the central catalog's tables up to date. */
function declareCrawlers(config: StackConfig, ctx: PlatformContext) {
  return new Map(
    config.crawlers.map((crawler) => [
      crawler.name,
      new GlueCrawler(
        ctx.nameOf(crawler.name),
        {
          database: ctx.catalog.database(crawler.database),
          tablePrefix: crawler.tablePrefix,
          s3Targets: crawler.s3Targets.map((target) => {
            const location = ctx.locate(target);
            return {
              bucketName: location.bucket.name,
              bucketArn: location.bucket.arn,
              prefix: location.prefix,
            };
          }),
          jdbcTargets: crawler.jdbcTargets.map((target) => ({
            connection: ctx.connections.get(target.connection)!,
            path: target.path,
          })),
          dynamodbTargets: crawler.dynamodbTargets,
          incremental: crawler.incremental,
          securityConfigurationName: ctx.glueSecurityConfigurationName(),
          dataLake: ctx.dataLake,
          logRetentionDays: ctx.logRetentionDays,
        },
        ctx.opts,
      ),
    ]),
  );
}

function declareWarehouse(config: StackConfig, ctx: PlatformContext): Warehouse | undefined {
  if (!config.warehouse) return undefined;
  return new Warehouse(
    `${ctx.namePrefix}-warehouse`,
    {
      databaseName: config.warehouse.databaseName,
      capacity: config.warehouse,
      dataLake: ctx.dataLake,
      spectrumDatabases: [...ctx.catalog.databases.values()],
      vpcId: ctx.network.vpcId,
      privateSubnetIds: ctx.network.privateSubnetIds,
      clientSecurityGroupId: ctx.network.jobSecurityGroup.id,
      s3PrefixListId: ctx.network.s3Endpoint.prefixListId,
      retainOnDelete: config.dataLake.retainOnDelete,
      logRetentionDays: ctx.logRetentionDays,
    },
    ctx.opts,
  );
}

/** Alarms the program declared: every pipeline's, one per failure rule, and the alert DLQ's. */
function countAlarms(monitoring: Monitoring): Omit<DeclaredCounts, "interfaceEndpoints"> {
  const pipelines = monitoring.pipelineAlarms;
  return {
    alarms:
      pipelines.reduce((count, pipeline) => count + pipeline.alarms.length, 0) +
      monitoring.failureRuleAlarms.alarms.length +
      1, // the alert topic's dead-letter alarm
    compositeAlarms: pipelines.reduce((count, pipeline) => count + pipeline.compositeAlarms.length, 0),
  };
}

/**
 * Builds the platform of a validated config with the given engines (default: engines/registry.ts);
 * run it with runPaced (pacing.ts).
 */
export function* buildPlatform(
  config: StackConfig,
  engines: readonly AnyEngineModule[] = ENGINES,
): Paced<Platform> {
  const provider = createProvider(config);
  const opts: pulumi.ComponentResourceOptions = { providers: { aws: provider } };
  const foundation = declareFoundation(config, engines, `bdp-${config.environment}`, opts);
  const ctx = createContext(config, foundation, opts);
  if (config.crawlers.length > 0 || config.connections.length > 0) ctx.glueSecurityConfigurationName();
  ctx.connections = declareConnections(config, ctx, provider);
  ctx.crawlers = declareCrawlers(config, ctx);
  ctx.warehouse = declareWarehouse(config, ctx);

  const jobs = yield* declareEngineJobs(config.pipelines, engines, ctx);
  const stepKinds = stepKindsOf(engines);
  const runs = yield* declareInBatches(jobs.values(), (declared) =>
    buildPipelineRun(declared, jobs, stepKinds, ctx),
  );
  const catalogGrants = yield* buildCatalogGrants(config, jobs, ctx);
  const monitoring = yield* buildMonitoring(config, jobs, runs, engines, ctx);
  const costEstimate = estimateStackCost(
    config,
    { ...countAlarms(monitoring), interfaceEndpoints: ctx.network.interfaceEndpoints.size },
    engines,
  );
  return { config, provider, context: ctx, jobs, runs, catalogGrants, monitoring, costEstimate };
}

/** Stack outputs: what operators and other stacks need to find the platform's resources. */
export function platformOutputs(platform: Platform): Record<string, unknown> {
  const { dataLake, catalog, network, alerts } = platform.context;
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
    alertTopicArn: alerts.topicArn,
    pipelines: Object.fromEntries(
      platform.runs.map((run) => [
        run.pipeline.name,
        {
          engine: run.pipeline.engine,
          slaTier: run.pipeline.slaTier,
          orchestration: run.orchestration,
          stateMachineArn: run.stateMachine?.arn,
          ...run.outputs,
        },
      ]),
    ),
    dashboardName: platform.monitoring.dashboard.dashboardName,
    costEstimate: platform.costEstimate,
  };
}

/** The program: validate the stack config, then build the platform and return its outputs. */
export async function platformProgram(
  engines: readonly AnyEngineModule[] = ENGINES,
): Promise<Record<string, unknown>> {
  return platformOutputs(await runPaced(buildPlatform(loadStackConfig(engines), engines)));
}
