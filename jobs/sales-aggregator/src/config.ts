import { ConfigError } from "./errors";

/**
 * Job configuration. Every setting can come from an environment variable or from a
 * command argument (AWS Batch passes either: container `environment` overrides, or job
 * `parameters` substituted into the command as `Ref::name`). Arguments win over env vars.
 *
 * The job runs in one of two modes (JOB_MODE):
 * - `object` (default): aggregate the one uploaded object SOURCE_KEY (the S3-upload trigger
 *   passes its key);
 * - `day`: aggregate every object under SOURCE_PREFIX uploaded (last modified) on one UTC day,
 *   the day before SCHEDULED_TIME (EventBridge Scheduler passes it) or before now, unless
 *   RUN_DATE names the day.
 *
 * | env var              | argument              | required   | meaning                                      |
 * | -------------------- | --------------------- | ---------- | -------------------------------------------- |
 * | JOB_MODE             | --mode                | no         | `object` (default) or `day`                  |
 * | SOURCE_BUCKET        | --source-bucket       | yes        | bucket of the uploads (raw zone)             |
 * | SOURCE_KEY           | --source-key          | object     | key of the uploaded sales CSV                |
 * | SOURCE_PREFIX        | --source-prefix       | day        | folder of the uploads; in object mode the key must be under it when set |
 * | RUN_DATE             | --date                | no         | day mode: the UTC day (`YYYY-MM-DD`) to aggregate, not after today |
 * | SCHEDULED_TIME       |                       | no         | day mode: the schedule's ISO-8601 time; the day before it is aggregated |
 * | TARGET_BUCKET        | --target-bucket       | yes        | curated zone bucket (must differ from SOURCE_BUCKET) |
 * | TARGET_PREFIX        | --target-prefix       | yes        | key prefix of the curated output             |
 * | SOURCE_KEY_ENCODING  | --source-key-encoding | no         | `raw` (default) or `url`: the key is URL-encoded (`+` = space), as in S3 event notifications |
 * | MAX_SOURCE_BYTES     |                       | no         | refuse larger sources: per object, or all of a day's together (default 268435456 = 256 MiB) |
 * | MAX_LISTED_OBJECTS   |                       | no         | day mode: refuse to list more objects under SOURCE_PREFIX (default 100000) |
 * | LIST_PAGE_SIZE       |                       | no         | day mode: keys per ListObjectsV2 page, 1 to 1000 (default 1000) |
 * | S3_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL | | no | S3 endpoint override (first set wins); path-style addressing is then used |
 * | S3_FORCE_PATH_STYLE  |                       | no         | `true`/`false`, overrides the path-style default |
 * | AWS_REGION, AWS_DEFAULT_REGION |             | no         | region (AWS Batch sets AWS_REGION; us-east-1 with a local endpoint) |
 */
interface CommonConfig {
  sourceBucket: string;
  targetBucket: string;
  targetPrefix: string;
  maxSourceBytes: number;
  s3: { region?: string; endpoint?: string; forcePathStyle: boolean };
}

/** One uploaded object (the S3-upload trigger's run). */
export interface ObjectJobConfig extends CommonConfig {
  mode: "object";
  sourceKey: string;
  /** When set, the key must lie under it (the job's role may read nowhere else). */
  sourcePrefix?: string;
}

/** Every object uploaded under a prefix on one UTC day (the scheduled run). */
export interface DayJobConfig extends CommonConfig {
  mode: "day";
  /** Folder of the uploads, ending in "/". */
  sourcePrefix: string;
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  maxListedObjects: number;
  listPageSize: number;
}

export type JobConfig = ObjectJobConfig | DayJobConfig;
export const JOB_MODES = ["object", "day"] as const;
export type JobMode = (typeof JOB_MODES)[number];

export type Env = Record<string, string | undefined>;

export const USAGE =
  "usage: sales-aggregator [--mode object|day] [--source-bucket B] [--source-key K] [--source-prefix P] " +
  "[--date YYYY-MM-DD] [--target-bucket B] [--target-prefix P] [--source-key-encoding raw|url] " +
  "(or env JOB_MODE, SOURCE_BUCKET, SOURCE_KEY, SOURCE_PREFIX, RUN_DATE, TARGET_BUCKET, TARGET_PREFIX)";

const SETTINGS = {
  mode: { env: "JOB_MODE", arg: "--mode" },
  sourceBucket: { env: "SOURCE_BUCKET", arg: "--source-bucket" },
  sourceKey: { env: "SOURCE_KEY", arg: "--source-key" },
  sourcePrefix: { env: "SOURCE_PREFIX", arg: "--source-prefix" },
  runDate: { env: "RUN_DATE", arg: "--date" },
  targetBucket: { env: "TARGET_BUCKET", arg: "--target-bucket" },
  targetPrefix: { env: "TARGET_PREFIX", arg: "--target-prefix" },
  sourceKeyEncoding: { env: "SOURCE_KEY_ENCODING", arg: "--source-key-encoding" },
} as const;
type Setting = keyof typeof SETTINGS;

export const DEFAULT_MAX_SOURCE_BYTES = 256 * 1024 * 1024;
export const DEFAULT_MAX_LISTED_OBJECTS = 100_000;
/** ListObjectsV2 returns at most 1,000 keys per request. */
export const MAX_LIST_PAGE_SIZE = 1000;

function parseArgs(argv: readonly string[]): Partial<Record<Setting, string>> {
  const byArg = new Map<string, Setting>(
    Object.entries(SETTINGS).map(([setting, { arg }]) => [arg, setting as Setting]),
  );
  const values: Partial<Record<Setting, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const eq = token.indexOf("=");
    const name = eq > 0 ? token.slice(0, eq) : token;
    const setting = byArg.get(name);
    if (setting === undefined) throw new ConfigError(`unknown argument ${JSON.stringify(token)}; ${USAGE}`);
    let value: string | undefined;
    if (eq > 0) {
      value = token.slice(eq + 1);
    } else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) throw new ConfigError(`argument ${name} needs a value; ${USAGE}`);
    values[setting] = value;
  }
  return values;
}

/** A setting's value from arguments or env, trimmed; undefined when absent or blank. */
function optional(setting: Setting, args: Partial<Record<Setting, string>>, env: Env): string | undefined {
  const value = (args[setting] ?? env[SETTINGS[setting].env])?.trim();
  if (value === undefined || value === "") return undefined;
  if (value.startsWith("Ref::")) {
    throw new ConfigError(
      `${SETTINGS[setting].arg} is ${JSON.stringify(value)}: the AWS Batch job parameter was not supplied for this job`,
    );
  }
  return value;
}

function required(setting: Setting, args: Partial<Record<Setting, string>>, env: Env): string {
  const value = optional(setting, args, env);
  if (value === undefined) {
    const { env: envName, arg } = SETTINGS[setting];
    throw new ConfigError(`missing ${envName}: set the environment variable ${envName} or pass ${arg}`);
  }
  return value;
}

function decodeUrlKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    throw new ConfigError(
      `SOURCE_KEY ${JSON.stringify(key)} is not valid URL encoding (SOURCE_KEY_ENCODING=url)`,
    );
  }
}

/** A folder prefix without leading "/" and with one trailing "/"; empty is refused. */
function folder(name: string, value: string): string {
  const trimmed = value.replace(/^\/+|\/+$/g, "");
  if (trimmed === "") throw new ConfigError(`${name} must name a folder, not only '/'`);
  return `${trimmed}/`;
}

function positiveInteger(env: Env, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = env[name]?.trim();
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0 || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? "a positive integer" : `an integer from 1 to ${max}`;
    throw new ConfigError(`${name} must be ${range}, not ${JSON.stringify(text)}`);
  }
  return value;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` of a UTC instant. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The UTC day before the one `instant` falls on. */
export function previousUtcDay(instant: Date): string {
  const midnight = Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate());
  return utcDay(new Date(midnight - 24 * 60 * 60 * 1000));
}

function parseDay(name: string, text: string, now: Date): string {
  const match = DAY.exec(text);
  const date = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    : undefined;
  if (date === undefined || utcDay(date) !== text) {
    throw new ConfigError(`${name} must be a calendar day written YYYY-MM-DD, not ${JSON.stringify(text)}`);
  }
  if (text > utcDay(now)) {
    throw new ConfigError(
      `${name} ${text} is in the future (today is ${utcDay(now)} UTC): it has no uploads yet`,
    );
  }
  return text;
}

/**
 * The day a day-mode run aggregates: RUN_DATE when given; else the UTC day before the time the
 * schedule fired (so a late start or a retry still picks the same day); else the day before now.
 */
function dayToAggregate(args: Partial<Record<Setting, string>>, env: Env, now: Date): string {
  const runDate = optional("runDate", args, env);
  if (runDate !== undefined) return parseDay("RUN_DATE", runDate, now);
  const scheduled = env.SCHEDULED_TIME?.trim();
  if (scheduled !== undefined && scheduled !== "") {
    const instant = new Date(scheduled);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(scheduled) || Number.isNaN(instant.getTime())) {
      throw new ConfigError(
        `SCHEDULED_TIME must be an ISO-8601 time such as 2024-05-02T00:00:00Z, not ${JSON.stringify(scheduled)}`,
      );
    }
    return previousUtcDay(instant);
  }
  return previousUtcDay(now);
}

function s3Settings(env: Env): CommonConfig["s3"] {
  const endpoint = [env.S3_ENDPOINT_URL, env.AWS_ENDPOINT_URL_S3, env.AWS_ENDPOINT_URL]
    .map((value) => value?.trim())
    .find((value) => value !== undefined && value !== "");
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint)) {
    throw new ConfigError(`S3 endpoint ${JSON.stringify(endpoint)} must be an http:// or https:// URL`);
  }
  const pathStyle = env.S3_FORCE_PATH_STYLE?.trim().toLowerCase();
  if (pathStyle !== undefined && pathStyle !== "" && pathStyle !== "true" && pathStyle !== "false") {
    throw new ConfigError(`S3_FORCE_PATH_STYLE must be "true" or "false", not ${JSON.stringify(pathStyle)}`);
  }
  // A local endpoint (tests, MinIO) does not care about the region; give the SDK one so it can sign.
  const region =
    [env.AWS_REGION, env.AWS_DEFAULT_REGION].find((value) => value !== undefined && value !== "") ??
    (endpoint !== undefined ? "us-east-1" : undefined);
  return {
    region,
    endpoint,
    forcePathStyle: pathStyle === "true" || ((pathStyle ?? "") === "" && endpoint !== undefined),
  };
}

/**
 * Builds the configuration from arguments and environment; throws {@link ConfigError} naming the
 * fix. `now` decides the default day of a day-mode run.
 */
export function loadConfig(argv: readonly string[], env: Env, now: Date = new Date()): JobConfig {
  const args = parseArgs(argv);
  const mode = (optional("mode", args, env) ?? "object").toLowerCase();
  if (!(JOB_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(`JOB_MODE must be "object" or "day", not ${JSON.stringify(mode)}`);
  }
  const encoding = (args.sourceKeyEncoding ?? env.SOURCE_KEY_ENCODING ?? "raw").trim().toLowerCase();
  if (encoding !== "raw" && encoding !== "url") {
    throw new ConfigError(`SOURCE_KEY_ENCODING must be "raw" or "url", not ${JSON.stringify(encoding)}`);
  }
  const sourceBucket = required("sourceBucket", args, env);
  const targetBucket = required("targetBucket", args, env);
  if (targetBucket === sourceBucket) {
    // The raw bucket publishes upload events; output written there would start this job again.
    throw new ConfigError(
      `TARGET_BUCKET must not be the source bucket ${JSON.stringify(sourceBucket)}: ` +
        "write to the curated zone bucket (uploads to the raw bucket trigger this job again)",
    );
  }
  const common: CommonConfig = {
    sourceBucket,
    targetBucket,
    targetPrefix: folder("TARGET_PREFIX", required("targetPrefix", args, env)).slice(0, -1),
    maxSourceBytes: positiveInteger(env, "MAX_SOURCE_BYTES", DEFAULT_MAX_SOURCE_BYTES),
    s3: s3Settings(env),
  };
  const prefix = optional("sourcePrefix", args, env);

  if (mode === "day") {
    if (prefix === undefined) {
      throw new ConfigError(
        `missing SOURCE_PREFIX: a day run lists the uploads under it; set ${SETTINGS.sourcePrefix.env} or pass ${SETTINGS.sourcePrefix.arg}`,
      );
    }
    return {
      ...common,
      mode: "day",
      sourcePrefix: folder("SOURCE_PREFIX", prefix),
      day: dayToAggregate(args, env, now),
      maxListedObjects: positiveInteger(env, "MAX_LISTED_OBJECTS", DEFAULT_MAX_LISTED_OBJECTS),
      listPageSize: positiveInteger(env, "LIST_PAGE_SIZE", MAX_LIST_PAGE_SIZE, MAX_LIST_PAGE_SIZE),
    };
  }

  const rawKey = required("sourceKey", args, env);
  const sourceKey = encoding === "url" ? decodeUrlKey(rawKey) : rawKey;
  const sourcePrefix = prefix === undefined ? undefined : folder("SOURCE_PREFIX", prefix);
  if (sourcePrefix !== undefined && !sourceKey.startsWith(sourcePrefix)) {
    throw new ConfigError(
      `SOURCE_KEY ${JSON.stringify(sourceKey)} is outside SOURCE_PREFIX ${JSON.stringify(sourcePrefix)}: ` +
        "the job reads only the pipeline's source folder",
    );
  }
  return { ...common, mode: "object", sourceKey, ...(sourcePrefix === undefined ? {} : { sourcePrefix }) };
}
