/**
 * The facts the run-time IAM requests are generated from, read out of a validated stack config
 * and its synthesized resources: where each pipeline's data lives (decisions/locations.ts), the
 * lake's buckets and key, the catalog databases, and what was declared for each pipeline, crawler
 * and the environment (jobs, queues, state machines, log groups, roles and their policies).
 * Plain data: the request generator (iam-requests.ts) is pure over it.
 */
import { CatalogLayout } from "../../decisions/locations";
import { DataZone, PipelineDefinition } from "../../decisions/pipeline";
import { StackConfig } from "../../infra/config";
import { WAREHOUSE_SETUP } from "../../infra/warehouse-load";
import type { RecordedResource } from "../../tools/synth/mock-run";
import type { Synthesized } from "../support/synth";

export type BucketPurpose = DataZone | "artifacts" | "logs";
export const BUCKET_PURPOSES: readonly BucketPurpose[] = ["raw", "curated", "analytics", "artifacts", "logs"];

export interface BucketFact {
  name: string;
  arn: string;
  /** The bucket policy document (every lake bucket has one: the TLS-only Deny). */
  policy: unknown;
}

export interface DatabaseFact {
  logicalName: string;
  glueName: string;
  arn: string;
  zone: DataZone;
}

/** Who a role works for: a pipeline, a crawler, or the environment as a whole. */
export type RoleOwner =
  { kind: "pipeline"; name: string } | { kind: "crawler"; name: string } | { kind: "environment" };

/** A role the stack declares, with the policies IAM evaluates for it. */
export interface RoleFact {
  urn: string;
  /** Pulumi logical name, e.g. `bdp-dev-daily-sales-role`. */
  name: string;
  arn: string;
  /** Type token of the component that declares it, e.g. `bdp:glue:EtlJob`. */
  component: string;
  owner: RoleOwner;
  /** The role's tags (e.g. `component`, `RedshiftDbRoles`). */
  tags: Record<string, string>;
  inlinePolicies: { name: string; policy: unknown }[];
  /** ARNs of attached managed policies. */
  managedPolicyArns: string[];
}

/** A Glue ETL job as declared. */
export interface GlueJobFact {
  name: string;
  arn: string;
  /** Keys of the script and its Python modules in the artifacts bucket. */
  codeKeys: string[];
  /** `--TempDir` as bucket name and prefix. */
  tempPrefix: string;
  logGroupArns: string[];
}

export interface CrawlerFact {
  name: string;
  arn: string;
  database: string;
  /** Logical locations crawled (from the config). */
  s3Targets: StackConfig["crawlers"][number]["s3Targets"];
  logGroupArn: string;
}

export interface BatchFact {
  queueArn: string;
  /** The job definition's current revision (`...:job-definition/<name>:<revision>`). */
  jobDefinitionArn: string;
  logGroupArn: string;
  repositoryArn?: string;
}

export interface EmrServerlessFact {
  applicationArn: string;
  logGroupArn: string;
  /** Prefix of the application's job logs in the logs bucket. */
  logPrefix: string;
  codeKeys: string[];
  /** The job runtime role job runs are started with. */
  executionRoleArn: string;
}

export interface EmrClusterFact {
  /** Prefix of the cluster's logs in the logs bucket (from its LogUri). */
  logPrefix: string;
  codeKeys: string[];
  serviceRoleArn: string;
  instanceRoleArn: string;
}

/** What starts a pipeline: the resources its trigger's role acts on. */
export interface TriggerFact {
  kind: "schedule" | "s3Upload";
  deadLetterQueueArn: string;
  /** A Batch submission (queue + job definition as the target names it) or a state machine. */
  target: { kind: "batch"; queueArn: string; jobDefinition: string } | { kind: "stateMachine"; arn: string };
}

export interface StateMachineFact {
  arn: string;
  /** The ASL definition (parsed). */
  definition: any;
  logGroupArn: string;
}

export interface WarehouseFact {
  workgroupName?: string;
  /** The workgroup's ARN (it holds the workgroup's id, not its name). */
  workgroupArn?: string;
  clusterIdentifier?: string;
  /** The provisioned cluster's ARN (what its pause and resume schedule acts on). */
  clusterArn?: string;
  database: string;
  /** The admin user Redshift creates with the warehouse. */
  adminUser: string;
  /** The admin's credentials, which Redshift manages in Secrets Manager. */
  adminSecretArn: string;
  /** The key that encrypts the admin secret. */
  adminSecretKmsKeyArn: string;
  /** The environment's warehouse-setup state machine, declared when some pipeline loads the warehouse. */
  setup?: StateMachineFact;
}

export interface StackFacts {
  accountId: string;
  region: string;
  partition: string;
  environment: string;
  namePrefix: string;
  layout: CatalogLayout;
  pipelines: PipelineDefinition[];
  crawlerConfigs: StackConfig["crawlers"];
  buckets: Record<BucketPurpose, BucketFact>;
  lakeKey: { arn: string; policy: unknown };
  databases: DatabaseFact[];
  alertTopicArn: string;
  /** The key of the alert topic, when it is encrypted with its own key. */
  alertKeyArn?: string;
  /** Every log group the stack declares. */
  logGroupArns: string[];
  glueJobs: Map<string, GlueJobFact>;
  crawlers: Map<string, CrawlerFact>;
  batch: Map<string, BatchFact>;
  emrServerless: Map<string, EmrServerlessFact>;
  emrClusters: Map<string, EmrClusterFact>;
  triggers: Map<string, TriggerFact>;
  stateMachines: Map<string, StateMachineFact>;
  /**
   * Resource policies by the ARN they govern: every KMS key's policy, the topic and queue
   * policies (bucket policies are in `buckets`).
   */
  resourcePolicies: Map<string, unknown>;
  warehouse?: WarehouseFact;
  roles: RoleFact[];
}

/** The `aws:userid` of the role session every simulated request comes from (iam-simulation.ts). */
export const CALLER_USER_ID = "AROAEXAMPLEID:execution";

/** `arn:<partition>:<service>:<region>:<account>:<resource>` in the stack's account and region. */
export function serviceArn(
  facts: Pick<StackFacts, "partition" | "region" | "accountId">,
  service: string,
  resource: string,
): string {
  return `arn:${facts.partition}:${service}:${facts.region}:${facts.accountId}:${resource}`;
}

/** Reads the facts out of a validated config and its synthesis. */
export function stackFacts(config: StackConfig, synthesized: Synthesized): StackFacts {
  const reader = new SynthesisReader(synthesized);
  const namePrefix = `bdp-${config.environment}`;
  const key = reader.only("aws:kms/key:Key", (resource) => resource.name === `${namePrefix}-lake-key`);
  const lakeKeyArn = key.outputs.arn as string;
  const buckets = Object.fromEntries(
    BUCKET_PURPOSES.map((purpose) => {
      const bucket = reader.only(
        "aws:s3/bucket:Bucket",
        (resource) => resource.inputs.tags?.component === `data-lake-${purpose}`,
      );
      const policy = reader.only(
        "aws:s3/bucketPolicy:BucketPolicy",
        (resource) => resource.inputs.bucket === bucket.outputs.id,
      );
      return [
        purpose,
        { name: bucket.outputs.bucket, arn: bucket.outputs.arn, policy: reader.json(policy, "policy") },
      ];
    }),
  ) as Record<BucketPurpose, BucketFact>;
  const owners = [
    ...config.pipelines.map((pipeline) => ({ kind: "pipeline" as const, name: pipeline.name })),
    ...config.crawlers.map((crawler) => ({ kind: "crawler" as const, name: crawler.name })),
  ];
  const alertTopic = reader.component("bdp:monitoring:AlertTopic", `${namePrefix}-alerts`);
  const ownerOf = (resource: RecordedResource): RoleOwner =>
    reader.owner(resource, owners, (name) => `${namePrefix}-${name}`);

  const facts: StackFacts = {
    accountId: lakeKeyArn.split(":")[4],
    region: lakeKeyArn.split(":")[3],
    partition: lakeKeyArn.split(":")[1],
    environment: config.environment,
    namePrefix,
    layout: { environment: config.environment, databases: config.catalog.databases },
    pipelines: config.pipelines,
    crawlerConfigs: config.crawlers,
    buckets,
    lakeKey: { arn: lakeKeyArn, policy: reader.json(key, "policy") },
    databases: reader.ofType("aws:glue/catalogDatabase:CatalogDatabase").map((database) => {
      const spec = config.catalog.databases.find((candidate) =>
        database.name.endsWith(`-${candidate.name}`),
      )!;
      return {
        logicalName: spec.name,
        glueName: database.outputs.name,
        arn: database.outputs.arn,
        zone: spec.zone,
      };
    }),
    alertTopicArn: reader.only("aws:sns/topic:Topic", () => true).outputs.arn,
    alertKeyArn: alertTopic ? reader.childrenOf(alertTopic, "aws:kms/key:Key")[0]?.outputs.arn : undefined,
    logGroupArns: reader.ofType("aws:cloudwatch/logGroup:LogGroup").map((group) => group.outputs.arn),
    glueJobs: new Map(),
    crawlers: new Map(),
    batch: new Map(),
    emrServerless: new Map(),
    emrClusters: new Map(),
    triggers: new Map(),
    stateMachines: new Map(),
    resourcePolicies: new Map([
      ...reader
        .ofType("aws:kms/key:Key")
        .map((declared) => [declared.outputs.arn, reader.json(declared, "policy")] as const),
      ...reader
        .ofType("aws:sns/topicPolicy:TopicPolicy")
        .map((declared) => [declared.inputs.arn, reader.json(declared, "policy")] as const),
      ...reader.ofType("aws:sqs/queuePolicy:QueuePolicy").map((declared) => {
        const queue = reader
          .ofType("aws:sqs/queue:Queue")
          .find((candidate) => reader.dependsOn(declared, "queueUrl", candidate));
        return [queue?.outputs.arn, reader.json(declared, "policy")] as const;
      }),
    ]),
    roles: [],
  };

  for (const pipeline of config.pipelines)
    readPipeline(reader, `${namePrefix}-${pipeline.name}`, pipeline.name, facts);
  for (const crawler of config.crawlers) {
    const component = reader.component("bdp:glue:Crawler", `${namePrefix}-${crawler.name}`);
    if (!component) continue;
    const declared = reader.childOf(component, "aws:glue/crawler:Crawler");
    facts.crawlers.set(crawler.name, {
      name: declared.outputs.name,
      arn: declared.outputs.arn,
      database: crawler.database,
      s3Targets: crawler.s3Targets,
      logGroupArn: reader.childOf(component, "aws:cloudwatch/logGroup:LogGroup").outputs.arn,
    });
  }
  if (config.warehouse) facts.warehouse = readWarehouse(reader, namePrefix, config.warehouse.databaseName);
  facts.roles = reader.ofType("aws:iam/role:Role").map((role) => ({
    urn: role.urn,
    name: role.name,
    arn: role.outputs.arn,
    component: synthesized.componentOf(role) ?? "",
    owner: ownerOf(role),
    tags: role.inputs.tags ?? {},
    inlinePolicies: reader
      .ofType("aws:iam/rolePolicy:RolePolicy")
      .filter((policy) => reader.dependsOn(policy, "role", role))
      .map((policy) => ({ name: policy.name, policy: reader.json(policy, "policy") })),
    managedPolicyArns: reader
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((attachment) => reader.dependsOn(attachment, "role", role))
      .map((attachment) => attachment.inputs.policyArn as string),
  }));
  return facts;
}

/** The resources one pipeline's components declared. */
function readPipeline(reader: SynthesisReader, name: string, pipeline: string, facts: StackFacts): void {
  const glue = reader.component("bdp:glue:EtlJob", name);
  if (glue) {
    const job = reader.childOf(glue, "aws:glue/job:Job");
    const tempDir = String(job.inputs.defaultArguments["--TempDir"]);
    facts.glueJobs.set(pipeline, {
      name: job.outputs.name,
      arn: job.outputs.arn,
      codeKeys: reader
        .childrenOf(glue, "aws:s3/bucketObjectv2:BucketObjectv2")
        .map((object) => object.inputs.key),
      tempPrefix: tempDir.replace(/^s3:\/\/[^/]+\//, ""),
      logGroupArns: reader
        .childrenOf(glue, "aws:cloudwatch/logGroup:LogGroup")
        .map((group) => group.outputs.arn),
    });
  }
  const definition = reader.component("bdp:batch:JobDefinition", name);
  if (definition) {
    const repository = reader.component("bdp:containers:Repository", name);
    facts.batch.set(pipeline, {
      queueArn: reader.childOf(
        reader.component("bdp:batch:ComputeQueue", name)!,
        "aws:batch/jobQueue:JobQueue",
      ).outputs.arn,
      jobDefinitionArn: reader.childOf(definition, "aws:batch/jobDefinition:JobDefinition").outputs.arn,
      logGroupArn: reader.childOf(definition, "aws:cloudwatch/logGroup:LogGroup").outputs.arn,
      repositoryArn: repository
        ? reader.childOf(repository, "aws:ecr/repository:Repository").outputs.arn
        : undefined,
    });
  }
  const codeKeys = () => {
    const script = reader.component("bdp:storage:JobScript", `${name}-script`);
    return script
      ? reader.childrenOf(script, "aws:s3/bucketObjectv2:BucketObjectv2").map((object) => object.inputs.key)
      : [];
  };
  const serverless = reader.component("bdp:emr:ServerlessApplication", name);
  if (serverless) {
    const application = reader.childOf(serverless, "aws:emrserverless/application:Application");
    const logUri = String(application.inputs.monitoringConfiguration.s3MonitoringConfiguration.logUri);
    facts.emrServerless.set(pipeline, {
      applicationArn: application.outputs.arn,
      logGroupArn: reader.childOf(serverless, "aws:cloudwatch/logGroup:LogGroup").outputs.arn,
      logPrefix: logUri.replace(/^s3:\/\/[^/]+\//, ""),
      codeKeys: codeKeys(),
      executionRoleArn: reader.childOf(serverless, "aws:iam/role:Role").outputs.arn,
    });
  }
  const cluster =
    reader.component("bdp:emr:TransientCluster", name) ?? reader.component("bdp:emr:Cluster", name);
  if (cluster) {
    const roles = reader.descendants(cluster).filter((resource) => resource.type === "aws:iam/role:Role");
    const roleArn = (suffix: string) => roles.find((role) => role.name.endsWith(suffix))!.outputs.arn;
    const declared = reader
      .descendants(cluster)
      .find((resource) => resource.type === "aws:emr/cluster:Cluster");
    // A transient cluster is created by its state machine: its LogUri is in the definition.
    const machine = reader.component("bdp:orchestration:PipelineStateMachine", name);
    const logUri = declared
      ? String(declared.inputs.logUri)
      : String(
          findKey(
            reader.json(reader.childOf(machine!, "aws:sfn/stateMachine:StateMachine"), "definition"),
            "LogUri",
          ),
        );
    facts.emrClusters.set(pipeline, {
      logPrefix: logUri.replace(/^s3:\/\/[^/]+\//, ""),
      codeKeys: codeKeys(),
      serviceRoleArn: roleArn("-service"),
      instanceRoleArn: roleArn("-instance"),
    });
  }
  const machine = stateMachineFact(reader, name);
  if (machine) facts.stateMachines.set(pipeline, machine);
  const schedule = reader.component("bdp:triggers:ScheduleTrigger", name);
  const upload = reader.component("bdp:triggers:S3UploadTrigger", name);
  if (schedule) {
    const declared = reader.childOf(schedule, "aws:scheduler/schedule:Schedule").inputs.target;
    const input = JSON.parse(declared.input);
    facts.triggers.set(pipeline, {
      kind: "schedule",
      deadLetterQueueArn: declared.deadLetterConfig.arn,
      target: declared.arn.endsWith(":batch:submitJob")
        ? { kind: "batch", queueArn: input.JobQueue, jobDefinition: input.JobDefinition }
        : { kind: "stateMachine", arn: declared.arn },
    });
  } else if (upload) {
    const declared = reader.childOf(upload, "aws:cloudwatch/eventTarget:EventTarget").inputs;
    facts.triggers.set(pipeline, {
      kind: "s3Upload",
      deadLetterQueueArn: declared.deadLetterConfig.arn,
      target: declared.batchTarget
        ? { kind: "batch", queueArn: declared.arn, jobDefinition: declared.batchTarget.jobDefinition }
        : { kind: "stateMachine", arn: declared.arn },
    });
  }
}

/** The state machine a PipelineStateMachine component of this name declared, if any. */
function stateMachineFact(reader: SynthesisReader, name: string): StateMachineFact | undefined {
  const component = reader.component("bdp:orchestration:PipelineStateMachine", name);
  if (!component) return undefined;
  const stateMachine = reader.childOf(component, "aws:sfn/stateMachine:StateMachine");
  return {
    arn: stateMachine.outputs.arn,
    definition: reader.json(stateMachine, "definition"),
    logGroupArn: reader.childOf(component, "aws:cloudwatch/logGroup:LogGroup").outputs.arn,
  };
}

/** The Serverless workgroup or provisioned cluster, its admin secret and the setup machine. */
function readWarehouse(reader: SynthesisReader, namePrefix: string, database: string): WarehouseFact {
  const [workgroup] = reader.ofType("aws:redshiftserverless/workgroup:Workgroup");
  const [namespace] = reader.ofType("aws:redshiftserverless/namespace:Namespace");
  const [cluster] = reader.ofType("aws:redshift/cluster:Cluster");
  const setup = stateMachineFact(reader, `${namePrefix}-${WAREHOUSE_SETUP}`);
  if (workgroup && namespace) {
    return {
      workgroupName: workgroup.outputs.workgroupName,
      workgroupArn: workgroup.outputs.arn,
      database,
      adminUser: namespace.inputs.adminUsername,
      adminSecretArn: reader.plainOutputs(namespace).adminPasswordSecretArn,
      adminSecretKmsKeyArn: namespace.inputs.adminPasswordSecretKmsKeyId,
      setup,
    };
  }
  if (!cluster)
    throw new Error("the config declares a warehouse, the synthesis neither workgroup nor cluster");
  return {
    clusterIdentifier: cluster.outputs.clusterIdentifier,
    clusterArn: cluster.outputs.arn,
    database,
    adminUser: cluster.inputs.masterUsername,
    adminSecretArn: reader.plainOutputs(cluster).masterPasswordSecretArn,
    adminSecretKmsKeyArn: cluster.inputs.masterPasswordSecretKmsKeyId,
    setup,
  };
}

/** The first value of `key` anywhere in a JSON document. */
function findKey(document: unknown, key: string): unknown {
  if (Array.isArray(document)) {
    for (const item of document) {
      const found = findKey(item, key);
      if (found !== undefined) return found;
    }
  } else if (document && typeof document === "object") {
    const record = document as Record<string, unknown>;
    if (key in record) return record[key];
    for (const value of Object.values(record)) {
      const found = findKey(value, key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Queries over the recorded resources by component, parent and property dependency. */
class SynthesisReader {
  private readonly children = new Map<string, RecordedResource[]>();

  constructor(private readonly synthesized: Synthesized) {
    for (const resource of synthesized.resources) {
      if (!resource.parent) continue;
      const list = this.children.get(resource.parent) ?? [];
      list.push(resource);
      this.children.set(resource.parent, list);
    }
  }

  ofType(type: string): RecordedResource[] {
    return this.synthesized.ofType(type);
  }

  only(type: string, match: (resource: RecordedResource) => boolean): RecordedResource {
    const found = this.ofType(type).filter(match);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
  }

  json(resource: RecordedResource, input: string): any {
    return this.synthesized.json(resource, input);
  }

  /** A resource's outputs; those with a secret among them come back wrapped as one secret. */
  plainOutputs(resource: RecordedResource): Record<string, any> {
    const outputs = resource.outputs;
    return outputs.value && typeof outputs.value === "object" ? outputs.value : outputs;
  }

  /** The component of a type with this logical name, if declared. */
  component(type: string, name: string): RecordedResource | undefined {
    return this.ofType(type).find((resource) => resource.name === name);
  }

  childrenOf(parent: RecordedResource, type: string): RecordedResource[] {
    return (this.children.get(parent.urn) ?? []).filter((resource) => resource.type === type);
  }

  childOf(parent: RecordedResource, type: string): RecordedResource {
    const found = this.childrenOf(parent, type);
    if (found.length !== 1)
      throw new Error(`${parent.name}: expected one ${type} child, found ${found.length}`);
    return found[0];
  }

  descendants(parent: RecordedResource): RecordedResource[] {
    return (this.children.get(parent.urn) ?? []).flatMap((child) => [child, ...this.descendants(child)]);
  }

  /** Whether `resource`'s input `property` came from `source` (exact, whatever the mocked names). */
  dependsOn(resource: RecordedResource, property: string, source: RecordedResource): boolean {
    return (resource.propertyDependencies[property] ?? []).includes(source.urn);
  }

  /** The pipeline or crawler whose top-level component (named `<prefix>-<name>`) holds the resource. */
  owner(
    resource: RecordedResource,
    owners: { kind: "pipeline" | "crawler"; name: string }[],
    nameOf: (name: string) => string,
  ): RoleOwner {
    for (let parent = this.synthesized.byUrn(resource.parent); parent;) {
      // Crawlers are declared by one component type; everything else named after a pipeline is its.
      const kind = parent.type === "bdp:glue:Crawler" ? "crawler" : "pipeline";
      const owner = owners.find(
        (candidate) => candidate.kind === kind && nameOf(candidate.name) === parent!.name,
      );
      if (owner) return owner;
      parent = this.synthesized.byUrn(parent.parent);
    }
    return { kind: "environment" };
  }
}
