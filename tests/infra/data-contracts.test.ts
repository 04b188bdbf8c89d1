/**
 * Data contracts on what AWS would receive: for every pipeline of the committed stacks and of a
 * generated config, walks the synthesized resources from where data lands (the upload rule) to
 * where it is read last (crawlers, the warehouse load) and fails on any mismatch between them,
 * or between them and the one definition of each location (decisions/locations.ts).
 */
import { strict as assert } from "assert";
import { PROJECT, parseStackConfig, StackConfig } from "../../infra/config";
import { PipelineDefinition } from "../../decisions/pipeline";
import { glueDatabaseName, locationPath } from "../../decisions/locations";
import { synthesizePlatform } from "../../tools/synth/program";
import { toRuntimeConfig } from "../../tools/synth/stack-config";
import { configWithPipelines, readRawStackConfig } from "../../tools/bench/generate";
import { schemaInput } from "../support/config";
import { Synthesized } from "../support/synth";

/** An S3 folder: bucket and key prefix ("" or ending in "/"). */
interface Place {
  bucket: string;
  prefix: string;
}

function parseUri(uri: string): Place {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  assert.ok(match, `not an s3:// URI: ${uri}`);
  return { bucket: match[1], prefix: match[2] };
}

const show = (place: Place | undefined) => (place ? `s3://${place.bucket}/${place.prefix}` : "nothing");
const same = (a: Place, b: Place) => a.bucket === b.bucket && a.prefix === b.prefix;
const within = (inner: Place, outer: Place) =>
  inner.bucket === outer.bucket && inner.prefix.startsWith(outer.prefix);
const overlap = (a: Place, b: Place) => within(a, b) || within(b, a);

/** What one pipeline's job reads and writes, as its own resources say. */
interface JobIo {
  reads: Place;
  writes: Place;
  /** The catalog table written (Glue `--target_*`, Spark `--table`), Glue names. */
  writesTable?: { database: string; table: string };
  /** The catalog table read (Glue `--source_*`). */
  readsTable?: { database: string; table: string };
}

/** Every `--flag value` list in a state machine definition that carries `--source`. */
function sparkArgumentLists(definition: unknown): string[][] {
  const found: string[][] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) {
      if (value.includes("--source")) found.push(value as string[]);
      value.forEach(walk);
    } else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(definition);
  return found;
}

/** Every `Sql` parameter and every statement of a `Sqls` batch in a state machine definition. */
function sqlStatements(definition: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if (key === "Sql" && typeof inner === "string") found.push(inner);
        else if (key === "Sqls" && Array.isArray(inner))
          found.push(...inner.filter((sql) => typeof sql === "string"));
        else walk(inner);
      }
    }
  };
  walk(definition);
  return found;
}

function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
}

/** The synthesized stack of a config, with lookups by pipeline and crawler name. */
class StackView {
  readonly problems: string[] = [];
  readonly buckets: Record<string, string>;

  constructor(
    readonly label: string,
    readonly synth: Synthesized,
    readonly config: StackConfig,
  ) {
    this.buckets = (synth.stackOutputs as { buckets: Record<string, string> }).buckets;
  }

  name(resource: string): string {
    return `bdp-${this.config.environment}-${resource}`;
  }

  fail(pipeline: string, message: string): void {
    this.problems.push(`${this.label} ${pipeline}: ${message}`);
  }

  /** The folder a config location resolves to by the one definition. */
  resolved(location: PipelineDefinition["source"]): Place {
    const path = locationPath(location, {
      environment: this.config.environment,
      databases: this.config.catalog.databases,
    });
    assert.ok(path, `unresolvable location ${JSON.stringify(location)}`);
    return { bucket: this.buckets[path.zone], prefix: path.prefix };
  }

  resource(type: string, name: string) {
    const matches = this.synth.ofType(type).filter((resource) => resource.name === name);
    assert.equal(matches.length, 1, `${this.label}: expected one ${type} named ${name}`);
    return matches[0];
  }

  policy(name: string): any[] {
    return this.synth.json(this.resource("aws:iam/rolePolicy:RolePolicy", name), "policy").Statement;
  }

  /** The S3 paths a crawler crawls and the Glue database it writes. */
  crawler(name: string): { database: string; paths: Place[]; tablePrefix?: string } {
    const crawler = this.resource("aws:glue/crawler:Crawler", this.name(name));
    return {
      database: crawler.inputs.databaseName,
      tablePrefix: crawler.inputs.tablePrefix,
      paths: crawler.inputs.s3Targets.map((target: { path: string }) => parseUri(target.path)),
    };
  }

  machineDefinition(pipeline: string): any | undefined {
    const machines = this.synth
      .ofType("aws:sfn/stateMachine:StateMachine")
      .filter((machine) => machine.name === `${this.name(pipeline)}-machine`);
    return machines.length === 1 ? this.synth.json(machines[0], "definition") : undefined;
  }

  /** External schemas the warehouse setup creates, with the Glue database each maps. */
  externalSchemas(): Map<string, string> {
    const setup = this.synth
      .ofType("aws:sfn/stateMachine:StateMachine")
      .find((machine) => machine.name === `${this.name("warehouse-setup")}-machine`);
    const statements = setup ? sqlStatements(this.synth.json(setup, "definition")) : [];
    const schemas = new Map<string, string>();
    for (const statement of statements) {
      const match = /CREATE EXTERNAL SCHEMA IF NOT EXISTS (\w+) FROM DATA CATALOG DATABASE '(\w+)'/.exec(
        statement,
      );
      if (match) schemas.set(match[1], match[2]);
    }
    return schemas;
  }

  jobIo(pipeline: PipelineDefinition): JobIo {
    if (pipeline.engine === "glue") return this.glueIo(pipeline);
    if (pipeline.engine === "batch") return this.batchIo(pipeline);
    return this.sparkIo(pipeline);
  }

  private glueIo(pipeline: PipelineDefinition): JobIo {
    const args = this.resource("aws:glue/job:Job", this.name(pipeline.name)).inputs.defaultArguments;
    const statements = this.policy(`${this.name(pipeline.name)}-access`);
    const listed = statements.find((statement) => statement.Sid === "SourceList0");
    const reads = {
      bucket: listed.Resource[0].replace("arn:aws:s3:::", ""),
      prefix: listed.Condition.StringLike["s3:prefix"][0].replace(/\*$/, ""),
    };
    const writes = parseUri(args["--target_path"]);
    const writable = statements.find((statement) => statement.Sid === "TargetObjects0").Resource;
    if (!writable.includes(`arn:aws:s3:::${writes.bucket}/${writes.prefix}*`))
      this.fail(pipeline.name, `its role may not write --target_path ${show(writes)}`);
    // A bookmarked run reads only new files and must append; a full run must replace partitions.
    const bookmarked = args["--job-bookmark-option"] === "job-bookmark-enable";
    const mode = bookmarked ? "append" : "overwrite_partitions";
    if (args["--write_mode"] !== mode)
      this.fail(
        pipeline.name,
        `--write_mode is ${args["--write_mode"]}, but bookmarks ${bookmarked ? "on" : "off"} need ${mode}`,
      );
    return {
      reads,
      writes,
      readsTable: { database: args["--source_database"], table: args["--source_table"] },
      writesTable: { database: args["--target_database"], table: args["--target_table"] },
    };
  }

  private batchIo(pipeline: PipelineDefinition): JobIo {
    const definition = this.resource("aws:batch/jobDefinition:JobDefinition", this.name(pipeline.name));
    const container = this.synth.json(definition, "containerProperties");
    const env = Object.fromEntries(container.environment.map((entry: any) => [entry.name, entry.value]));
    const reads = { bucket: env.SOURCE_BUCKET, prefix: env.SOURCE_PREFIX };
    const writes = { bucket: env.TARGET_BUCKET, prefix: env.TARGET_PREFIX };
    const statements = this.policy(`${this.name(pipeline.name)}-job`);
    const listed = statements.find((statement) => statement.Sid === "ListSourcePrefix");
    if (listed.Condition.StringLike["s3:prefix"][0] !== `${reads.prefix}*`)
      this.fail(
        pipeline.name,
        `its role lists ${listed.Condition.StringLike["s3:prefix"][0]}, not SOURCE_PREFIX`,
      );
    const written = statements.find((statement) => statement.Sid === "WriteTarget").Resource[0];
    if (written !== `arn:aws:s3:::${writes.bucket}/${writes.prefix}*`)
      this.fail(pipeline.name, `its role writes ${written}, not TARGET_PREFIX ${show(writes)}`);
    // Uploads pass one object; everything else runs over a day of uploads under SOURCE_PREFIX.
    const mode = pipeline.trigger.type === "s3Upload" ? "object" : "day";
    if (env.JOB_MODE !== mode) this.fail(pipeline.name, `JOB_MODE is ${env.JOB_MODE}, expected ${mode}`);
    if (pipeline.trigger.type === "schedule" && pipeline.steps === undefined) {
      const input = JSON.parse(
        this.resource("aws:scheduler/schedule:Schedule", this.name(pipeline.name)).inputs.target.input,
      );
      const overrides = input.ContainerOverrides?.Environment ?? [];
      if (
        !overrides.some(
          (entry: any) => entry.Name === "SCHEDULED_TIME" && entry.Value === "<aws.scheduler.scheduled-time>",
        )
      )
        this.fail(
          pipeline.name,
          "its schedule does not pass SCHEDULED_TIME, so the day job cannot tell which day to read",
        );
    }
    return { reads, writes };
  }

  private sparkIo(pipeline: PipelineDefinition): JobIo {
    const definition = this.machineDefinition(pipeline.name);
    assert.ok(definition, `${this.label} ${pipeline.name}: no state machine runs the Spark job`);
    const lists = sparkArgumentLists(definition);
    assert.equal(lists.length, 1, `${this.label} ${pipeline.name}: expected one spark-submit argument list`);
    const [args] = lists;
    const table = flag(args, "--table");
    const [database, name] = table ? table.split(".") : [];
    return {
      reads: parseUri(flag(args, "--source")!),
      writes: parseUri(flag(args, "--target")!),
      ...(table ? { writesTable: { database, table: name } } : {}),
    };
  }
}

/** The key filter of an upload rule as the folder it watches. */
function watchedFolder(view: StackView, pipeline: PipelineDefinition): Place {
  const rule = view.resource("aws:cloudwatch/eventRule:EventRule", view.name(pipeline.name));
  const pattern = JSON.parse(rule.inputs.eventPattern);
  const [filter] = pattern.detail.object.key;
  const prefix = filter.prefix ?? (filter.wildcard as string).slice(0, filter.wildcard.indexOf("*"));
  return { bucket: pattern.detail.bucket.name[0], prefix };
}

/** Walks one pipeline; mismatches go to view.problems. */
function walkPipeline(view: StackView, pipeline: PipelineDefinition, io: Map<string, JobIo>): void {
  const own = io.get(pipeline.name)!;
  const fail = (message: string) => view.fail(pipeline.name, message);

  // The job's arguments are the resolved source and target.
  const source = view.resolved(pipeline.source);
  const target = view.resolved(pipeline.target);
  if (!same(own.reads, source)) fail(`the job reads ${show(own.reads)}, but its source is ${show(source)}`);
  if (!same(own.writes, target))
    fail(`the job writes ${show(own.writes)}, but its target is ${show(target)}`);

  // Where data lands: the upload rule watches a folder inside what the job reads.
  if (pipeline.trigger.type === "s3Upload") {
    const watched = watchedFolder(view, pipeline);
    if (!within(watched, own.reads))
      fail(`uploads to ${show(watched)} start the job, which reads ${show(own.reads)}`);
  }

  // A source table a crawler of the stack keeps up to date is where the job reads.
  if (own.readsTable) {
    for (const crawlerConfig of view.config.crawlers) {
      const crawler = view.crawler(crawlerConfig.name);
      if (crawler.database !== own.readsTable.database) continue;
      for (const path of crawler.paths) {
        const folder = path.prefix.split("/").filter(Boolean).pop();
        if (`${crawler.tablePrefix ?? ""}${folder}` === own.readsTable.table && !same(path, own.reads))
          fail(
            `crawler ${crawlerConfig.name} makes table ${own.readsTable.table} at ${show(path)}, but the job reads ${show(own.reads)}`,
          );
      }
    }
  }

  // Crawls and loads, in step order: before a job the source, after it what that job wrote.
  const definition = view.machineDefinition(pipeline.name);
  let written: JobIo | undefined;
  const crawled = (crawlerName: string, expected: Place, what: string) => {
    const crawler = view.crawler(crawlerName);
    if (!crawler.paths.some((path) => same(path, expected)))
      fail(
        `crawler ${crawlerName} crawls ${crawler.paths.map(show).join(", ")}, but ${what} ${show(expected)}`,
      );
    const table = written?.writesTable;
    if (written && table && crawler.database !== table.database)
      fail(`crawler ${crawlerName} writes database ${crawler.database}, the job writes ${table.database}`);
  };
  for (const step of pipeline.steps ?? []) {
    if (step.type === "job") written = own;
    if (step.type === "pipelineJob") written = io.get(step.pipeline);
    if (step.type === "crawler")
      crawled(
        step.crawler,
        written?.writes ?? own.reads,
        written ? "the job before it writes" : "the pipeline reads",
      );
    if (step.type === "redshiftLoad") {
      const database = glueDatabaseName(view.config.environment, step.from.database);
      const table = written?.writesTable;
      if (written && (!table || table.database !== database || table.table !== step.from.table))
        fail(
          `the warehouse loads ${database}.${step.from.table}, but the job before it writes ${table ? `${table.database}.${table.table}` : show(written.writes)}`,
        );
      // The load reads an external schema; the warehouse setup maps that schema to the Glue database.
      const sql = sqlStatements(definition);
      const schemas = view.externalSchemas();
      const reads = sql.some((statement) =>
        [...schemas].some(
          ([schema, glueDatabase]) =>
            glueDatabase === database && statement.includes(`FROM ${schema}.${step.from.table} `),
        ),
      );
      if (!reads)
        fail(`no SQL of step ${step.name} reads ${database}.${step.from.table}: ${sql.join(" | ")}`);
    }
  }
  written = own;
  for (const crawlerName of pipeline.crawlers) crawled(crawlerName, own.writes, "the job writes");
}

/** Any reader of a folder some job writes reads exactly that folder, not a part or a parent of it. */
function checkDownstream(view: StackView, io: Map<string, JobIo>): void {
  const readers: [string, Place][] = [
    ...[...io].map(([name, job]): [string, Place] => [`pipeline ${name}`, job.reads]),
    ...view.config.crawlers.flatMap((crawler) =>
      view.crawler(crawler.name).paths.map((path): [string, Place] => [`crawler ${crawler.name}`, path]),
    ),
  ];
  for (const [writer, job] of io) {
    for (const [reader, place] of readers) {
      if (reader === `pipeline ${writer}`) continue;
      if (overlap(place, job.writes) && !same(place, job.writes))
        view.fail(writer, `writes ${show(job.writes)}, but ${reader} reads ${show(place)}`);
    }
  }
}

/** Raw data lands in one place: every reader of the raw zone reads where upload rules watch. */
function checkLanding(view: StackView, io: Map<string, JobIo>): void {
  const uploads = view.config.pipelines.filter((pipeline) => pipeline.trigger.type === "s3Upload");
  const landing = uploads.map((pipeline) => watchedFolder(view, pipeline));
  if (landing.length === 0) return;
  const raw = view.buckets.raw;
  const readers: [string, Place][] = [
    ...[...io].map(([name, job]): [string, Place] => [name, job.reads]),
    ...view.config.crawlers.flatMap((crawler) =>
      view.crawler(crawler.name).paths.map((path): [string, Place] => [`crawler ${crawler.name}`, path]),
    ),
  ];
  for (const [reader, place] of readers) {
    if (place.bucket === raw && !landing.some((folder) => overlap(folder, place)))
      view.fail(
        reader,
        `reads ${show(place)}, where nothing lands: uploads land in ${landing.map(show).join(", ")}`,
      );
  }
}

function contractProblems(view: StackView): string[] {
  const io = new Map(view.config.pipelines.map((pipeline) => [pipeline.name, view.jobIo(pipeline)]));
  for (const pipeline of view.config.pipelines) walkPipeline(view, pipeline, io);
  checkLanding(view, io);
  checkDownstream(view, io);
  return view.problems;
}

/** A raw stack config (keys as in Pulumi.<stack>.yaml) synthesized and validated. */
async function view(label: string, raw: Record<string, unknown>, stack: string): Promise<StackView> {
  const result = await synthesizePlatform(toRuntimeConfig(raw, PROJECT), stack);
  const unprefixed = Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [key.replace(`${PROJECT}:`, ""), value]),
  );
  const parsed = parseStackConfig(schemaInput(unprefixed));
  assert.ok(parsed.ok, `${label} config is invalid`);
  return new StackView(label, new Synthesized(result.resources, result.stackOutputs), parsed.config);
}

describe("data contracts of the synthesized stacks", function () {
  this.timeout(180_000);
  const views: Record<string, StackView> = {};
  before(async () => {
    views.dev = await view("dev", readRawStackConfig("dev"), "dev");
    views.prod = await view("prod", readRawStackConfig("prod"), "prod");
    // Two rounds of the dev pipelines: triggers swapped, uploads under their own sub-folders.
    views.generated = await view(
      "generated",
      configWithPipelines(readRawStackConfig("dev"), PROJECT, 12),
      "dev",
    );
  });

  for (const label of ["dev", "prod", "generated"]) {
    it(`${label}: every pipeline reads where its data lands and is read where it writes`, () => {
      assert.deepEqual(contractProblems(views[label]), []);
    });
  }

  it("walks every engine, an upload rule, crawlers before and after a job, and a warehouse load", () => {
    const { config } = views.dev;
    assert.deepEqual(
      new Set(config.pipelines.map((pipeline) => pipeline.engine)),
      new Set(["glue", "emr", "emrServerless", "batch"]),
    );
    const steps = config.pipelines.flatMap((pipeline) => pipeline.steps ?? []).map((step) => step.type);
    assert.ok(steps.includes("crawler") && steps.includes("redshiftLoad") && steps.includes("job"));
    assert.ok(config.pipelines.some((pipeline) => pipeline.trigger.type === "s3Upload"));
    assert.ok(config.pipelines.some((pipeline) => pipeline.crawlers.length > 0));
  });

  it("reports a mismatch: a job whose resources read elsewhere than the upload rule watches", () => {
    const dev = views.dev;
    const broken = new StackView("broken", dev.synth, {
      ...dev.config,
      // The same resources judged against a config whose uploads land in another folder.
      pipelines: dev.config.pipelines.map((pipeline) =>
        pipeline.name === "store-uploads"
          ? { ...pipeline, source: { zone: "raw", prefix: "elsewhere/" } }
          : pipeline,
      ),
    });
    const problems = contractProblems(broken);
    assert.ok(
      problems.includes(
        `broken store-uploads: the job reads s3://${dev.buckets.raw}/incoming/sales/, but its source is s3://${dev.buckets.raw}/elsewhere/`,
      ),
      problems.join("\n"),
    );
  });
});
