/**
 * Each pipeline's engine job, declared from its config: a Glue ETL job, a transient or
 * long-running EMR cluster, an EMR Serverless application, or a Batch job on Fargate.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "./config";
import { PipelineConfig } from "./pipeline-config";
import { ResolvedLocation, resolveLocation } from "./locations";
import { Network } from "../components/network/network";
import { DataLake } from "../components/storage/data-lake";
import { JobScript } from "../components/storage/job-script";
import { CentralCatalog, CatalogDatabase } from "../components/catalog/central-catalog";
import { EtlJob } from "../components/glue/etl-job";
import { JdbcConnection } from "../components/glue/connection";
import { EmrCluster } from "../components/emr/cluster";
import { EmrTransientCluster } from "../components/emr/transient-cluster";
import { EmrServerlessApplication } from "../components/emr/serverless-application";
import { EmrJobAccess } from "../components/emr/data-access";
import { EmrSecurityConfiguration } from "../components/emr/security-configuration";
import { EmrSecurityGroups } from "../components/emr/security-groups";
import { Repository } from "../components/containers/repository";
import { ContainerImage } from "../components/containers/image";
import { ComputeQueue } from "../components/batch/compute";
import { JobDefinition } from "../components/batch/job-definition";
import { pipelineTags } from "../components/shared/tags";
import { GlueWorkerType } from "../decisions/glue";

/** What the rest of the program needs to know about a declared engine job. */
export type EngineJob =
  | { engine: "glue"; job: EtlJob }
  | {
      engine: "emr";
      mode: "transient";
      cluster: EmrTransientCluster;
      script: JobScript;
      args: pulumi.Output<string[]>;
    }
  | { engine: "emr"; mode: "longRunning"; cluster: EmrCluster; script: JobScript }
  | {
      engine: "emrServerless";
      application: EmrServerlessApplication;
      script: JobScript;
      args: pulumi.Output<string[]>;
    }
  | { engine: "batch"; queue: ComputeQueue; jobDefinition: JobDefinition };

export interface EngineContext {
  config: StackConfig;
  network: Network;
  dataLake: DataLake;
  catalog: CentralCatalog;
  glueSecurityConfigurationName: pulumi.Input<string>;
  connections: Map<string, JdbcConnection>;
  /** Shared across the environment's EMR clusters (created on first use). */
  emrShared: () => { securityConfiguration: EmrSecurityConfiguration; securityGroups: EmrSecurityGroups };
  opts: pulumi.ComponentResourceOptions;
}

export function resourceName(config: StackConfig, pipeline: string): string {
  return `bdp-${config.environment}-${pipeline}`;
}

function uniqueDatabases(locations: ResolvedLocation[]): CatalogDatabase[] {
  const byName = new Map<string, CatalogDatabase>();
  for (const location of locations)
    if (location.database) byName.set(location.database.logicalName, location.database);
  return [...byName.values()];
}

/** Spark scripts take `--source` / `--target` (and optionally the catalog table to register). */
function sparkArguments(source: ResolvedLocation, target: ResolvedLocation): pulumi.Output<string[]> {
  return pulumi
    .all([source.uri, target.uri, target.database?.name])
    .apply(([sourceUri, targetUri, database]) => [
      "--source",
      sourceUri,
      "--target",
      targetUri,
      ...(database && target.table ? ["--table", `${database}.${target.table}`] : []),
    ]);
}

export function buildEngineJob(pipeline: PipelineConfig, ctx: EngineContext): EngineJob {
  const { config, dataLake, catalog, network } = ctx;
  const name = resourceName(config, pipeline.name);
  const source = resolveLocation(pipeline.source, config.environment, dataLake, catalog);
  const target = resolveLocation(pipeline.target, config.environment, dataLake, catalog);
  const retention = config.logs.retentionDays;
  const tags = pipelineTags(pipeline.name, pipeline.slaTier);

  switch (pipeline.engine) {
    case "glue": {
      const jobArguments: Record<string, pulumi.Input<string>> = {
        "--target_path": target.uri,
      };
      if (source.database && source.table) {
        jobArguments["--source_database"] = source.database.name;
        jobArguments["--source_table"] = source.table;
      }
      if (target.database && target.table) {
        jobArguments["--target_database"] = target.database.name;
        jobArguments["--target_table"] = target.table;
      }
      const job = new EtlJob(
        name,
        {
          pipeline: pipeline.name,
          slaTier: pipeline.slaTier,
          description: pipeline.description,
          scriptPath: pipeline.glue.script,
          workerType: pipeline.glue.workerType as GlueWorkerType,
          numberOfWorkers: pipeline.glue.numberOfWorkers,
          timeoutMinutes: pipeline.timeoutMinutes,
          maxRetries: pipeline.glue.maxRetries,
          incremental: pipeline.glue.incremental,
          sources: [{ bucketArn: source.bucket.arn, prefix: source.prefix }],
          targets: [{ bucketArn: target.bucket.arn, prefix: target.prefix }],
          databases: uniqueDatabases([source, target]),
          jobArguments,
          connections: pipeline.glue.connections.map((connection) => ctx.connections.get(connection)!),
          dataLake,
          securityConfigurationName: ctx.glueSecurityConfigurationName,
          logRetentionDays: retention,
        },
        ctx.opts,
      );
      return { engine: "glue", job };
    }
    case "emr":
    case "emrServerless": {
      const scriptPath = pipeline.engine === "emr" ? pipeline.emr.script : pipeline.emrServerless.script;
      const script = new JobScript(
        `${name}-script`,
        { pipeline: pipeline.name, sourcePath: scriptPath, artifacts: dataLake.artifacts },
        ctx.opts,
      );
      const access: EmrJobAccess = {
        read: [{ bucketArn: source.bucket.arn, prefix: source.prefix }],
        write: [{ bucketArn: target.bucket.arn, prefix: target.prefix }],
        readDatabases: uniqueDatabases([source]),
        writeDatabases: uniqueDatabases([target]),
        scripts: { bucketArn: dataLake.artifacts.arn, prefix: script.prefix },
      };
      if (pipeline.engine === "emrServerless") {
        const settings = pipeline.emrServerless;
        const application = new EmrServerlessApplication(
          name,
          {
            pipeline: pipeline.name,
            tier: pipeline.slaTier,
            releaseLabel: settings.releaseLabel,
            maximumVcpu: settings.maximumVcpu,
            maximumMemoryGb: settings.maximumMemoryGb,
            idleTimeoutMinutes: settings.idleTimeoutMinutes,
            dataLake,
            access,
            privateSubnetIds: network.privateSubnetIds,
            securityGroupIds: [network.jobSecurityGroup.id],
            logRetentionDays: retention,
          },
          ctx.opts,
        );
        return { engine: "emrServerless", application, script, args: sparkArguments(source, target) };
      }
      const settings = pipeline.emr;
      const shared = ctx.emrShared();
      const clusterArgs = {
        pipeline: pipeline.name,
        tier: pipeline.slaTier,
        releaseLabel: settings.releaseLabel,
        minCapacityUnits: settings.minCapacityUnits,
        maxCapacityUnits: settings.maxCapacityUnits,
        idleTimeoutMinutes: settings.idleTimeoutMinutes,
        dataLake,
        access,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        securityGroups: shared.securityGroups,
        securityConfiguration: shared.securityConfiguration,
      };
      if (settings.mode === "transient") {
        const cluster = new EmrTransientCluster(name, clusterArgs, ctx.opts);
        return { engine: "emr", mode: "transient", cluster, script, args: sparkArguments(source, target) };
      }
      const cluster = new EmrCluster(name, clusterArgs, ctx.opts);
      return { engine: "emr", mode: "longRunning", cluster, script };
    }
    case "batch": {
      const settings = pipeline.batch;
      const image =
        settings.image.buildContext !== undefined
          ? (() => {
              const repository = new Repository(name, { kmsKeyArn: dataLake.key.arn, tags }, ctx.opts);
              return new ContainerImage(
                name,
                {
                  source: { kind: "build", context: settings.image.buildContext! },
                  repository: { repositoryUrl: repository.repositoryUrl, arn: repository.arn },
                },
                ctx.opts,
              );
            })()
          : new ContainerImage(name, { source: { kind: "uri", uri: settings.image.uri! } }, ctx.opts);
      const queue = new ComputeQueue(
        name,
        {
          slaTier: pipeline.slaTier,
          // Room for four jobs of this size at once; the queue is the pipeline's own.
          maxVcpus: Math.max(4, Math.ceil(settings.vcpu) * 4),
          subnetIds: network.privateSubnetIds,
          securityGroupId: network.jobSecurityGroup.id,
          ec2Spot: settings.ec2Spot,
          tags,
        },
        ctx.opts,
      );
      const jobDefinition = new JobDefinition(
        name,
        {
          pipeline: pipeline.name,
          slaTier: pipeline.slaTier,
          image: { imageUri: image.imageUri, repositoryArn: image.repositoryArn },
          vcpu: settings.vcpu,
          memoryMiB: settings.memoryMiB,
          timeoutMinutes: pipeline.timeoutMinutes,
          attempts: settings.attempts,
          platform: queue.platform,
          source: { bucketName: source.bucket.name, bucketArn: source.bucket.arn, prefix: source.prefix },
          target: { bucketName: target.bucket.name, bucketArn: target.bucket.arn, prefix: target.prefix },
          kmsKeyArn: dataLake.key.arn,
          logRetentionDays: retention,
          tags,
        },
        ctx.opts,
      );
      return { engine: "batch", queue, jobDefinition };
    }
  }
}
