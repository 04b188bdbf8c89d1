import { strict as assert } from "assert";
import * as os from "os";
import { ConfigError, parseStackConfig } from "../../infra/config";
import { regionPrices } from "../../decisions/cost/prices";
import { RawConfig, schemaInput, validConfig } from "../support/config";
import { Synthesized, synthesizeCommittedStack, synthesizeProgramSettled } from "../support/synth";
import { checkExecutionPaths, lifecyclesOf } from "../../decisions/orchestration";
import { STEP_KINDS } from "../../engines/registry";
import { LOADER_USER, loadSqls, loadStatementProblems } from "../../decisions/warehouse/sql";
import { DAILY_SALES_BY_STORE } from "../../decisions/warehouse/tables";

const GLUE_PIPELINE = {
  name: "daily-sales",
  description: "daily sales",
  slaTier: "flexible",
  engine: "glue",
  trigger: { type: "schedule", expression: "cron(0 2 * * ? *)", timezone: "UTC" },
  expectedRuntimeMinutes: 10,
  timeoutMinutes: 30,
  source: { database: "sales_raw", table: "sales" },
  target: { database: "sales_curated", table: "daily" },
  glue: {
    script: "jobs/glue/daily_sales_by_store.py",
    workerType: "G.1X",
    numberOfWorkers: 2,
    maxRetries: 1,
    incremental: true,
  },
};

function withPipeline(change: (pipeline: any, config: RawConfig) => void): RawConfig {
  const config = validConfig();
  const pipeline = structuredClone(GLUE_PIPELINE);
  config.pipelines = [pipeline];
  change(pipeline, config);
  return config;
}

/** The daily-sales pipeline moved to another engine: S3 locations and that engine's settings block. */
function onEngine(
  engine: string,
  settings: Record<string, unknown>,
  change: (pipeline: any) => void = () => {},
) {
  return withPipeline((p) => {
    delete p.glue;
    p.engine = engine;
    p.source = { zone: "raw", prefix: "in/" };
    p.target = { zone: "curated", prefix: "out/" };
    p[engine] = settings;
    change(p);
  });
}

const BATCH = { image: { buildContext: "jobs/sales-aggregator" }, vcpu: 1, memoryMiB: 2048, attempts: 2 };
const EMR = {
  mode: "transient",
  script: "jobs/spark/sales_by_store.py",
  minCapacityUnits: 8,
  maxCapacityUnits: 32,
  idleTimeoutMinutes: 30,
};
const EMR_SERVERLESS = {
  script: "jobs/spark/sales_by_store.py",
  maximumVcpu: 16,
  maximumMemoryGb: 64,
  idleTimeoutMinutes: 15,
};

/** The Glue pipeline with a warehouse and a load from `from` after its job. */
function withWarehouseLoad(from: { database: string; table: string }): RawConfig {
  return withPipeline((p, c) => {
    c.warehouse = {
      kind: "serverless",
      databaseName: "analytics",
      baseCapacityRpu: 8,
      maxCapacityRpu: 16,
      monthlyRpuHoursLimit: 10,
    };
    p.steps = [
      { name: "run", type: "job" },
      { name: "load", type: "redshiftLoad", from, schema: "public", table: "daily" },
    ];
  });
}

const STORES_DB = {
  name: "stores-db",
  jdbcUrl: "jdbc:postgresql://stores.internal:5432/stores",
  secret: "bdp/test/stores-db",
  databaseCidrs: ["10.50.0.0/24"],
  port: 5432,
};

/** A crawler that keeps one catalog table up to date. */
const tableCrawler = (name: string, database: string, table: string) => ({
  name,
  database,
  s3Targets: [{ database, table }],
  incremental: false,
});

interface BadPipelineCase {
  what: string;
  config: RawConfig;
  key: string;
  says: RegExp;
}

const BAD_PIPELINES: BadPipelineCase[] = [
  {
    what: "an unknown engine",
    config: withPipeline((p) => (p.engine = "spark")),
    key: "batch-data-platform:pipelines[0].engine",
    says: /"glue" \| "emr" \| "emrServerless" \| "batch"|glue.*emr.*emrServerless.*batch/,
  },
  {
    what: "a timeout of 0",
    config: withPipeline((p) => (p.timeoutMinutes = 0)),
    key: "batch-data-platform:pipelines[0].timeoutMinutes",
    says: /greater than 0/,
  },
  {
    what: "a negative timeout",
    config: withPipeline((p) => (p.timeoutMinutes = -5)),
    key: "batch-data-platform:pipelines[0].timeoutMinutes",
    says: /greater than 0/,
  },
  {
    what: "a worker type FLEX does not allow on the flexible tier",
    config: withPipeline((p) => (p.glue.workerType = "G.4X")),
    key: "batch-data-platform:pipelines[0].glue.workerType",
    says: /FLEX execution class, which allows only G\.1X or G\.2X/,
  },
  {
    what: "an unknown database",
    config: withPipeline((p) => (p.source.database = "sales_bronze")),
    key: "batch-data-platform:pipelines[0].source.database",
    says: /unknown database; declared: sales_raw, sales_curated/,
  },
  {
    what: "an invalid cron expression (both day fields set)",
    config: withPipeline((p) => (p.trigger.expression = "cron(0 2 * * MON *)")),
    key: "batch-data-platform:pipelines[0].trigger.expression",
    says: /exactly one of day-of-month and day-of-week must be "\?"/,
  },
  {
    what: "an invalid rate expression",
    config: withPipeline((p) => (p.trigger.expression = "rate(5 hour)")),
    key: "batch-data-platform:pipelines[0].trigger.expression",
    says: /plural unit/,
  },
  {
    what: "a cron expression on a day that never comes (30 February)",
    config: withPipeline((p) => (p.trigger.expression = "cron(0 2 30 2 ? *)")),
    key: "batch-data-platform:pipelines[0].trigger.expression",
    says: /never fires: day-of-month 30 does not occur in FEB/,
  },
  {
    what: "an unknown time zone",
    config: withPipeline((p) => (p.trigger.timezone = "Mars/Olympus")),
    key: "batch-data-platform:pipelines[0].trigger.timezone",
    says: /IANA time zone/,
  },
  {
    what: "a Fargate CPU/memory pair AWS does not offer",
    config: withPipeline((p) => {
      p.engine = "batch";
      delete p.glue;
      p.source = { zone: "raw", prefix: "in/" };
      p.target = { zone: "curated", prefix: "out/" };
      p.batch = { image: { buildContext: "jobs/sales-aggregator" }, vcpu: 1, memoryMiB: 1024, attempts: 2 };
    }),
    key: "batch-data-platform:pipelines[0].batch.memoryMiB",
    says: /1024 is not allowed with 1 vCPU; use 2048-8192 in steps of 1024/,
  },
  {
    what: "an S3 upload trigger outside the pipeline's source",
    config: withPipeline((p) => {
      p.engine = "batch";
      delete p.glue;
      p.trigger = { type: "s3Upload", prefix: "incoming/", suffix: ".csv" };
      p.expectedRunsPerMonth = 30;
      p.source = { database: "sales_raw", table: "sales" };
      p.target = { zone: "curated", prefix: "out/" };
      p.batch = { image: { buildContext: "jobs/sales-aggregator" }, vcpu: 1, memoryMiB: 2048, attempts: 2 };
    }),
    key: "batch-data-platform:pipelines[0].trigger.prefix",
    says: /must be inside the pipeline's source, raw zone "test_sales_raw\/sales\/" \(table sales_raw\.sales\)/,
  },
  {
    what: "a crawler step that crawls the source after the job wrote the target",
    config: withPipeline((p, c) => {
      c.crawlers = [tableCrawler("raw-sales", "sales_raw", "sales")];
      p.steps = [
        { name: "run", type: "job" },
        { name: "crawl", type: "crawler", crawler: "raw-sales" },
      ];
    }),
    key: "batch-data-platform:pipelines[0].steps[1].crawler",
    says: /crawler "raw-sales" crawls raw zone "test_sales_raw\/sales\/".*but the job step before it writes curated zone/,
  },
  {
    what: "a step naming a crawler that does not exist",
    config: withPipeline(
      (p) =>
        (p.steps = [
          { name: "run", type: "job" },
          { name: "crawl", type: "crawler", crawler: "nope" },
        ]),
    ),
    key: "batch-data-platform:pipelines[0].steps[1].crawler",
    says: /step "crawl": unknown crawler/,
  },
  {
    what: "a step naming a pipeline that does not exist",
    config: withPipeline((p) => (p.steps = [{ name: "other", type: "pipelineJob", pipeline: "ghost" }])),
    key: "batch-data-platform:pipelines[0].steps[0].pipeline",
    says: /step "other": unknown pipeline/,
  },
  {
    what: "a warehouse load from an unknown database",
    config: withWarehouseLoad({ database: "nope", table: "daily" }),
    key: "batch-data-platform:pipelines[0].steps[1].from.database",
    says: /step "load": unknown database/,
  },
  {
    what: "a warehouse load of a table without a data contract",
    config: withWarehouseLoad({ database: "sales_curated", table: "daily" }),
    key: "batch-data-platform:pipelines[0].steps[1].from.table",
    says: /step "load": the warehouse has no table contract for it; known: daily_sales_by_store/,
  },
  {
    what: "a warehouse load without a warehouse",
    config: withPipeline((p) => {
      p.steps = [
        {
          name: "load",
          type: "redshiftLoad",
          from: { database: "sales_curated", table: "daily" },
          schema: "public",
          table: "daily",
        },
      ];
    }),
    key: "batch-data-platform:pipelines[0].steps[0].type",
    says: /needs a warehouse/,
  },
  {
    what: "duplicate step names",
    config: withPipeline(
      (p) =>
        (p.steps = [
          { name: "run", type: "job" },
          { name: "run", type: "job" },
        ]),
    ),
    key: "batch-data-platform:pipelines[0].steps[1].name",
    says: /unique/,
  },
  {
    what: 'a step named "null" (a name pattern would take it)',
    config: withPipeline((p) => (p.steps = [{ name: "null", type: "job" }])),
    key: "batch-data-platform:pipelines[0].steps[0].name",
    says: /reads as a missing value/,
  },
  {
    what: "a settings value left empty in YAML",
    config: withPipeline((p) => (p.glue.workerType = null)),
    key: "batch-data-platform:pipelines[0].glue.workerType",
    says: /is empty \(a YAML key without a value, ~ or null\)/,
  },
  {
    what: "one pipeline name twice",
    config: withPipeline((p, c) => c.pipelines.push({ ...structuredClone(p), description: "again" })),
    key: "batch-data-platform:pipelines[1].name",
    says: /pipeline names must be unique/,
  },
  {
    what: "one crawler twice after the job",
    config: withPipeline((p, c) => {
      c.crawlers = [tableCrawler("curated-daily", "sales_curated", "daily")];
      p.crawlers = ["curated-daily", "curated-daily"];
    }),
    key: "batch-data-platform:pipelines[0].crawlers[1]",
    says: /crawler "curated-daily" is listed twice/,
  },
  {
    what: "one Glue connection twice",
    config: withPipeline((p, c) => {
      c.connections = [STORES_DB];
      p.glue.connections = ["stores-db", "stores-db"];
    }),
    key: "batch-data-platform:pipelines[0].glue.connections[1]",
    says: /connection "stores-db" is listed twice/,
  },
  {
    what: "a Glue workflow on a local-time schedule",
    config: withPipeline((p) => (p.trigger.timezone = "Europe/Dublin")),
    key: "batch-data-platform:pipelines[0].trigger",
    says: /Glue schedules run in UTC/,
  },
  {
    what: "expected runs on a scheduled pipeline, which the schedule decides",
    config: withPipeline((p) => (p.expectedRunsPerMonth = 100)),
    key: "batch-data-platform:pipelines[0].expectedRunsPerMonth",
    says: /is derived from the schedule .* would be ignored; remove it/,
  },
  {
    what: "an on-demand pipeline without expected runs",
    config: withPipeline((p) => (p.trigger = { type: "onDemand" })),
    key: "batch-data-platform:pipelines[0].expectedRunsPerMonth",
    says: /required for onDemand pipelines/,
  },
];

/** Files named in config exist in the repository (relative to its root) when the config is validated. */
const MISSING_FILES: BadPipelineCase[] = [
  {
    what: "a Glue script that does not exist",
    config: withPipeline((p) => (p.glue.script = "jobs/glue/daily_sales.py")),
    key: "batch-data-platform:pipelines[0].glue.script",
    says: /does not exist \(relative paths are looked up from the project folder, [^)]+\)/,
  },
  {
    what: "a Python module of a Glue job that does not exist",
    config: withPipeline(
      (p) => (p.glue.pythonModules = ["jobs/common/daily_sales.py", "jobs/common/stores.py"]),
    ),
    key: "batch-data-platform:pipelines[0].glue.pythonModules[1]",
    says: /does not exist \(relative paths are looked up from the project folder/,
  },
  {
    what: "an EMR script that does not exist",
    config: onEngine("emr", { ...EMR, script: "jobs/spark/weekly.py" }),
    key: "batch-data-platform:pipelines[0].emr.script",
    says: /does not exist \(relative paths are looked up from the project folder/,
  },
  {
    what: "an EMR Serverless module that does not exist",
    config: onEngine("emrServerless", { ...EMR_SERVERLESS, pythonModules: ["jobs/common/gone.py"] }),
    key: "batch-data-platform:pipelines[0].emrServerless.pythonModules[0]",
    says: /does not exist \(relative paths are looked up from the project folder/,
  },
  {
    what: "a Docker build context without a Dockerfile",
    config: onEngine("batch", { ...BATCH, image: { buildContext: "jobs/spark" } }),
    key: "batch-data-platform:pipelines[0].batch.image.buildContext",
    says: /has no Dockerfile, which the image build needs/,
  },
  {
    what: "a Docker build context that does not exist",
    config: onEngine("batch", { ...BATCH, image: { buildContext: "jobs/aggregator" } }),
    key: "batch-data-platform:pipelines[0].batch.image.buildContext",
    says: /does not exist \(relative paths are looked up from the project folder/,
  },
];

/**
 * Checks the pipeline schema shares with the components (their validate<Name>Args or the same
 * decision function): each rejection names the pipeline's config key the value came from.
 */
const COMPONENT_CHECKS: BadPipelineCase[] = [
  {
    what: "EC2 Spot on the critical tier (ComputeQueue)",
    config: onEngine("batch", { ...BATCH, ec2Spot: true }, (p) => (p.slaTier = "critical")),
    key: "batch-data-platform:pipelines[0].batch.ec2Spot",
    says: /not allowed for the critical tier: critical jobs never run on Spot/,
  },
  {
    what: "a vCPU count Fargate does not offer (JobDefinition)",
    config: onEngine("batch", { ...BATCH, vcpu: 3, memoryMiB: 8192 }),
    key: "batch-data-platform:pipelines[0].batch.vcpu",
    says: /must be one of 0.25, 0.5, 1, 2, 4, 8, 16/,
  },
  {
    what: "attempts AWS Batch does not allow (JobDefinition)",
    config: onEngine("batch", { ...BATCH, attempts: 11 }),
    key: "batch-data-platform:pipelines[0].batch.attempts",
    says: /integer from 1 to 10 \(AWS Batch limit\)/,
  },
  {
    what: "an image URI without a tag (ContainerImage)",
    config: onEngine("batch", {
      ...BATCH,
      image: { uri: "444455556666.dkr.ecr.eu-west-1.amazonaws.com/sales-aggregator" },
    }),
    key: "batch-data-platform:pipelines[0].batch.image.uri",
    says: /ECR image URI with a tag or digest/,
  },
  {
    what: "EMR Serverless memory below 2 GB per vCPU (EmrServerlessApplication)",
    config: onEngine("emrServerless", { ...EMR_SERVERLESS, maximumMemoryGb: 16 }),
    key: "batch-data-platform:pipelines[0].emrServerless.maximumMemoryGb",
    says: /at least 2 GB per vCPU \(32 GB for 16 vCPU\)/,
  },
  {
    what: "an EMR 6 release (EmrServerlessApplication)",
    config: onEngine("emrServerless", { ...EMR_SERVERLESS, releaseLabel: "emr-6.15.0" }),
    key: "batch-data-platform:pipelines[0].emrServerless.releaseLabel",
    says: /EMR 7 release label/,
  },
  {
    what: "an EMR maximum below the minimum (EmrCluster)",
    config: onEngine("emr", { ...EMR, maxCapacityUnits: 4 }),
    key: "batch-data-platform:pipelines[0].emr.maxCapacityUnits",
    says: /must be at least minCapacityUnits \(8\)/,
  },
  {
    what: "an EMR idle timeout over 7 days (EmrCluster)",
    config: onEngine("emr", { ...EMR, idleTimeoutMinutes: 10081 }),
    key: "batch-data-platform:pipelines[0].emr.idleTimeoutMinutes",
    says: /1 to 10080 minutes/,
  },
  {
    what: "a Glue job with one worker (EtlJob)",
    config: withPipeline((p) => (p.glue.numberOfWorkers = 1)),
    key: "batch-data-platform:pipelines[0].glue.numberOfWorkers",
    says: /at least 2 \(Glue needs one driver and one executor\)/,
  },
  {
    what: "a step named like the state machine's own states",
    config: withPipeline((p) => (p.steps = [{ name: "PipelineFailed", type: "job" }])),
    key: "batch-data-platform:pipelines[0].steps[0].name",
    says: /reserved for the state machine's own states/,
  },
  {
    what: "a source prefix with a space (S3 prefix rule)",
    config: onEngine("batch", BATCH, (p) => (p.source.prefix = "in coming/")),
    key: "batch-data-platform:pipelines[0].source.prefix",
    says: /may use only letters, digits/,
  },
  {
    what: "an upload prefix with a leading / (S3 prefix rule)",
    config: onEngine("batch", BATCH, (p) => {
      p.trigger = { type: "s3Upload", prefix: "/incoming/", suffix: ".csv" };
      p.expectedRunsPerMonth = 30;
    }),
    key: "batch-data-platform:pipelines[0].trigger.prefix",
    says: /no leading "\/"/,
  },
];

describe("pipelines config", () => {
  for (const bad of [...BAD_PIPELINES, ...MISSING_FILES, ...COMPONENT_CHECKS]) {
    it(`rejects ${bad.what}, naming the pipeline and ${bad.key}`, async () => {
      const { error, synthesized } = await synthesizeProgramSettled(bad.config);
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      const problem = error.problems.find((candidate) => candidate.key.startsWith(bad.key));
      assert.ok(problem, `no problem names ${bad.key}; got:\n${error.message}`);
      assert.match(problem.key, /\[pipeline "daily-sales"\]$/);
      assert.match(problem.message, bad.says);
      assert.deepEqual(
        synthesized.resources.map((resource) => resource.type),
        ["pulumi:pulumi:Stack"],
      );
    });
  }

  it("accepts any positive size for a Batch job on EC2 Spot (the Fargate table does not apply)", async () => {
    const { error, synthesized } = await synthesizeProgramSettled(
      onEngine("batch", { ...BATCH, ec2Spot: true, vcpu: 3, memoryMiB: 5000 }),
    );
    assert.equal(error, undefined, String(error));
    const definition = synthesized.one("aws:batch/jobDefinition:JobDefinition");
    assert.deepEqual(definition.inputs.platformCapabilities, ["EC2"]);
  });

  it("rejects a timeout too short for the pipeline's steps, their retries and cleanup, naming timeoutMinutes", async () => {
    const config = withPipeline((p) => {
      p.steps = [{ name: "run", type: "job" }];
      p.expectedRuntimeMinutes = 15;
      p.timeoutMinutes = 16;
    });
    const error = await synthesizeProgramSettled(config).then(
      (settled) => settled.error,
      (rejected: unknown) => rejected,
    );
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    const [problem] = error.problems;
    assert.equal(problem.key, 'batch-data-platform:pipelines[0].timeoutMinutes [pipeline "daily-sales"]');
    assert.match(
      problem.message,
      /too short .* shortest windows \(run 15 min\).* at least \d+ s \(\d+ minutes\)/,
    );
    assert.equal(problem.given, 16);
  });

  it("looks the files of every engine up from the project folder, where Pulumi runs the program", () => {
    const configs = [
      withPipeline(() => undefined),
      onEngine("emr", EMR),
      onEngine("emrServerless", { ...EMR_SERVERLESS, pythonModules: ["jobs/common/daily_sales.py"] }),
      onEngine("batch", BATCH),
    ];
    // The tests run in the repository, the project folder of this program.
    for (const config of configs) {
      const result = parseStackConfig(schemaInput(config));
      assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    }
    const missing = parseStackConfig(schemaInput(onEngine("emr", { ...EMR, script: "jobs/spark/nope.py" })));
    assert.ok(!missing.ok);
    assert.deepEqual(
      missing.problems.map((problem) => problem.key),
      ['batch-data-platform:pipelines[0].emr.script [pipeline "daily-sales"]'],
    );
    // Elsewhere, the same relative paths name nothing, and the error says where it looked.
    const cwd = process.cwd();
    process.chdir(os.tmpdir());
    try {
      const elsewhere = parseStackConfig(schemaInput(onEngine("emr", EMR)));
      assert.ok(!elsewhere.ok);
      assert.match(
        elsewhere.problems[0].message,
        new RegExp(
          `looked up from the project folder, ${process.cwd().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\)`,
        ),
      );
    } finally {
      process.chdir(cwd);
    }
  });

  it("accepts rare schedules AWS accepts, in any tz database time zone", async () => {
    const schedules = [
      ["cron(0 0 29 2 ? *)", "Asia/Kolkata"], // leap day; Kolkata is not in Node's ICU list
      ["cron(0 0 L * ? *)", "Europe/Kyiv"], // last day of the month
      ["cron(0 0 15W * ? *)", "US/Eastern"], // weekday nearest the 15th; a tz database link
      ["cron(0 0 ? * 6#3 *)", "America/Nuuk"], // third Friday
      ["cron(0 0 ? * 2L 2027-2030)", "Etc/GMT+5"], // last Monday, in a range of years
    ];
    const config = onEngine("batch", BATCH);
    const template = config.pipelines[0];
    config.pipelines = schedules.map(([expression, timezone], index) => ({
      ...structuredClone(template),
      name: `rare-${index}`,
      trigger: { type: "schedule", expression, timezone },
      target: { zone: "curated", prefix: `out-${index}/` },
    }));
    const { error, synthesized } = await synthesizeProgramSettled(config);
    assert.equal(error, undefined, String(error));
    const declared = synthesized
      .ofType("aws:scheduler/schedule:Schedule")
      .map((schedule) => [schedule.inputs.scheduleExpression, schedule.inputs.scheduleExpressionTimezone]);
    assert.deepEqual(declared.sort(), [...schedules].sort());
  });

  it("accepts a valid Glue pipeline and runs it as a Glue workflow", async () => {
    const { error, synthesized } = await synthesizeProgramSettled(withPipeline(() => undefined));
    assert.equal(error, undefined, String(error));
    const trigger = synthesized.ofType("aws:glue/trigger:Trigger").find((t) => t.inputs.type === "SCHEDULED");
    assert.equal(trigger?.inputs.schedule, "cron(0 2 * * ? *)");
    assert.equal(synthesized.ofType("aws:sfn/stateMachine:StateMachine").length, 0);
  });
});

describe("pipelines on the committed stacks", () => {
  const stacks: Record<string, Synthesized> = {};
  before(async () => {
    stacks.dev = await synthesizeCommittedStack("dev");
    stacks.prod = await synthesizeCommittedStack("prod");
  });

  for (const stack of ["dev", "prod"]) {
    it(`${stack}: exercises every engine and orchestration`, () => {
      const result = stacks[stack];
      assert.ok(result.ofType("aws:glue/job:Job").length >= 2);
      assert.equal(result.ofType("aws:glue/workflow:Workflow").length, 1);
      assert.equal(result.ofType("aws:emrserverless/application:Application").length, 1);
      assert.equal(result.ofType("aws:batch/jobQueue:JobQueue").length, 2);
      assert.ok(result.ofType("aws:sfn/stateMachine:StateMachine").length >= 3);
      const pipelines = (result.stackOutputs as any).pipelines;
      assert.deepEqual(
        Object.fromEntries(
          Object.entries(pipelines).map(([name, p]: [string, any]) => [name, p.orchestration]),
        ),
        {
          "daily-sales": "stepFunctions",
          "sales-replay": "glueWorkflow",
          "weekly-store-report": "stepFunctions",
          "sales-backfill": "stepFunctions",
          "store-uploads": "eventBridgeBatch",
          "nightly-upload-check": "eventBridgeBatch",
        },
      );
    });

    it(`${stack}: declares a scheduled and an S3-triggered Batch pipeline`, () => {
      const result = stacks[stack];
      const schedules = result.ofType("aws:scheduler/schedule:Schedule");
      const batchSchedule = schedules.find(
        (schedule) => schedule.inputs.target.arn === "arn:aws:scheduler:::aws-sdk:batch:submitJob",
      );
      assert.ok(batchSchedule, "no schedule submits a Batch job");
      assert.equal(batchSchedule.inputs.scheduleExpression, "cron(0 1 * * ? *)");
      assert.ok(batchSchedule.inputs.target.deadLetterConfig.arn);
      const upload = result.one("aws:cloudwatch/eventRule:EventRule", "-store-uploads");
      const pattern = JSON.parse(upload.inputs.eventPattern);
      assert.deepEqual(pattern.source, ["aws.s3"]);
      assert.deepEqual(pattern["detail-type"], ["Object Created"]);
      assert.deepEqual(pattern.detail.object.key, [{ wildcard: "incoming/sales/*.csv" }]);
    });

    it(`${stack}: runs daily sales as Glue job -> crawler -> Redshift load in Step Functions`, () => {
      const machine = stacks[stack].one("aws:sfn/stateMachine:StateMachine", "daily-sales-machine");
      const definition = stacks[stack].json(machine, "definition");
      const resources = Object.values(definition.States as Record<string, any>).map(
        (state) => state.Resource,
      );
      const order = [
        "arn:aws:states:::aws-sdk:glue:startCrawler",
        "arn:aws:states:::glue:startJobRun.sync",
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::aws-sdk:redshiftdata:batchExecuteStatement",
      ].map((resource) => resources.indexOf(resource));
      assert.ok(
        order.every((index) => index >= 0),
        JSON.stringify(resources),
      );
      assert.deepEqual(
        [...order].sort((a, b) => a - b),
        order,
      );
    });

    it(`${stack}: every state machine alerts on every failure, releases its clusters, bounds its loops and fits its timeout`, () => {
      const result = stacks[stack];
      const alertTopicArn = result.one("aws:sns/topic:Topic").outputs.arn;
      const machines = result.ofType("aws:sfn/stateMachine:StateMachine");
      assert.deepEqual(
        machines.map((machine) => machine.name).sort(),
        ["daily-sales", "sales-backfill", "warehouse-setup", "weekly-store-report"].map(
          (name) => `bdp-${stack}-${name}-machine`,
        ),
      );
      for (const machine of machines) {
        const definition = result.json(machine, "definition");
        const report = checkExecutionPaths(definition, {
          alertTopicArn,
          lifecycles: lifecyclesOf(STEP_KINDS),
        });
        assert.deepEqual(report.problems, [], machine.name);
      }
    });

    it(`${stack}: loads the warehouse in one transaction as the least-privilege loader, after the setup`, () => {
      const result = stacks[stack];
      const daily = result.one("aws:sfn/stateMachine:StateMachine", "daily-sales-machine");
      const states = result.json(daily, "definition").States as Record<string, any>;
      const setupMachine = result.one("aws:sfn/stateMachine:StateMachine", "warehouse-setup-machine");
      const setup = states["load-warehouse-setup"];
      assert.equal(setup.Resource, "arn:aws:states:::states:startExecution.sync:2");
      assert.equal(setup.Parameters.StateMachineArn, setupMachine.outputs.arn);
      assert.ok(setup.TimeoutSeconds > result.json(setupMachine, "definition").TimeoutSeconds);
      assert.equal(setup.Next, "load-warehouse");

      const load = states["load-warehouse"];
      assert.equal(load.Resource, "arn:aws:states:::aws-sdk:redshiftdata:batchExecuteStatement");
      assert.deepEqual(
        load.Parameters.Sqls,
        loadSqls({
          contract: DAILY_SALES_BY_STORE,
          lakeSchema: "lake_sales_curated",
          glueDatabase: `${stack}_sales_curated`,
          targetSchema: "public",
          targetTable: "daily_sales_by_store",
        }),
      );
      assert.deepEqual(loadStatementProblems(load.Parameters.Sqls, DAILY_SALES_BY_STORE), []);
      assert.equal(load.Parameters.SecretArn, undefined, "the load must not use the admin secret");
      // The machine's role and policy are its siblings in its PipelineStateMachine component.
      const roleOf = (machine: (typeof result.resources)[number]) => {
        const sibling = (type: string) => result.ofType(type).find((r) => r.parent === machine.parent)!;
        return {
          role: sibling("aws:iam/role:Role"),
          policy: JSON.stringify(result.json(sibling("aws:iam/rolePolicy:RolePolicy"), "policy")),
        };
      };
      const { role, policy } = roleOf(daily);
      assert.ok(!policy.includes("secretsmanager:GetSecretValue"), "the pipeline's role can read a secret");
      if (stack === "dev") {
        // Serverless: signs in as its IAM role, mapped to the loader database role by the tag.
        assert.ok(load.Parameters.WorkgroupName);
        assert.equal(load.Parameters.DbUser, undefined);
        assert.equal(role.inputs.tags.RedshiftDbRoles, "bdp_loader_role");
      } else {
        assert.ok(load.Parameters.ClusterIdentifier);
        assert.equal(load.Parameters.DbUser, LOADER_USER);
        assert.equal(role.inputs.tags.RedshiftDbRoles, undefined);
      }

      // The setup is the only machine that uses the admin secret.
      const setupStates = Object.values(
        result.json(setupMachine, "definition").States as Record<string, any>,
      );
      const executes = setupStates.filter((state) =>
        /redshiftdata:(batchE|e)xecuteStatement$/.test(state.Resource ?? ""),
      );
      assert.ok(executes.length >= 2);
      // The secret Redshift manages for the warehouse's admin (see tools/synth/mock-outputs.ts).
      const adminSecret = executes[0].Parameters.SecretArn;
      assert.match(adminSecret, new RegExp(`:secret:redshift!bdp-${stack}-warehouse-`));
      for (const state of executes) assert.equal(state.Parameters.SecretArn, adminSecret);
      const setupPolicy = roleOf(setupMachine).policy;
      assert.ok(setupPolicy.includes(adminSecret));
      assert.ok(setupPolicy.includes("kms:Decrypt"));
    });

    it(`${stack}: runs the weekly report on a transient EMR cluster that is terminated on failure`, () => {
      const machine = stacks[stack].one("aws:sfn/stateMachine:StateMachine", "weekly-store-report-machine");
      const definition = stacks[stack].json(machine, "definition");
      const states = Object.values(definition.States as Record<string, any>);
      const resources = states.map((state) => state.Resource);
      assert.ok(resources.includes("arn:aws:states:::elasticmapreduce:createCluster.sync"));
      assert.ok(resources.includes("arn:aws:states:::elasticmapreduce:addStep.sync"));
      assert.ok(
        resources.filter((r) => r === "arn:aws:states:::elasticmapreduce:terminateCluster").length >= 2,
      );
      const create = states.find(
        (state) => state.Resource === "arn:aws:states:::elasticmapreduce:createCluster.sync",
      );
      const fleets = create.Parameters.Instances.InstanceFleets;
      const core = fleets.find((fleet: any) => fleet.InstanceFleetType === "CORE");
      assert.ok(core.TargetSpotCapacity > 0, "flexible core fleet uses Spot");
      assert.ok(
        core.InstanceTypeConfigs.every((config: any) => /^[a-z]\d+g[a-z]*\./.test(config.InstanceType)),
      );
      assert.ok(create.Parameters.AutoTerminationPolicy.IdleTimeout > 0);
    });

    it(`${stack}: covers every job, queue, cluster, application and state machine with a failure rule and an alarm on the alert topic`, () => {
      const result = stacks[stack];
      const topicArn = result.one("aws:sns/topic:Topic").outputs.arn;
      const rules = result.ofType("aws:cloudwatch/eventRule:EventRule");
      const targets = result.ofType("aws:cloudwatch/eventTarget:EventTarget");
      const alarms = result.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
      // The alarms under a composite alarm notify through it.
      const composed = result
        .ofType("aws:cloudwatch/compositeAlarm:CompositeAlarm")
        .flatMap((composite) => [composite.inputs.alarmRule, composite.inputs.actionsSuppressor.alarm]);
      for (const alarm of alarms.filter((a) => !composed.some((text) => text.includes(a.inputs.name)))) {
        assert.deepEqual(alarm.inputs.alarmActions, [topicArn], alarm.name);
      }

      const rulesToTopic = rules.filter((rule) =>
        targets.some((target) => target.inputs.rule === rule.outputs.name && target.inputs.arn === topicArn),
      );
      const patternText = (rule: any) => rule.inputs.eventPattern as string;
      const coveredByRule = (value: string) => rulesToTopic.some((rule) => patternText(rule).includes(value));
      const ruleAlarmed = (value: string) =>
        rulesToTopic
          .filter((rule) => patternText(rule).includes(value))
          .some((rule) => alarms.some((alarm) => alarm.inputs.dimensions?.RuleName === rule.outputs.name));

      // A machine that only runs nested in another (the warehouse setup) has the failure rule but
      // no run alarms of its own: its failure fails the caller's run, which they watch.
      const definitions = result
        .ofType("aws:sfn/stateMachine:StateMachine")
        .map((machine) => JSON.stringify(result.json(machine, "definition")));
      const nestedOnly = (arn: string) =>
        definitions.some((definition) => definition.includes(`"StateMachineArn":"${arn}"`));
      const covered: [string, string][] = [
        ...result.ofType("aws:glue/job:Job").map((job) => ["glue job", job.outputs.name] as [string, string]),
        ...result
          .ofType("aws:glue/crawler:Crawler")
          .map((crawler) => ["crawler", crawler.outputs.name] as [string, string]),
        ...result
          .ofType("aws:batch/jobQueue:JobQueue")
          .map((queue) => ["job queue", queue.outputs.arn] as [string, string]),
        ...result
          .ofType("aws:emrserverless/application:Application")
          .map((app) => ["EMR Serverless application", app.outputs.id] as [string, string]),
        ...result
          .ofType("aws:sfn/stateMachine:StateMachine")
          .map((machine) => ["state machine", machine.outputs.arn] as [string, string]),
        // Transient clusters are named after their pipeline; the EMR rule matches the environment prefix.
        ["EMR clusters", `bdp-${stack}-`],
      ];
      for (const [kind, value] of covered) {
        assert.ok(coveredByRule(value), `${kind} ${value} has no failure rule to the alert topic`);
        assert.ok(ruleAlarmed(value), `${kind} ${value} has no alarm`);
      }
      assert.ok(
        result.ofType("aws:sfn/stateMachine:StateMachine").some((machine) => nestedOnly(machine.outputs.arn)),
        "the warehouse setup runs nested in the pipelines that load",
      );
      for (const machine of result
        .ofType("aws:sfn/stateMachine:StateMachine")
        .filter((candidate) => !nestedOnly(candidate.outputs.arn))) {
        assert.ok(
          alarms.some((alarm) => JSON.stringify(alarm.inputs).includes(machine.outputs.arn)),
          `state machine ${machine.name} has no pipeline alarm`,
        );
      }
    });

    it(`${stack}: sets retention and KMS encryption on every log group`, () => {
      const groups = stacks[stack].ofType("aws:cloudwatch/logGroup:LogGroup");
      assert.ok(groups.length > 5);
      const retention = stack === "dev" ? 14 : 90;
      for (const group of groups) {
        assert.equal(group.inputs.retentionInDays, retention, group.name);
        assert.match(group.inputs.kmsKeyId ?? "", /^arn:aws:kms:/, group.name);
      }
    });

    it(`${stack}: every scheduled pipeline has a did-not-run alarm on the alert topic, from a metric it publishes`, () => {
      const result = stacks[stack];
      const topicArn = result.one("aws:sns/topic:Topic").outputs.arn;
      const notifying = [
        ...result.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => [a.inputs.name, a] as const),
        ...result
          .ofType("aws:cloudwatch/compositeAlarm:CompositeAlarm")
          .map((a) => [a.inputs.alarmName, a] as const),
      ].filter(([, a]) => JSON.stringify(a.inputs.alarmActions) === JSON.stringify([topicArn]));
      const scheduled = ["daily-sales", "weekly-store-report", "nightly-upload-check"];
      for (const pipeline of scheduled) {
        assert.ok(
          notifying.some(([name]) => name === `bdp-${stack}-${pipeline}-did-not-run`),
          `${pipeline} has no notifying did-not-run alarm`,
        );
      }
      // The nightly Batch job has no run metrics: Scheduler's attempts in its own schedule group.
      const nightly = result.one(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "nightly-upload-check-did-not-run",
      );
      const group = result.one("aws:scheduler/scheduleGroup:ScheduleGroup", "nightly-upload-check-group");
      assert.deepEqual(
        [nightly.inputs.namespace, nightly.inputs.metricName, nightly.inputs.dimensions],
        ["AWS/Scheduler", "InvocationAttemptCount", { ScheduleGroup: group.outputs.name }],
      );
      const schedule = result.one("aws:scheduler/schedule:Schedule", "nightly-upload-check");
      assert.equal(schedule.inputs.groupName, group.outputs.name);
    });

    it(`${stack}: alarms on every trigger's dead-letter queue and every schedule's target errors`, () => {
      const result = stacks[stack];
      const alarms = result.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
      const queues = result
        .ofType("aws:sqs/queue:Queue")
        .filter((q) => q.inputs.tags?.component === "trigger-dlq");
      assert.equal(queues.length, 4, "three schedules and one upload rule");
      for (const queue of queues) {
        assert.ok(
          alarms.some(
            (a) =>
              a.inputs.metricName === "ApproximateNumberOfMessagesVisible" &&
              a.inputs.dimensions?.QueueName === queue.outputs.name,
          ),
          `${queue.name} has no alarm`,
        );
      }
      for (const group of result.ofType("aws:scheduler/scheduleGroup:ScheduleGroup")) {
        assert.ok(
          alarms.some((a) =>
            (a.inputs.metricQueries ?? []).some(
              (q: any) =>
                q.metric?.metricName === "TargetErrorCount" &&
                q.metric.dimensions.ScheduleGroup === group.outputs.name,
            ),
          ),
          `schedule group ${group.name} has no target-error alarm`,
        );
      }
    });

    it(`${stack}: prices exactly the alarms the stack declares`, () => {
      const estimate = (stacks[stack].stackOutputs as any).costEstimate;
      const prices = regionPrices("eu-west-1");
      const alarms = stacks[stack].ofType("aws:cloudwatch/metricAlarm:MetricAlarm").length;
      const composites = stacks[stack].ofType("aws:cloudwatch/compositeAlarm:CompositeAlarm").length;
      assert.ok(composites > 0, "the weekly report's did-not-run is a composite alarm");
      const logsGb = stack === "dev" ? 5 : 40;
      const expected =
        alarms * prices.cloudWatchAlarmPerMonth +
        composites * prices.cloudWatchCompositeAlarmPerMonth +
        logsGb * prices.logsIngestionPerGb;
      assert.ok(
        Math.abs(estimate.components.monitoring - expected) < 0.01,
        `${estimate.components.monitoring} vs ${expected}`,
      );
    });

    it(`${stack}: exports the cost estimate with a visible saving against on-demand x86`, () => {
      const estimate = (stacks[stack].stackOutputs as any).costEstimate;
      assert.equal(estimate.region, "eu-west-1");
      assert.ok(estimate.total > 0);
      assert.ok(estimate.baselineTotal > estimate.total);
      assert.deepEqual(
        estimate.pipelines.map((pipeline: any) => pipeline.name),
        [
          "daily-sales",
          "sales-replay",
          "weekly-store-report",
          "sales-backfill",
          "store-uploads",
          "nightly-upload-check",
        ],
      );
    });
  }

  it("dev builds the container image from the repository; prod deploys a pinned image URI", () => {
    assert.equal(stacks.dev.ofType("awsx:ecr:Image").length, 1 + 1);
    assert.equal(stacks.prod.ofType("awsx:ecr:Image").length, 0);
    const prodJob = stacks.prod.one("aws:batch/jobDefinition:JobDefinition", "-store-uploads");
    assert.equal(
      JSON.parse(prodJob.inputs.containerProperties).image,
      "444455556666.dkr.ecr.eu-west-1.amazonaws.com/sales-aggregator:1.4.2",
    );
  });
});

describe("Lake Formation grants on the committed stacks", () => {
  let dev: Synthesized;
  before(async () => {
    dev = await synthesizeCommittedStack("dev");
  });

  function grantsOf(principalArn: string) {
    return dev
      .ofType("aws:lakeformation/permissions:Permissions")
      .filter((grant) => grant.inputs.principal === principalArn)
      .map((grant) => ({
        permissions: grant.inputs.permissions,
        target:
          grant.inputs.database?.name ?? grant.inputs.table?.databaseName ?? grant.inputs.dataLocation?.arn,
      }));
  }

  it("gives the daily-sales Glue role read on raw and write on curated, nothing more", () => {
    const role = dev
      .ofType("aws:iam/role:Role")
      .find((candidate) => candidate.name === "bdp-dev-daily-sales-role");
    assert.ok(
      role,
      dev
        .ofType("aws:iam/role:Role")
        .map((r) => r.name)
        .join(", "),
    );
    const grants = grantsOf(role.outputs.arn);
    assert.deepEqual(
      new Set(grants.map((grant) => grant.target)),
      new Set(["dev_sales_raw", "dev_sales_curated", "arn:aws:s3:::bdp-dev-lake-curated"]),
    );
    assert.ok(
      grants
        .filter((grant) => grant.target === "dev_sales_raw")
        .every((grant) => !grant.permissions.includes("INSERT")),
    );
  });

  it("gives each crawler and the warehouse role their own grants", () => {
    const crawlerRoles = dev
      .ofType("aws:iam/role:Role")
      .filter((role) => /raw-sales|curated-sales/.test(role.name));
    assert.ok(crawlerRoles.length >= 2);
    for (const role of crawlerRoles) assert.ok(grantsOf(role.outputs.arn).length > 0, role.name);
    const warehouseRole = dev.one("aws:iam/role:Role", "warehouse-role");
    const warehouseGrants = grantsOf(warehouseRole.outputs.arn);
    assert.ok(warehouseGrants.length > 0);
    assert.ok(
      warehouseGrants.every(
        (grant) => !grant.permissions.includes("INSERT") && !grant.permissions.includes("CREATE_TABLE"),
      ),
    );
  });
});

describe("JDBC connections from config", () => {
  it("declares the connection in a private subnet and lets the Glue job and crawler that use it read its secret", async () => {
    const config = withPipeline((pipeline, c) => {
      c.connections = [STORES_DB];
      c.crawlers = [
        {
          name: "stores",
          database: "sales_raw",
          jdbcTargets: [{ connection: "stores-db", path: "stores/public/%" }],
          incremental: false,
        },
      ];
      pipeline.glue.connections = ["stores-db"];
    });
    const { error, synthesized } = await synthesizeProgramSettled(config);
    assert.equal(error, undefined, String(error));
    const connection = synthesized.one("aws:glue/connection:Connection");
    assert.equal(connection.inputs.connectionProperties.SECRET_ID, "bdp/test/stores-db");
    assert.equal(connection.inputs.connectionProperties.PASSWORD, undefined);
    assert.equal(connection.inputs.physicalConnectionRequirements.subnetId, "subnet-0a1b2c3d4e5f60001");
    assert.equal(connection.inputs.physicalConnectionRequirements.availabilityZone, "eu-west-1a");
    const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:bdp/test/stores-db-??????";
    for (const suffix of ["daily-sales-access", "stores-access"]) {
      const policy = synthesized.json(synthesized.one("aws:iam/rolePolicy:RolePolicy", suffix), "policy");
      const secretStatement = policy.Statement.find((statement: any) =>
        statement.Action.includes("secretsmanager:GetSecretValue"),
      );
      assert.deepEqual(secretStatement?.Resource, [secretArn], suffix);
    }
  });
});
