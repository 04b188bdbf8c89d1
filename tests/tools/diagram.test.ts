import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT } from "../../infra/config";
import { diagramSet, diagramSource, renderSvg, writeDiagram } from "../../tools/diagram/diagram";
import { renderPng } from "../../tools/diagram/png";
import { quote, safeId, wrapLabel, wrapLines } from "../../tools/diagram/dot";
import { buildModel } from "../../tools/diagram/model";
import { NO_RESOURCE_OPTIONS } from "../../tools/synth/default-providers";
import { RecordedResource } from "../../tools/synth/mock-run";
import { synthesizePlatform } from "../../tools/synth/program";
import { readStackConfig } from "../../tools/synth/stack-config";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The DOT statement of an edge from -> to, if the diagram has one. */
function edgeLine(dot: string, from: string, to: string): string | undefined {
  return new RegExp(`^\\s*${escapeRegExp(quote(from))} -> ${escapeRegExp(quote(to))} \\[.*$`, "m").exec(
    dot,
  )?.[0];
}

function assertEdge(dot: string, from: string, to: string, color?: string): string {
  const line = edgeLine(dot, from, to);
  assert.ok(line, `expected an edge ${from} -> ${to}`);
  if (color) assert.match(line, new RegExp(`color="${color}"`), line);
  return line;
}

/** How Graphviz writes a node or edge ID into an SVG <title> (it escapes "-" so comments stay valid). */
const svgTitle = (id: string) => `<title>${id.replace(/-/g, "&#45;").replace(/>/g, "&gt;")}</title>`;

const DATA = "#2e7d32";
const ALERT = "#c62828";

/** A recorded resource for hand-built inputs (the shape mock-run records). */
function recorded(
  type: string,
  name: string,
  inputs: Record<string, any>,
  outputs: Record<string, any> = {},
  parent?: RecordedResource,
): RecordedResource {
  const qualified = parent ? `${parent.urn.split("::")[2]}$${type}` : type;
  return {
    type,
    name,
    urn: `urn:pulumi:test::${PROJECT}::${qualified}::${name}`,
    custom: !type.startsWith("x:"),
    inputs,
    outputs: { ...inputs, ...outputs },
    parent: parent?.urn,
    propertyDependencies: {},
    options: { ...NO_RESOURCE_OPTIONS },
  };
}

describe("architecture diagram", function () {
  this.timeout(180_000);

  let resources: RecordedResource[];
  let pipelines: Record<string, { engine: string; orchestration: string; stateMachineArn?: string }>;
  let dot: string;

  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const parentType = (r: RecordedResource) => resources.find((p) => p.urn === r.parent)?.type;
  const tagged = (type: string, pipeline: string) => {
    const found = ofType(type).filter((r) => r.inputs.tags?.pipeline === pipeline);
    assert.equal(found.length, 1, `one ${type} of pipeline ${pipeline}`);
    return found[0];
  };
  const bucket = (zone: string) => {
    const found = ofType("aws:s3/bucket:Bucket").find(
      (r) => r.inputs.tags?.component === `data-lake-${zone}`,
    );
    assert.ok(found, `a ${zone} bucket`);
    return `bucket:${found.name}`;
  };
  const pipelinesWith = (engine: string) =>
    Object.entries(pipelines)
      .filter(([, p]) => p.engine === engine)
      .map(([name, p]) => ({ name, ...p }));

  before(async () => {
    const result = await synthesizePlatform(readStackConfig("dev", PROJECT), "dev");
    resources = result.resources;
    pipelines = result.stackOutputs.pipelines as typeof pipelines;
    dot = diagramSource(resources, "dev");
  });

  it("groups nodes into a cluster per component group and one per pipeline", () => {
    for (const cluster of [
      "cluster_network",
      "cluster_zone_raw",
      "cluster_zone_curated",
      "cluster_zone_analytics",
      "cluster_catalog",
      "cluster_triggers",
      "cluster_orchestration",
      "cluster_engines",
      "cluster_warehouse",
      "cluster_monitoring",
      "cluster_cost",
    ]) {
      assert.match(dot, new RegExp(`subgraph "${cluster}" \\{`), cluster);
    }
    assert.ok(Object.keys(pipelines).length > 0);
    for (const name of Object.keys(pipelines)) {
      assert.match(dot, new RegExp(`subgraph "cluster_pipeline_${escapeRegExp(name)}" \\{`), name);
    }
  });

  it("draws data from the raw zone through Glue jobs into the curated zone and the catalog", () => {
    const glue = pipelinesWith("glue");
    assert.ok(glue.length > 0);
    for (const pipeline of glue) {
      const job = `glue-job:${tagged("aws:glue/job:Job", pipeline.name).name}`;
      assertEdge(dot, bucket("raw"), job, DATA);
      assertEdge(dot, job, bucket("curated"), DATA);
    }
    for (const crawler of ofType("aws:glue/crawler:Crawler")) {
      const database = ofType("aws:glue/catalogDatabase:CatalogDatabase").find(
        (d) => d.inputs.name === crawler.inputs.databaseName,
      )!;
      assertEdge(dot, `crawler:${crawler.name}`, `database:${database.name}`);
    }
  });

  it("draws S3 uploads and schedules starting Batch queues and state machines", () => {
    const uploadRules = ofType("aws:cloudwatch/eventRule:EventRule").filter(
      (r) => parentType(r) === "bdp:triggers:S3UploadTrigger",
    );
    assert.ok(uploadRules.length > 0);
    for (const rule of uploadRules) {
      const queue = tagged("aws:batch/jobQueue:JobQueue", rule.inputs.tags.pipeline);
      assertEdge(dot, bucket("raw"), `event-rule:${rule.name}`);
      assertEdge(dot, `event-rule:${rule.name}`, `batch-queue:${queue.name}`);
      assertEdge(
        dot,
        `batch-queue:${queue.name}`,
        `batch-job:${tagged("aws:batch/jobDefinition:JobDefinition", rule.inputs.tags.pipeline).name}`,
      );
    }
    for (const schedule of ofType("aws:scheduler/schedule:Schedule")) {
      const machine = ofType("aws:sfn/stateMachine:StateMachine").find(
        (m) => m.outputs.arn === schedule.inputs.target.arn,
      );
      const queue = ofType("aws:batch/jobQueue:JobQueue").find((q) =>
        String(schedule.inputs.target.input).includes(q.outputs.arn),
      );
      const target = machine ? `state-machine:${machine.name}` : `batch-queue:${queue?.name}`;
      assertEdge(dot, `schedule:${schedule.name}`, target);
    }
  });

  it("draws state machines running their engines, and EMR writing to the analytics zone", () => {
    const machineOf = (name: string) =>
      `state-machine:${ofType("aws:sfn/stateMachine:StateMachine").find((m) => m.outputs.arn === pipelines[name].stateMachineArn)!.name}`;
    for (const pipeline of pipelinesWith("glue").filter((p) => p.orchestration === "stepFunctions")) {
      assertEdge(dot, machineOf(pipeline.name), `glue-job:${tagged("aws:glue/job:Job", pipeline.name).name}`);
    }
    for (const pipeline of pipelinesWith("emrServerless")) {
      const app = `emr-serverless:${tagged("aws:emrserverless/application:Application", pipeline.name).name}`;
      assertEdge(dot, machineOf(pipeline.name), app);
      assertEdge(dot, bucket("raw"), app, DATA);
      assertEdge(dot, app, bucket("analytics"), DATA);
    }
    for (const pipeline of pipelinesWith("emr").filter((p) => p.orchestration === "stepFunctions")) {
      const line = new RegExp(
        `^\\s*${escapeRegExp(quote(machineOf(pipeline.name)))} -> "(emr-cluster:[^"]+)"`,
        "m",
      ).exec(dot);
      assert.ok(line, `${pipeline.name}: the state machine starts an EMR cluster`);
      assertEdge(dot, line[1], bucket("analytics"), DATA);
    }
    const warehouse = /"(warehouse:[^"]+)" \[/.exec(dot)?.[1];
    assert.ok(warehouse, "a warehouse node");
    assert.match(dot, new RegExp(`"database:[^"]+" -> ${escapeRegExp(quote(warehouse))}`));
  });

  it("draws the alert paths: failure rules and alarms -> alert topic -> e-mail", () => {
    const topic = ofType("aws:sns/topic:Topic").find((t) => parentType(t) === "bdp:monitoring:AlertTopic")!;
    const topicId = `topic:${topic.name}`;
    const failureRules = ofType("aws:cloudwatch/eventRule:EventRule").filter(
      (r) => parentType(r) === "bdp:monitoring:FailureEvents",
    );
    assert.ok(failureRules.length >= 5);
    for (const rule of failureRules) assertEdge(dot, `event-rule:${rule.name}`, topicId, ALERT);
    const alarmGroups = new Set(
      ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map(
        (a) => resources.find((p) => p.urn === a.parent)!.name,
      ),
    );
    for (const group of alarmGroups) assertEdge(dot, `alarms:${group}`, topicId, ALERT);
    const emails = JSON.parse(readStackConfig("dev", PROJECT)[`${PROJECT}:alerts`]).emails as string[];
    for (const email of emails) assertEdge(dot, topicId, `subscriber:email:${email}`, ALERT);
    for (const machine of ofType("aws:sfn/stateMachine:StateMachine"))
      assertEdge(dot, `state-machine:${machine.name}`, topicId, ALERT);
    assertEdge(dot, `budget:${ofType("aws:budgets/budget:Budget")[0].name}`, topicId, ALERT);
  });

  it("leaves plumbing out: no IAM, KMS, log group, queue or bucket sub-configuration nodes", () => {
    const model = buildModel(resources, "dev");
    const names = new Set(model.nodes.map((node) => node.id.slice(node.id.indexOf(":") + 1)));
    const plumbing = resources.filter((r) =>
      /^aws:(iam|kms|cloudwatch\/logGroup|s3\/bucket[A-Z]|sqs|lakeformation|ecr\/lifecyclePolicy)/.test(
        r.type,
      ),
    );
    assert.ok(plumbing.length > 50);
    for (const r of plumbing) assert.ok(!names.has(r.name), `${r.type} ${r.name} is drawn`);
    assert.ok(
      model.nodes.length < resources.filter((r) => r.custom).length / 3,
      `${model.nodes.length} nodes`,
    );
  });

  it("derives edges from resource inputs, not from known names", () => {
    const lake = recorded("x:storage:Lake", "lake", {});
    const raw = recorded(
      "aws:s3/bucket:Bucket",
      "in-bucket",
      { tags: { component: "data-lake-raw" } },
      { bucket: "acme-in" },
      lake,
    );
    const out = recorded(
      "aws:s3/bucket:Bucket",
      "out-bucket",
      { tags: { component: "data-lake-curated" } },
      { bucket: "acme-out" },
      lake,
    );
    const job = recorded(
      "aws:glue/job:Job",
      "zz-job",
      {
        name: "zz-job",
        tags: { pipeline: "zz" },
        defaultArguments: {
          "--input_path": "s3://acme-in/x/",
          "--output_path": "s3://acme-out/y/",
          "--TempDir": "s3://acme-out/tmp/",
        },
      },
      { arn: "arn:aws:glue:eu-west-1:1:job/zz-job" },
    );
    const machine = recorded(
      "aws:sfn/stateMachine:StateMachine",
      "zz-machine",
      {
        name: "zz",
        definition: JSON.stringify({
          StartAt: "p",
          States: {
            p: {
              Type: "Parallel",
              Branches: [
                {
                  StartAt: "r",
                  States: {
                    r: {
                      Type: "Task",
                      Resource: "arn:aws:states:::glue:startJobRun.sync",
                      Parameters: { JobName: "zz-job" },
                      End: true,
                    },
                  },
                },
              ],
              End: true,
            },
          },
        }),
      },
      { arn: "arn:aws:states:eu-west-1:1:stateMachine:zz" },
    );
    const schedule = recorded("aws:scheduler/schedule:Schedule", "zz-schedule", {
      scheduleExpression: "rate(1 day)",
      target: { arn: "arn:aws:states:eu-west-1:1:stateMachine:zz" },
    });
    const topic = recorded(
      "aws:sns/topic:Topic",
      "zz-topic",
      {},
      { arn: "arn:aws:sns:eu-west-1:1:zz-topic" },
    );
    const rule = recorded("aws:cloudwatch/eventRule:EventRule", "zz-failed", {
      name: "zz-failed",
      eventPattern: JSON.stringify({ source: ["aws.glue"], detail: { jobName: ["zz-job"] } }),
    });
    const target = recorded("aws:cloudwatch/eventTarget:EventTarget", "zz-failed-target", {
      rule: "zz-failed",
      arn: "arn:aws:sns:eu-west-1:1:zz-topic",
    });
    const mail = recorded("aws:sns/topicSubscription:TopicSubscription", "zz-mail", {
      topic: "arn:aws:sns:eu-west-1:1:zz-topic",
      protocol: "email",
      endpoint: "ops@example.org",
    });
    const iam = recorded("aws:iam/role:Role", "zz-role", {});
    const all = [lake, raw, out, job, machine, schedule, topic, rule, target, mail, iam];
    const source = diagramSource(all, "test");

    assertEdge(source, "bucket:in-bucket", "glue-job:zz-job", DATA);
    assertEdge(source, "glue-job:zz-job", "bucket:out-bucket", DATA);
    assert.equal(
      edgeLine(source, "glue-job:zz-job", "bucket:out-bucket")!.includes("tmp/"),
      false,
      "TempDir is not data",
    );
    assertEdge(source, "schedule:zz-schedule", "state-machine:zz-machine");
    assertEdge(source, "state-machine:zz-machine", "glue-job:zz-job");
    assertEdge(source, "event-rule:zz-failed", "topic:zz-topic", ALERT);
    assertEdge(source, "topic:zz-topic", "subscriber:email:ops@example.org", ALERT);
    assert.match(source, /subgraph "cluster_pipeline_zz"/);
    assert.doesNotMatch(source, /zz-role/);
    // The failure rule watches the job: counted on the rule, drawn as an edge on request.
    assert.match(source, /watches 1 Glue job/);
    assert.ok(
      edgeLine(diagramSource(all, "test", { watchEdges: true }), "glue-job:zz-job", "event-rule:zz-failed"),
    );
    // The registration order does not change the picture.
    assert.equal(diagramSource([...all].reverse(), "test"), source);
  });

  it("escapes names and labels so that they cannot break the DOT source", async () => {
    assert.equal(quote('a "b" \\ c\nd'), '"a \\"b\\" \\\\ c\\nd"');
    assert.equal(safeId('bucket:x" [color=red] "y'), "bucket:x___color_red___y");
    const evil = 'evil" -> "x"; label="pwned\\';
    const resourcesWithQuotes = [
      recorded("aws:s3/bucket:Bucket", evil, { tags: { component: "data-lake-raw" } }, { bucket: 'b"\\\nq' }),
      recorded(
        "aws:sns/topic:Topic",
        "t",
        { name: 'alerts "prod"\nsecond line \\N' },
        { arn: "arn:aws:sns:x:1:t" },
      ),
    ];
    const source = diagramSource(resourcesWithQuotes, 'stack "x"');
    assert.doesNotMatch(source, /pwned\\"/);
    assert.match(source, /"bucket:evil__-___x___label__pwned_"/);
    assert.match(source, /label="SNS topic\\nalerts \\"prod\\"\\nsecond line \\\\N"/);
    const svg = await renderSvg(source);
    assert.ok(svg.includes(svgTitle("bucket:evil__-___x___label__pwned_")));
    assert.match(svg, /alerts &quot;prod&quot;/);
  });

  it("writes the overview and one diagram per pipeline, as .dot and .svg", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "bdp-diagram-"));
    try {
      const written = await writeDiagram(resources, "dev", path.join(outDir, "nested"));
      assert.equal(written.sourcePath, path.join(outDir, "nested", "architecture-dev.dot"));
      assert.equal(written.svgPath, path.join(outDir, "nested", "architecture-dev.svg"));
      const set = diagramSet(resources, "dev");
      assert.equal(fs.readFileSync(written.sourcePath, "utf8"), set.overview);
      const svg = fs.readFileSync(written.svgPath, "utf8");
      assert.match(svg, /^(<\?xml[^>]*>\s*)?(<!DOCTYPE[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/);
      assert.ok(svg.trimEnd().endsWith("</svg>"));
      // The font the SVG names, with fallbacks.
      assert.match(svg, /font-family="DejaVu Sans, Verdana, Bitstream Vera Sans, sans-serif"/);
      assert.doesNotMatch(svg, /font-family="DejaVu Sans"/);
      for (const id of [bucket("raw"), bucket("curated")]) assert.ok(svg.includes(svgTitle(id)), id);
      assert.deepEqual(
        written.pipelineSvgPaths.map((file) => path.basename(file)),
        Object.keys(pipelines)
          .sort()
          .map((name) => `architecture-dev-${name}.svg`),
      );
      for (const name of Object.keys(pipelines)) {
        assert.ok(svg.includes(svgTitle(`pipeline:${name}`)), `overview node of ${name}`);
        assert.ok(fs.existsSync(path.join(outDir, "nested", `architecture-dev-${name}.dot`)));
      }
      const glue = pipelinesWith("glue")[0].name;
      assert.ok(
        svg.includes(svgTitle(`${bucket("raw")}->pipeline:${glue}`)),
        "edge raw bucket -> Glue pipeline",
      );
      const own = fs.readFileSync(path.join(outDir, "nested", `architecture-dev-${glue}.svg`), "utf8");
      const job = ofType("aws:glue/job:Job").find((r) => r.inputs.tags?.pipeline === glue)!;
      assert.ok(
        own.includes(svgTitle(`${bucket("raw")}->glue-job:${job.name}`)),
        "edge raw bucket -> Glue job",
      );
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });

  it("renders a PNG with the diagram's own font", async () => {
    const png = renderPng(await renderSvg(diagramSet(resources, "dev").overview), 1);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR width and height, in pixels at zoom 1 (= points): a picture, not an empty canvas.
    assert.ok(png.readUInt32BE(16) > 500 && png.readUInt32BE(20) > 200);
  });
});

describe("diagram text wrapping", () => {
  it("breaks a long value after a separator, keeps every character and each line within the width", () => {
    const key = "prod_sales_curated/daily_sales_by_store/upload_date=2024-05-01/";
    const lines = wrapLines(key, 20);
    assert.ok(lines.length > 1);
    assert.ok(
      lines.every((line) => line.length <= 20),
      JSON.stringify(lines),
    );
    assert.equal(lines.join(""), key);
    assert.match(lines[0], /[/_]$/);
  });

  it("cuts mid-word only where no separator is near, and leaves short text alone", () => {
    assert.deepEqual(wrapLines("abcdefghijklmnopqrstuvwxyz", 10), ["abcdefghij", "klmnopqrst", "uvwxyz"]);
    assert.deepEqual(wrapLines("short", 10), ["short"]);
    assert.deepEqual(wrapLines("", 10), [""]);
    assert.equal(wrapLabel("aaaa/bbbb/cccc", 10), "aaaa/bbbb/\ncccc");
  });
});
