import { strict as assert } from "assert";
import * as path from "path";
import { EtlJob, EtlJobArgs, EtlJobChecks, validateEtlJobArgs } from "../../../components/glue/etl-job";
import { SlaTier } from "../../../decisions/sla-tier";
import { GlueWorkerType } from "../../../decisions/glue";
import { actionsOf, invalidActions, statementBySid, statementsWithAction } from "../../support/iam";
import { Synthesized, synthesizeComponents } from "../../support/synth";
import { assertOnlyProblem, invalidArgsError } from "../../support/problems";
import {
  ACCOUNT,
  CATALOG_ARN,
  foundation,
  jobArgs,
  KEY_ARN,
  REGION,
  SECURITY_CONFIGURATION,
} from "./fixtures";

const JOB = "aws:glue/job:Job";
const ROLE_NAME = "daily-sales-job-role";
const LOGS = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws-glue/jobs/${SECURITY_CONFIGURATION}-role/${ROLE_NAME}`;

function synthesizeJob(overrides: Partial<EtlJobArgs> = {}): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    const base = foundation(opts);
    new EtlJob("daily-sales-job", jobArgs(base, overrides), opts);
  });
}

describe("EtlJob component", () => {
  let result: Synthesized;
  before(async () => {
    result = await synthesizeJob();
  });

  it("declares a Glue 5.0 glueetl Python 3 job running the uploaded script", async () => {
    const job = result.one(JOB);
    assert.equal(job.inputs.name, "daily-sales-job");
    assert.equal(job.inputs.glueVersion, "5.0");
    assert.deepEqual(job.inputs.command, {
      name: "glueetl",
      pythonVersion: "3",
      scriptLocation: "s3://lake-artifacts/scripts/daily-sales/daily_sales_by_store.py",
    });
    const script = result.one("aws:s3/bucketObjectv2:BucketObjectv2");
    assert.equal(script.inputs.bucket, "lake-artifacts");
    assert.equal(script.inputs.key, "scripts/daily-sales/daily_sales_by_store.py");
    // Read from the repository root, whatever the current directory of `pulumi up` or the plan.
    assert.equal(
      await script.inputs.source.path,
      path.resolve(__dirname, "..", "..", "..", "jobs/glue/daily_sales_by_store.py"),
    );
    assert.equal(result.componentOf(job), "bdp:glue:EtlJob");
    assert.equal(result.componentOf(script), "bdp:glue:EtlJob");
  });

  it("states capacity, timeout, retries and one concurrent run", () => {
    const job = result.one(JOB);
    assert.equal(job.inputs.workerType, "G.1X");
    assert.equal(job.inputs.numberOfWorkers, 4);
    assert.equal(job.inputs.timeout, 90);
    assert.equal(job.inputs.maxRetries, 1);
    assert.deepEqual(job.inputs.executionProperty, { maxConcurrentRuns: 1 });
  });

  it("attaches the security configuration, tags the pipeline and tier, and waits for its access and log groups", () => {
    const job = result.one(JOB);
    assert.equal(job.inputs.securityConfiguration, SECURITY_CONFIGURATION);
    assert.equal(job.inputs.tags.pipeline, "daily-sales");
    assert.equal(job.inputs.tags["sla-tier"], "flexible");
    assert.equal(job.inputs.tags.incremental, "true");
    const dependencies = job.options.dependsOn;
    for (const [type, suffix] of [
      ["aws:iam/rolePolicy:RolePolicy", "-access"],
      ["aws:cloudwatch/logGroup:LogGroup", "-error-logs"],
      ["aws:cloudwatch/logGroup:LogGroup", "-output-logs"],
    ]) {
      assert.ok(dependencies.includes(result.one(type, suffix).urn), `job does not depend on ${suffix}`);
    }
  });

  it("passes the platform arguments and the script's own arguments", () => {
    const args: Record<string, string> = result.one(JOB).inputs.defaultArguments;
    // Glue 5.0 logs in real time; the Glue 4.0 continuous-logging arguments are not used.
    assert.equal(args["--continuous-log-logGroup"], undefined);
    assert.equal(args["--enable-continuous-cloudwatch-log"], undefined);
    assert.deepEqual(args, {
      "--job-language": "python",
      "--job-bookmark-option": "job-bookmark-enable",
      "--enable-glue-datacatalog": "true",
      "--enable-metrics": "true",
      "--enable-job-insights": "true",
      "--enable-observability-metrics": "true",
      // Auto scaling: numberOfWorkers is the most a run may grow to.
      "--enable-auto-scaling": "true",
      "--TempDir": "s3://lake-artifacts/tmp/daily-sales/",
      "--source_database": "unit_raw",
      "--source_table": "sales",
      "--target_path": "s3://lake-curated/unit_curated/daily_sales_by_store/",
      "--target_database": "unit_curated",
      "--target_table": "daily_sales_by_store",
    });
  });

  it("creates the encrypted, retained log groups Glue 5.0 writes to with the security configuration", () => {
    const groups = result.ofType("aws:cloudwatch/logGroup:LogGroup");
    assert.deepEqual(groups.map((group) => group.inputs.name).sort(), [
      `/aws-glue/jobs/${SECURITY_CONFIGURATION}-role/${ROLE_NAME}/error`,
      `/aws-glue/jobs/${SECURITY_CONFIGURATION}-role/${ROLE_NAME}/output`,
    ]);
    for (const group of groups) {
      assert.equal(group.inputs.retentionInDays, 30);
      assert.equal(group.inputs.kmsKeyId, KEY_ARN);
      assert.equal(group.inputs.tags["sla-tier"], "flexible");
    }
  });

  it("lets only Glue of this account assume the role", () => {
    const trust = result.json(result.one("aws:iam/role:Role", "-job-role"), "assumeRolePolicy");
    assert.deepEqual(trust.Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "glue.amazonaws.com" },
        Action: ["sts:AssumeRole"],
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
      },
    ]);
    assert.equal(result.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0);
  });

  describe("role policy", () => {
    let policy: any;
    before(() => {
      policy = result.json(result.one("aws:iam/rolePolicy:RolePolicy", "-access"), "policy");
    });

    it("uses only real IAM actions, none with a wildcard", async () => {
      assert.deepEqual(await invalidActions(actionsOf(policy)), []);
    });

    it("reads only the script and the source prefix", () => {
      assert.deepEqual(statementBySid(policy, "ReadScript").Resource, [
        "arn:aws:s3:::lake-artifacts/scripts/daily-sales/daily_sales_by_store.py",
      ]);
      assert.deepEqual(statementBySid(policy, "SourceGet0"), {
        Sid: "SourceGet0",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: [
          "arn:aws:s3:::lake-raw/unit_raw/sales/*",
          "arn:aws:s3:::lake-raw/unit_raw/sales",
          "arn:aws:s3:::lake-raw/unit_raw/sales_$folder$",
        ],
      });
      assert.deepEqual(statementBySid(policy, "SourceList0"), {
        Sid: "SourceList0",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: ["arn:aws:s3:::lake-raw"],
        Condition: { StringLike: { "s3:prefix": ["unit_raw/sales/*", "unit_raw/sales"] } },
      });
    });

    it("writes only the target prefix and its temp prefix", () => {
      const writes = statementsWithAction(policy, "s3:PutObject");
      assert.deepEqual(
        writes.map((s: any) => [s.Sid, s.Action, s.Resource[0]]),
        [
          [
            "TargetObjects0",
            ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "arn:aws:s3:::lake-curated/unit_curated/daily_sales_by_store/*",
          ],
          [
            "TempObjects0",
            ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "arn:aws:s3:::lake-artifacts/tmp/daily-sales/*",
          ],
        ],
      );
      const deletes = statementsWithAction(policy, "s3:DeleteObject");
      assert.equal(deletes.length, 2, "nothing else may be deleted");
      assert.deepEqual(statementBySid(policy, "LocateBuckets").Resource, [
        "arn:aws:s3:::lake-raw",
        "arn:aws:s3:::lake-curated",
        "arn:aws:s3:::lake-artifacts",
      ]);
    });

    it("reaches the catalog only through its databases and their tables, writing only its target's", () => {
      const catalog = statementBySid(policy, "CatalogTables");
      assert.deepEqual(catalog.Resource, [
        CATALOG_ARN,
        `arn:aws:glue:${REGION}:${ACCOUNT}:database/unit_raw`,
        `arn:aws:glue:${REGION}:${ACCOUNT}:database/unit_curated`,
        `arn:aws:glue:${REGION}:${ACCOUNT}:table/unit_raw/*`,
        `arn:aws:glue:${REGION}:${ACCOUNT}:table/unit_curated/*`,
      ]);
      assert.deepEqual(catalog.Action, [
        "glue:GetDatabase",
        "glue:GetTable",
        "glue:GetTables",
        "glue:GetPartition",
        "glue:GetPartitions",
        "glue:BatchGetPartition",
      ]);
      // The source database is read only: the job registers tables and partitions in its target's.
      const writes = statementBySid(policy, "CatalogWrites");
      assert.deepEqual(writes.Resource, [
        CATALOG_ARN,
        `arn:aws:glue:${REGION}:${ACCOUNT}:database/unit_curated`,
        `arn:aws:glue:${REGION}:${ACCOUNT}:table/unit_curated/*`,
      ]);
      assert.deepEqual(writes.Action, [
        "glue:CreateTable",
        "glue:UpdateTable",
        "glue:CreatePartition",
        "glue:BatchCreatePartition",
        "glue:UpdatePartition",
      ]);
      assert.deepEqual(statementsWithAction(policy, "glue:CreateTable"), [writes]);
      assert.deepEqual(statementBySid(policy, "SparkDefaultDatabase"), {
        Sid: "SparkDefaultDatabase",
        Effect: "Allow",
        Action: ["glue:GetDatabase"],
        Resource: [CATALOG_ARN, `arn:aws:glue:${REGION}:${ACCOUNT}:database/default`],
      });
      const tableArns = policy.Statement.flatMap((s: any) => (s.Resource === "*" ? [] : s.Resource)).filter(
        (arn: string) => arn.includes(":table/"),
      );
      assert.ok(!tableArns.some((arn: string) => arn.includes("table/default/")), "no tables of default");
    });

    it("uses the lake key, writes its own log groups and publishes Glue metrics only", () => {
      assert.deepEqual(statementBySid(policy, "UseLakeKey"), {
        Sid: "UseLakeKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
        Resource: [KEY_ARN],
      });
      assert.deepEqual(statementBySid(policy, "OwnLogGroups").Resource, [`${LOGS}/error`, `${LOGS}/output`]);
      assert.deepEqual(statementBySid(policy, "OwnLogGroups").Action, [
        "logs:CreateLogGroup",
        "logs:AssociateKmsKey",
      ]);
      assert.deepEqual(statementBySid(policy, "OwnLogStreams").Resource, [
        `${LOGS}/error:log-stream:*`,
        `${LOGS}/output:log-stream:*`,
      ]);
      assert.deepEqual(statementBySid(policy, "PublishGlueMetrics").Condition, {
        StringEquals: { "cloudwatch:namespace": "Glue" },
      });
    });

    it("grants `*` resources only to actions AWS cannot scope", () => {
      const unscoped = policy.Statement.filter((s: any) => s.Resource === "*").flatMap((s: any) => s.Action);
      assert.deepEqual(unscoped, ["cloudwatch:PutMetricData", "glue:GetSecurityConfiguration"]);
    });
  });

  describe("with Python modules", () => {
    const MODULES = ["jobs/common/daily_sales.py", "jobs/spark/sales_by_store.py"];
    const URIS = [
      "s3://lake-artifacts/scripts/daily-sales/daily_sales.py",
      "s3://lake-artifacts/scripts/daily-sales/sales_by_store.py",
    ];
    let withModules: Synthesized;
    before(async () => {
      withModules = await synthesizeJob({ pythonModules: MODULES });
    });

    it("uploads each module beside the script, tagged like it", async () => {
      const module = withModules.one("aws:s3/bucketObjectv2:BucketObjectv2", "-module-daily_sales.py");
      assert.equal(module.inputs.bucket, "lake-artifacts");
      assert.equal(module.inputs.key, "scripts/daily-sales/daily_sales.py");
      assert.equal(module.inputs.contentType, "text/x-python");
      assert.equal(await module.inputs.source.path, path.resolve(__dirname, "..", "..", "..", MODULES[0]));
      assert.equal(module.inputs.tags.pipeline, "daily-sales");
      assert.equal(withModules.componentOf(module), "bdp:glue:EtlJob");
      const keys = withModules
        .ofType("aws:s3/bucketObjectv2:BucketObjectv2")
        .map((object) => object.inputs.key);
      assert.deepEqual(keys.sort(), [
        "scripts/daily-sales/daily_sales.py",
        "scripts/daily-sales/daily_sales_by_store.py",
        "scripts/daily-sales/sales_by_store.py",
      ]);
    });

    it("puts them on the Python path with --extra-py-files, comma-separated, in order", () => {
      const args = withModules.one(JOB).inputs.defaultArguments;
      assert.equal(args["--extra-py-files"], URIS.join(","));
      assert.equal(args["--source_table"], "sales", "the script's own arguments stay");
    });

    it("lets the role read the script and the modules, nothing else under the prefix", () => {
      const policy = withModules.json(withModules.one("aws:iam/rolePolicy:RolePolicy", "-access"), "policy");
      assert.deepEqual(statementBySid(policy, "ReadScript").Resource, [
        "arn:aws:s3:::lake-artifacts/scripts/daily-sales/daily_sales_by_store.py",
        "arn:aws:s3:::lake-artifacts/scripts/daily-sales/daily_sales.py",
        "arn:aws:s3:::lake-artifacts/scripts/daily-sales/sales_by_store.py",
      ]);
    });
  });

  it("disables bookmarks for a full-load job", async () => {
    const full = await synthesizeJob({ incremental: false });
    assert.equal(full.one(JOB).inputs.defaultArguments["--job-bookmark-option"], "job-bookmark-disable");
  });

  const cases: [SlaTier, GlueWorkerType, string][] = [
    ["flexible", "G.1X", "FLEX"],
    ["flexible", "G.2X", "FLEX"],
    ["standard", "G.1X", "STANDARD"],
    ["standard", "G.4X", "STANDARD"],
    ["critical", "G.2X", "STANDARD"],
    ["critical", "G.8X", "STANDARD"],
  ];
  for (const [slaTier, workerType, executionClass] of cases) {
    it(`runs a ${slaTier} job on ${workerType} with the ${executionClass} execution class`, async () => {
      const job = (await synthesizeJob({ slaTier, workerType })).one(JOB);
      assert.equal(job.inputs.executionClass, executionClass);
      assert.equal(job.inputs.tags["sla-tier"], slaTier);
    });
  }

  it("adds a connection's name and role statements", async () => {
    const withConnection = await synthesizeJob({
      connections: [
        {
          connectionName: "sales-db",
          accessStatements: [
            {
              Sid: "SalesDbSecret",
              Effect: "Allow",
              Action: ["secretsmanager:GetSecretValue"],
              Resource: ["x"],
            },
          ],
        },
      ],
    });
    assert.deepEqual(withConnection.one(JOB).inputs.connections, ["sales-db"]);
    const policy = withConnection.json(
      withConnection.one("aws:iam/rolePolicy:RolePolicy", "-access"),
      "policy",
    );
    assert.deepEqual(statementBySid(policy, "Connection0SalesDbSecret").Action, [
      "secretsmanager:GetSecretValue",
    ]);
  });

  it("rejects a missing script and invalid args with one error that lists every problem", async () => {
    await assert.rejects(
      synthesizeJob({ scriptPath: "jobs/glue/missing.py", timeoutMinutes: 0 }),
      invalidArgsError(
        "bdp:glue:EtlJob daily-sales-job",
        /timeoutMinutes: must be a positive whole number/,
        /scriptPath: does not exist in the repository \(paths are relative to its root\) \(given: "jobs\/glue\/missing.py"\)/,
      ),
    );
  });

  it("rejects Python modules that are missing or named like another shipped file, at their index", async () => {
    await assert.rejects(
      synthesizeJob({ pythonModules: ["jobs/common/missing.py", "jobs/glue/daily_sales_by_store.py"] }),
      invalidArgsError(
        "bdp:glue:EtlJob daily-sales-job",
        /pythonModules\[0\]: does not exist in the repository \(paths are relative to its root\) \(given: "jobs\/common\/missing.py"\)/,
        /pythonModules\[1\]: is named like another file under the script's prefix \(daily_sales_by_store.py\)/,
      ),
    );
  });
});

describe("validateEtlJobArgs", () => {
  const valid: EtlJobChecks = {
    slaTier: "flexible",
    workerType: "G.1X",
    numberOfWorkers: 2,
    timeoutMinutes: 60,
    maxRetries: 0,
    sources: [{ prefix: "raw/sales/" }],
    targets: [{ prefix: "curated/sales/" }],
    jobArguments: { "--source_table": "sales" },
  };

  it("accepts valid args, including Hive-style partition prefixes", () => {
    assert.deepEqual(validateEtlJobArgs(valid), []);
    assert.deepEqual(validateEtlJobArgs({ ...valid, sources: [{ prefix: "raw/sales/year=2024/" }] }), []);
  });

  const invalid: [string, Partial<EtlJobChecks>, string, RegExp][] = [
    ["a zero timeout", { timeoutMinutes: 0 }, "timeoutMinutes", /positive whole number/],
    ["a single worker", { numberOfWorkers: 1 }, "numberOfWorkers", /at least 2/],
    ["too many retries", { maxRetries: 11 }, "maxRetries", /from 0 to 10/],
    ["a flexible job on G.4X", { workerType: "G.4X" }, "workerType", /FLEX execution class/],
    ["no target", { targets: [] }, "targets", /at least one target/],
    ["a prefix without a slash", { sources: [{ prefix: "sales" }] }, "sources[0].prefix", /key prefix/],
    [
      "an override of a platform argument",
      { jobArguments: { "--TempDir": "s3://x/" } },
      "jobArguments.--TempDir",
      /set by the platform/,
    ],
    [
      "an argument without dashes",
      { jobArguments: { source_table: "x" } },
      "jobArguments.source_table",
      /must look like --name/,
    ],
    [
      "--extra-py-files among the job arguments",
      { jobArguments: { "--extra-py-files": "s3://x/y.py" } },
      "jobArguments.--extra-py-files",
      /set by the platform/,
    ],
    [
      "a job argument that turns auto scaling off",
      { jobArguments: { "--enable-auto-scaling": "false" } },
      "jobArguments.--enable-auto-scaling",
      /set by the platform/,
    ],
  ];
  for (const [what, overrides, field, message] of invalid) {
    it(`rejects ${what} at ${field}`, () => {
      assertOnlyProblem(validateEtlJobArgs({ ...valid, ...overrides }), field, message);
    });
  }
});
