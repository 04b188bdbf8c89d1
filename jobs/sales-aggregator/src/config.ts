import { ConfigError } from "./errors";

/**
 * Job configuration. Every setting can come from an environment variable or from a
 * command argument (AWS Batch passes either: container `environment` overrides, or job
 * `parameters` substituted into the command as `Ref::name`). Arguments win over env vars.
 *
 * | env var              | argument            | required | meaning                                      |
 * | -------------------- | ------------------- | -------- | -------------------------------------------- |
 * | SOURCE_BUCKET        | --source-bucket     | yes      | bucket of the uploaded sales CSV (raw zone)  |
 * | SOURCE_KEY           | --source-key        | yes      | key of the uploaded sales CSV                |
 * | TARGET_BUCKET        | --target-bucket     | yes      | curated zone bucket (must differ from SOURCE_BUCKET) |
 * | TARGET_PREFIX        | --target-prefix     | yes      | key prefix of the curated output             |
 * | SOURCE_KEY_ENCODING  | --source-key-encoding | no     | `raw` (default) or `url`: the key is URL-encoded (`+` = space), as in S3 event notifications |
 * | MAX_SOURCE_BYTES     |                     | no       | refuse larger sources (default 268435456 = 256 MiB) |
 * | S3_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL | | no | S3 endpoint override (first set wins); path-style addressing is then used |
 * | S3_FORCE_PATH_STYLE  |                     | no       | `true`/`false`, overrides the path-style default |
 * | AWS_REGION, AWS_DEFAULT_REGION |           | no       | region (AWS Batch sets AWS_REGION; us-east-1 with a local endpoint) |
 */
export interface JobConfig {
  sourceBucket: string;
  sourceKey: string;
  targetBucket: string;
  targetPrefix: string;
  maxSourceBytes: number;
  s3: { region?: string; endpoint?: string; forcePathStyle: boolean };
}

export type Env = Record<string, string | undefined>;

export const USAGE =
  "usage: sales-aggregator [--source-bucket B] [--source-key K] [--target-bucket B] [--target-prefix P] " +
  "[--source-key-encoding raw|url] (or env SOURCE_BUCKET, SOURCE_KEY, TARGET_BUCKET, TARGET_PREFIX)";

const SETTINGS = {
  sourceBucket: { env: "SOURCE_BUCKET", arg: "--source-bucket" },
  sourceKey: { env: "SOURCE_KEY", arg: "--source-key" },
  targetBucket: { env: "TARGET_BUCKET", arg: "--target-bucket" },
  targetPrefix: { env: "TARGET_PREFIX", arg: "--target-prefix" },
  sourceKeyEncoding: { env: "SOURCE_KEY_ENCODING", arg: "--source-key-encoding" },
} as const;
type Setting = keyof typeof SETTINGS;

export const DEFAULT_MAX_SOURCE_BYTES = 256 * 1024 * 1024;

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

function required(setting: Setting, args: Partial<Record<Setting, string>>, env: Env): string {
  const { env: envName, arg } = SETTINGS[setting];
  const value = args[setting] ?? env[envName];
  if (value === undefined || value.trim() === "") {
    throw new ConfigError(`missing ${envName}: set the environment variable ${envName} or pass ${arg}`);
  }
  if (value.startsWith("Ref::")) {
    throw new ConfigError(
      `${arg} is ${JSON.stringify(value)}: the AWS Batch job parameter was not supplied for this job`,
    );
  }
  return value.trim();
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

/** Builds the configuration from arguments and environment; throws {@link ConfigError} naming the fix. */
export function loadConfig(argv: readonly string[], env: Env): JobConfig {
  const args = parseArgs(argv);
  const encoding = (args.sourceKeyEncoding ?? env.SOURCE_KEY_ENCODING ?? "raw").trim().toLowerCase();
  if (encoding !== "raw" && encoding !== "url") {
    throw new ConfigError(`SOURCE_KEY_ENCODING must be "raw" or "url", not ${JSON.stringify(encoding)}`);
  }
  const sourceBucket = required("sourceBucket", args, env);
  const rawKey = required("sourceKey", args, env);
  const sourceKey = encoding === "url" ? decodeUrlKey(rawKey) : rawKey;

  const targetBucket = required("targetBucket", args, env);
  if (targetBucket === sourceBucket) {
    // The raw bucket publishes upload events; output written there would start this job again.
    throw new ConfigError(
      `TARGET_BUCKET must not be the source bucket ${JSON.stringify(sourceBucket)}: ` +
        "write to the curated zone bucket (uploads to the raw bucket trigger this job again)",
    );
  }
  const targetPrefix = required("targetPrefix", args, env).replace(/^\/+|\/+$/g, "");
  if (targetPrefix === "") throw new ConfigError("TARGET_PREFIX must name a folder, not only '/'");

  let maxSourceBytes = DEFAULT_MAX_SOURCE_BYTES;
  if (env.MAX_SOURCE_BYTES !== undefined && env.MAX_SOURCE_BYTES.trim() !== "") {
    maxSourceBytes = Number(env.MAX_SOURCE_BYTES);
    if (!Number.isSafeInteger(maxSourceBytes) || maxSourceBytes <= 0) {
      throw new ConfigError(
        `MAX_SOURCE_BYTES must be a positive integer, not ${JSON.stringify(env.MAX_SOURCE_BYTES)}`,
      );
    }
  }

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
    sourceBucket,
    sourceKey,
    targetBucket,
    targetPrefix,
    maxSourceBytes,
    s3: {
      region,
      endpoint,
      forcePathStyle: pathStyle === "true" || ((pathStyle ?? "") === "" && endpoint !== undefined),
    },
  };
}
