/**
 * What a pipeline is, whatever engine runs it: name, SLA tier, trigger, time limits, where it
 * reads and writes, and the ordered steps of its state machine. The schemas are pure (zod only)
 * so the stack config loader and the engine modules share one definition; each engine adds the
 * schema of its own settings block (`engines/<engine>/settings.ts`).
 */
import { z } from "zod";
import { SLA_TIERS, SlaTier } from "./sla-tier";
import { scheduleExpressionError, timeZoneError } from "./schedule";
import { s3PrefixError } from "./s3";
import { ArgsProblem } from "./problems";
import { RESERVED_STATE_NAMES } from "./orchestration/validate";

/**
 * A zod refinement from a decision's `...Error(value)` check, so config and components share
 * one rule: the check's message becomes the issue at the value's key.
 */
export function refineWith<T>(errorOf: (value: T) => string | undefined) {
  return (value: T, ctx: z.RefinementCtx): void => {
    const problem = errorOf(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
  };
}

/**
 * Reports a validator's problems (a component's `validate<Name>Args`, a decision's `...Problems`)
 * as config issues at the refined value's own keys: the validator's field names are the config's.
 */
export function addProblems(ctx: z.RefinementCtx, problems: ArgsProblem[]): void {
  for (const problem of problems) {
    ctx.addIssue({
      code: "custom",
      path: problem.path,
      message: problem.message,
      ...(problem.given === undefined ? {} : { input: problem.given }),
    });
  }
}

/**
 * A list refinement: every item whose key an earlier item already has is a problem at the item
 * (or at `field` inside it). Names become resource names, subscriptions or grants, so a repeated
 * one is at best a duplicate and at worst two resources with one name.
 */
export function uniqueBy<T>(
  keyOf: (item: T) => string,
  message: (key: string) => string,
  field: (string | number)[] = [],
) {
  return (items: readonly T[], ctx: z.RefinementCtx): void => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const key = keyOf(item);
      if (seen.has(key)) {
        ctx.addIssue({ code: "custom", path: [index, ...field], message: message(key), input: key });
      }
      seen.add(key);
    });
  };
}

/** A list refinement for named entries (crawlers, connections, tables): each name at most once. */
export const uniqueNames = (what: string) =>
  uniqueBy<{ name: string }>(
    (entry) => entry.name,
    (name) => `${what} "${name}" is declared twice`,
    ["name"],
  );

/** A list refinement for plain values: each value at most once. */
export const uniqueValues = (what: string, normalize: (value: string) => string = (value) => value) =>
  uniqueBy<string>(normalize, (value) => `${what} "${value}" is listed twice`);

/** Lower-case kebab-case, 2 to 40 characters: pipeline, crawler and connection names. */
export const kebabName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,39}$/,
    "must be lower-case kebab-case, 2 to 40 characters, starting with a letter",
  );

export const s3Prefix = z.string().superRefine(refineWith((prefix: string) => s3PrefixError(prefix)));

/** A catalog table name: lower-case letters, digits and underscores, starting with a letter. */
export const tableName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,254}$/, "must be lower-case letters, digits and underscores");

/** The zones of the data lake, in the order data flows through them. */
export const DATA_ZONES = ["raw", "curated", "analytics"] as const;
/** A zone of the data lake: raw, curated or analytics. */
export type DataZone = (typeof DATA_ZONES)[number];
const zone = z.enum(DATA_ZONES);

const scheduleExpression = z.string().superRefine(refineWith(scheduleExpressionError));

const timezone = z.string().superRefine(refineWith(timeZoneError));

/** What starts a pipeline. */
export const triggerSchema = z.discriminatedUnion("type", [
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
export const dataLocationSchema = z
  .strictObject({
    database: z.string().optional(),
    table: tableName.optional(),
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

/** A script in this repository's `jobs/` folder with the given extension. */
export const repoScript = (extension: string) =>
  z
    .string()
    .regex(
      new RegExp(`^jobs/[A-Za-z0-9_./-]+\\.${extension}$`),
      `must be a .${extension} file under jobs/ in this repository`,
    )
    .refine((path) => !path.includes(".."), "must not contain ..");

/** Why a step name cannot be used: the state-machine builder names its own states with these. */
export function reservedStepNameError(name: string): string | undefined {
  return (RESERVED_STATE_NAMES as readonly string[]).includes(name)
    ? `is reserved for the state machine's own states (${RESERVED_STATE_NAMES.join(", ")})`
    : undefined;
}

/**
 * Pure-Python modules a job script imports, shipped beside it (`.py` files or `.zip` packages
 * under `jobs/`): Glue gets them as `--extra-py-files`, Spark as `--py-files`.
 */
export const pythonModulesSchema = z
  .array(
    z
      .string()
      .regex(
        /^jobs\/[A-Za-z0-9_./-]+\.(py|zip)$/,
        "must be a .py or .zip file under jobs/ in this repository",
      )
      .refine((path) => !path.includes(".."), "must not contain .."),
  )
  .default([]);

const stepName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9-]{0,39}$/, "must be letters, digits and hyphens, at most 40 characters")
  .superRefine(refineWith(reservedStepNameError));

/**
 * One step of a pipeline's Step Functions state machine. `job` runs this pipeline's own engine
 * job; the others name a crawler, another pipeline, or a warehouse load.
 */
export const stepSchema = z.discriminatedUnion("type", [
  z.strictObject({ name: stepName, type: z.literal("job") }),
  z.strictObject({ name: stepName, type: z.literal("crawler"), crawler: kebabName }),
  z.strictObject({ name: stepName, type: z.literal("pipelineJob"), pipeline: kebabName }),
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

/** The engine-neutral fields of every pipeline; engines add `engine` and their settings block. */
export const pipelineCommonFields = {
  name: kebabName,
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
  crawlers: z.array(kebabName).superRefine(uniqueValues("crawler")).default([]),
  /**
   * Ordered steps run by a Step Functions state machine. Omitted: each engine decides how the
   * pipeline runs (see its module's `orchestration`).
   */
  steps: z.array(stepSchema).min(1).optional(),
};

export type PipelineTrigger = z.infer<typeof triggerSchema>;
export type DataLocation = z.infer<typeof dataLocationSchema>;
export type PipelineStep = z.infer<typeof stepSchema>;

/** A validated pipeline: the common fields, the engine's id and its settings block (keyed by that id). */
export interface PipelineDefinition {
  name: string;
  description: string;
  slaTier: SlaTier;
  trigger: PipelineTrigger;
  expectedRunsPerMonth?: number;
  expectedRuntimeMinutes: number;
  timeoutMinutes: number;
  source: DataLocation;
  target: DataLocation;
  crawlers: string[];
  steps?: PipelineStep[];
  /** The engine module's id, e.g. "glue"; its settings sit under the same key. */
  engine: string;
  [settings: string]: unknown;
}

/** Reports a config problem at a path relative to the pipeline entry (e.g. ["glue", "workerType"]). */
export type PipelineIssue = (path: (string | number)[], message: string, input?: unknown) => void;

/** The names a pipeline may refer to, declared elsewhere in the stack config. */
export interface ConfigReferences {
  /** Catalog databases by logical name, with their zone. */
  databases: ReadonlyMap<string, { zone: string }>;
  crawlers: ReadonlySet<string>;
  connections: ReadonlySet<string>;
  pipelines: ReadonlySet<string>;
  hasWarehouse: boolean;
}

/** Whether any of the pipeline's steps loads the warehouse (a `redshiftLoad` step). */
export function loadsWarehouse(pipeline: { steps?: readonly { type: string }[] }): boolean {
  return (pipeline.steps ?? []).some((step) => step.type === "redshiftLoad");
}
