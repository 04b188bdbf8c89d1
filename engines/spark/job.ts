/**
 * What the two Spark engines (EMR on EC2 and EMR Serverless) share: the script uploaded for the
 * pipeline, the data the job may touch, and the `--source` / `--target` arguments the Spark
 * scripts take.
 */
import * as pulumi from "@pulumi/pulumi";
import { JobScript } from "../../components/storage/job-script";
import { EmrJobAccess } from "../../components/emr/data-access";
import { PipelineDefinition } from "../../decisions/pipeline";
import { uniqueDatabases } from "../locations";
import { PlatformContext, ResolvedLocation } from "../platform-context";

export interface SparkJobInputs {
  source: ResolvedLocation;
  target: ResolvedLocation;
  script: JobScript;
  access: EmrJobAccess;
}

/** Uploads the pipeline's script and scopes the job's data access to its source and target. */
export function sparkJobInputs(
  pipeline: PipelineDefinition,
  code: { script: string; pythonModules: string[] },
  ctx: PlatformContext,
): SparkJobInputs {
  const source = ctx.locate(pipeline.source);
  const target = ctx.locate(pipeline.target);
  const script = new JobScript(
    `${ctx.nameOf(pipeline.name)}-script`,
    {
      pipeline: pipeline.name,
      sourcePath: code.script,
      modules: code.pythonModules,
      artifacts: ctx.dataLake.artifacts,
    },
    ctx.opts,
  );
  const access: EmrJobAccess = {
    read: [source],
    write: [target],
    readDatabases: uniqueDatabases([source]),
    writeDatabases: uniqueDatabases([target]),
    scripts: {
      bucketName: ctx.dataLake.artifacts.name,
      bucketArn: ctx.dataLake.artifacts.arn,
      prefix: script.prefix,
    },
  };
  return { source, target, script, access };
}

/** Spark scripts take `--source` / `--target` (and optionally the catalog table to register). */
export function sparkArguments(source: ResolvedLocation, target: ResolvedLocation): pulumi.Output<string[]> {
  return pulumi
    .all([source.uri, target.uri, target.catalogTable?.database.name])
    .apply(([sourceUri, targetUri, database]) => [
      "--source",
      sourceUri,
      "--target",
      targetUri,
      ...(database && target.catalogTable ? ["--table", `${database}.${target.catalogTable.table}`] : []),
    ]);
}
