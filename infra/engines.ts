/**
 * Each pipeline's engine job, declared by its engine module from the registry. Nothing here
 * knows an engine by name.
 */
import { PipelineDefinition } from "../decisions/pipeline";
import { AnyEngineModule, EngineJob, settingsOf } from "../engines/contract";
import { PlatformContext } from "../engines/platform-context";
import { engineOf } from "./pipeline-config";

/** A pipeline with its engine module and the job the module declared for it. */
export interface DeclaredJob {
  pipeline: PipelineDefinition;
  engine: AnyEngineModule;
  job: EngineJob;
}

/** Declares every pipeline's job, in config order. */
export function declareEngineJobs(
  pipelines: PipelineDefinition[],
  engines: readonly AnyEngineModule[],
  ctx: PlatformContext,
): Map<string, DeclaredJob> {
  const jobs = new Map<string, DeclaredJob>();
  for (const pipeline of pipelines) {
    const engine = engineOf(pipeline, engines);
    jobs.set(pipeline.name, {
      pipeline,
      engine,
      job: engine.declare(pipeline, settingsOf(pipeline, engine), ctx),
    });
  }
  return jobs;
}

/** The jobs of each engine in use, in registry order (for engine-wide rules and widgets). */
export function jobsByEngine(
  jobs: Map<string, DeclaredJob>,
  engines: readonly AnyEngineModule[],
): { engine: AnyEngineModule; jobs: EngineJob[] }[] {
  return engines.map((engine) => ({
    engine,
    jobs: [...jobs.values()].filter((declared) => declared.engine === engine).map((declared) => declared.job),
  }));
}
