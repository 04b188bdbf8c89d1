/**
 * Each pipeline's engine job, declared by its engine module from the registry. Nothing here
 * knows an engine by name.
 */
import { PipelineDefinition } from "../decisions/pipeline";
import { AnyEngineModule, EngineJob, settingsOf } from "../engines/contract";
import { PlatformContext } from "../engines/platform-context";
import { declareInBatches, Paced } from "./pacing";
import { engineOf } from "./pipeline-config";

/** A pipeline with its engine module and the job the module declared for it. */
export interface DeclaredJob {
  pipeline: PipelineDefinition;
  engine: AnyEngineModule;
  job: EngineJob;
}

/** Declares every pipeline's job, in config order, in batches (pacing.ts). */
export function* declareEngineJobs(
  pipelines: PipelineDefinition[],
  engines: readonly AnyEngineModule[],
  ctx: PlatformContext,
): Paced<Map<string, DeclaredJob>> {
  const declared = yield* declareInBatches(pipelines, (pipeline): DeclaredJob => {
    const engine = engineOf(pipeline, engines);
    return { pipeline, engine, job: engine.declare(pipeline, settingsOf(pipeline, engine), ctx) };
  });
  return new Map(declared.map((job) => [job.pipeline.name, job]));
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
