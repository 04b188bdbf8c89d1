import { strict as assert } from "assert";
import { PipelineDefinition } from "../../decisions/pipeline";
import { CatalogLayout, catalogTablesSchema, locationPath } from "../../decisions/locations";
import { ContractInput, CrawlerLayout, dataContractProblems } from "../../decisions/data-contracts";

const LAYOUT: CatalogLayout = {
  environment: "dev",
  databases: [
    { name: "sales_raw", zone: "raw", tables: [{ name: "sales", prefix: "incoming/sales/" }] },
    { name: "sales_curated", zone: "curated" },
  ],
};

const RAW_SALES = { database: "sales_raw", table: "sales" };
const DAILY = { database: "sales_curated", table: "daily_sales_by_store" };

function pipeline(change: Partial<PipelineDefinition> = {}): PipelineDefinition {
  return {
    name: "daily-sales",
    description: "daily",
    slaTier: "flexible",
    engine: "glue",
    trigger: { type: "schedule", expression: "cron(0 2 * * ? *)", timezone: "UTC" },
    expectedRuntimeMinutes: 10,
    timeoutMinutes: 30,
    source: RAW_SALES,
    target: DAILY,
    crawlers: [],
    ...change,
  };
}

const CRAWLERS: CrawlerLayout[] = [
  { name: "raw-sales", database: "sales_raw", s3Targets: [RAW_SALES] },
  { name: "curated-sales", database: "sales_curated", s3Targets: [DAILY] },
];

/** The problems of one pipeline (or none) with the standard crawlers, as "path: message". */
function problems(input: Partial<ContractInput>): string[] {
  return dataContractProblems({ pipelines: [], crawlers: CRAWLERS, layout: LAYOUT, ...input }).map(
    (problem) => `${problem.path.join(".")}: ${problem.message}`,
  );
}

const UPLOADS = pipeline({
  name: "store-uploads",
  engine: "batch",
  trigger: { type: "s3Upload", prefix: "incoming/sales/", suffix: ".csv" },
  target: { zone: "curated", prefix: "uploads/sales_by_store/" },
});

const STEPS: PipelineDefinition["steps"] = [
  { name: "crawl-raw", type: "crawler", crawler: "raw-sales" },
  { name: "aggregate", type: "job" },
  { name: "crawl-curated", type: "crawler", crawler: "curated-sales" },
  { name: "load", type: "redshiftLoad", from: DAILY, schema: "public", table: "daily" },
];

describe("decisions/locations: one definition of where data is", () => {
  it("places a declared table where the catalog says, any other under its database's folder", () => {
    assert.deepEqual(locationPath(RAW_SALES, LAYOUT), {
      zone: "raw",
      prefix: "incoming/sales/",
      database: "sales_raw",
      table: "sales",
    });
    assert.deepEqual(locationPath(DAILY, LAYOUT), {
      zone: "curated",
      prefix: "dev_sales_curated/daily_sales_by_store/",
      database: "sales_curated",
      table: "daily_sales_by_store",
    });
    assert.deepEqual(locationPath({ zone: "analytics", prefix: "reports/" }, LAYOUT), {
      zone: "analytics",
      prefix: "reports/",
    });
    assert.equal(locationPath({ database: "nope", table: "x" }, LAYOUT), undefined);
  });

  it("declares a table only in a folder named like it, and each table once", () => {
    const result = catalogTablesSchema.safeParse([
      { name: "sales", prefix: "incoming/sales/" },
      { name: "returns", prefix: "incoming/refunds/" },
      { name: "sales", prefix: "more/sales/" },
    ]);
    assert.equal(result.success, false);
    const issues = result.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    assert.deepEqual(issues, [
      '1.prefix: must end in a folder named like the table ("returns/", not "refunds/"): Glue crawlers name a table after its folder',
      '2.name: table "sales" is declared twice',
    ]);
  });
});

describe("decisions/data-contracts", () => {
  it("finds nothing wrong with upload -> job -> crawler -> warehouse load on one definition", () => {
    assert.deepEqual(problems({ pipelines: [pipeline({ steps: STEPS }), UPLOADS] }), []);
    assert.deepEqual(problems({ pipelines: [pipeline({ crawlers: ["curated-sales"] })] }), []);
  });

  it("rejects an upload trigger outside the pipeline's source, naming the trigger prefix", () => {
    const outside = {
      ...UPLOADS,
      trigger: { type: "s3Upload" as const, prefix: "incoming/", suffix: ".csv" },
    };
    assert.deepEqual(problems({ pipelines: [outside] }), [
      'pipelines.0.trigger.prefix: must be inside the pipeline\'s source, raw zone "incoming/sales/" (table sales_raw.sales): uploads elsewhere would start a job that does not read them',
    ]);
    const narrower = { ...UPLOADS, trigger: { ...outside.trigger, prefix: "incoming/sales/store-7/" } };
    assert.deepEqual(problems({ pipelines: [narrower] }), []);
  });

  it("rejects an upload-triggered pipeline whose source is not in the raw zone", () => {
    assert.deepEqual(problems({ pipelines: [{ ...UPLOADS, source: DAILY }] }), [
      "pipelines.0.source: an s3Upload trigger fires on uploads to the raw zone's bucket, so the source must be in the raw zone, not curated",
    ]);
  });

  it("rejects a crawler step that crawls something other than what the step before it wrote or read", () => {
    const swapped = [STEPS[0], STEPS[1], { ...STEPS[2], crawler: "raw-sales" }, STEPS[3]] as typeof STEPS;
    assert.deepEqual(problems({ pipelines: [pipeline({ steps: swapped })] }), [
      'pipelines.0.steps.2.crawler: step "crawl-curated": crawler "raw-sales" crawls raw zone "incoming/sales/" (table sales_raw.sales), but the job step before it writes curated zone "dev_sales_curated/daily_sales_by_store/" (table sales_curated.daily_sales_by_store)',
    ]);
    const first = [{ ...STEPS[0], crawler: "curated-sales" }, STEPS[1]] as typeof STEPS;
    assert.match(
      problems({ pipelines: [pipeline({ steps: first })] })[0],
      /^pipelines\.0\.steps\.0\.crawler: step "crawl-raw": crawler "curated-sales" crawls .* but the pipeline reads raw zone "incoming\/sales\/"/,
    );
  });

  it("rejects a workflow crawler that does not crawl the job's target", () => {
    assert.match(
      problems({ pipelines: [pipeline({ crawlers: ["raw-sales"] })] })[0],
      /^pipelines\.0\.crawlers\.0: crawler "raw-sales" runs after the job but crawls raw zone .*, not what the job writes, curated zone "dev_sales_curated\/daily_sales_by_store\/"/,
    );
  });

  it("rejects a warehouse load of another table than the job before it wrote, also through pipelineJob", () => {
    const load = { ...STEPS[3], from: RAW_SALES } as NonNullable<PipelineDefinition["steps"]>[number];
    assert.deepEqual(problems({ pipelines: [pipeline({ steps: [STEPS[1], load] })] }), [
      'pipelines.0.steps.1.from: step "load": loads sales_raw.sales, but the job step before it writes curated zone "dev_sales_curated/daily_sales_by_store/" (table sales_curated.daily_sales_by_store)',
    ]);
    const orchestrator = pipeline({
      name: "nightly",
      target: { zone: "analytics", prefix: "unused/" },
      steps: [{ name: "other", type: "pipelineJob", pipeline: "daily-sales" }, STEPS[3]],
    });
    assert.deepEqual(problems({ pipelines: [pipeline(), orchestrator] }), []);
  });

  it("rejects a zone prefix that is a catalog table's folder: the table is named instead", () => {
    const byPrefix = { ...UPLOADS, source: { zone: "raw" as const, prefix: "incoming/sales/" } };
    assert.deepEqual(problems({ pipelines: [byPrefix] }), [
      "pipelines.0.source: is where catalog table sales_raw.sales lives; name it as {database: sales_raw, table: sales} so one definition says where the data is",
    ]);
    const crawler = { name: "raw-files", database: "sales_raw", s3Targets: [byPrefix.source] };
    assert.match(
      problems({ crawlers: [...CRAWLERS, crawler] })[0],
      /^crawlers\.2\.s3Targets\.0: is where catalog table sales_raw\.sales lives/,
    );
  });

  it("rejects a crawler that would create a table under another name or in another database", () => {
    assert.deepEqual(
      problems({
        crawlers: [
          { name: "raw-sales", database: "sales_curated", s3Targets: [RAW_SALES] },
          { name: "curated-sales", database: "sales_curated", tablePrefix: "v2_", s3Targets: [DAILY] },
        ],
      }),
      [
        'crawlers.0.s3Targets.0.database: crawler "raw-sales" writes tables into database "sales_curated", so it cannot keep sales_raw.sales up to date',
        'crawlers.1.tablePrefix: the crawler would name the table it finds for sales_curated.daily_sales_by_store "v2_daily_sales_by_store" (crawlers put tablePrefix before the folder\'s name); drop tablePrefix or crawl a zone prefix instead',
      ],
    );
  });
});
