/**
 * End-to-end tests of the sales-aggregator container job against a local S3 (s3rver),
 * through the real AWS SDK v3 client: in-process via the exported main(), and as a child
 * process (the way the container runs it) to check exit codes and stderr.
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { previousUtcDay } from "../../jobs/sales-aggregator/src/config";
import { main } from "../../jobs/sales-aggregator/src/main";

import { LocalS3, startLocalS3 } from "./fixtures/local-s3";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const JOB_ENTRY = "jobs/sales-aggregator/src/main.ts";
const RAW = "raw-zone";
const CURATED = "curated-zone";
const PREFIX = "sales/daily_by_store";

// Hand-computed expectations for SALES (sale_date is the UTC day of sold_at):
//   S1  2024-05-01: lines 2, 3, 7, 8 -> 10.00 + 5.254 + 0.004 + 3 = 18.258 -> 18.26 (4 sales)
//       (rounding each sale first would give 10.00 + 5.25 + 0.00 + 3.00 = 18.25)
//       line 8 is 2024-05-02T00:30+01:00 = 2024-05-01T23:30Z
//   S2  2024-05-02: lines 4, 5 -> 7.10 + 2.40 = 9.50 (2 sales)
//       line 4 is 2024-05-01T23:30-02:00 = 2024-05-02T01:30Z
//   "S,3" 2024-05-01: line 6 -> -1.50 (a refund; quoted store id with a comma)
const SALES =
  [
    "sale_id,store_id,sold_at,amount",
    "1,S1,2024-05-01T09:15:00Z,10.00",
    "2,S1,2024-05-01T17:40:12.345Z,5.254",
    "3,S2,2024-05-01T23:30:00-02:00,7.10",
    "4,S2,2024-05-02T08:00:00+02:00,2.40",
    '5,"S,3",2024-05-01T12:00:00Z,-1.50',
    "6,S1,2024-05-01 20:00:00,0.004",
    "7,S1,2024-05-02T00:30:00+01:00,3",
  ].join("\r\n") + "\r\n\r\n";
const EXPECTED =
  [
    "sale_date,store_id,sales_count,total_amount",
    '2024-05-01,"S,3",1,-1.50',
    "2024-05-01,S1,4,18.26",
    "2024-05-02,S2,2,9.50",
  ].join("\n") + "\n";

describe("jobs/sales-aggregator (against a local S3)", function () {
  this.timeout(20_000);

  let server: LocalS3;
  let directory: string;
  let endpoint: string;
  let s3: S3Client;
  const savedWarningSetting = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;

  before(async () => {
    // The job image switches off the SDK's "Node < 22" notice (see its Dockerfile); so do the tests.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
    directory = mkdtempSync(path.join(tmpdir(), "sales-aggregator-s3-"));
    server = await startLocalS3(directory);
    endpoint = server.endpoint;
    s3 = new S3Client({
      endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      maxAttempts: 1,
    });
    await s3.send(new CreateBucketCommand({ Bucket: RAW }));
    await s3.send(new CreateBucketCommand({ Bucket: CURATED }));
  });

  after(async () => {
    if (savedWarningSetting === undefined)
      delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    else process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = savedWarningSetting;
    s3?.destroy();
    await server?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  const upload = (key: string, body: string | Uint8Array) =>
    s3.send(new PutObjectCommand({ Bucket: RAW, Key: key, Body: Buffer.from(body) }));

  async function read(bucket: string, key: string): Promise<string> {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return response.Body!.transformToString("utf-8");
  }

  async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
    const response = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (response.Contents ?? []).map((object) => object.Key!).sort();
  }

  const jobEnv = (sourceKey: string, overrides: Record<string, string | undefined> = {}) => ({
    SOURCE_BUCKET: RAW,
    SOURCE_KEY: sourceKey,
    TARGET_BUCKET: CURATED,
    TARGET_PREFIX: PREFIX,
    ...overrides,
  });

  /** Runs the exported main() in this process with the test's S3 client. */
  async function runInProcess(env: Record<string, string | undefined>, argv: string[] = []) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await main(argv, env, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) }, s3);
    return { code, stdout, stderr };
  }

  /** Runs the job as its own Node process, configured only through env vars and arguments. */
  function runChild(env: Record<string, string | undefined>, argv: string[] = []) {
    const childEnv: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (!name.startsWith("AWS_") && !name.startsWith("S3_")) childEnv[name] = value;
    }
    Object.assign(childEnv, {
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: path.join(directory, "no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(directory, "no-aws-credentials"),
      AWS_MAX_ATTEMPTS: "1",
      // As in the image (see its Dockerfile): no SDK notice about Node 20 on stderr.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    });
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete childEnv[name];
      else childEnv[name] = value;
    }
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", JOB_ENTRY, ...argv],
        { cwd: REPO_ROOT, env: childEnv, timeout: 15_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  it("aggregates per store and UTC day with exact cents, and names the output after the source key", async () => {
    await upload("incoming/2024/05/01/store-feed.csv", SALES);
    const { code, stdout, stderr } = await runInProcess(jobEnv("incoming/2024/05/01/store-feed.csv"));
    assert.deepEqual(stderr, []);
    assert.equal(code, 0);
    const outputKey = `${PREFIX}/incoming/2024/05/01/store-feed.csv`;
    assert.equal(await read(CURATED, outputKey), EXPECTED);

    const summary = JSON.parse(stdout[0]);
    assert.equal(summary.status, "succeeded");
    assert.equal(summary.target, `s3://${CURATED}/${outputKey}`);
    assert.equal(summary.salesRead, 7);
    assert.equal(summary.rowsWritten, 3);
    assert.deepEqual(summary.saleDates, ["2024-05-01", "2024-05-02"]);

    const head = await s3.send(new HeadObjectCommand({ Bucket: CURATED, Key: outputKey }));
    assert.match(head.ContentType ?? "", /^text\/csv/);
    assert.equal(head.Metadata?.["source-bucket"], RAW);
    assert.equal(
      decodeURIComponent(head.Metadata?.["source-key"] ?? ""),
      "incoming/2024/05/01/store-feed.csv",
    );
  });

  it("is idempotent: a rerun for the same upload rewrites the same single object with the same bytes", async () => {
    const key = "incoming/rerun.csv";
    await upload(key, SALES);
    assert.equal((await runInProcess(jobEnv(key))).code, 0);
    const first = await read(CURATED, `${PREFIX}/incoming/rerun.csv`);
    assert.equal((await runInProcess(jobEnv(key))).code, 0);
    assert.deepEqual(await keysUnder(CURATED, `${PREFIX}/incoming/rerun`), [`${PREFIX}/incoming/rerun.csv`]);
    assert.equal(await read(CURATED, `${PREFIX}/incoming/rerun.csv`), first);
    assert.equal(first, EXPECTED);
  });

  it("runs as a child process configured by env vars (AWS_ENDPOINT_URL_S3) and by arguments", async () => {
    await upload("incoming/child.csv", SALES);
    const byEnv = await runChild(jobEnv("incoming/child.csv", { TARGET_PREFIX: "child-env" }));
    assert.equal(byEnv.stderr, "");
    assert.equal(byEnv.code, 0);
    assert.equal(await read(CURATED, "child-env/incoming/child.csv"), EXPECTED);

    // AWS Batch job parameters arrive as arguments (Ref::... in the job definition's command).
    const byArgs = await runChild({}, [
      "--source-bucket",
      RAW,
      "--source-key",
      "incoming/child.csv",
      "--target-bucket",
      CURATED,
      "--target-prefix=child-args/",
    ]);
    assert.equal(byArgs.code, 0, byArgs.stderr);
    assert.equal(await read(CURATED, "child-args/incoming/child.csv"), EXPECTED);
  });

  it("exits non-zero naming the line and column of a non-numeric amount, and writes nothing", async () => {
    const bad = [
      "sale_id,store_id,sold_at,amount",
      "1,S1,2024-05-01T09:15:00Z,10.00",
      "2,S1,2024-05-01T10:15:00Z,4.20",
      '3,S2,2024-05-01T11:15:00Z,"12,50"',
      "4,S2,2024-05-01T12:15:00Z,1.00",
    ].join("\n");
    await upload("incoming/bad-amount.csv", bad);
    const { code, stdout, stderr } = await runChild(jobEnv("incoming/bad-amount.csv"));
    assert.equal(code, 3);
    assert.equal(stdout, "");
    const lines = stderr.trim().split("\n");
    assert.equal(lines.length, 1, `expected one line on stderr, got: ${stderr}`);
    assert.match(lines[0], /^sales-aggregator: invalid input: s3:\/\/raw-zone\/incoming\/bad-amount\.csv: /);
    assert.match(lines[0], /line 4, column amount: "12,50" is not a decimal number/);
    assert.deepEqual(await keysUnder(CURATED, `${PREFIX}/incoming/bad-amount`), []);
  });

  it("exits non-zero on a missing env var, naming it, before touching S3", async () => {
    const child = await runChild(jobEnv("incoming/whatever.csv", { TARGET_BUCKET: undefined }));
    assert.equal(child.code, 2);
    assert.equal(
      child.stderr.trim(),
      "sales-aggregator: configuration error: missing TARGET_BUCKET: " +
        "set the environment variable TARGET_BUCKET or pass --target-bucket",
    );

    const inProcess = await runInProcess(jobEnv("incoming/whatever.csv", { TARGET_PREFIX: "" }));
    assert.equal(inProcess.code, 2);
    assert.match(inProcess.stderr[0], /missing TARGET_PREFIX/);

    const unsubstituted = await runInProcess({}, [
      "--source-bucket=Ref::sourceBucket",
      "--source-key=k",
      "--target-bucket=b",
      "--target-prefix=p",
    ]);
    assert.equal(unsubstituted.code, 2);
    assert.match(unsubstituted.stderr[0], /--source-bucket is "Ref::sourceBucket"/);
  });

  const invalidInputs: { name: string; body: string; message: RegExp }[] = [
    {
      name: "a missing header column",
      body: "sale_id,store_id,sold_at\n1,S1,2024-05-01T09:15:00Z\n",
      message: /line 1, column amount: missing required header column amount/,
    },
    {
      name: "a data line instead of a header",
      body: "1,S1,2024-05-01T09:15:00Z,10.00\n",
      message: /line 1, column sale_id: missing required header columns sale_id, store_id, sold_at, amount/,
    },
    { name: "an empty file", body: "", message: /line 1: the file is empty/ },
    { name: "a whitespace-only file", body: "\n \r\n", message: /line 1: the file is empty/ },
    {
      name: "a bad timestamp",
      body: "sale_id,store_id,sold_at,amount\n1,S1,2024-05-01T09:15:00Z,1\n2,S1,2024-02-30T10:00:00Z,1\n",
      message:
        /line 3, column sold_at: "2024-02-30T10:00:00Z" is not an ISO-8601 timestamp \(day out of range/,
    },
    {
      name: "a timestamp that is not ISO-8601",
      body: "sale_id,store_id,sold_at,amount\n1,S1,05/01/2024 09:15,1\n",
      message: /line 2, column sold_at: "05\/01\/2024 09:15" is not an ISO-8601 timestamp/,
    },
    {
      name: "a short line",
      body: "sale_id,store_id,sold_at,amount\n1,S1,2024-05-01T09:15:00Z\n",
      message: /line 2: expected 4 fields like the header, found 3/,
    },
    {
      name: "a duplicate sale_id",
      body: "sale_id,store_id,sold_at,amount\n7,S1,2024-05-01T09:15:00Z,1\n7,S2,2024-05-01T09:16:00Z,2\n",
      message: /line 3, column sale_id: duplicate sale_id "7" \(first seen on line 2\)/,
    },
    {
      name: "an empty store_id",
      body: "sale_id,store_id,sold_at,amount\n1, ,2024-05-01T09:15:00Z,1\n",
      message: /line 2, column store_id: store_id is empty/,
    },
    {
      name: "an amount in exponent notation",
      body: "sale_id,store_id,sold_at,amount\n1,S1,2024-05-01T09:15:00Z,1e3\n",
      message: /line 2, column amount: "1e3" is not a decimal number/,
    },
  ];
  for (const { name, body, message } of invalidInputs) {
    it(`rejects ${name} with exit code 3 and writes nothing`, async () => {
      const key = `invalid/${name.replace(/\W+/g, "-")}.csv`;
      await upload(key, body);
      const { code, stdout, stderr } = await runInProcess(jobEnv(key));
      assert.equal(code, 3);
      assert.deepEqual(stdout, []);
      assert.equal(stderr.length, 1);
      assert.ok(!stderr[0].includes("\n"));
      assert.match(stderr[0], new RegExp(`^sales-aggregator: invalid input: s3://${RAW}/${key}: `));
      assert.match(stderr[0], message);
      assert.deepEqual(await keysUnder(CURATED, `${PREFIX}/invalid/`), []);
    });
  }

  it("keeps the previous good output when a re-uploaded file is bad", async () => {
    const key = "incoming/replaced.csv";
    await upload(key, SALES);
    assert.equal((await runInProcess(jobEnv(key))).code, 0);
    await upload(key, "sale_id,store_id,sold_at,amount\n1,S1,yesterday,1\n");
    const { code, stderr } = await runInProcess(jobEnv(key));
    assert.equal(code, 3);
    assert.match(stderr[0], /line 2, column sold_at/);
    assert.equal(await read(CURATED, `${PREFIX}/incoming/replaced.csv`), EXPECTED);
  });

  it("reads gzip-compressed uploads and URL-encoded keys from S3 event notifications", async () => {
    await upload("incoming/feed 2024=05.csv.gz", gzipSync(Buffer.from(SALES)));
    const { code, stderr } = await runInProcess(
      jobEnv("incoming/feed+2024%3D05.csv.gz", { SOURCE_KEY_ENCODING: "url" }),
    );
    assert.deepEqual(stderr, []);
    assert.equal(code, 0);
    assert.equal(await read(CURATED, `${PREFIX}/incoming/feed 2024=05.csv`), EXPECTED);
  });

  it("writes a header-only result for a header-only file (a day without sales is not an error)", async () => {
    await upload("incoming/no-sales.csv", "sale_id,store_id,sold_at,amount\n");
    assert.equal((await runInProcess(jobEnv("incoming/no-sales.csv"))).code, 0);
    assert.equal(
      await read(CURATED, `${PREFIX}/incoming/no-sales.csv`),
      "sale_date,store_id,sales_count,total_amount\n",
    );
  });

  it("reports a missing source object as invalid input and an S3 write failure as exit code 4", async () => {
    const missing = await runInProcess(jobEnv("incoming/does-not-exist.csv"));
    assert.equal(missing.code, 3);
    assert.match(
      missing.stderr[0],
      /s3:\/\/raw-zone\/incoming\/does-not-exist\.csv: the object does not exist/,
    );

    await upload("incoming/no-target.csv", SALES);
    const noBucket = await runInProcess(
      jobEnv("incoming/no-target.csv", { TARGET_BUCKET: "no-such-bucket" }),
    );
    assert.equal(noBucket.code, 4);
    assert.match(
      noBucket.stderr[0],
      /^sales-aggregator: S3 error: PutObject s3:\/\/no-such-bucket\/.* failed: NoSuchBucket/,
    );
  });

  it("refuses to write into the source bucket, whose uploads trigger the job", async () => {
    const { code, stderr } = await runInProcess(jobEnv("incoming/x.csv", { TARGET_BUCKET: RAW }));
    assert.equal(code, 2);
    assert.match(stderr[0], /configuration error: TARGET_BUCKET must not be the source bucket "raw-zone"/);
  });

  describe("day mode: one UTC day of uploads under the source prefix", () => {
    const DAY_PREFIX = "daily/sales/";
    const HEADER = "sale_id,store_id,sold_at,amount";

    /**
     * Uploads an object and sets its LastModified (s3rver reports the stored file's mtime). s3rver
     * answers PutObject before its file write completes, so the mtime is set only once the file
     * holds every byte (a later write would reset it to now), then confirmed through HeadObject.
     */
    async function uploadAt(key: string, body: string | Uint8Array, lastModified: string): Promise<void> {
      await upload(key, body);
      const parts = key.split("/");
      const file = path.join(
        directory,
        RAW,
        ...parts.slice(0, -1),
        `${parts[parts.length - 1]}._S3rver_object`,
      );
      const size = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
      const when = new Date(lastModified);
      for (let attempt = 0; attempt < 100; attempt++) {
        // s3rver may not even have opened the file yet.
        if (statSync(file, { throwIfNoEntry: false })?.size === size) {
          utimesSync(file, when, when);
          const head = await s3.send(new HeadObjectCommand({ Bucket: RAW, Key: key }));
          if (head.LastModified?.getTime() === when.getTime()) return;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`s3rver never settled ${key}: its LastModified could not be set to ${lastModified}`);
    }

    const dayEnv = (prefix: string, overrides: Record<string, string | undefined> = {}) => ({
      JOB_MODE: "day",
      SOURCE_BUCKET: RAW,
      SOURCE_PREFIX: prefix,
      TARGET_BUCKET: CURATED,
      TARGET_PREFIX: PREFIX,
      ...overrides,
    });
    const dayOutput = (day: string) => `${PREFIX}/upload_date=${day}/sales_by_store.csv`;

    // 2024-05-01 uploads (first second and last second of the day count) and their neighbours.
    // S1: 10.00 + 2.50 (store-a) + 0.005 (store-c) = 12.505 -> 12.51 over 3 sales
    // S2: 4.00 (store-b, sold 2024-04-30 late: a late delivery keeps its sale_date)
    before(async () => {
      await uploadAt(
        `${DAY_PREFIX}store-a.csv`,
        `${HEADER}\nA1,S1,2024-05-01T09:00:00Z,10.00\nA2,S1,2024-05-01T10:00:00Z,2.50\n`,
        "2024-05-01T00:00:00Z",
      );
      await uploadAt(
        `${DAY_PREFIX}2024/store-b.csv`,
        `${HEADER}\nB1,S2,2024-04-30T22:00:00Z,4.00\n`,
        "2024-05-01T12:30:00Z",
      );
      await uploadAt(
        `${DAY_PREFIX}store-c.csv.gz`,
        gzipSync(Buffer.from(`${HEADER}\nC1,S1,2024-05-01T18:00:00Z,0.005\n`)),
        "2024-05-01T23:59:59Z",
      );
      await uploadAt(
        `${DAY_PREFIX}late-april.csv`,
        `${HEADER}\nX1,S9,2024-04-30T10:00:00Z,99\n`,
        "2024-04-30T23:59:59Z",
      );
      await uploadAt(
        `${DAY_PREFIX}early-may-2.csv`,
        `${HEADER}\nX2,S9,2024-05-02T00:00:00Z,99\n`,
        "2024-05-02T00:00:00Z",
      );
      await uploadAt(
        "daily/other/store-z.csv",
        `${HEADER}\nX3,S9,2024-05-01T10:00:00Z,99\n`,
        "2024-05-01T10:00:00Z",
      );
    });

    const MAY_FIRST =
      ["sale_date,store_id,sales_count,total_amount", "2024-04-30,S2,1,4.00", "2024-05-01,S1,3,12.51"].join(
        "\n",
      ) + "\n";

    it("aggregates the day's objects across list pages into one output per day, skipping other days and prefixes", async () => {
      const { code, stdout, stderr } = await runInProcess(
        dayEnv(DAY_PREFIX, { RUN_DATE: "2024-05-01", LIST_PAGE_SIZE: "2" }),
      );
      assert.deepEqual(stderr, []);
      assert.equal(code, 0);
      assert.equal(await read(CURATED, dayOutput("2024-05-01")), MAY_FIRST);
      const result = JSON.parse(stdout[0]);
      assert.equal(result.mode, "day");
      assert.equal(result.uploadDate, "2024-05-01");
      assert.equal(result.source, `s3://${RAW}/${DAY_PREFIX}`);
      assert.equal(result.objectsRead, 3);
      assert.equal(result.salesRead, 4);
      const head = await s3.send(new HeadObjectCommand({ Bucket: CURATED, Key: dayOutput("2024-05-01") }));
      assert.equal(head.Metadata?.["upload-date"], "2024-05-01");
      assert.equal(head.Metadata?.["source-objects"], "3");
    });

    it("is idempotent: a rerun, or the schedule's run for the next morning, rewrites the same single object", async () => {
      assert.equal((await runInProcess(dayEnv(DAY_PREFIX, { RUN_DATE: "2024-05-01" }))).code, 0);
      const first = await s3.send(new HeadObjectCommand({ Bucket: CURATED, Key: dayOutput("2024-05-01") }));
      // EventBridge Scheduler passes the time it fired; the day before it is aggregated.
      const scheduled = await runChild(dayEnv(DAY_PREFIX, { SCHEDULED_TIME: "2024-05-02T00:00:00Z" }));
      assert.equal(scheduled.code, 0, scheduled.stderr);
      assert.equal(scheduled.stderr, "");
      assert.deepEqual(await keysUnder(CURATED, `${PREFIX}/upload_date=2024-05-01/`), [
        dayOutput("2024-05-01"),
      ]);
      assert.equal(await read(CURATED, dayOutput("2024-05-01")), MAY_FIRST);
      const second = await s3.send(new HeadObjectCommand({ Bucket: CURATED, Key: dayOutput("2024-05-01") }));
      assert.equal(second.ETag, first.ETag);
      assert.deepEqual(second.Metadata, first.Metadata);
    });

    it("aggregates the previous UTC day when no day is given", async () => {
      const yesterday = previousUtcDay(new Date());
      await uploadAt(
        "yesterday/sales/feed.csv",
        `${HEADER}\nY1,S7,${yesterday}T08:00:00Z,1.25\n`,
        `${yesterday}T08:05:00Z`,
      );
      const child = await runChild(dayEnv("yesterday/sales"));
      assert.equal(child.code, 0, child.stderr);
      assert.equal(
        await read(CURATED, dayOutput(yesterday)),
        `sale_date,store_id,sales_count,total_amount\n${yesterday},S7,1,1.25\n`,
      );
    });

    it("writes a header-only result for a day without uploads", async () => {
      const { code, stdout } = await runInProcess(dayEnv(DAY_PREFIX, { RUN_DATE: "2024-03-01" }));
      assert.equal(code, 0);
      assert.equal(JSON.parse(stdout[0]).objectsRead, 0);
      assert.equal(
        await read(CURATED, dayOutput("2024-03-01")),
        "sale_date,store_id,sales_count,total_amount\n",
      );
    });

    it("fails clearly, writing nothing, when the prefix holds more objects than it may list", async () => {
      const { code, stdout, stderr } = await runInProcess(
        dayEnv(DAY_PREFIX, { RUN_DATE: "2024-04-30", LIST_PAGE_SIZE: "2", MAX_LISTED_OBJECTS: "4" }),
      );
      assert.equal(code, 3);
      assert.deepEqual(stdout, []);
      assert.equal(
        stderr[0],
        `sales-aggregator: invalid input: more than MAX_LISTED_OBJECTS=4 objects under s3://${RAW}/${DAY_PREFIX}: ` +
          "expire or move old uploads out of the prefix, or raise MAX_LISTED_OBJECTS",
      );
      assert.deepEqual(await keysUnder(CURATED, `${PREFIX}/upload_date=2024-04-30/`), []);
    });

    it("refuses a day whose uploads together exceed MAX_SOURCE_BYTES before reading any", async () => {
      const { code, stderr } = await runInProcess(
        dayEnv(DAY_PREFIX, { RUN_DATE: "2024-05-01", MAX_SOURCE_BYTES: "64" }),
      );
      assert.equal(code, 3);
      assert.match(
        stderr[0],
        /s3:\/\/raw-zone\/daily\/sales\/: the 3 uploads of 2024-05-01 hold \d+ bytes, more than MAX_SOURCE_BYTES=64/,
      );
    });

    it("rejects a sale_id uploaded twice that day, naming both objects, and keeps the previous output", async () => {
      await uploadAt(
        "dupes/sales/a.csv",
        `${HEADER}\nD1,S1,2024-06-01T10:00:00Z,1\n`,
        "2024-06-01T10:00:00Z",
      );
      assert.equal((await runInProcess(dayEnv("dupes/sales/", { RUN_DATE: "2024-06-01" }))).code, 0);
      const before = await read(CURATED, dayOutput("2024-06-01"));
      await uploadAt(
        "dupes/sales/b.csv",
        `${HEADER}\nD2,S1,2024-06-01T11:00:00Z,2\nD1,S1,2024-06-01T10:00:00Z,1\n`,
        "2024-06-01T11:00:00Z",
      );
      const { code, stderr } = await runInProcess(dayEnv("dupes/sales/", { RUN_DATE: "2024-06-01" }));
      assert.equal(code, 3);
      assert.equal(
        stderr[0],
        `sales-aggregator: invalid input: s3://${RAW}/dupes/sales/b.csv: line 3, column sale_id: ` +
          `duplicate sale_id "D1" (first seen in s3://${RAW}/dupes/sales/a.csv line 2)`,
      );
      assert.equal(await read(CURATED, dayOutput("2024-06-01")), before);
    });

    it("needs SOURCE_PREFIX and a past day", async () => {
      const noPrefix = await runChild(dayEnv(DAY_PREFIX, { SOURCE_PREFIX: undefined }));
      assert.equal(noPrefix.code, 2);
      assert.match(
        noPrefix.stderr,
        /^sales-aggregator: configuration error: missing SOURCE_PREFIX: a day run lists/,
      );
      const future = await runInProcess(dayEnv(DAY_PREFIX, { RUN_DATE: "2999-01-01" }));
      assert.equal(future.code, 2);
      assert.match(future.stderr[0], /RUN_DATE 2999-01-01 is in the future/);
    });
  });
});
