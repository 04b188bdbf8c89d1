/**
 * A compliant environment: one resource of every type the pack judges, linked the way the
 * components link them (property dependencies and ids). The whole pack reports nothing on it;
 * the per-policy tests break one thing at a time.
 */
import { T } from "../../policies/lib/types";
import { awsProvider, component, Res, res } from "./harness";

export const ACCOUNT = "111122223333";
export const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0d1f-example`;
export const ALERTS_ARN = `arn:aws:sns:eu-west-1:${ACCOUNT}:bdp-dev-alerts`;
export const DLQ_ARN = `arn:aws:sqs:eu-west-1:${ACCOUNT}:bdp-dev-trigger-dlq`;
export const GLUE_FACTORY = "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory";

export const STACK_TAGS = {
  environment: "dev",
  owner: "data-platform-team",
  "cost-center": "cc-4711",
  "managed-by": "pulumi",
};

/** Config the good stack needs (the estimate is written by the runner). */
export const GOOD_CONFIG = { "estimated-cost-within-budget": { estimatedMonthlyUsd: 250 } };

export function tlsPolicy(bucket: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

export function stateMachineDefinition(): string {
  return JSON.stringify({
    Comment: "sales pipeline",
    StartAt: "Etl",
    TimeoutSeconds: 7200,
    States: {
      Etl: {
        Type: "Task",
        Resource: "arn:aws:states:::glue:startJobRun.sync",
        Parameters: { JobName: "bdp-dev-sales-etl" },
        TimeoutSeconds: 3600,
        Next: "Fanout",
      },
      Fanout: {
        Type: "Parallel",
        Branches: [
          {
            StartAt: "Crawl",
            States: {
              Crawl: {
                Type: "Task",
                Resource: "arn:aws:states:::aws-sdk:glue:startCrawler",
                TimeoutSeconds: 600,
                End: true,
              },
            },
          },
        ],
        Next: "PerStore",
      },
      PerStore: {
        Type: "Map",
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Aggregate",
          States: {
            Aggregate: {
              Type: "Task",
              Resource: "arn:aws:states:::batch:submitJob.sync",
              TimeoutSecondsPath: "$.timeout",
              End: true,
            },
          },
        },
        End: true,
      },
    },
  });
}

export interface GoodStack {
  all: Res[];
  provider: Res;
  byName: Record<string, Res>;
}

/** Builds the compliant stack; names are stable so tests can replace one resource. */
export function goodStack(): GoodStack {
  const provider = awsProvider(STACK_TAGS);
  const o = { provider };
  const lake = component("bdp:storage:DataLake", "bdp-dev-lake");
  const catalog = component("bdp:catalog:CentralCatalog", "bdp-dev-catalog");
  const network = component("bdp:network:Network", "bdp-dev-network");

  const bucket = res(
    T.s3Bucket,
    "bdp-dev-lake-raw",
    { bucket: "bdp-dev-raw-1a2b", tags: { component: "data-lake-raw" } },
    { ...o, parent: lake },
  );
  const sse = res(
    T.s3BucketServerSideEncryptionConfiguration,
    "bdp-dev-lake-raw-encryption",
    {
      bucket: "bdp-dev-raw-1a2b",
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN },
          bucketKeyEnabled: true,
        },
      ],
    },
    { ...o, parent: lake, deps: { bucket: [bucket] } },
  );
  const pab = res(
    T.s3BucketPublicAccessBlock,
    "bdp-dev-lake-raw-public-access",
    {
      bucket: "bdp-dev-raw-1a2b",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    { ...o, parent: lake, deps: { bucket: [bucket] } },
  );
  const bucketPolicy = res(
    T.s3BucketPolicy,
    "bdp-dev-lake-raw-policy",
    { bucket: "bdp-dev-raw-1a2b", policy: tlsPolicy("bdp-dev-raw-1a2b") },
    { ...o, parent: lake, deps: { bucket: [bucket] } },
  );
  const versioning = res(
    T.s3BucketVersioning,
    "bdp-dev-lake-raw-versioning",
    { bucket: "bdp-dev-raw-1a2b", versioningConfiguration: { status: "Enabled" } },
    { ...o, parent: lake, deps: { bucket: [bucket] } },
  );
  const lifecycle = res(
    T.s3BucketLifecycleConfiguration,
    "bdp-dev-lake-raw-lifecycle",
    {
      bucket: "bdp-dev-raw-1a2b",
      rules: [
        {
          id: "raw-zone",
          status: "Enabled",
          filter: {},
          abortIncompleteMultipartUpload: { daysAfterInitiation: 3 },
          expiration: { days: 30 },
          noncurrentVersionExpiration: { noncurrentDays: 3 },
        },
      ],
    },
    { ...o, parent: lake, deps: { bucket: [bucket] } },
  );

  const privateSubnet = res(
    T.ec2Subnet,
    "bdp-dev-network-private-1",
    {
      id: "subnet-0private1",
      vpcId: "vpc-1",
      cidrBlock: "10.20.0.0/19",
      mapPublicIpOnLaunch: false,
      tags: { SubnetType: "Private" },
    },
    { ...o, parent: network },
  );
  const publicSubnet = res(
    T.ec2Subnet,
    "bdp-dev-network-public-1",
    {
      id: "subnet-0public1",
      vpcId: "vpc-1",
      cidrBlock: "10.20.128.0/20",
      mapPublicIpOnLaunch: true,
      tags: { SubnetType: "Public" },
    },
    { ...o, parent: network },
  );

  const alerts = res(
    T.snsTopic,
    "bdp-dev-alerts",
    { name: "bdp-dev-alerts", arn: ALERTS_ARN, kmsMasterKeyId: KEY_ARN },
    o,
  );
  const dlq = res(
    T.sqsQueue,
    "bdp-dev-trigger-dlq",
    { name: "bdp-dev-trigger-dlq", sqsManagedSseEnabled: true },
    o,
  );
  const logGroup = res(
    T.logGroup,
    "bdp-dev-sfn-logs",
    { name: "/aws/vendedlogs/states/bdp-dev-sales", retentionInDays: 14 },
    o,
  );

  const db = res(
    T.glueCatalogDatabase,
    "bdp-dev-catalog-sales_raw",
    { name: "sales_raw", catalogId: ACCOUNT, locationUri: "s3://bdp-dev-raw-1a2b/sales/" },
    { ...o, parent: catalog },
  );
  const catalogEncryption = res(
    T.glueDataCatalogEncryptionSettings,
    "bdp-dev-catalog-encryption",
    {
      catalogId: ACCOUNT,
      dataCatalogEncryptionSettings: {
        encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: KEY_ARN },
        connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: KEY_ARN },
      },
    },
    { ...o, parent: catalog },
  );
  const glueJob = res(
    T.glueJob,
    "bdp-dev-sales-etl",
    {
      name: "bdp-dev-sales-etl",
      roleArn: `arn:aws:iam::${ACCOUNT}:role/bdp-dev-glue`,
      command: { name: "glueetl", scriptLocation: "s3://bdp-dev-artifacts/etl.py", pythonVersion: "3" },
      glueVersion: "4.0",
      executionClass: "FLEX",
      workerType: "G.1X",
      numberOfWorkers: 4,
      timeout: 60,
      maxRetries: 1,
      securityConfiguration: "bdp-dev-glue-security",
      defaultArguments: {
        "--job-bookmark-option": "job-bookmark-enable",
        "--enable-glue-datacatalog": "true",
      },
      tags: { "sla-tier": "flexible", pipeline: "sales", incremental: "true" },
    },
    o,
  );
  const crawler = res(
    T.glueCrawler,
    "bdp-dev-sales-crawler",
    {
      name: "bdp-dev-sales-crawler",
      role: "bdp-dev-glue",
      databaseName: "sales_raw",
      securityConfiguration: "bdp-dev-glue-security",
      s3Targets: [{ path: "s3://bdp-dev-raw-1a2b/sales/" }],
    },
    { ...o, deps: { databaseName: [db] } },
  );

  const emr = res(
    T.emrCluster,
    "bdp-dev-sales-emr",
    {
      name: "bdp-dev-sales-emr",
      releaseLabel: "emr-7.5.0",
      applications: ["Spark", "Hive"],
      serviceRole: "bdp-dev-emr-service",
      keepJobFlowAliveWhenNoSteps: true,
      autoTerminationPolicy: { idleTimeout: 1800 },
      securityConfiguration: "bdp-dev-emr-security",
      ec2Attributes: { subnetIds: ["subnet-0private1"], instanceProfile: "bdp-dev-emr-ec2" },
      masterInstanceFleet: {
        targetOnDemandCapacity: 1,
        instanceTypeConfigs: [{ instanceType: "m7g.xlarge" }],
      },
      coreInstanceFleet: {
        targetOnDemandCapacity: 0,
        targetSpotCapacity: 4,
        instanceTypeConfigs: [{ instanceType: "m7g.2xlarge" }, { instanceType: "r7g.2xlarge" }],
        launchSpecifications: {
          spotSpecifications: [
            {
              allocationStrategy: "capacity-optimized",
              timeoutAction: "SWITCH_TO_ON_DEMAND",
              timeoutDurationMinutes: 10,
            },
          ],
        },
      },
      configurationsJson: JSON.stringify([
        {
          Classification: "spark-hive-site",
          Properties: { "hive.metastore.client.factory.class": GLUE_FACTORY },
        },
        { Classification: "hive-site", Properties: { "hive.metastore.client.factory.class": GLUE_FACTORY } },
      ]),
      tags: { "sla-tier": "flexible", pipeline: "sales" },
    },
    { ...o, deps: { ec2Attributes: [privateSubnet] } },
  );
  const taskFleet = res(
    T.emrInstanceFleet,
    "bdp-dev-sales-emr-task",
    {
      clusterId: "j-2AXXXXXXGAPLF",
      targetSpotCapacity: 2,
      instanceTypeConfigs: [{ instanceType: "c7g.2xlarge" }],
      launchSpecifications: {
        spotSpecifications: [
          {
            allocationStrategy: "capacity-optimized",
            timeoutAction: "TERMINATE_CLUSTER",
            timeoutDurationMinutes: 10,
          },
        ],
      },
    },
    { ...o, deps: { clusterId: [emr] } },
  );
  const scaling = res(
    T.emrManagedScalingPolicy,
    "bdp-dev-sales-emr-scaling",
    {
      clusterId: "j-2AXXXXXXGAPLF",
      computeLimits: [{ unitType: "InstanceFleetUnits", minimumCapacityUnits: 2, maximumCapacityUnits: 16 }],
    },
    { ...o, deps: { clusterId: [emr] } },
  );
  const serverless = res(
    T.emrServerlessApplication,
    "bdp-dev-sales-serverless",
    {
      name: "bdp-dev-sales-serverless",
      releaseLabel: "emr-7.5.0",
      type: "spark",
      architecture: "ARM64",
      runtimeConfigurations: [
        {
          classification: "spark-defaults",
          properties: { "spark.hadoop.hive.metastore.client.factory.class": GLUE_FACTORY },
        },
      ],
      tags: { "sla-tier": "flexible" },
    },
    o,
  );

  const computeEnv = res(
    T.batchComputeEnvironment,
    "bdp-dev-batch-spot",
    {
      type: "MANAGED",
      computeResources: { type: "FARGATE_SPOT", maxVcpus: 16, subnets: ["subnet-0private1"] },
      tags: { "sla-tier": "flexible" },
    },
    o,
  );
  const ec2Env = res(
    T.batchComputeEnvironment,
    "bdp-dev-batch-ec2",
    {
      type: "MANAGED",
      computeResources: {
        type: "SPOT",
        maxVcpus: 64,
        instanceTypes: ["m7g.xlarge", "c7g", "default_arm64"],
        subnets: ["subnet-0private1"],
      },
      tags: { "sla-tier": "standard" },
    },
    o,
  );
  const queue = res(
    T.batchJobQueue,
    "bdp-dev-batch-queue",
    {
      name: "bdp-dev-batch-queue",
      arn: `arn:aws:batch:eu-west-1:${ACCOUNT}:job-queue/bdp-dev-batch-queue`,
      priority: 1,
      state: "ENABLED",
    },
    o,
  );
  const jobDef = res(
    T.batchJobDefinition,
    "bdp-dev-aggregator",
    {
      name: "bdp-dev-aggregator",
      type: "container",
      platformCapabilities: ["FARGATE"],
      containerProperties: JSON.stringify({
        image: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/sales-aggregator:abc123`,
        runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
        resourceRequirements: [
          { type: "VCPU", value: "1" },
          { type: "MEMORY", value: "2048" },
        ],
      }),
      timeout: { attemptDurationSeconds: 3600 },
      retryStrategy: {
        attempts: 3,
        evaluateOnExits: [
          { onStatusReason: "Host EC2*", action: "RETRY" },
          { onReason: "*", action: "EXIT" },
        ],
      },
      tags: { "sla-tier": "flexible" },
    },
    o,
  );
  const repo = res(
    T.ecrRepository,
    "bdp-dev-sales-aggregator",
    {
      name: "sales-aggregator",
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
    },
    o,
  );

  const stateMachine = res(
    T.sfnStateMachine,
    "bdp-dev-sales-pipeline",
    {
      name: "bdp-dev-sales-pipeline",
      roleArn: `arn:aws:iam::${ACCOUNT}:role/bdp-dev-sfn`,
      definition: stateMachineDefinition(),
      loggingConfiguration: {
        level: "ALL",
        includeExecutionData: true,
        logDestination: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/vendedlogs/states/bdp-dev-sales:*`,
      },
      tracingConfiguration: { enabled: true },
    },
    o,
  );

  const failureRules: Res[] = [];
  const failureTargets: Res[] = [];
  const rule = (name: string, pattern: object) => {
    const r = res(T.eventRule, name, { name, eventPattern: JSON.stringify(pattern) }, o);
    const t = res(
      T.eventTarget,
      `${name}-to-alerts`,
      { rule: name, arn: ALERTS_ARN },
      { ...o, deps: { rule: [r], arn: [alerts] } },
    );
    failureRules.push(r);
    failureTargets.push(t);
  };
  rule("bdp-dev-glue-failed", {
    source: ["aws.glue"],
    "detail-type": ["Glue Job State Change"],
    detail: { state: ["FAILED", "TIMEOUT", "ERROR"] },
  });
  rule("bdp-dev-batch-failed", {
    source: ["aws.batch"],
    "detail-type": ["Batch Job State Change"],
    detail: { status: ["FAILED"] },
  });
  rule("bdp-dev-emr-failed", {
    source: ["aws.emr"],
    "detail-type": ["EMR Cluster State Change"],
    detail: { state: ["TERMINATED_WITH_ERRORS"], clusterId: ["j-2AXXXXXXGAPLF"] },
  });
  rule("bdp-dev-emr-serverless-failed", {
    source: ["aws.emr-serverless"],
    "detail-type": ["EMR Serverless Job Run State Change"],
    detail: { state: ["FAILED"] },
  });
  rule("bdp-dev-sfn-failed", {
    source: ["aws.states"],
    "detail-type": ["Step Functions Execution Status Change"],
    detail: {
      status: ["FAILED", "TIMED_OUT", "ABORTED"],
      stateMachineArn: [`arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:bdp-dev-sales-pipeline`],
    },
  });
  // The EMR rule names the cluster by id and the SFN rule by ARN: make those identifiers known.
  emr.props.id = "j-2AXXXXXXGAPLF";
  stateMachine.props.arn = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:bdp-dev-sales-pipeline`;

  const alarm = res(
    T.metricAlarm,
    "bdp-dev-sales-etl-failures",
    {
      name: "bdp-dev-sales-etl-failures",
      namespace: "Glue",
      metricName: "glue.driver.aggregate.numFailedTasks",
      dimensions: { JobName: "bdp-dev-sales-etl", JobRunId: "ALL", Type: "count" },
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 1,
      period: 300,
      statistic: "Sum",
      alarmActions: [ALERTS_ARN],
    },
    o,
  );

  const schedRule = res(
    T.eventRule,
    "bdp-dev-sales-nightly",
    { name: "bdp-dev-sales-nightly", scheduleExpression: "cron(0 2 * * ? *)" },
    o,
  );
  const startTarget = res(
    T.eventTarget,
    "bdp-dev-sales-nightly-start",
    {
      rule: "bdp-dev-sales-nightly",
      arn: `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:bdp-dev-sales-pipeline`,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/bdp-dev-events`,
      deadLetterConfig: { arn: DLQ_ARN },
      retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
    },
    { ...o, deps: { rule: [schedRule], arn: [stateMachine] } },
  );
  const batchTarget = res(
    T.eventTarget,
    "bdp-dev-upload-to-batch",
    {
      rule: "bdp-dev-sales-nightly",
      arn: `arn:aws:batch:eu-west-1:${ACCOUNT}:job-queue/bdp-dev-batch-queue`,
      batchTarget: { jobDefinition: "bdp-dev-aggregator", jobName: "aggregate" },
      deadLetterConfig: { arn: DLQ_ARN },
      retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
    },
    { ...o, deps: { rule: [schedRule] } },
  );
  const schedule = res(
    T.schedule,
    "bdp-dev-crawler-schedule",
    {
      name: "bdp-dev-crawler-schedule",
      scheduleExpression: "rate(1 day)",
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: "arn:aws:scheduler:::aws-sdk:glue:startCrawler",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/bdp-dev-scheduler`,
        deadLetterConfig: { arn: DLQ_ARN },
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    },
    o,
  );

  const budget = res(
    T.budget,
    "bdp-dev-budget",
    {
      name: "bdp-dev-monthly",
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: "400",
      limitUnit: "USD",
      notifications: [
        {
          comparisonOperator: "GREATER_THAN",
          threshold: 80,
          thresholdType: "PERCENTAGE",
          notificationType: "FORECASTED",
          subscriberSnsTopicArns: [ALERTS_ARN],
        },
        {
          comparisonOperator: "GREATER_THAN",
          threshold: 100,
          thresholdType: "PERCENTAGE",
          notificationType: "ACTUAL",
          subscriberEmailAddresses: ["dev@example.com"],
        },
      ],
    },
    o,
  );

  const rsCluster = res(
    T.redshiftCluster,
    "bdp-dev-warehouse",
    {
      clusterIdentifier: "bdp-dev-warehouse",
      nodeType: "ra3.xlplus",
      encrypted: true,
      kmsKeyId: KEY_ARN,
      publiclyAccessible: false,
    },
    o,
  );
  const rsLogging = res(
    T.redshiftLogging,
    "bdp-dev-warehouse-logging",
    {
      clusterIdentifier: "bdp-dev-warehouse",
      logDestinationType: "cloudwatch",
      logExports: ["connectionlog", "userlog", "useractivitylog"],
    },
    { ...o, deps: { clusterIdentifier: [rsCluster] } },
  );
  const namespace = res(
    T.redshiftServerlessNamespace,
    "bdp-dev-namespace",
    {
      namespaceName: "bdp-dev",
      kmsKeyId: KEY_ARN,
      logExports: ["userlog", "connectionlog", "useractivitylog"],
    },
    o,
  );
  const workgroup = res(
    T.redshiftServerlessWorkgroup,
    "bdp-dev-workgroup",
    { workgroupName: "bdp-dev", namespaceName: "bdp-dev", publiclyAccessible: false, baseCapacity: 8 },
    o,
  );

  const s3ReadPolicy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:ListBucket"],
        Resource: ["arn:aws:s3:::bdp-dev-raw-1a2b", "arn:aws:s3:::bdp-dev-raw-1a2b/*"],
      },
      { Effect: "Allow", Action: "kms:Decrypt", Resource: KEY_ARN },
    ],
  });
  const role = res(
    T.iamRole,
    "bdp-dev-glue",
    {
      name: "bdp-dev-glue",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
      inlinePolicies: [{ name: "read-raw", policy: s3ReadPolicy }],
    },
    o,
  );
  const managedPolicy = res(
    T.iamPolicy,
    "bdp-dev-read-raw",
    { name: "bdp-dev-read-raw", policy: s3ReadPolicy },
    o,
  );
  const rolePolicy = res(
    T.iamRolePolicy,
    "bdp-dev-glue-read-raw",
    { role: "bdp-dev-glue", policy: s3ReadPolicy },
    { ...o, deps: { role: [role] } },
  );

  const all = [
    provider,
    lake,
    catalog,
    network,
    bucket,
    sse,
    pab,
    bucketPolicy,
    versioning,
    lifecycle,
    privateSubnet,
    publicSubnet,
    alerts,
    dlq,
    logGroup,
    db,
    catalogEncryption,
    glueJob,
    crawler,
    emr,
    taskFleet,
    scaling,
    serverless,
    computeEnv,
    ec2Env,
    queue,
    jobDef,
    repo,
    stateMachine,
    ...failureRules,
    ...failureTargets,
    alarm,
    schedRule,
    startTarget,
    batchTarget,
    schedule,
    budget,
    rsCluster,
    rsLogging,
    namespace,
    workgroup,
    role,
    managedPolicy,
    rolePolicy,
  ];
  const byName: Record<string, Res> = {};
  for (const r of all) byName[r.name] = r;
  return { all, provider, byName };
}

/** The good stack with resource `name` replaced (links to it from other resources are kept by name). */
export function replaceIn(stack: GoodStack, name: string, next: Res | undefined): Res[] {
  const old = stack.byName[name];
  if (!old) throw new Error(`no resource ${name} in the good stack`);
  return stack.all
    .filter((r) => r !== old || next !== undefined)
    .map((r) => {
      if (r === old) return next as Res;
      // Re-point dependencies on the old resource to the replacement.
      const deps: Record<string, Res[]> = {};
      let changed = false;
      for (const [k, list] of Object.entries(r.deps)) {
        deps[k] = list.flatMap((d) => (d === old ? (next ? [next] : []) : [d]));
        changed = changed || deps[k].length !== list.length || deps[k].some((d, i) => d !== list[i]);
      }
      return changed ? { ...r, deps } : r;
    });
}

/** Config for the non-compliant stack: an estimate far above its budget. */
export const BAD_CONFIG = { "estimated-cost-within-budget": { estimatedMonthlyUsd: 5000 } };

/** A deliberately non-compliant stack: every policy of the pack finds at least one violation. */
export function badStack(): Res[] {
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
