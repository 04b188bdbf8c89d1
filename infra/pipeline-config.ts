/**
 * The declarative `pipelines` list: an analyst adds a pipeline by editing stack config. The
 * engine-neutral fields come from decisions/pipeline.ts; each engine module adds its settings
 * block and checks, so the schema is built from the engine registry. Cross-references
 * (databases, crawlers, connections, warehouse) are checked against the rest of the stack config.
 */
import { z } from "zod";
import {
  addProblems,
  ConfigReferences,
  dataLocationSchema,
  DataLocation,
  kebabName,
  pipelineCommonFields,
  PipelineDefinition,
  PipelineIssue,
  uniqueBy,
  uniqueValues,
} from "../decisions/pipeline";
import { CatalogLayout } from "../decisions/locations";
import { dataContractProblems } from "../decisions/data-contracts";
import { AnyEngineModule, Orchestration } from "../engines/contract";
import { crawlerTargetProblems, validateJdbcConnectionArgs } from "../index";
import { WAREHOUSE_TABLES, tableContract } from "../decisions/warehouse/tables";

export type PipelineConfig = PipelineDefinition;
export type { DataLocation, PipelineStep, PipelineTrigger } from "../decisions/pipeline";

/** The engine module of a validated pipeline (validation guarantees there is one). */
export function engineOf(pipeline: PipelineDefinition, engines: readonly AnyEngineModule[]): AnyEngineModule {
  const engine = engines.find((candidate) => candidate.id === pipeline.engine);
  if (!engine) throw new Error(`pipeline "${pipeline.name}": no engine "${pipeline.engine}"`);
  return engine;
}

/** How a pipeline is run, decided by its engine from its settings and steps (see README "Pipelines"). */
export function orchestrationOf(
  pipeline: PipelineDefinition,
  engines: readonly AnyEngineModule[],
): Orchestration {
  const engine = engineOf(pipeline, engines);
  return engine.orchestration(pipeline, pipeline[engine.id]);
}

/** Checks every pipeline needs, whatever its engine. */
function checkCommon(pipeline: PipelineDefinition, issue: PipelineIssue): void {
  if (pipeline.timeoutMinutes < pipeline.expectedRuntimeMinutes) {
    issue(
      ["timeoutMinutes"],
      `must be at least expectedRuntimeMinutes (${pipeline.expectedRuntimeMinutes})`,
      pipeline.timeoutMinutes,
    );
  }
  if (pipeline.trigger.type !== "schedule" && pipeline.expectedRunsPerMonth === undefined) {
    issue(
      ["expectedRunsPerMonth"],
      `is required for ${pipeline.trigger.type} pipelines (the cost estimate cannot derive it from a schedule)`,
    );
  }
  if (pipeline.trigger.type === "schedule" && pipeline.expectedRunsPerMonth !== undefined) {
    issue(
      ["expectedRunsPerMonth"],
      "is derived from the schedule for scheduled pipelines, so this value would be ignored; remove it",
      pipeline.expectedRunsPerMonth,
    );
  }
}

/** One pipeline entry: a discriminated union on `engine` over the engines given. */
export function pipelineSchemaFor(engines: readonly AnyEngineModule[]) {
  const [first, ...rest] = engines.map((engine) =>
    z
      .strictObject({
        ...pipelineCommonFields,
        engine: z.literal(engine.id),
        [engine.id]: engine.settingsSchema,
      })
      .superRefine((parsed, ctx) => {
        const pipeline = parsed as unknown as PipelineDefinition;
        const issue: PipelineIssue = (path, message, input) =>
          ctx.addIssue({ code: "custom", path, message, ...(input === undefined ? {} : { input }) });
        checkCommon(pipeline, issue);
        engine.checkPipeline?.(pipeline, pipeline[engine.id], issue);
      }),
  );
  if (first === undefined) throw new Error("the platform needs at least one engine");
  return z.discriminatedUnion("engine", [first, ...rest]);
}

/** A crawler crawls each target once; the same target twice is a copy-paste slip. */
const uniqueTargets = uniqueBy<object>(
  (target) => JSON.stringify(target),
  (target) => `the same target is listed twice: ${target}`,
);

/** Glue crawlers that keep central-catalog tables up to date. */
export const crawlerSchema = z
  .strictObject({
    name: kebabName,
    database: z.string(),
    /** Optional prefix for the table names the crawler creates. */
    tablePrefix: z
      .string()
      .regex(/^[a-z0-9_]{0,64}$/)
      .optional(),
    /** Catalog tables (`{database, table}`) or S3 prefixes (`{zone, prefix}`) to crawl. */
    s3Targets: z.array(dataLocationSchema).superRefine(uniqueTargets).default([]),
    jdbcTargets: z
      .array(z.strictObject({ connection: kebabName, path: z.string().regex(/^[\w%]+(\/[\w%]+){0,2}$/) }))
      .superRefine(uniqueTargets)
      .default([]),
    dynamodbTargets: z
      .array(z.strictObject({ table: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/) }))
      .superRefine(uniqueTargets)
      .default([]),
    /** Only crawl folders added since the last crawl (S3 targets only). */
    incremental: z.boolean(),
  })
  // The crawler component's target rules, at this entry's keys.
  .superRefine((crawler, ctx) => addProblems(ctx, crawlerTargetProblems(crawler)));

export type CrawlerConfig = z.infer<typeof crawlerSchema>;

/**
 * JDBC connections for Glue; credentials stay in Secrets Manager and are referenced by name. The
 * JdbcConnection component's own checks run on the entry (its args have the same names).
 */
export const connectionSchema = z
  .strictObject({
    name: kebabName,
    /** e.g. jdbc:postgresql://host:5432/db, without credentials. */
    jdbcUrl: z.string(),
    /** Name or ARN of the Secrets Manager secret with `username` and `password`. */
    secret: z.string(),
    /** CIDRs the database listens on; the connection's security group may reach only these. */
    databaseCidrs: z.array(z.cidrv4()).superRefine(uniqueValues("CIDR")),
    port: z.number(),
  })
  .superRefine((connection, ctx) => addProblems(ctx, validateJdbcConnectionArgs(connection)));

export type ConnectionConfig = z.infer<typeof connectionSchema>;

interface ReferenceContext {
  environment: string;
  catalog: { databases: CatalogLayout["databases"] };
  pipelines: PipelineDefinition[];
  warehouse?: unknown;
  crawlers?: CrawlerConfig[];
  connections?: ConnectionConfig[];
}

/**
 * Cross-checks names: pipeline names unique, databases exist (and match the zone), crawlers,
 * connections and the warehouse exist, and each engine's own references; then the data contracts
 * between triggers, jobs, crawlers and loads (decisions/data-contracts.ts). Called from the stack
 * schema's superRefine.
 */
export function validatePipelineReferences(
  config: ReferenceContext,
  ctx: z.RefinementCtx,
  engines: readonly AnyEngineModule[],
): void {
  const references: ConfigReferences = {
    databases: new Map(config.catalog.databases.map((database) => [database.name, database])),
    crawlers: new Set((config.crawlers ?? []).map((crawler) => crawler.name)),
    connections: new Set((config.connections ?? []).map((connection) => connection.name)),
    pipelines: new Set(config.pipelines.map((candidate) => candidate.name)),
    hasWarehouse: config.warehouse !== undefined,
  };
  const { databases, crawlers, connections } = references;
  const issueAt =
    (at: (string | number)[]): PipelineIssue =>
    (path, message, input) =>
      ctx.addIssue({ code: "custom", path: [...at, ...path], message, input });
  const issue = issueAt([]);

  const checkLocation = (location: DataLocation, path: (string | number)[]) => {
    if (location.database !== undefined && !databases.has(location.database)) {
      issue(
        [...path, "database"],
        `unknown database; declared: ${[...databases.keys()].join(", ")}`,
        location.database,
      );
    }
  };

  const seenPipelines = new Set<string>();
  config.pipelines.forEach((pipeline, index) => {
    const at = ["pipelines", index];
    if (seenPipelines.has(pipeline.name))
      issue([...at, "name"], "pipeline names must be unique", pipeline.name);
    seenPipelines.add(pipeline.name);
    checkLocation(pipeline.source, [...at, "source"]);
    checkLocation(pipeline.target, [...at, "target"]);
    pipeline.crawlers.forEach((name, crawlerIndex) => {
      if (!crawlers.has(name))
        issue([...at, "crawlers", crawlerIndex], "unknown crawler; declare it under crawlers", name);
    });
    const stepNames = new Set<string>();
    (pipeline.steps ?? []).forEach((step, stepIndex) => {
      const stepAt = [...at, "steps", stepIndex];
      if (stepNames.has(step.name))
        issue([...stepAt, "name"], `step names must be unique in the pipeline`, step.name);
      stepNames.add(step.name);
      if (step.type === "crawler" && !crawlers.has(step.crawler)) {
        issue(
          [...stepAt, "crawler"],
          `step "${step.name}": unknown crawler; declare it under crawlers`,
          step.crawler,
        );
      }
      if (
        step.type === "pipelineJob" &&
        (!references.pipelines.has(step.pipeline) || step.pipeline === pipeline.name)
      ) {
        const why =
          step.pipeline === pipeline.name
            ? 'use type "job" for this pipeline\'s own job'
            : "unknown pipeline";
        issue([...stepAt, "pipeline"], `step "${step.name}": ${why}`, step.pipeline);
      }
      if (step.type === "redshiftLoad") {
        if (!databases.has(step.from.database)) {
          issue([...stepAt, "from", "database"], `step "${step.name}": unknown database`, step.from.database);
        }
        if (!tableContract(step.from.table)) {
          issue(
            [...stepAt, "from", "table"],
            `step "${step.name}": the warehouse has no table contract for it; known: ${WAREHOUSE_TABLES.map((table) => table.lakeTable).join(", ")} (decisions/warehouse/tables.ts)`,
            step.from.table,
          );
        }
        if (!references.hasWarehouse) {
          issue(
            [...stepAt, "type"],
            `step "${step.name}": a redshiftLoad step needs a warehouse; declare one under warehouse`,
            step.type,
          );
        }
      }
    });
    const engine = engineOf(pipeline, engines);
    engine.checkReferences?.(pipeline, pipeline[engine.id], issueAt(at), references);
  });

  (config.crawlers ?? []).forEach((crawler, index) => {
    const at = ["crawlers", index];
    crawler.s3Targets.forEach((target, targetIndex) =>
      checkLocation(target, [...at, "s3Targets", targetIndex]),
    );
    if (!databases.has(crawler.database)) {
      issue(
        [...at, "database"],
        `unknown database; declared: ${[...databases.keys()].join(", ")}`,
        crawler.database,
      );
    }
    crawler.jdbcTargets.forEach((target, targetIndex) => {
      if (!connections.has(target.connection)) {
        issue([...at, "jdbcTargets", targetIndex, "connection"], "unknown connection", target.connection);
      }
    });
  });

  const layout = { environment: config.environment, databases: config.catalog.databases };
  for (const problem of dataContractProblems({
    pipelines: config.pipelines,
    crawlers: config.crawlers ?? [],
    layout,
  })) {
    issue(problem.path, problem.message, problem.input);
  }
}
