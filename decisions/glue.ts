import { SlaTier } from "./sla-tier";
import { scheduleExpressionError } from "./schedule";

/** Glue version for new Spark ETL jobs (Spark 3.5, Python 3.11). */
export const GLUE_VERSION = "5.0";

/** Spark worker types a batch ETL job may use, with their DPUs per worker. */
export const GLUE_WORKER_DPUS = {
  "G.1X": 1,
  "G.2X": 2,
  "G.4X": 4,
  "G.8X": 8,
} as const;
export type GlueWorkerType = keyof typeof GLUE_WORKER_DPUS;
export const GLUE_WORKER_TYPES = Object.keys(GLUE_WORKER_DPUS) as GlueWorkerType[];

/** AWS runs FLEX only for glueetl jobs on Glue 3.0+ with G.1X or G.2X workers. */
export const FLEX_WORKER_TYPES: readonly GlueWorkerType[] = ["G.1X", "G.2X"];

export type GlueExecutionClass = "FLEX" | "STANDARD";

/**
 * Flexible pipelines run on spare capacity (FLEX, about a third cheaper per DPU-hour) when the
 * worker type allows it; standard and critical pipelines need the start-time guarantee of STANDARD.
 */
export function glueExecutionClass(tier: SlaTier, workerType: GlueWorkerType): GlueExecutionClass {
  return tier === "flexible" && FLEX_WORKER_TYPES.includes(workerType) ? "FLEX" : "STANDARD";
}

/** Why a worker count cannot run a Spark job (one driver and at least one executor), or undefined. */
export function glueWorkerCountError(numberOfWorkers: number): string | undefined {
  return Number.isInteger(numberOfWorkers) && numberOfWorkers >= 2
    ? undefined
    : "must be a whole number of at least 2 (Glue needs one driver and one executor)";
}

/**
 * Glue Auto Scaling: with the job argument `--enable-auto-scaling` set to "true", Glue adds and
 * removes workers by the parallelism of each stage, and NumberOfWorkers becomes the maximum. It
 * exists for Spark ETL and streaming jobs on Glue 3.0 or later with G.* or R.* workers, never
 * Standard DPUs (maxCapacity): https://docs.aws.amazon.com/glue/latest/dg/auto-scaling.html
 */
export const GLUE_AUTO_SCALING_ARGUMENT = "--enable-auto-scaling";
export const GLUE_AUTO_SCALING_MIN_VERSION = 3;

/** Whether a Glue version can auto scale (3.0 and later). */
export function glueAutoScalingSupported(glueVersion: string): boolean {
  const major = Number.parseFloat(glueVersion);
  return Number.isFinite(major) && major >= GLUE_AUTO_SCALING_MIN_VERSION;
}

/**
 * Why an expected worker count cannot describe an auto-scaled run of at most `numberOfWorkers`, or
 * undefined. It is the average number of workers over a run (DPU-seconds / run seconds / DPUs per
 * worker, as GetJobRun reports DPUSeconds), so it need not be whole; a Spark run holds at least
 * its driver and one executor.
 */
export function glueExpectedWorkersError(
  expectedWorkers: number,
  numberOfWorkers: number,
): string | undefined {
  if (!Number.isFinite(expectedWorkers) || expectedWorkers < 2) {
    return "must be a number of at least 2 (a run holds its driver and one executor)";
  }
  return expectedWorkers > numberOfWorkers
    ? `must be at most numberOfWorkers (${numberOfWorkers}): auto scaling never goes above it`
    : undefined;
}

/** Why a retry count is not one the platform allows (0 to 10), or undefined. */
export function glueMaxRetriesError(maxRetries: number): string | undefined {
  return Number.isInteger(maxRetries) && maxRetries >= 0 && maxRetries <= 10
    ? undefined
    : "must be a whole number from 0 to 10";
}

/** Why a worker type cannot serve a tier, or undefined. Flexible pipelines must be able to use FLEX. */
export function glueWorkerTypeError(tier: SlaTier, workerType: GlueWorkerType): string | undefined {
  if (tier === "flexible" && !FLEX_WORKER_TYPES.includes(workerType)) {
    return `flexible pipelines run with the FLEX execution class, which allows only ${FLEX_WORKER_TYPES.join(" or ")}`;
  }
  return undefined;
}

/** Job bookmarks make an incremental job read only what arrived since its last successful run. */
export type JobBookmarkOption = "job-bookmark-enable" | "job-bookmark-disable";

export function jobBookmarkOption(incremental: boolean): JobBookmarkOption {
  return incremental ? "job-bookmark-enable" : "job-bookmark-disable";
}

export type CrawlerTargetKind = "s3" | "jdbc" | "dynamodb";
export type RecrawlBehavior = "CRAWL_NEW_FOLDERS_ONLY" | "CRAWL_EVERYTHING";

export interface CrawlerSchemaChangePolicy {
  updateBehavior: "LOG" | "UPDATE_IN_DATABASE";
  deleteBehavior: "LOG" | "DEPRECATE_IN_DATABASE" | "DELETE_FROM_DATABASE";
}

/** How a crawler treats what it finds: recrawl scope, schema changes and its `configuration` JSON. */
export interface CrawlerBehavior {
  recrawlBehavior: RecrawlBehavior;
  schemaChangePolicy: CrawlerSchemaChangePolicy;
  configuration: {
    Version: 1.0;
    CrawlerOutput: {
      Partitions: { AddOrUpdateBehavior: "InheritFromTable" };
      Tables?: { AddOrUpdateBehavior: "MergeNewColumns" };
    };
    Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" };
  };
}

/** The kind of each of a crawler's targets, S3 first. */
export function crawlerTargetKinds(targets: {
  s3Targets?: readonly unknown[];
  jdbcTargets?: readonly unknown[];
  dynamodbTargets?: readonly unknown[];
}): CrawlerTargetKind[] {
  return [
    ...(targets.s3Targets ?? []).map((): CrawlerTargetKind => "s3"),
    ...(targets.jdbcTargets ?? []).map((): CrawlerTargetKind => "jdbc"),
    ...(targets.dynamodbTargets ?? []).map((): CrawlerTargetKind => "dynamodb"),
  ];
}

/** Why a crawler's targets are not enough to crawl, or undefined. */
export function crawlerTargetsError(targetKinds: readonly CrawlerTargetKind[]): string | undefined {
  return targetKinds.length === 0
    ? "a crawler needs at least one target (s3Targets, jdbcTargets or dynamodbTargets)"
    : undefined;
}

/** Why a crawler cannot be incremental, or undefined. Glue crawls only new S3 folders, nothing else. */
export function crawlerIncrementalError(
  incremental: boolean,
  targetKinds: readonly CrawlerTargetKind[],
): string | undefined {
  if (incremental && targetKinds.some((kind) => kind !== "s3")) {
    return "incremental crawls (CRAWL_NEW_FOLDERS_ONLY) work only when every target is an S3 target";
  }
  return undefined;
}

/**
 * Incremental crawlers add new folders only, and AWS requires LOG for both schema-change behaviors
 * with CRAWL_NEW_FOLDERS_ONLY. Full crawlers update tables but only ever add columns
 * (MergeNewColumns) and mark vanished tables deprecated instead of deleting them, so a bad crawl
 * never drops what queries and jobs rely on. Partitions inherit the table schema, and compatible
 * files under one path become one table.
 */
export function crawlerBehavior(incremental: boolean): CrawlerBehavior {
  const grouping = { TableGroupingPolicy: "CombineCompatibleSchemas" } as const;
  const partitions = { AddOrUpdateBehavior: "InheritFromTable" } as const;
  if (incremental) {
    return {
      recrawlBehavior: "CRAWL_NEW_FOLDERS_ONLY",
      schemaChangePolicy: { updateBehavior: "LOG", deleteBehavior: "LOG" },
      configuration: { Version: 1.0, CrawlerOutput: { Partitions: partitions }, Grouping: grouping },
    };
  }
  return {
    recrawlBehavior: "CRAWL_EVERYTHING",
    schemaChangePolicy: { updateBehavior: "UPDATE_IN_DATABASE", deleteBehavior: "DEPRECATE_IN_DATABASE" },
    configuration: {
      Version: 1.0,
      CrawlerOutput: { Partitions: partitions, Tables: { AddOrUpdateBehavior: "MergeNewColumns" } },
      Grouping: grouping,
    },
  };
}

/**
 * Why an expression cannot schedule a Glue trigger or crawler, or undefined. Glue takes only
 * cron() (no rate()) and evaluates it in UTC.
 */
export function glueScheduleError(expression: string, timezone = "UTC"): string | undefined {
  if (!/^cron\(.*\)$/.test(expression.trim())) {
    return 'Glue schedules must be "cron(<6 fields>)"; rate() is not supported';
  }
  const problem = scheduleExpressionError(expression);
  if (problem) return problem;
  if (timezone !== "UTC") {
    return `Glue schedules run in UTC; convert the expression to UTC instead of using time zone ${timezone}`;
  }
  return undefined;
}
