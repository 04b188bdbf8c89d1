/** The request-list generator on hand-made stack facts: what it asks for, and what it probes. */
import { strict as assert } from "assert";
import { PipelineDefinition } from "../../decisions/pipeline";
import { IamRequest, knownPlaces, placeOf, roleKind, roleRequests, within } from "./iam-requests";
import { BUCKET_PURPOSES, BucketFact, BucketPurpose, RoleFact, StackFacts } from "./stack-facts";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/lake`;
const GLUE = `arn:aws:glue:${REGION}:${ACCOUNT}`;
const bucket = (purpose: BucketPurpose) => `arn:aws:s3:::lake-${purpose}`;

function pipeline(
  fields: Partial<PipelineDefinition> & Pick<PipelineDefinition, "name" | "engine">,
): PipelineDefinition {
  return {
    description: "unit",
    slaTier: "standard",
    trigger: { type: "onDemand" },
    expectedRuntimeMinutes: 5,
    timeoutMinutes: 30,
    source: { database: "sales_raw", table: "sales" },
    target: { database: "sales_curated", table: "daily" },
    crawlers: [],
    ...fields,
  } as PipelineDefinition;
}

function role(name: string, component: string, owner: string): RoleFact {
  return {
    urn: `urn:${name}`,
    name,
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    component,
    owner: { kind: "pipeline", name: owner },
    inlinePolicies: [],
    managedPolicyArns: [],
  };
}

/** A stack with a Glue pipeline and two Batch pipelines started by upload triggers. */
function facts(): StackFacts {
  const batch = (name: string, revision: number) => ({
    queueArn: `arn:aws:batch:${REGION}:${ACCOUNT}:job-queue/unit-${name}`,
    jobDefinitionArn: `arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/unit-${name}:${revision}`,
    logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/bdp/batch/${name}`,
  });
  const upload = (name: string) => ({
    kind: "s3Upload" as const,
    deadLetterQueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:unit-${name}-dlq`,
    target: {
      kind: "batch" as const,
      queueArn: batch(name, 1).queueArn,
      jobDefinition: `arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/unit-${name}`,
    },
  });
  return {
    accountId: ACCOUNT,
    region: REGION,
    partition: "aws",
    environment: "unit",
    namePrefix: "bdp-unit",
    layout: {
      environment: "unit",
      databases: [
        { name: "sales_raw", zone: "raw", tables: [{ name: "sales", prefix: "incoming/sales/" }] },
        { name: "sales_curated", zone: "curated" },
      ],
    },
    pipelines: [
      pipeline({ name: "daily", engine: "glue", glue: { incremental: true } }),
      ...["uploads", "nightly"].map((name) =>
        pipeline({
          name,
          engine: "batch",
          trigger: { type: "s3Upload", prefix: "incoming/sales/", suffix: ".csv" },
          target: { zone: "curated", prefix: `${name}/by_store/` },
        }),
      ),
    ],
    crawlerConfigs: [],
    buckets: Object.fromEntries(
      BUCKET_PURPOSES.map((purpose): [BucketPurpose, BucketFact] => [
        purpose,
        { name: `lake-${purpose}`, arn: bucket(purpose), policy: {} },
      ]),
    ) as Record<BucketPurpose, BucketFact>,
    lakeKey: { arn: KEY, policy: {} },
    databases: [
      {
        logicalName: "sales_raw",
        glueName: "unit_sales_raw",
        arn: `${GLUE}:database/unit_sales_raw`,
        zone: "raw",
      },
      {
        logicalName: "sales_curated",
        glueName: "unit_sales_curated",
        arn: `${GLUE}:database/unit_sales_curated`,
        zone: "curated",
      },
    ],
    alertTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:unit-alerts`,
    logGroupArns: [],
    glueJobs: new Map([
      [
        "daily",
        {
          name: "unit-daily",
          arn: `${GLUE}:job/unit-daily`,
          codeKeys: ["scripts/daily/job.py"],
          tempPrefix: "tmp/daily/",
          logGroupArns: [`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws-glue/jobs/daily/error`],
        },
      ],
    ]),
    crawlers: new Map(),
    batch: new Map([
      ["uploads", batch("uploads", 3)],
      ["nightly", batch("nightly", 1)],
    ]),
    emrServerless: new Map(),
    emrClusters: new Map(),
    triggers: new Map([
      ["uploads", upload("uploads")],
      ["nightly", upload("nightly")],
    ]),
    stateMachines: new Map(),
    resourcePolicies: new Map(),
    roles: [
      role("unit-daily-role", "bdp:glue:EtlJob", "daily"),
      role("unit-uploads-events", "bdp:triggers:S3UploadTrigger", "uploads"),
      role("unit-uploads-job", "bdp:batch:JobDefinition", "uploads"),
    ],
  };
}

const has = (requests: IamRequest[], action: string, resource: string, context?: Record<string, string>) =>
  requests.some(
    (request) =>
      request.action === action &&
      request.resource === resource &&
      (context === undefined || JSON.stringify(request.context) === JSON.stringify(context)),
  );

describe("run-time IAM request lists", () => {
  const stack = facts();
  const lists = roleRequests(stack);
  const listOf = (name: string) => lists.find((list) => list.role.name === name)!;

  describe("places", () => {
    it("puts a catalog table where the catalog declares it, else in its database's folder", () => {
      assert.deepEqual(placeOf({ database: "sales_raw", table: "sales" }, stack), {
        bucket: "raw",
        prefix: "incoming/sales/",
      });
      assert.deepEqual(placeOf({ database: "sales_curated", table: "daily" }, stack), {
        bucket: "curated",
        prefix: "unit_sales_curated/daily/",
      });
    });

    it("counts a key as within a folder only below its prefix, not in a sibling sharing the name's start", () => {
      const places = [{ bucket: "raw" as const, prefix: "incoming/sales/" }];
      assert.ok(within("raw", "incoming/sales/2024/x.csv", places));
      assert.ok(!within("raw", "incoming/sales_old/x.csv", places));
      assert.ok(!within("curated", "incoming/sales/x.csv", places));
    });

    it("knows every pipeline's folders, each database's folder and each job's temporary folder once", () => {
      const known = knownPlaces(stack).map((place) => `${place.bucket}:${place.prefix}`);
      assert.deepEqual(known, [
        "raw:incoming/sales/",
        "curated:unit_sales_curated/daily/",
        "curated:uploads/by_store/",
        "curated:nightly/by_store/",
        "raw:unit_sales_raw/",
        "curated:unit_sales_curated/",
        "artifacts:tmp/daily/",
        "artifacts:scripts/daily/",
      ]);
    });
  });

  it("refuses a role of a component it has no model for, naming the role and where to add one", () => {
    assert.throws(
      () => roleKind({ ...stack.roles[0], name: "mystery", component: "bdp:new:Thing" }),
      /role mystery of component bdp:new:Thing has no run-time request model: add one to tests\/runtime\/iam-requests.ts/,
    );
  });

  describe("a Glue job role", () => {
    const { kind, allowed, denied } = listOf("unit-daily-role");

    it("reads its source folder as Spark does: the data, the bare folder key and the _$folder$ marker", () => {
      assert.equal(kind, "glueJob");
      assert.ok(has(allowed, "s3:ListBucket", bucket("raw"), { "s3:prefix": "incoming/sales/" }));
      assert.ok(has(allowed, "s3:ListBucket", bucket("raw"), { "s3:prefix": "incoming/sales" }));
      assert.ok(has(allowed, "s3:GetObject", `${bucket("raw")}/incoming/sales`));
      assert.ok(has(allowed, "s3:GetObject", `${bucket("raw")}/incoming/sales_$folder$`));
      assert.ok(has(allowed, "s3:PutObject", `${bucket("curated")}/unit_sales_curated/daily_$folder$`));
      assert.ok(has(allowed, "s3:GetObject", `${bucket("artifacts")}/scripts/daily/job.py`));
    });

    it("uses the lake key through S3 with the bucket as encryption context, and for its bookmarks", () => {
      assert.ok(
        has(allowed, "kms:Decrypt", KEY, {
          "kms:ViaService": `s3.${REGION}.amazonaws.com`,
          "kms:CallerAccount": ACCOUNT,
          "kms:EncryptionContext:aws:s3:arn": bucket("raw"),
        }),
      );
      const bookmark = allowed.filter((request) => request.resource === KEY && request.context === undefined);
      assert.deepEqual(bookmark.map((request) => request.action).sort(), [
        "kms:Decrypt",
        "kms:GenerateDataKey",
      ]);
    });

    it("registers tables in its target's database and only reads its source's", () => {
      assert.ok(has(allowed, "glue:CreateTable", `${GLUE}:table/unit_sales_curated/daily`));
      assert.ok(
        !allowed.some(
          (request) => request.action === "glue:CreateTable" && request.resource.includes("unit_sales_raw"),
        ),
      );
      assert.ok(has(denied, "glue:CreateTable", `${GLUE}:table/unit_sales_raw/probe_table`));
    });

    it("probes other pipelines' folders, other zones, siblings, writes to its source, buckets, keys and plain HTTP", () => {
      assert.ok(
        has(denied, "s3:GetObject", `${bucket("curated")}/uploads/by_store/part-00000.snappy.parquet`),
      );
      assert.ok(has(denied, "s3:GetObject", `${bucket("curated")}/incoming/sales/part-00000.snappy.parquet`));
      assert.ok(has(denied, "s3:GetObject", `${bucket("raw")}/incoming/sales_old/part-00000.snappy.parquet`));
      assert.ok(has(denied, "s3:PutObject", `${bucket("raw")}/incoming/sales/part-00000.snappy.parquet`));
      assert.ok(has(denied, "s3:PutObject", `${bucket("raw")}/incoming/sales_$folder$`));
      for (const purpose of BUCKET_PURPOSES) assert.ok(has(denied, "s3:DeleteBucket", bucket(purpose)));
      assert.ok(
        has(
          denied,
          "kms:Decrypt",
          `arn:aws:kms:${REGION}:${ACCOUNT}:key/00000000-1111-2222-3333-444444444444`,
        ),
      );
      assert.ok(denied.some((request) => request.context?.["aws:SecureTransport"] === "false"));
    });
  });

  describe("an upload trigger role", () => {
    const { kind, allowed, denied } = listOf("unit-uploads-events");

    it("submits its pipeline's job: the queue and the job definition revision", () => {
      assert.equal(kind, "uploadTrigger");
      assert.deepEqual(
        allowed.map((request) => `${request.action} ${request.resource}`),
        [
          `batch:SubmitJob arn:aws:batch:${REGION}:${ACCOUNT}:job-queue/unit-uploads`,
          `batch:SubmitJob arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/unit-uploads:3`,
        ],
      );
    });

    it("must not start another pipeline's job, state machine or Glue job, nor reach its dead-letter queue", () => {
      assert.ok(has(denied, "batch:SubmitJob", `arn:aws:batch:${REGION}:${ACCOUNT}:job-queue/unit-nightly`));
      assert.ok(
        has(denied, "batch:SubmitJob", `arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/unit-nightly:1`),
      );
      assert.ok(has(denied, "glue:StartJobRun", `${GLUE}:job/unit-daily`));
      assert.ok(has(denied, "sqs:SendMessage", `arn:aws:sqs:${REGION}:${ACCOUNT}:unit-nightly-dlq`));
    });
  });

  it("gives a Batch job role the upload it reads and the folder it writes, and probes reading what it writes", () => {
    const { kind, allowed, denied } = listOf("unit-uploads-job");
    assert.equal(kind, "batchJob");
    assert.ok(has(allowed, "s3:ListBucket", bucket("raw"), { "s3:prefix": "incoming/sales/" }));
    assert.ok(
      allowed.some(
        (request) =>
          request.action === "s3:PutObject" &&
          request.resource.startsWith(`${bucket("curated")}/uploads/by_store/`),
      ),
    );
    assert.ok(has(denied, "s3:GetObject", `${bucket("curated")}/uploads/by_store/part-00000.snappy.parquet`));
    assert.ok(has(denied, "kms:Decrypt", KEY));
  });

  it("never lists a request both to allow and to deny", () => {
    for (const { role: declared, allowed, denied } of lists) {
      const key = (request: IamRequest) =>
        `${request.action} ${request.resource} ${JSON.stringify(request.context ?? {})}`;
      const allowedKeys = new Set(allowed.map(key));
      assert.deepEqual(
        denied.map(key).filter((probe) => allowedKeys.has(probe)),
        [],
        declared.name,
      );
    }
  });
});
