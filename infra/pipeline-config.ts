/**
 * The declarative `pipelines` list: an analyst adds a pipeline by editing stack config.
 * Engine settings are a discriminated union on `engine`; cross-references (databases,
 * crawlers, connections) are checked against the rest of the stack config.
 */
import { z } from "zod";
import { SLA_TIERS } from "../decisions/sla-tier";
import { GLUE_WORKER_TYPES, glueScheduleError, glueWorkerTypeError } from "../decisions/glue";
import { fargateSizeError } from "../decisions/fargate";
import { scheduleExpressionError, timeZoneError } from "../decisions/schedule";

const pipelineName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,39}$/,
    "must be lower-case kebab-case, 2 to 40 characters, starting with a letter",
  );

const resourceName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,39}$/,
    "must be lower-case kebab-case, 2 to 40 characters, starting with a letter",
  );

const s3Prefix = z
  .string()
  .regex(
    /^([A-Za-z0-9!_.*'()-]+\/)+$/,
    'must be a key prefix such as "sales/daily/" (ends with "/", no leading "/")',
  );

const zone = z.enum(["raw", "curated", "analytics"]);

const scheduleExpression = z.string().superRefine((expression, ctx) => {
  const problem = scheduleExpressionError(expression);
  if (problem) ctx.addIssue({ code: "custom", message: problem, input: expression });
});

const timezone = z.string().superRefine((value, ctx) => {
  const problem = timeZoneError(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
});

/** What starts a pipeline. */
const triggerSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("schedule"), expression: scheduleExpression, timezone }),
  z.strictObject({
    type: z.literal("s3Upload"),
    /** Key prefix in the raw bucket, e.g. "incoming/sales/". */
    prefix: s3Prefix,
    /** Key suffix, e.g. ".csv". */
    suffix: z.string().regex(/^\.[A-Za-z0-9.]{1,16}$/, 'must be a file suffix such as ".csv"'),
  }),
  z.strictObject({ type: z.literal("onDemand") }),
]);

/**
 * A data location: a catalog table (database + table; its S3 location follows from the
 * database's zone) or a plain S3 prefix in a zone.
 */
const dataLocationSchema = z
  .strictObject({
    database: z.string().optional(),
    table: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,254}$/, "must be lower-case letters, digits and underscores")
      .optional(),
    zone: zone.optional(),
    prefix: s3Prefix.optional(),
  })
  .superRefine((location, ctx) => {
    const isTable = location.database !== undefined || location.table !== undefined;
    const isPrefix = location.zone !== undefined || location.prefix !== undefined;
    if (isTable === isPrefix) {
      ctx.addIssue({
        code: "custom",
        message: "give either a catalog table (database and table) or an S3 location (zone and prefix)",
      });
      return;
    }
    const missing = isTable
      ? (["database", "table"] as const).filter((key) => location[key] === undefined)
      : (["zone", "prefix"] as const).filter((key) => location[key] === undefined);
    for (const key of missing) ctx.addIssue({ code: "custom", path: [key], message: "is required" });
  });

const repoScript = (extension: string) =>
  z
    .string()
    .regex(
      new RegExp(`^jobs/[A-Za-z0-9_./-]+\\.${extension}$`),
      `must be a .${extension} file under jobs/ in this repository`,
    )
    .refine((path) => !path.includes(".."), "must not contain ..");

const glueSettings = z.strictObject({
  script: repoScript("py"),
  workerType: z.enum(GLUE_WORKER_TYPES as [string, ...string[]]),
  numberOfWorkers: z.number().int().min(2, "Glue needs at least 2 workers").max(299),
  maxRetries: z.number().int().min(0).max(10),
  /** Incremental jobs keep job bookmarks so each run reads only new data. */
  incremental: z.boolean(),
  /** Glue connection names (from `connections`) the job needs for JDBC sources. */
  connections: z.array(resourceName).default([]),
});

const emrSettings = z.strictObject({
  /** transient: created per run by the orchestrator; longRunning: kept, scales and auto-terminates when idle. */
  mode: z.enum(["transient", "longRunning"]),
  script: repoScript("py"),
  releaseLabel: z
    .string()
    .regex(/^emr-7\.\d+\.\d+$/, 'must be an EMR 7 release label such as "emr-7.12.0"')
    .optional(),
  /** Managed scaling bounds in instance-fleet units (one unit = one vCPU of the weighted types). */
  minCapacityUnits: z.number().int().min(1),
  maxCapacityUnits: z.number().int().min(1).max(2000),
  /** The cluster terminates after this much idle time. */
  idleTimeoutMinutes: z.number().int().min(1).max(10080),
});

const emrServerlessSettings = z.strictObject({
  script: repoScript("py"),
  releaseLabel: z
    .string()
    .regex(/^emr-7\.\d+\.\d+$/, 'must be an EMR 7 release label such as "emr-7.12.0"')
    .optional(),
  maximumVcpu: z.number().int().min(1).max(4000),
  maximumMemoryGb: z.number().int().min(1).max(16000),
  idleTimeoutMinutes: z.number().int().min(1).max(10080),
});

const imageSchema = z
  .strictObject({
    /** Build the image from a Dockerfile in this repository (needs a Docker engine at deploy time). */
    buildContext: z
      .string()
      .regex(/^jobs\/[A-Za-z0-9_./-]+$/, "must be a folder under jobs/ in this repository")
      .optional(),
    /** Or use an existing image, e.g. one pushed by another pipeline's CI. */
    uri: z
      .string()
      .regex(
        /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[a-z0-9._/-]+(:[\w.-]{1,128}|@sha256:[0-9a-f]{64})$/,
        "must be an ECR image URI with a tag or digest (<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>)",
      )
      .optional(),
  })
  .refine((image) => (image.buildContext === undefined) !== (image.uri === undefined), {
    message: "give exactly one of buildContext and uri",
  });

const batchSettings = z
  .strictObject({
    image: imageSchema,
    vcpu: z.number().positive(),
    memoryMiB: z.number().int().positive(),
    /** Extra EC2 Spot compute environment with Graviton instances (cheaper for long jobs). */
    ec2Spot: z.boolean().default(false),
    /** Attempts in total, including the first; Spot reclaims and host failures are retried. */
    attempts: z.number().int().min(1).max(10),
  })
  .superRefine((batch, ctx) => {
    const problem = fargateSizeError(batch.vcpu, batch.memoryMiB);
    if (problem)
      ctx.addIssue({ code: "custom", path: ["memoryMiB"], message: problem, input: batch.memoryMiB });
  });

const stepName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9-]{0,39}$/, "must be letters, digits and hyphens, at most 40 characters");

/**
 * One step of a pipeline's Step Functions state machine. `job` runs this pipeline's own engine
 * job; the others name a crawler, another pipeline, or a warehouse load.
 */
const stepSchema = z.discriminatedUnion("type", [
  z.strictObject({ name: stepName, type: z.literal("job") }),
  z.strictObject({ name: stepName, type: z.literal("crawler"), crawler: resourceName }),
  z.strictObject({ name: stepName, type: z.literal("pipelineJob"), pipeline: pipelineName }),
  z.strictObject({
    name: stepName,
    type: z.literal("redshiftLoad"),
    /** The catalog table whose files are loaded (COPY ... FORMAT AS PARQUET). */
    from: z.strictObject({ database: z.string(), table: z.string().regex(/^[a-z][a-z0-9_]{0,254}$/) }),
    /** Target schema and table in the warehouse database. */
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,126}$/, "must be a lower-case Redshift identifier"),
    table: z.string().regex(/^[a-z_][a-z0-9_]{0,126}$/, "must be a lower-case Redshift identifier"),
  }),
]);

export type PipelineStep = z.infer<typeof stepSchema>;

const pipelineBase = {
  name: pipelineName,
  description: z.string().min(1).max(256),
  slaTier: z.enum(SLA_TIERS),
  trigger: triggerSchema,
  /** Runs per month for the cost estimate; required unless the trigger is a schedule. */
  expectedRunsPerMonth: z.number().min(0).optional(),
  /** Typical run time, used for alarms and the cost estimate. */
  expectedRuntimeMinutes: z.number().int().positive("must be greater than 0"),
  /** Hard limit for one run; every job gets one. */
  timeoutMinutes: z.number().int().positive("must be greater than 0").max(2880, "at most 2880 (48 hours)"),
  source: dataLocationSchema,
  target: dataLocationSchema,
  /** Crawlers (from `crawlers`) that run after the job succeeds, to update the catalog. */
  crawlers: z.array(resourceName).default([]),
  /**
   * Ordered steps run by a Step Functions state machine. Omitted: Glue pipelines run as a
   * Glue workflow, Batch pipelines are submitted by EventBridge directly, EMR and EMR
   * Serverless pipelines get a one-step state machine.
   */
  steps: z.array(stepSchema).min(1).optional(),
};

export const pipelineSchema = z
  .discriminatedUnion("engine", [
    z.strictObject({ ...pipelineBase, engine: z.literal("glue"), glue: glueSettings }),
    z.strictObject({ ...pipelineBase, engine: z.literal("emr"), emr: emrSettings }),
    z.strictObject({
      ...pipelineBase,
      engine: z.literal("emrServerless"),
      emrServerless: emrServerlessSettings,
    }),
    z.strictObject({ ...pipelineBase, engine: z.literal("batch"), batch: batchSettings }),
  ])
  .superRefine((pipeline, ctx) => {
    if (pipeline.timeoutMinutes < pipeline.expectedRuntimeMinutes) {
      ctx.addIssue({
        code: "custom",
        path: ["timeoutMinutes"],
        message: `must be at least expectedRuntimeMinutes (${pipeline.expectedRuntimeMinutes})`,
        input: pipeline.timeoutMinutes,
      });
    }
    if (pipeline.trigger.type !== "schedule" && pipeline.expectedRunsPerMonth === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["expectedRunsPerMonth"],
        message: `is required for ${pipeline.trigger.type} pipelines (the cost estimate cannot derive it from a schedule)`,
      });
    }
    if (pipeline.engine === "glue") {
      const problem = glueWorkerTypeError(pipeline.slaTier, pipeline.glue.workerType as never);
      if (problem) {
        ctx.addIssue({
          code: "custom",
          path: ["glue", "workerType"],
          message: problem,
          input: pipeline.glue.workerType,
        });
      }
    }
    if (pipeline.engine === "emr" && pipeline.emr.maxCapacityUnits < pipeline.emr.minCapacityUnits) {
      ctx.addIssue({
        code: "custom",
        path: ["emr", "maxCapacityUnits"],
        message: `must be at least minCapacityUnits (${pipeline.emr.minCapacityUnits})`,
        input: pipeline.emr.maxCapacityUnits,
      });
    }
  });

export type PipelineConfig = z.infer<typeof pipelineSchema>;
export type PipelineTrigger = PipelineConfig["trigger"];
export type DataLocation = PipelineConfig["source"];
export type GluePipelineConfig = Extract<PipelineConfig, { engine: "glue" }>;
export type EmrPipelineConfig = Extract<PipelineConfig, { engine: "emr" }>;
export type EmrServerlessPipelineConfig = Extract<PipelineConfig, { engine: "emrServerless" }>;
export type BatchPipelineConfig = Extract<PipelineConfig, { engine: "batch" }>;

/** Glue crawlers that keep central-catalog tables up to date. */
export const crawlerSchema = z
  .strictObject({
    name: resourceName,
    database: z.string(),
    /** Optional prefix for the table names the crawler creates. */
    tablePrefix: z
      .string()
      .regex(/^[a-z0-9_]{0,64}$/)
      .optional(),
    /** Catalog tables (`{database, table}`) or S3 prefixes (`{zone, prefix}`) to crawl. */
    s3Targets: z.array(dataLocationSchema).default([]),
    jdbcTargets: z
      .array(z.strictObject({ connection: resourceName, path: z.string().regex(/^[\w%]+(\/[\w%]+){0,2}$/) }))
      .default([]),
    dynamodbTargets: z
      .array(z.strictObject({ table: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/) }))
      .default([]),
    /** Only crawl folders added since the last crawl (S3 targets only). */
    incremental: z.boolean(),
  })
  .superRefine((crawler, ctx) => {
    const targetCount =
      crawler.s3Targets.length + crawler.jdbcTargets.length + crawler.dynamodbTargets.length;
    if (targetCount === 0) {
      ctx.addIssue({
        code: "custom",
        message: "needs at least one of s3Targets, jdbcTargets, dynamodbTargets",
      });
    }
    if (crawler.incremental && crawler.s3Targets.length !== targetCount) {
      ctx.addIssue({
        code: "custom",
        path: ["incremental"],
        message: "incremental crawls (CRAWL_NEW_FOLDERS_ONLY) work only with S3 targets alone",
        input: true,
      });
    }
  });

export type CrawlerConfig = z.infer<typeof crawlerSchema>;

/** JDBC connections for Glue; credentials stay in Secrets Manager and are referenced by name. */
export const connectionSchema = z.strictObject({
  name: resourceName,
  jdbcUrl: z
    .string()
    .regex(
      /^jdbc:(postgresql|mysql|sqlserver|oracle:thin|redshift):\/\/?[^\s]+$/,
      "must be a JDBC URL such as jdbc:postgresql://host:5432/db",
    ),
  /** Name or ARN of the Secrets Manager secret with `username` and `password`. */
  secret: z.string().regex(/^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[\w/+=.@-]{1,512}$/),
  /** CIDRs the database listens on; the connection's security group may reach only these. */
  databaseCidrs: z.array(z.cidrv4()).min(1),
  port: z.number().int().min(1).max(65535),
});

export type ConnectionConfig = z.infer<typeof connectionSchema>;

export const pipelinesSchema = z.array(pipelineSchema);

interface ReferenceContext {
  catalog: { databases: { name: string; zone: string }[] };
  pipelines: PipelineConfig[];
  warehouse?: unknown;
  crawlers?: CrawlerConfig[];
  connections?: ConnectionConfig[];
}

/**
 * Cross-checks names: pipeline names unique, databases exist (and match the zone),
 * crawlers and connections exist. Called from the stack schema's superRefine.
 */
export function validatePipelineReferences(config: ReferenceContext, ctx: z.RefinementCtx): void {
  const databases = new Map(config.catalog.databases.map((database) => [database.name, database]));
  const crawlers = new Set((config.crawlers ?? []).map((crawler) => crawler.name));
  const connections = new Set((config.connections ?? []).map((connection) => connection.name));
  const issue = (path: (string | number)[], message: string, input: unknown) =>
    ctx.addIssue({ code: "custom", path, message, input });

  const checkLocation = (location: DataLocation, path: (string | number)[]) => {
    if (location.database !== undefined && !databases.has(location.database)) {
      issue(
        [...path, "database"],
        `unknown database; declared: ${[...databases.keys()].join(", ")}`,
        location.database,
      );
    }
  };

  const pipelineNames = new Set(config.pipelines.map((candidate) => candidate.name));
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
        (!pipelineNames.has(step.pipeline) || step.pipeline === pipeline.name)
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
        if (config.warehouse === undefined) {
          issue(
            [...stepAt, "type"],
            `step "${step.name}": a redshiftLoad step needs a warehouse; declare one under warehouse`,
            step.type,
          );
        }
      }
    });
    checkOrchestration(pipeline, at, issue);
    if (pipeline.engine === "glue") {
      pipeline.glue.connections.forEach((name, connectionIndex) => {
        if (!connections.has(name)) {
          issue(
            [...at, "glue", "connections", connectionIndex],
            "unknown connection; declare it under connections",
            name,
          );
        }
      });
    }
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
}

/** How a pipeline is run, decided from its engine and steps (see README "Pipelines"). */
export type Orchestration = "stepFunctions" | "glueWorkflow" | "eventBridgeBatch" | "longRunningCluster";

export function orchestrationOf(pipeline: PipelineConfig): Orchestration {
  if (pipeline.engine === "emr" && pipeline.emr.mode === "longRunning") return "longRunningCluster";
  if (pipeline.steps !== undefined) return "stepFunctions";
  if (pipeline.engine === "glue") return "glueWorkflow";
  if (pipeline.engine === "batch") return "eventBridgeBatch";
  return "stepFunctions";
}

/** Constraints that follow from how the pipeline will be run. */
function checkOrchestration(
  pipeline: PipelineConfig,
  at: (string | number)[],
  issue: (path: (string | number)[], message: string, input: unknown) => void,
): void {
  const orchestration = orchestrationOf(pipeline);
  const trigger = pipeline.trigger;
  if (orchestration === "longRunningCluster") {
    if (trigger.type !== "onDemand") {
      issue(
        [...at, "trigger", "type"],
        'long-running EMR clusters take ad-hoc steps; use trigger "onDemand", or emr.mode "transient" for scheduled runs',
        trigger.type,
      );
    }
    if (pipeline.steps !== undefined) {
      issue([...at, "steps"], 'steps run on transient clusters; use emr.mode "transient"', "steps");
    }
  }
  if (orchestration === "glueWorkflow") {
    if (trigger.type === "s3Upload") {
      issue(
        [...at, "trigger", "type"],
        "an S3-triggered Glue pipeline needs steps (it then runs in Step Functions), e.g. steps: [{name: run, type: job}]",
        trigger.type,
      );
    }
    if (trigger.type === "schedule") {
      const problem = glueScheduleError(trigger.expression, trigger.timezone);
      if (problem) issue([...at, "trigger"], `Glue workflow schedule: ${problem}`, trigger);
    }
  }
}
