/**
 * sales-aggregator: AWS Batch (Fargate, ARM64) job that turns uploaded sales CSVs into daily
 * per-store aggregates in the curated zone. Two modes (JOB_MODE, see config.ts):
 *
 * object  one upload, s3://$SOURCE_BUCKET/$SOURCE_KEY (the S3-upload trigger's run), written to
 *         s3://$TARGET_BUCKET/$TARGET_PREFIX/<SOURCE_KEY without extension>.csv
 * day     every object under s3://$SOURCE_BUCKET/$SOURCE_PREFIX last modified on one UTC day
 *         (the schedule's run: the day before SCHEDULED_TIME, or RUN_DATE), written to
 *         s3://$TARGET_BUCKET/$TARGET_PREFIX/upload_date=<day>/sales_by_store.csv
 *
 * Input: CSV with header sale_id,store_id,sold_at,amount (any column order, extra columns
 * ignored; sold_at ISO-8601, amount a decimal). Output: header sale_date,store_id,sales_count,
 * total_amount (sale_date = UTC day of sold_at, total_amount summed exactly and rounded half
 * away from zero to cents).
 *
 * Everything is validated and aggregated in memory before anything is written, and the result
 * is one object written with one PutObject: bad input never leaves partial output, and a rerun
 * over the same input overwrites the same key with the same bytes.
 *
 * Exit codes: 0 ok, 2 configuration error, 3 invalid input (do not retry), 4 S3 error
 * (may be transient), 1 unexpected. Every failure is one line on stderr.
 */
import { createHash } from "node:crypto";
import { S3Client } from "@aws-sdk/client-s3";
import { DayJobConfig, Env, JobConfig, loadConfig, ObjectJobConfig } from "./config";
import { EXIT_INTERNAL, EXIT_OK, InputError, JobError, oneLine } from "./errors";
import { dayOutputKey, outputKeyFor, renderCsv } from "./output";
import { createS3Client, listUploadsOfDay, objectSourceMetadata, readSource, writeResult } from "./s3io";
import { Aggregation, SalesAggregator } from "./sales";

export const JOB_NAME = "sales-aggregator";

export interface JobResult {
  mode: JobConfig["mode"];
  /** The object read, or the prefix listed. */
  source: string;
  target: string;
  /** Day runs: the UTC upload day and how many objects were aggregated. */
  uploadDate?: string;
  objectsRead: number;
  salesRead: number;
  rowsWritten: number;
  saleDates: string[];
}

export interface JobOutput {
  stdout(line: string): void;
  stderr(line: string): void;
}

const processOutput: JobOutput = {
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
};

/** Runs `step`, naming `source` in any input error: "s3://raw/in/x.csv: line 4, column amount: ...". */
async function naming<T>(source: string, step: () => Promise<T> | T): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${source}: ${error.message}`);
    throw error;
  }
}

function summary(
  config: JobConfig,
  source: string,
  targetKey: string,
  aggregation: Aggregation,
  objectsRead: number,
): JobResult {
  return {
    mode: config.mode,
    source,
    target: `s3://${config.targetBucket}/${targetKey}`,
    ...(config.mode === "day" ? { uploadDate: config.day } : {}),
    objectsRead,
    salesRead: aggregation.salesRead,
    rowsWritten: aggregation.rows.length,
    saleDates: [...new Set(aggregation.rows.map((row) => row.saleDate))],
  };
}

async function runObject(config: ObjectJobConfig, s3: S3Client): Promise<JobResult> {
  const source = `s3://${config.sourceBucket}/${config.sourceKey}`;
  const aggregator = new SalesAggregator();
  const object = await naming(source, async () => {
    const read = await readSource(s3, config.sourceBucket, config.sourceKey, config.maxSourceBytes);
    aggregator.add(read.text);
    return read;
  });
  const aggregation = aggregator.result();
  const targetKey = outputKeyFor(config.targetPrefix, config.sourceKey);
  await writeResult(
    s3,
    config.targetBucket,
    targetKey,
    renderCsv(aggregation.rows),
    objectSourceMetadata({ bucket: config.sourceBucket, key: config.sourceKey, ...object }),
  );
  return summary(config, source, targetKey, aggregation, 1);
}

/**
 * Aggregates every upload of one UTC day into one output object. The objects are read in key
 * order and their sizes checked together before the first read; a day without uploads writes a
 * header-only result, so readers see the day was processed.
 */
async function runDay(config: DayJobConfig, s3: S3Client): Promise<JobResult> {
  const source = `s3://${config.sourceBucket}/${config.sourcePrefix}`;
  const objects = await listUploadsOfDay(s3, config.sourceBucket, config.sourcePrefix, config.day, {
    maxListed: config.maxListedObjects,
    pageSize: config.listPageSize,
  });
  const totalBytes = objects.reduce((sum, object) => sum + object.size, 0);
  if (totalBytes > config.maxSourceBytes) {
    throw new InputError(
      `${source}: the ${objects.length} uploads of ${config.day} hold ${totalBytes} bytes, ` +
        `more than MAX_SOURCE_BYTES=${config.maxSourceBytes}`,
    );
  }
  const aggregator = new SalesAggregator();
  // Which object versions went in: equal inputs give equal metadata, so reruns write equal bytes.
  const digest = createHash("sha256");
  for (const { key } of objects) {
    const where = `s3://${config.sourceBucket}/${key}`;
    await naming(where, async () => {
      const read = await readSource(s3, config.sourceBucket, key, config.maxSourceBytes);
      aggregator.add(read.text, where);
      digest.update(`${key}\u0000${read.etag ?? ""}\u0000${read.versionId ?? ""}\n`);
    });
  }
  const aggregation = aggregator.result();
  const targetKey = dayOutputKey(config.targetPrefix, config.day);
  await writeResult(s3, config.targetBucket, targetKey, renderCsv(aggregation.rows), {
    "source-bucket": config.sourceBucket,
    "source-prefix": encodeURIComponent(config.sourcePrefix),
    "upload-date": config.day,
    "source-objects": String(objects.length),
    "source-digest": digest.digest("hex"),
  });
  return summary(config, source, targetKey, aggregation, objects.length);
}

/** Runs the job for an already-loaded configuration. Throws {@link JobError}s. */
export function runJob(config: JobConfig, s3: S3Client): Promise<JobResult> {
  return config.mode === "day" ? runDay(config, s3) : runObject(config, s3);
}

/**
 * Entry point. Never throws: returns the process exit code and reports through `output`
 * (one JSON line on stdout on success, one plain line on stderr on failure).
 * `s3` lets tests inject a client; by default one is built from the configuration.
 */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  env: Env = process.env,
  output: JobOutput = processOutput,
  s3?: S3Client,
): Promise<number> {
  let client = s3;
  try {
    const config = loadConfig(argv, env);
    client ??= createS3Client(config.s3);
    const result = await runJob(config, client);
    output.stdout(JSON.stringify({ job: JOB_NAME, status: "succeeded", ...result }));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof JobError) {
      output.stderr(oneLine(`${JOB_NAME}: ${error.kind}: ${error.message}`));
      return error.exitCode;
    }
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    output.stderr(oneLine(`${JOB_NAME}: unexpected error: ${detail}`));
    return EXIT_INTERNAL;
  } finally {
    if (s3 === undefined) client?.destroy();
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
