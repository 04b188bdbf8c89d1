/**
 * sales-aggregator: AWS Batch (Fargate, ARM64) job that turns one uploaded sales CSV into
 * daily per-store aggregates in the curated zone.
 *
 * Input  s3://$SOURCE_BUCKET/$SOURCE_KEY, CSV with header sale_id,store_id,sold_at,amount
 *        (any column order, extra columns ignored; sold_at ISO-8601, amount a decimal).
 * Output s3://$TARGET_BUCKET/$TARGET_PREFIX/<SOURCE_KEY without extension>.csv with header
 *        sale_date,store_id,sales_count,total_amount (sale_date = UTC day of sold_at,
 *        total_amount summed exactly and rounded half away from zero to cents).
 *
 * Configuration: see config.ts (env vars SOURCE_BUCKET, SOURCE_KEY, TARGET_BUCKET,
 * TARGET_PREFIX, or the matching --source-bucket ... arguments).
 *
 * The whole file is validated and aggregated in memory before anything is written, and the
 * result is one object written with one PutObject: bad input never leaves partial output,
 * and a rerun for the same upload overwrites the same key with the same bytes.
 *
 * Exit codes: 0 ok, 2 configuration error, 3 invalid input (do not retry), 4 S3 error
 * (may be transient), 1 unexpected. Every failure is one line on stderr.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { Env, JobConfig, loadConfig } from "./config";
import { EXIT_INTERNAL, EXIT_OK, InputError, JobError, oneLine } from "./errors";
import { outputKeyFor, renderCsv } from "./output";
import { createS3Client, readSource, writeResult } from "./s3io";
import { aggregateSalesCsv } from "./sales";

export const JOB_NAME = "sales-aggregator";

export interface JobResult {
  source: string;
  target: string;
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

/** Runs the job for an already-loaded configuration. Throws {@link JobError}s. */
export async function runJob(config: JobConfig, s3: S3Client): Promise<JobResult> {
  const source = `s3://${config.sourceBucket}/${config.sourceKey}`;
  const targetKey = outputKeyFor(config.targetPrefix, config.sourceKey);
  const target = `s3://${config.targetBucket}/${targetKey}`;

  let object;
  let aggregation;
  try {
    object = await readSource(s3, config.sourceBucket, config.sourceKey, config.maxSourceBytes);
    aggregation = aggregateSalesCsv(object.text);
  } catch (error) {
    // Name the file in every input error: "s3://raw/in/x.csv: line 4, column amount: ..."
    if (error instanceof InputError) throw new InputError(`${source}: ${error.message}`);
    throw error;
  }
  await writeResult(s3, config.targetBucket, targetKey, renderCsv(aggregation.rows), {
    bucket: config.sourceBucket,
    key: config.sourceKey,
    etag: object.etag,
    versionId: object.versionId,
  });
  return {
    source,
    target,
    salesRead: aggregation.salesRead,
    rowsWritten: aggregation.rows.length,
    saleDates: [...new Set(aggregation.rows.map((row) => row.saleDate))],
  };
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
