/** Unit tests of the pure parts of the sales-aggregator job: CSV, amounts, timestamps, keys, config. */
import { strict as assert } from "node:assert";
import { JobConfig, loadConfig, previousUtcDay } from "../../jobs/sales-aggregator/src/config";
import { parseCsv } from "../../jobs/sales-aggregator/src/csv";
import { ConfigError, InputError } from "../../jobs/sales-aggregator/src/errors";
import { dayOutputKey, outputKeyFor, renderCsv } from "../../jobs/sales-aggregator/src/output";
import {
  aggregateSalesCsv,
  formatCents,
  SalesAggregator,
  microsToCents,
  parseAmountMicros,
  utcSaleDate,
} from "../../jobs/sales-aggregator/src/sales";

function inputError(fn: () => unknown, line: number | undefined, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    assert.equal(error.line, line);
    assert.match(error.message, pattern);
    return true;
  });
}

describe("jobs/sales-aggregator units", () => {
  describe("amounts: exact decimal arithmetic", () => {
    it("parses decimals to millionths without floating point", () => {
      assert.equal(parseAmountMicros("12.5"), 12_500_000n);
      assert.equal(parseAmountMicros("0.1"), 100_000n);
      assert.equal(parseAmountMicros("-3"), -3_000_000n);
      assert.equal(parseAmountMicros("+0.000001"), 1n);
      assert.equal(parseAmountMicros("90071992547409931.99"), 90071992547409931_990_000n);
    });

    it("rejects what is not a plain decimal", () => {
      for (const text of [
        "",
        "abc",
        "1e3",
        "1,50",
        "12.",
        ".5",
        "1.2.3",
        "NaN",
        "Infinity",
        "0x10",
        "1 000",
      ]) {
        assert.equal(typeof parseAmountMicros(text), "string", text);
      }
      assert.match(parseAmountMicros("1.1234567") as string, /more than 6 decimal places/);
    });

    it("rounds half away from zero to cents", () => {
      assert.equal(microsToCents(12_345_000n), 1235n);
      assert.equal(microsToCents(12_344_999n), 1234n);
      assert.equal(microsToCents(-12_345_000n), -1235n);
      assert.equal(microsToCents(-12_344_999n), -1234n);
      assert.equal(microsToCents(0n), 0n);
    });

    it("formats cents with two places and a sign", () => {
      assert.equal(formatCents(1234n), "12.34");
      assert.equal(formatCents(5n), "0.05");
      assert.equal(formatCents(-5n), "-0.05");
      assert.equal(formatCents(-120n), "-1.20");
      assert.equal(formatCents(0n), "0.00");
    });

    it("sums exactly where floating point would drift: 0.1 + 0.2 is 0.30", () => {
      const { rows } = aggregateSalesCsv(
        "sale_id,store_id,sold_at,amount\n1,S,2024-01-01T00:00Z,0.1\n2,S,2024-01-01T00:00Z,0.2\n",
      );
      assert.equal(formatCents(rows[0].totalCents), "0.30");
    });
  });

  describe("timestamps: UTC sale date", () => {
    const cases: [string, string][] = [
      ["2024-05-01T00:00:00Z", "2024-05-01"],
      ["2024-05-01T23:59:59.999999999Z", "2024-05-01"],
      ["2024-05-01T23:30:00-02:00", "2024-05-02"],
      ["2024-05-01T01:00:00+05:30", "2024-04-30"],
      ["2024-05-01T01:00:00+0530", "2024-04-30"],
      ["2024-05-01T01:00:00+05", "2024-04-30"],
      ["2024-05-01 12:00", "2024-05-01"],
      ["2024-02-29T12:00:00z", "2024-02-29"],
      ["2024-12-31T23:00:00-01:00", "2025-01-01"],
    ];
    for (const [text, date] of cases) {
      it(`${text} -> ${date}`, () => assert.equal(utcSaleDate(text), date));
    }

    it("rejects impossible or non-ISO timestamps", () => {
      for (const text of [
        "2023-02-29T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-05-01T24:00:00Z",
        "2024-05-01T12:60:00Z",
        "2024-05-01",
        "2024-5-1T00:00:00Z",
        "2024-05-01T00:00:00+25:00",
        "1714521600",
        "",
      ]) {
        const result = utcSaleDate(text);
        assert.equal(typeof result, "object", text);
      }
    });
  });

  describe("CSV parsing", () => {
    it("handles quotes, escaped quotes, CRLF, a BOM and blank lines", () => {
      const records = parseCsv('\uFEFFa,b\r\n"x, ""y""",2\r\n\r\n3,4\n');
      assert.deepEqual(records, [
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ['x, "y"', "2"] },
        { line: 4, fields: ["3", "4"] },
      ]);
    });

    it("counts physical lines across a quoted field with a line break", () => {
      const records = parseCsv('a,b\n"multi\nline",1\nnext,2');
      assert.deepEqual(
        records.map((r) => r.line),
        [1, 2, 4],
      );
      inputError(
        () => aggregateSalesCsv('sale_id,store_id,sold_at,amount\n1,"S\n1",2024-01-01T00:00Z,1\n2,S,bad,1\n'),
        4,
        /line 4, column sold_at/,
      );
    });

    it("reports malformed quoting with its line", () => {
      inputError(() => parseCsv('a,b\n1,"open\n'), 2, /never closed/);
      inputError(() => parseCsv('a,b\n1,x"y\n'), 2, /unexpected '"'/);
      inputError(() => parseCsv('a,b\n1,"x"y\n'), 2, /after the closing quote/);
    });
  });

  describe("header", () => {
    it("accepts any column order, case and surrounding spaces, and ignores extra columns", () => {
      const { rows, salesRead } = aggregateSalesCsv(
        " Amount ,channel,STORE_ID,sold_at,sale_id\n2.50,web,S9,2024-03-01T10:00:00Z,a\n",
      );
      assert.equal(salesRead, 1);
      assert.deepEqual(rows, [{ saleDate: "2024-03-01", storeId: "S9", salesCount: 1, totalCents: 250n }]);
    });

    it("rejects a required column given twice", () => {
      inputError(
        () => aggregateSalesCsv("sale_id,store_id,sold_at,amount,amount\n"),
        1,
        /column amount: .*more than once/,
      );
    });
  });

  describe("output", () => {
    it("writes one object per upload day, in a Hive-style folder", () => {
      assert.equal(
        dayOutputKey("/out/daily/", "2024-05-01"),
        "out/daily/upload_date=2024-05-01/sales_by_store.csv",
      );
    });

    it("names the output after the source key, dropping its extension", () => {
      assert.equal(outputKeyFor("curated/sales", "in/2024/a.csv"), "curated/sales/in/2024/a.csv");
      assert.equal(outputKeyFor("/curated/sales/", "/in/a.CSV.gz"), "curated/sales/in/a.csv");
      assert.equal(outputKeyFor("p", "in/a.txt"), "p/in/a.csv");
      assert.equal(outputKeyFor("p", "in/feed"), "p/in/feed.csv");
      assert.equal(outputKeyFor("p", ".csv"), "p/.csv.csv");
    });

    it("quotes store ids that need it", () => {
      assert.equal(
        renderCsv([
          { saleDate: "2024-01-01", storeId: 'A "B", C', salesCount: 2, totalCents: 199n },
          { saleDate: "2024-01-01", storeId: "plain", salesCount: 1, totalCents: -1n },
        ]),
        'sale_date,store_id,sales_count,total_amount\n2024-01-01,"A ""B"", C",2,1.99\n2024-01-01,plain,1,-0.01\n',
      );
    });
  });

  describe("several files (a day of uploads)", () => {
    const header = "sale_id,store_id,sold_at,amount";

    it("sums the same store and day across files and counts every sale", () => {
      const aggregator = new SalesAggregator();
      aggregator.add(`${header}\n1,S1,2024-05-01T10:00Z,1.005\n`, "s3://raw/a.csv");
      aggregator.add(`${header}\n2,S1,2024-05-01T11:00Z,2\n3,S2,2024-05-01T11:00Z,3\n`, "s3://raw/b.csv");
      const { rows, salesRead } = aggregator.result();
      assert.equal(salesRead, 3);
      assert.deepEqual(
        rows.map((row) => [row.saleDate, row.storeId, row.salesCount, formatCents(row.totalCents)]),
        [
          ["2024-05-01", "S1", 2, "3.01"],
          ["2024-05-01", "S2", 1, "3.00"],
        ],
      );
    });

    it("rejects a sale_id seen in an earlier file, naming that file and line", () => {
      const aggregator = new SalesAggregator();
      aggregator.add(`${header}\n9,S1,2024-05-01T10:00Z,1\n`, "s3://raw/a.csv");
      inputError(
        () =>
          aggregator.add(
            `${header}\n10,S1,2024-05-01T10:00Z,1\n9,S1,2024-05-01T10:00Z,1\n`,
            "s3://raw/b.csv",
          ),
        3,
        /column sale_id: duplicate sale_id "9" \(first seen in s3:\/\/raw\/a\.csv line 2\)/,
      );
    });
  });

  describe("configuration", () => {
    const env = { SOURCE_BUCKET: "raw", SOURCE_KEY: "in/a.csv", TARGET_BUCKET: "cur", TARGET_PREFIX: "out/" };

    it("reads env vars; arguments win; no endpoint means virtual-hosted style", () => {
      const config = loadConfig(["--source-key", "in/b.csv", "--target-prefix=x"], {
        ...env,
        AWS_REGION: "eu-west-1",
      });
      assert.deepEqual(config, {
        mode: "object",
        sourceBucket: "raw",
        sourceKey: "in/b.csv",
        targetBucket: "cur",
        targetPrefix: "x",
        maxSourceBytes: 256 * 1024 * 1024,
        s3: { region: "eu-west-1", endpoint: undefined, forcePathStyle: false },
      });
    });

    it("uses path-style addressing with an endpoint override, in order of precedence", () => {
      assert.deepEqual(loadConfig([], { ...env, AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9000" }).s3, {
        region: "us-east-1",
        endpoint: "http://127.0.0.1:9000",
        forcePathStyle: true,
      });
      const both = loadConfig([], {
        ...env,
        S3_ENDPOINT_URL: "http://a:1",
        AWS_ENDPOINT_URL_S3: "http://b:2",
        S3_FORCE_PATH_STYLE: "false",
      });
      assert.equal(both.s3.endpoint, "http://a:1");
      assert.equal(both.s3.forcePathStyle, false);
    });

    describe("day mode", () => {
      const dayEnv = { ...env, SOURCE_KEY: "", JOB_MODE: "day", SOURCE_PREFIX: "incoming/sales" };
      const now = new Date("2024-05-02T00:20:00Z");
      const dayOf = (config: JobConfig): string => {
        assert.equal(config.mode, "day");
        return config.mode === "day" ? config.day : "";
      };

      it("aggregates the UTC day before now by default, listing SOURCE_PREFIX as a folder", () => {
        assert.deepEqual(loadConfig([], { ...dayEnv, AWS_REGION: "eu-west-1" }, now), {
          mode: "day",
          sourceBucket: "raw",
          sourcePrefix: "incoming/sales/",
          day: "2024-05-01",
          targetBucket: "cur",
          targetPrefix: "out",
          maxSourceBytes: 256 * 1024 * 1024,
          maxListedObjects: 100_000,
          listPageSize: 1000,
          s3: { region: "eu-west-1", endpoint: undefined, forcePathStyle: false },
        });
      });

      it("takes the day before the schedule's time, so a late start or a retry picks the same day", () => {
        const late = new Date("2024-05-02T09:00:00Z");
        assert.equal(
          dayOf(loadConfig([], { ...dayEnv, SCHEDULED_TIME: "2024-05-02T00:00:00Z" }, late)),
          "2024-05-01",
        );
        // 01:00 in Dublin in winter is 01:00 UTC; in summer 00:00 UTC: both the day that just ended.
        assert.equal(
          dayOf(loadConfig([], { ...dayEnv, SCHEDULED_TIME: "2024-01-01T01:00:00Z" }, late)),
          "2023-12-31",
        );
      });

      it("lets RUN_DATE or --date name the day (today included), and --mode pick the mode", () => {
        assert.equal(dayOf(loadConfig([], { ...dayEnv, RUN_DATE: "2024-02-29" }, now)), "2024-02-29");
        assert.equal(dayOf(loadConfig(["--date", "2024-05-02"], dayEnv, now)), "2024-05-02");
        const byArgs = loadConfig(["--mode=day", "--source-prefix", "in/"], { ...env, SOURCE_KEY: "" }, now);
        assert.equal(byArgs.mode, "day");
      });

      it("computes the previous UTC day across month and year ends", () => {
        assert.equal(previousUtcDay(new Date("2024-03-01T00:00:00Z")), "2024-02-29");
        assert.equal(previousUtcDay(new Date("2025-01-01T23:59:59Z")), "2024-12-31");
      });

      const badDay: [string, Record<string, string>, RegExp][] = [
        [
          "a missing SOURCE_PREFIX",
          { SOURCE_PREFIX: "" },
          /missing SOURCE_PREFIX: a day run lists the uploads/,
        ],
        [
          "an impossible RUN_DATE",
          { RUN_DATE: "2024-02-30" },
          /RUN_DATE must be a calendar day written YYYY-MM-DD/,
        ],
        [
          "a RUN_DATE in the future",
          { RUN_DATE: "2024-05-03" },
          /RUN_DATE 2024-05-03 is in the future \(today is 2024-05-02 UTC\)/,
        ],
        [
          "a SCHEDULED_TIME that is no time",
          { SCHEDULED_TIME: "yesterday" },
          /SCHEDULED_TIME must be an ISO-8601 time/,
        ],
        ["an unknown JOB_MODE", { JOB_MODE: "week" }, /JOB_MODE must be "object" or "day", not "week"/],
        [
          "a page size S3 does not allow",
          { LIST_PAGE_SIZE: "1001" },
          /LIST_PAGE_SIZE must be an integer from 1 to 1000/,
        ],
        [
          "a zero listing limit",
          { MAX_LISTED_OBJECTS: "0" },
          /MAX_LISTED_OBJECTS must be a positive integer/,
        ],
        [
          "an unsubstituted Batch parameter",
          { RUN_DATE: "Ref::date" },
          /--date is "Ref::date": the AWS Batch job parameter was not supplied/,
        ],
      ];
      for (const [name, change, pattern] of badDay) {
        it(`rejects ${name}`, () => {
          assert.throws(
            () => loadConfig([], { ...dayEnv, ...change }, now),
            (error: unknown) => error instanceof ConfigError && pattern.test(error.message),
          );
        });
      }
    });

    it("keeps an object run inside SOURCE_PREFIX when the job definition sets it", () => {
      assert.equal(loadConfig([], { ...env, SOURCE_PREFIX: "in" }).mode, "object");
      assert.throws(
        () => loadConfig([], { ...env, SOURCE_PREFIX: "incoming/" }),
        /SOURCE_KEY "in\/a.csv" is outside SOURCE_PREFIX "incoming\/": the job reads only the pipeline's source folder/,
      );
    });

    const bad: [string, string[], Record<string, string>, RegExp][] = [
      ["missing SOURCE_BUCKET", [], { ...env, SOURCE_BUCKET: "" }, /missing SOURCE_BUCKET/],
      ["missing SOURCE_KEY", [], { ...env, SOURCE_KEY: " " }, /missing SOURCE_KEY/],
      ["prefix of only slashes", [], { ...env, TARGET_PREFIX: "//" }, /TARGET_PREFIX must name a folder/],
      ["unknown argument", ["--source", "s3://x/y"], env, /unknown argument "--source"/],
      ["argument without value", ["--source-key"], env, /--source-key needs a value/],
      ["bad key encoding", [], { ...env, SOURCE_KEY_ENCODING: "base64" }, /SOURCE_KEY_ENCODING must be/],
      [
        "bad url encoding",
        [],
        { ...env, SOURCE_KEY: "a%zz", SOURCE_KEY_ENCODING: "url" },
        /not valid URL encoding/,
      ],
      ["bad MAX_SOURCE_BYTES", [], { ...env, MAX_SOURCE_BYTES: "-1" }, /MAX_SOURCE_BYTES must be a positive/],
      ["bad endpoint", [], { ...env, S3_ENDPOINT_URL: "localhost:9000" }, /must be an http/],
      ["bad path style", [], { ...env, S3_FORCE_PATH_STYLE: "yes" }, /S3_FORCE_PATH_STYLE must be/],
    ];
    for (const [name, argv, badEnv, pattern] of bad) {
      it(`rejects ${name}`, () => {
        assert.throws(
          () => loadConfig(argv, badEnv),
          (error: unknown) => error instanceof ConfigError && pattern.test(error.message),
        );
      });
    }
  });
});
