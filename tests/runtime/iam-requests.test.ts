/** The request-list generator on hand-made stack facts: what it asks for, and what it probes. */
import { strict as assert } from "assert";
import { PipelineDefinition } from "../../decisions/pipeline";
import { IamRequest, knownPlaces, placeOf, roleKind, roleRequests, within } from "./iam-requests";
import { BUCKET_PURPOSES, BucketFact, BucketPurpose, RoleFact, StackFacts } from "./stack-facts";
import { FOREIGN_CLUSTER, FOREIGN_WORKGROUP_ID } from "./warehouse-requests";

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

function role(name: string, component: string, owner: string, tags: Record<string, string> = {}): RoleFact {
  return {
    urn: `urn:${name}`,
    name,
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    component,
    owner: { kind: "pipeline", name: owner },
    tags,
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

const STATES = `arn:aws:states:${REGION}:${ACCOUNT}`;
const SETUP_ARN = `${STATES}:stateMachine:bdp-unit-warehouse-setup`;
const WORKGROUP_ARN = `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:workgroup/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
const ADMIN_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:redshift!bdp-unit-warehouse-admin-AbCdEf`;
const VIA_SECRETS_MANAGER = {
  "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com`,
  "kms:CallerAccount": ACCOUNT,
};

/**
 * facts() with a warehouse: the Glue pipeline loads it after its job, so it has a state machine,
 * and the environment has the warehouse-setup machine; the Batch pipelines do not load.
 */
function warehouseFacts(kind: "serverless" | "provisioned"): StackFacts {
  const base = facts();
  const machine = (name: string) => ({
    arn: `${STATES}:stateMachine:bdp-unit-${name}`,
    definition: {},
    logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/vendedlogs/states/bdp-unit-${name}`,
  });
  const where =
    kind === "serverless"
      ? { workgroupName: "bdp-unit-warehouse", workgroupArn: WORKGROUP_ARN }
      : {
          clusterIdentifier: "bdp-unit-warehouse",
          clusterArn: `arn:aws:redshift:${REGION}:${ACCOUNT}:cluster:bdp-unit-warehouse`,
        };
  const setupRole = role("bdp-unit-warehouse-setup-role", "bdp:orchestration:PipelineStateMachine", "none", {
    component: "warehouse-setup",
  });
  return {
    ...base,
    pipelines: base.pipelines.map((declared) =>
      declared.name === "daily"
        ? {
            ...declared,
            steps: [
              { name: "transform", type: "job" as const },
              {
                name: "load",
                type: "redshiftLoad" as const,
                from: { database: "sales_curated", table: "daily" },
                schema: "public",
                table: "daily",
              },
            ],
          }
        : declared,
    ),
    stateMachines: new Map([
      ["daily", machine("daily")],
      ["nightly", machine("nightly")],
    ]),
    warehouse: {
      ...where,
      database: "analytics",
      adminUser: "platform_admin",
      adminSecretArn: ADMIN_SECRET,
      adminSecretKmsKeyArn: KEY,
      setup: machine("warehouse-setup"),
    },
    roles: [
      ...base.roles,
      role("bdp-unit-daily-role", "bdp:orchestration:PipelineStateMachine", "daily"),
      role("bdp-unit-nightly-role", "bdp:orchestration:PipelineStateMachine", "nightly"),
      { ...setupRole, owner: { kind: "environment" } },
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

  describe("the warehouse-setup machine (Serverless)", () => {
    const stack = warehouseFacts("serverless");
    const { kind, allowed, denied } = roleRequests(stack).find(
      (list) => list.role.name === "bdp-unit-warehouse-setup-role",
    )!;

    it("is told from the pipelines' machines by its component tag", () => {
      assert.equal(kind, "warehouseSetup");
      assert.equal(roleKind(stack.roles.find((r) => r.name === "bdp-unit-daily-role")!), "stateMachine");
    });

    it("runs single statements and transactions on its workgroup, with the admin secret and its key through Secrets Manager", () => {
      for (const action of ["redshift-data:ExecuteStatement", "redshift-data:BatchExecuteStatement"])
        assert.ok(has(allowed, action, WORKGROUP_ARN), action);
      assert.ok(has(allowed, "secretsmanager:GetSecretValue", ADMIN_SECRET));
      assert.ok(has(allowed, "kms:Decrypt", KEY, VIA_SECRETS_MANAGER));
      assert.ok(
        has(allowed, "redshift-data:DescribeStatement", "*", {
          "redshift-data:statement-owner-iam-userid": "AROAEXAMPLEID:execution",
        }),
      );
      assert.ok(has(allowed, "sns:Publish", stack.alertTopicArn));
    });

    it("must not reach other secrets, keys, workgroups, machines or data, nor sign in but with the secret", () => {
      const foreign = `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:workgroup/${FOREIGN_WORKGROUP_ID}`;
      assert.ok(has(denied, "redshift-data:ExecuteStatement", foreign));
      assert.ok(has(denied, "redshift-serverless:GetCredentials", WORKGROUP_ARN));
      assert.ok(
        denied.some(
          (request) =>
            request.action === "secretsmanager:GetSecretValue" && request.resource !== ADMIN_SECRET,
        ),
      );
      assert.ok(
        has(
          denied,
          "kms:Decrypt",
          `arn:aws:kms:${REGION}:${ACCOUNT}:key/00000000-1111-2222-3333-444444444444`,
          VIA_SECRETS_MANAGER,
        ),
      );
      assert.ok(has(denied, "states:StartExecution", `${STATES}:stateMachine:bdp-unit-daily`));
      assert.ok(has(denied, "states:StopExecution", `${STATES}:execution:bdp-unit-daily:run-0001`));
      assert.ok(has(denied, "glue:StartJobRun", `${GLUE}:job/unit-daily`));
      assert.ok(denied.some((request) => request.action === "s3:GetObject"));
    });
  });

  describe("a pipeline machine that loads the warehouse", () => {
    const loader = (kind: "serverless" | "provisioned") =>
      roleRequests(warehouseFacts(kind)).find((list) => list.role.name === "bdp-unit-daily-role")!;

    it("starts the setup, waits for it, then runs the load's transaction on its workgroup as its IAM role", () => {
      const { allowed, denied } = loader("serverless");
      assert.ok(has(allowed, "states:StartExecution", SETUP_ARN));
      assert.ok(
        has(allowed, "states:DescribeExecution", `${STATES}:execution:bdp-unit-warehouse-setup:run-0001`),
      );
      assert.ok(
        has(
          allowed,
          "events:PutRule",
          `arn:aws:events:${REGION}:${ACCOUNT}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`,
        ),
      );
      assert.ok(has(allowed, "redshift-data:BatchExecuteStatement", WORKGROUP_ARN));
      assert.ok(has(allowed, "redshift-serverless:GetCredentials", WORKGROUP_ARN));
      assert.ok(has(denied, "redshift-data:ExecuteStatement", WORKGROUP_ARN), "a load is one transaction");
    });

    it("must not read the admin secret or its key, nor use another workgroup", () => {
      const { allowed, denied } = loader("serverless");
      assert.ok(!allowed.some((request) => request.action.startsWith("secretsmanager:")));
      assert.ok(has(denied, "secretsmanager:GetSecretValue", ADMIN_SECRET));
      assert.ok(has(denied, "kms:Decrypt", KEY, VIA_SECRETS_MANAGER));
      const foreign = `arn:aws:redshift-serverless:${REGION}:${ACCOUNT}:workgroup/${FOREIGN_WORKGROUP_ID}`;
      assert.ok(has(denied, "redshift-serverless:GetCredentials", foreign));
      assert.ok(has(denied, "redshift-data:BatchExecuteStatement", foreign));
    });

    it("provisioned: signs in as the loader user, never as the admin user, on its own cluster only", () => {
      const { allowed, denied } = loader("provisioned");
      const redshift = `arn:aws:redshift:${REGION}:${ACCOUNT}`;
      assert.ok(
        has(allowed, "redshift-data:BatchExecuteStatement", `${redshift}:cluster:bdp-unit-warehouse`),
      );
      assert.ok(
        has(allowed, "redshift:GetClusterCredentials", `${redshift}:dbuser:bdp-unit-warehouse/bdp_loader`),
      );
      assert.ok(
        has(allowed, "redshift:GetClusterCredentials", `${redshift}:dbname:bdp-unit-warehouse/analytics`),
      );
      assert.ok(
        has(denied, "redshift:GetClusterCredentials", `${redshift}:dbuser:bdp-unit-warehouse/platform_admin`),
      );
      assert.ok(
        has(denied, "redshift:GetClusterCredentials", `${redshift}:dbuser:${FOREIGN_CLUSTER}/bdp_loader`),
      );
      assert.ok(has(denied, "redshift-data:BatchExecuteStatement", `${redshift}:cluster:${FOREIGN_CLUSTER}`));
      assert.ok(has(denied, "secretsmanager:GetSecretValue", ADMIN_SECRET));
    });

    it("provisioned: the setup signs in with the admin secret, never as the loader or the admin user", () => {
      const { denied } = roleRequests(warehouseFacts("provisioned")).find(
        (list) => list.kind === "warehouseSetup",
      )!;
      const dbuser = `arn:aws:redshift:${REGION}:${ACCOUNT}:dbuser:bdp-unit-warehouse`;
      assert.ok(has(denied, "redshift:GetClusterCredentials", `${dbuser}/bdp_loader`));
      assert.ok(has(denied, "redshift:GetClusterCredentials", `${dbuser}/platform_admin`));
    });

    it("provisioned: the scheduler role pauses and resumes its cluster, nothing else", () => {
      const stack = warehouseFacts("provisioned");
      stack.roles.push({
        ...role("bdp-unit-warehouse-scheduler", "bdp:warehouse:Warehouse", "none"),
        owner: { kind: "environment" },
      });
      const { kind, allowed, denied } = roleRequests(stack).find(
        (list) => list.role.name === "bdp-unit-warehouse-scheduler",
      )!;
      const cluster = stack.warehouse!.clusterArn!;
      assert.equal(kind, "warehouseScheduler");
      assert.deepEqual(
        allowed.map((request) => `${request.action} ${request.resource}`),
        [`redshift:PauseCluster ${cluster}`, `redshift:ResumeCluster ${cluster}`],
      );
      assert.ok(has(denied, "redshift:DeleteCluster", cluster));
      assert.ok(
        denied.some((request) => request.action === "redshift:PauseCluster" && request.resource !== cluster),
      );
      assert.ok(denied.some((request) => request.action === "s3:GetObject"));
    });

    it("refuses a Serverless warehouse whose workgroup has no ARN", () => {
      const stack = warehouseFacts("serverless");
      stack.warehouse = { ...stack.warehouse!, workgroupArn: undefined };
      assert.throws(() => roleRequests(stack), /workgroup bdp-unit-warehouse: the synthesis gives it no ARN/);
    });
  });

  it("denies starting the warehouse setup to machines that do not load and to triggers", () => {
    const lists = roleRequests(warehouseFacts("serverless"));
    for (const name of ["bdp-unit-nightly-role", "unit-uploads-events"]) {
      const { allowed, denied } = lists.find((list) => list.role.name === name)!;
      assert.ok(has(denied, "states:StartExecution", SETUP_ARN), name);
      assert.ok(!has(allowed, "states:StartExecution", SETUP_ARN), name);
    }
  });

  it("never lists a request both to allow and to deny", () => {
    const everyList = [
      ...lists,
      ...roleRequests(warehouseFacts("serverless")),
      ...roleRequests(warehouseFacts("provisioned")),
    ];
    for (const { role: declared, allowed, denied } of everyList) {
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
