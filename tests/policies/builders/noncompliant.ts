/**
 * A deliberately non-compliant stack: every policy of the pack finds at least one violation in it
 * (the whole-pack and exemption tests use it).
 */
import { T } from "../../../policies/lib/types";
import { awsProvider, Res, res } from "../harness";

/** Config for the non-compliant stack: an estimate far above its budget. */
export const NONCOMPLIANT_CONFIG: Record<string, Record<string, unknown>> = {
  "estimated-cost-within-budget": { estimatedMonthlyUsd: 5000 },
};

/** A deliberately non-compliant stack: every policy of the pack finds at least one violation. */
export function noncompliantStack(): Res[] {
  const provider = awsProvider({}, "untagged");
  const o = { provider };
  const bucket = res(T.s3Bucket, "bad-bucket", { bucket: "bad-bucket-1" }, o);
  const job = res(
    T.glueJob,
    "bad-job",
    {
      name: "bad-job",
      roleArn: "arn:aws:iam::1:role/r",
      command: { name: "glueetl", scriptLocation: "s3://x/y.py" },
      defaultArguments: { "--job-bookmark-option": "job-bookmark-disable" },
      tags: { "sla-tier": "flexible", incremental: "true" },
    },
    o,
  );
  const db = res(T.glueCatalogDatabase, "bad-db", { name: "bad_db", catalogId: "999988887777" }, o);
  const crawler = res(
    T.glueCrawler,
    "bad-crawler",
    { name: "bad-crawler", role: "r", databaseName: "nowhere" },
    o,
  );
  const catalogSettings = res(
    T.glueDataCatalogEncryptionSettings,
    "bad-catalog-encryption",
    {
      dataCatalogEncryptionSettings: {
        encryptionAtRest: { catalogEncryptionMode: "DISABLED" },
        connectionPasswordEncryption: { returnConnectionPasswordEncrypted: false },
      },
    },
    o,
  );
  const emr = res(
    T.emrCluster,
    "bad-emr",
    {
      name: "bad-emr",
      releaseLabel: "emr-7.5.0",
      applications: ["Spark"],
      serviceRole: "r",
      coreInstanceFleet: {
        targetOnDemandCapacity: 8,
        instanceTypeConfigs: [{ instanceType: "m5.24xlarge" }],
      },
      configurationsJson: JSON.stringify([
        {
          Classification: "hive-site",
          Properties: { "javax.jdo.option.ConnectionURL": "jdbc:mysql://db:3306/hive" },
        },
      ]),
      tags: { "sla-tier": "flexible" },
    },
    o,
  );
  const jobDef = res(T.batchJobDefinition, "bad-jobdef", { type: "container", containerProperties: "{}" }, o);
  const sfn = res(
    T.sfnStateMachine,
    "bad-sfn",
    {
      roleArn: "r",
      definition: JSON.stringify({
        StartAt: "A",
        States: { A: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", End: true } },
      }),
    },
    o,
  );
  const alarm = res(
    T.metricAlarm,
    "bad-alarm",
    { metricName: "m", namespace: "n", comparisonOperator: "GreaterThanThreshold" },
    o,
  );
  const target = res(
    T.eventTarget,
    "bad-target",
    { rule: "r", arn: "arn:aws:states:eu-west-1:1:stateMachine:bad-sfn" },
    o,
  );
  const logs = res(T.logGroup, "bad-logs", { name: "/bad" }, o);
  const budget = res(
    T.budget,
    "bad-budget",
    { budgetType: "COST", timeUnit: "MONTHLY", limitAmount: "10", limitUnit: "USD" },
    o,
  );
  const redshift = res(
    T.redshiftCluster,
    "bad-redshift",
    { clusterIdentifier: "bad", nodeType: "ra3.xlplus", encrypted: false, publiclyAccessible: true },
    o,
  );
  const repo = res(T.ecrRepository, "bad-repo", { name: "bad", imageTagMutability: "MUTABLE" }, o);
  const topic = res(T.snsTopic, "bad-topic", { name: "bad" }, o);
  const queue = res(T.sqsQueue, "bad-queue", { name: "bad", sqsManagedSseEnabled: false }, o);
  const policy = res(
    T.iamPolicy,
    "bad-policy",
    {
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
      }),
    },
    o,
  );
  return [
    provider,
    bucket,
    job,
    db,
    crawler,
    catalogSettings,
    emr,
    jobDef,
    sfn,
    alarm,
    target,
    logs,
    budget,
    redshift,
    repo,
    topic,
    queue,
    policy,
  ];
}
