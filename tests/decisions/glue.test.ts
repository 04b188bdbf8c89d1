import { strict as assert } from "assert";
import { SLA_TIERS, SlaTier } from "../../decisions/sla-tier";
import {
  crawlerBehavior,
  crawlerIncrementalError,
  crawlerTargetKinds,
  crawlerTargetsError,
  glueMaxRetriesError,
  glueWorkerCountError,
  FLEX_WORKER_TYPES,
  GLUE_VERSION,
  GLUE_WORKER_DPUS,
  GLUE_WORKER_TYPES,
  GlueExecutionClass,
  glueExecutionClass,
  glueScheduleError,
  GlueWorkerType,
  glueWorkerTypeError,
  jobBookmarkOption,
} from "../../decisions/glue";

/** The SLA tier table of docs/architecture.md: FLEX for flexible (where AWS offers it), STANDARD otherwise. */
const EXECUTION_CLASS: Record<SlaTier, Record<GlueWorkerType, GlueExecutionClass>> = {
  flexible: { "G.1X": "FLEX", "G.2X": "FLEX", "G.4X": "STANDARD", "G.8X": "STANDARD" },
  standard: { "G.1X": "STANDARD", "G.2X": "STANDARD", "G.4X": "STANDARD", "G.8X": "STANDARD" },
  critical: { "G.1X": "STANDARD", "G.2X": "STANDARD", "G.4X": "STANDARD", "G.8X": "STANDARD" },
};

describe("Glue decisions", () => {
  it("builds Spark jobs on Glue 5.0 with the G worker types", () => {
    assert.equal(GLUE_VERSION, "5.0");
    assert.deepEqual(GLUE_WORKER_TYPES, ["G.1X", "G.2X", "G.4X", "G.8X"]);
    assert.deepEqual(GLUE_WORKER_DPUS, { "G.1X": 1, "G.2X": 2, "G.4X": 4, "G.8X": 8 });
    assert.deepEqual(FLEX_WORKER_TYPES, ["G.1X", "G.2X"]);
  });

  describe("glueExecutionClass and glueWorkerTypeError", () => {
    for (const tier of SLA_TIERS) {
      for (const workerType of GLUE_WORKER_TYPES) {
        const expected = EXECUTION_CLASS[tier][workerType];
        it(`${tier} on ${workerType}: ${expected}`, () => {
          assert.equal(glueExecutionClass(tier, workerType), expected);
          const problem = glueWorkerTypeError(tier, workerType);
          if (tier === "flexible" && expected === "STANDARD") {
            assert.match(problem ?? "", /FLEX execution class, which allows only G\.1X or G\.2X/);
          } else {
            assert.equal(problem, undefined);
          }
        });
      }
    }
  });

  it("enables job bookmarks for incremental jobs only", () => {
    assert.equal(jobBookmarkOption(true), "job-bookmark-enable");
    assert.equal(jobBookmarkOption(false), "job-bookmark-disable");
  });

  describe("crawlers", () => {
    it("crawls new folders only with LOG/LOG when incremental", () => {
      const behavior = crawlerBehavior(true);
      assert.equal(behavior.recrawlBehavior, "CRAWL_NEW_FOLDERS_ONLY");
      assert.deepEqual(behavior.schemaChangePolicy, { updateBehavior: "LOG", deleteBehavior: "LOG" });
      assert.deepEqual(behavior.configuration, {
        Version: 1.0,
        CrawlerOutput: { Partitions: { AddOrUpdateBehavior: "InheritFromTable" } },
        Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" },
      });
    });

    it("crawls everything, adds columns and deprecates (never deletes) tables otherwise", () => {
      const behavior = crawlerBehavior(false);
      assert.equal(behavior.recrawlBehavior, "CRAWL_EVERYTHING");
      assert.deepEqual(behavior.schemaChangePolicy, {
        updateBehavior: "UPDATE_IN_DATABASE",
        deleteBehavior: "DEPRECATE_IN_DATABASE",
      });
      assert.deepEqual(behavior.configuration.CrawlerOutput.Tables, {
        AddOrUpdateBehavior: "MergeNewColumns",
      });
      assert.equal(behavior.configuration.Version, 1.0);
    });

    it("allows incremental crawls of S3 targets only", () => {
      assert.equal(crawlerIncrementalError(true, ["s3", "s3"]), undefined);
      assert.equal(crawlerIncrementalError(false, ["s3", "jdbc", "dynamodb"]), undefined);
      assert.match(
        crawlerIncrementalError(true, ["s3", "jdbc"]) ?? "",
        /only when every target is an S3 target/,
      );
      assert.match(crawlerIncrementalError(true, ["dynamodb"]) ?? "", /S3 target/);
      assert.equal(crawlerIncrementalError(false, []), undefined);
      assert.match(crawlerTargetsError([]) ?? "", /at least one target/);
      assert.equal(crawlerTargetsError(["jdbc"]), undefined);
      assert.deepEqual(crawlerTargetKinds({ s3Targets: [1, 2], dynamodbTargets: [3] }), [
        "s3",
        "s3",
        "dynamodb",
      ]);
    });
  });

  describe("job capacity and retries", () => {
    it("needs one driver and one executor, and at most 10 retries", () => {
      assert.equal(glueWorkerCountError(2), undefined);
      assert.match(glueWorkerCountError(1) ?? "", /at least 2/);
      assert.match(glueWorkerCountError(2.5) ?? "", /whole number/);
      assert.equal(glueMaxRetriesError(0), undefined);
      assert.equal(glueMaxRetriesError(10), undefined);
      assert.match(glueMaxRetriesError(11) ?? "", /0 to 10/);
      assert.match(glueMaxRetriesError(-1) ?? "", /0 to 10/);
    });
  });

  describe("glueScheduleError", () => {
    it("accepts a valid cron() in UTC", () => {
      assert.equal(glueScheduleError("cron(15 2 * * ? *)"), undefined);
      assert.equal(glueScheduleError("cron(0 6 ? * MON-FRI *)", "UTC"), undefined);
    });

    it("rejects rate(), invalid cron fields and other time zones", () => {
      assert.match(glueScheduleError("rate(1 day)") ?? "", /rate\(\) is not supported/);
      assert.match(glueScheduleError("cron(0 2 * * *)") ?? "", /6 fields/);
      assert.match(glueScheduleError("cron(0 25 * * ? *)") ?? "", /hours/);
      assert.match(glueScheduleError("cron(0 2 * * ? *)", "Europe/Dublin") ?? "", /UTC/);
    });
  });
});
