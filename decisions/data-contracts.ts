/**
 * Data contracts between the parts of a stack config: what a pipeline's trigger watches is inside
 * what its job reads, a crawler crawls what the job before it wrote, a warehouse load reads the
 * table that job wrote, and a place that is a catalog table is named as that table. Each problem
 * names the config key a user would change. Pure: config in, problems out.
 */
import { DataLocation, PipelineDefinition } from "./pipeline";
import { CatalogLayout, describePath, isWithin, LocationPath, locationPath, samePlace } from "./locations";

/** The parts of a crawler's config the contracts look at. */
export interface CrawlerLayout {
  name: string;
  database: string;
  tablePrefix?: string;
  s3Targets: DataLocation[];
}

export interface ContractProblem {
  /** Path from the root of the stack config, e.g. ["pipelines", 0, "trigger", "prefix"]. */
  path: (string | number)[];
  message: string;
  input?: unknown;
}

export interface ContractInput {
  pipelines: readonly PipelineDefinition[];
  crawlers: readonly CrawlerLayout[];
  layout: CatalogLayout;
}

/** Every catalog table the config declares or refers to, by its place. */
function knownTables(input: ContractInput): LocationPath[] {
  const locations: DataLocation[] = [
    ...input.layout.databases.flatMap((database) =>
      (database.tables ?? []).map((table) => ({ database: database.name, table: table.name })),
    ),
    ...input.pipelines.flatMap((pipeline) => [
      pipeline.source,
      pipeline.target,
      ...(pipeline.steps ?? []).flatMap((step) => (step.type === "redshiftLoad" ? [step.from] : [])),
    ]),
    ...input.crawlers.flatMap((crawler) => crawler.s3Targets),
  ];
  return locations
    .filter((location) => location.table !== undefined)
    .flatMap((location) => locationPath(location, input.layout) ?? []);
}

/** A zone prefix that is a catalog table's folder: the table should be named instead. */
function tableNamedAsPrefix(
  location: DataLocation,
  tables: LocationPath[],
  path: (string | number)[],
  problems: ContractProblem[],
): void {
  if (location.zone === undefined || location.prefix === undefined) return;
  const place = { zone: location.zone, prefix: location.prefix };
  const table = tables.find((candidate) => samePlace(candidate, place));
  if (!table) return;
  problems.push({
    path,
    message:
      `is where catalog table ${table.database}.${table.table} lives; name it as ` +
      `{database: ${table.database}, table: ${table.table}} so one definition says where the data is`,
    input: location,
  });
}

function crawlerPaths(crawler: CrawlerLayout, layout: CatalogLayout): LocationPath[] {
  return crawler.s3Targets.flatMap((target) => locationPath(target, layout) ?? []);
}

function describeCrawler(crawler: CrawlerLayout, layout: CatalogLayout): string {
  const paths = crawlerPaths(crawler, layout);
  return paths.length === 0 ? "no S3 location" : paths.map(describePath).join(", ");
}

/** The steps' crawls and loads against what the job before them wrote (or the source before any job). */
function checkSteps(
  pipeline: PipelineDefinition,
  at: (string | number)[],
  input: ContractInput,
  problems: ContractProblem[],
): void {
  const { layout } = input;
  const targetOf = (name: string) => {
    const other = input.pipelines.find((candidate) => candidate.name === name);
    return other && locationPath(other.target, layout);
  };
  let written: LocationPath | undefined;
  (pipeline.steps ?? []).forEach((step, index) => {
    const stepAt = [...at, "steps", index];
    if (step.type === "job") written = locationPath(pipeline.target, layout);
    if (step.type === "pipelineJob") written = targetOf(step.pipeline);
    if (step.type === "crawler") {
      const crawler = input.crawlers.find((candidate) => candidate.name === step.crawler);
      const expected = written ?? locationPath(pipeline.source, layout);
      if (!crawler || !expected) return;
      if (crawlerPaths(crawler, layout).some((place) => samePlace(place, expected))) return;
      const what = written ? "the job step before it writes" : "the pipeline reads";
      problems.push({
        path: [...stepAt, "crawler"],
        message: `step "${step.name}": crawler "${crawler.name}" crawls ${describeCrawler(crawler, layout)}, but ${what} ${describePath(expected)}`,
        input: step.crawler,
      });
    }
    if (step.type === "redshiftLoad" && written) {
      const from = locationPath(step.from, layout);
      if (!from || samePlace(from, written)) return;
      problems.push({
        path: [...stepAt, "from"],
        message: `step "${step.name}": loads ${step.from.database}.${step.from.table}, but the job step before it writes ${describePath(written)}`,
        input: step.from,
      });
    }
  });
}

function checkPipeline(
  pipeline: PipelineDefinition,
  index: number,
  input: ContractInput,
  tables: LocationPath[],
  problems: ContractProblem[],
): void {
  const at = ["pipelines", index];
  const { layout } = input;
  const source = locationPath(pipeline.source, layout);
  const target = locationPath(pipeline.target, layout);
  const trigger = pipeline.trigger;
  if (trigger.type === "s3Upload" && source) {
    if (source.zone !== "raw") {
      problems.push({
        path: [...at, "source"],
        message: `an s3Upload trigger fires on uploads to the raw zone's bucket, so the source must be in the raw zone, not ${source.zone}`,
        input: pipeline.source,
      });
    } else if (!isWithin(trigger.prefix, source)) {
      problems.push({
        path: [...at, "trigger", "prefix"],
        message: `must be inside the pipeline's source, ${describePath(source)}: uploads elsewhere would start a job that does not read them`,
        input: trigger.prefix,
      });
    }
  }
  tableNamedAsPrefix(pipeline.source, tables, [...at, "source"], problems);
  tableNamedAsPrefix(pipeline.target, tables, [...at, "target"], problems);
  checkSteps(pipeline, at, input, problems);
  pipeline.crawlers.forEach((name, crawlerIndex) => {
    const crawler = input.crawlers.find((candidate) => candidate.name === name);
    if (!crawler || !target) return;
    if (crawlerPaths(crawler, layout).some((place) => samePlace(place, target))) return;
    problems.push({
      path: [...at, "crawlers", crawlerIndex],
      message: `crawler "${name}" runs after the job but crawls ${describeCrawler(crawler, layout)}, not what the job writes, ${describePath(target)}`,
      input: name,
    });
  });
}

function checkCrawler(
  crawler: CrawlerLayout,
  index: number,
  tables: LocationPath[],
  problems: ContractProblem[],
): void {
  crawler.s3Targets.forEach((target, targetIndex) => {
    const at = ["crawlers", index, "s3Targets", targetIndex];
    tableNamedAsPrefix(target, tables, at, problems);
    if (target.table === undefined) return;
    if (target.database !== crawler.database) {
      problems.push({
        path: [...at, "database"],
        message: `crawler "${crawler.name}" writes tables into database "${crawler.database}", so it cannot keep ${target.database}.${target.table} up to date`,
        input: target.database,
      });
    }
    if (crawler.tablePrefix) {
      problems.push({
        path: ["crawlers", index, "tablePrefix"],
        message: `the crawler would name the table it finds for ${target.database}.${target.table} "${crawler.tablePrefix}${target.table}" (crawlers put tablePrefix before the folder's name); drop tablePrefix or crawl a zone prefix instead`,
        input: crawler.tablePrefix,
      });
    }
  });
}

/** Every data-contract problem of a stack config. */
export function dataContractProblems(input: ContractInput): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const tables = knownTables(input);
  input.pipelines.forEach((pipeline, index) => checkPipeline(pipeline, index, input, tables, problems));
  input.crawlers.forEach((crawler, index) => checkCrawler(crawler, index, tables, problems));
  return problems;
}
