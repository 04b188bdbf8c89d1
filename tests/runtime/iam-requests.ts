/**
 * The concrete AWS requests each role of a stack makes at run time, and requests just outside its
 * scope that it must never be allowed, generated from the stack's facts (config + synthesized
 * resources, see stack-facts.ts) so every pipeline, crawler or engine added later gets both lists.
 *
 * Allowed lists follow what the jobs really do: Spark on Glue and EMR reads and writes folders
 * through a Hadoop file system (the bare folder key and `<folder>_$folder$` marker too:
 * https://repost.aws/knowledge-center/emr-s3-empty-files); S3 calls KMS for SSE-KMS objects on the
 * caller's behalf with `kms:ViaService` = `s3.<region>.amazonaws.com` and, with S3 Bucket Keys,
 * the bucket ARN as encryption context
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-bucket-key.html); Batch
 * authorizes SubmitJob against the queue and the job definition revision
 * (https://docs.aws.amazon.com/batch/latest/userguide/iam-example-restrict-job-submission.html).
 * The warehouse's requests (its setup machine, the loads) are modelled in warehouse-requests.ts.
 * Pure: no Pulumi, no simulator.
 */
import { folderKey, FOLDER_MARKER_SUFFIX } from "../../components/shared/s3-folder";
import { EMR_MANAGED_POLICY_TAG } from "../../decisions/emr";
import { lastFolder, locationPath } from "../../decisions/locations";
import { DataLocation, DataZone, DATA_ZONES, PipelineDefinition } from "../../decisions/pipeline";
import { WAREHOUSE_SETUP } from "../../infra/warehouse-load";
import { BUCKET_PURPOSES, BucketPurpose, RoleFact, serviceArn, StackFacts } from "./stack-facts";
import { executionArnOf, WarehouseRequests } from "./warehouse-requests";

export interface IamRequest {
  action: string;
  resource: string;
  /** Request context keys; the harness adds the caller's (aws:SecureTransport, aws:userid, ...). */
  context?: Record<string, string | string[]>;
  /** Why the role makes the request, or why it must not be able to. */
  reason: string;
}

export interface RoleRequests {
  role: RoleFact;
  /** What the role is, e.g. "glueJob" (see ROLE_KINDS). */
  kind: RoleKind;
  allowed: IamRequest[];
  denied: IamRequest[];
}

/** A folder of the lake: a bucket and a key prefix ending in "/". */
export interface Place {
  bucket: BucketPurpose;
  prefix: string;
}

/** What a role may touch in S3, by folder: the base of its deny probes. */
interface S3Scope {
  reads: Place[];
  writes: Place[];
}

/** A name for a data object inside a folder. */
const DATA_FILE = "part-00000.snappy.parquet";
/** A key that is surely nobody's: probes of keys other than the lake key use it. */
const FOREIGN_KEY_ID = "00000000-1111-2222-3333-444444444444";

export type RoleKind =
  | "glueJob"
  | "glueCrawler"
  | "emrInstance"
  | "emrService"
  | "emrServerlessJob"
  | "batchJob"
  | "batchExecution"
  | "scheduleTrigger"
  | "uploadTrigger"
  | "stateMachine"
  | "warehouseSetup"
  | "warehouse"
  | "warehouseScheduler"
  | "lakeFormationLocations";

/** The kind of each role, by the type of the component that declares it. */
const ROLE_KINDS: Record<string, (role: RoleFact) => RoleKind> = {
  "bdp:glue:EtlJob": () => "glueJob",
  "bdp:glue:Crawler": () => "glueCrawler",
  "bdp:emr:ClusterRoles": (role) => (role.name.endsWith("-service") ? "emrService" : "emrInstance"),
  "bdp:emr:ServerlessApplication": () => "emrServerlessJob",
  "bdp:batch:JobDefinition": (role) => (role.name.endsWith("-execution") ? "batchExecution" : "batchJob"),
  "bdp:triggers:ScheduleTrigger": () => "scheduleTrigger",
  "bdp:triggers:S3UploadTrigger": () => "uploadTrigger",
  // The environment's warehouse setup is a state machine too; its role carries its component tag.
  "bdp:orchestration:PipelineStateMachine": (role) =>
    role.tags.component === WAREHOUSE_SETUP ? "warehouseSetup" : "stateMachine",
  // The warehouse's own role (Spectrum, COPY) and the role the Redshift scheduler assumes.
  "bdp:warehouse:Warehouse": (role) =>
    role.name.endsWith("-scheduler") ? "warehouseScheduler" : "warehouse",
  "bdp:catalog:CentralCatalog": () => "lakeFormationLocations",
};

/** The kind of a role, from the component that declares it; unknown components are an error. */
export function roleKind(role: RoleFact): RoleKind {
  const kind = ROLE_KINDS[role.component];
  if (!kind) {
    throw new Error(
      `role ${role.name} of component ${role.component || "(none)"} has no run-time request model: add one to tests/runtime/iam-requests.ts`,
    );
  }
  return kind(role);
}

/** Both request lists for every role the stack declares. */
export function roleRequests(facts: StackFacts): RoleRequests[] {
  const generator = new RequestGenerator(facts);
  return facts.roles.map((role) => generator.forRole(role));
}

/** The folder of a config location (undefined only for a database the catalog lacks). */
export function placeOf(location: DataLocation, facts: Pick<StackFacts, "layout">): Place {
  const path = locationPath(location, facts.layout);
  if (!path) throw new Error(`no such data location: ${JSON.stringify(location)}`);
  return { bucket: path.zone, prefix: path.prefix };
}

/** Whether a key (or folder) lies inside one of the places of a bucket. */
export function within(bucket: BucketPurpose, key: string, places: readonly Place[]): boolean {
  return places.some((place) => place.bucket === bucket && key.startsWith(place.prefix));
}

/**
 * Every folder the stack knows of: the pipelines' sources and targets and warehouse loads, the
 * crawlers' targets, each database's folder, each upload trigger's prefix and each job's code and
 * temporary folders. The deny probes of a role are the ones outside its own scope.
 */
export function knownPlaces(facts: StackFacts): Place[] {
  const places: Place[] = [];
  const add = (place: Place) => {
    if (!places.some((known) => known.bucket === place.bucket && known.prefix === place.prefix))
      places.push(place);
  };
  for (const pipeline of facts.pipelines) {
    add(placeOf(pipeline.source, facts));
    add(placeOf(pipeline.target, facts));
    for (const step of pipeline.steps ?? []) if (step.type === "redshiftLoad") add(placeOf(step.from, facts));
    if (pipeline.trigger.type === "s3Upload") add({ bucket: "raw", prefix: pipeline.trigger.prefix });
  }
  for (const crawler of facts.crawlerConfigs)
    for (const target of crawler.s3Targets) add(placeOf(target, facts));
  for (const database of facts.databases) add({ bucket: database.zone, prefix: `${database.glueName}/` });
  for (const job of facts.glueJobs.values()) add({ bucket: "artifacts", prefix: job.tempPrefix });
  for (const key of allCodeKeys(facts))
    add({ bucket: "artifacts", prefix: key.slice(0, key.lastIndexOf("/") + 1) });
  return places;
}

function allCodeKeys(facts: StackFacts): string[] {
  return [
    ...[...facts.glueJobs.values()].flatMap((job) => job.codeKeys),
    ...[...facts.emrServerless.values()].flatMap((application) => application.codeKeys),
    ...[...facts.emrClusters.values()].flatMap((cluster) => cluster.codeKeys),
  ];
}

class RequestGenerator {
  constructor(private readonly facts: StackFacts) {}

  forRole(role: RoleFact): RoleRequests {
    const kind = roleKind(role);
    const builders: Record<RoleKind, () => { allowed: IamRequest[]; denied: IamRequest[] }> = {
      glueJob: () => this.glueJob(role),
      glueCrawler: () => this.glueCrawler(role),
      emrInstance: () => this.emrInstance(role),
      emrService: () => this.emrService(role),
      emrServerlessJob: () => this.emrServerlessJob(role),
      batchJob: () => this.batchJob(role),
      batchExecution: () => this.batchExecution(role),
      scheduleTrigger: () => this.trigger(role),
      uploadTrigger: () => this.trigger(role),
      stateMachine: () => this.stateMachine(role),
      warehouseSetup: () => this.warehouseSetup(),
      warehouse: () => this.warehouse(),
      warehouseScheduler: () => this.warehouseScheduler(),
      lakeFormationLocations: () => this.lakeFormationLocations(),
    };
    const { allowed, denied } = builders[kind]();
    return { role, kind, allowed, denied };
  }

  // ---- shared facts -------------------------------------------------------------------------

  private pipeline(role: RoleFact): PipelineDefinition {
    const owner = role.owner;
    const pipeline = owner.kind === "pipeline" && this.facts.pipelines.find((p) => p.name === owner.name);
    if (!pipeline) throw new Error(`role ${role.name} belongs to no pipeline`);
    return pipeline;
  }

  private bucketArn(bucket: BucketPurpose): string {
    return this.facts.buckets[bucket].arn;
  }

  private objectArn(bucket: BucketPurpose, key: string): string {
    return `${this.bucketArn(bucket)}/${key}`;
  }

  private arn(service: string, resource: string): string {
    return serviceArn(this.facts, service, resource);
  }

  /** The warehouse's requests (built on first use: only stacks with a warehouse have them). */
  private get warehouseRequests(): WarehouseRequests {
    this.warehouseModel ??= new WarehouseRequests(this.facts);
    return this.warehouseModel;
  }

  private warehouseModel?: WarehouseRequests;

  /** A KMS call on the lake key that S3 makes for the caller (SSE-KMS with a bucket key). */
  private keyViaS3(action: "Decrypt" | "GenerateDataKey", bucket: BucketPurpose): IamRequest {
    return {
      action: `kms:${action}`,
      resource: this.facts.lakeKey.arn,
      context: {
        "kms:ViaService": `s3.${this.facts.region}.amazonaws.com`,
        "kms:CallerAccount": this.facts.accountId,
        "kms:EncryptionContext:aws:s3:arn": this.bucketArn(bucket),
      },
      reason: `S3 ${action === "Decrypt" ? "decrypts" : "encrypts"} ${bucket} objects with the lake key`,
    };
  }

  /** A KMS call on the lake key that Glue makes for the caller (the encrypted Data Catalog). */
  private keyViaGlue(action: "Decrypt" | "GenerateDataKey"): IamRequest {
    return {
      action: `kms:${action}`,
      resource: this.facts.lakeKey.arn,
      context: {
        "kms:ViaService": `glue.${this.facts.region}.amazonaws.com`,
        "kms:CallerAccount": this.facts.accountId,
      },
      reason: "the Data Catalog is encrypted with the lake key",
    };
  }

  /** Listing and reading a folder; through a Hadoop file system also its bare key and marker. */
  private folderReads(place: Place, hadoop: boolean): IamRequest[] {
    const bucket = this.bucketArn(place.bucket);
    const key = folderKey(place.prefix);
    const where = `${place.bucket}:${place.prefix}`;
    return [
      { action: "s3:GetBucketLocation", resource: bucket, reason: `locate the bucket of ${where}` },
      {
        action: "s3:ListBucket",
        resource: bucket,
        context: { "s3:prefix": place.prefix },
        reason: `list ${where}`,
      },
      {
        action: "s3:GetObject",
        resource: this.objectArn(place.bucket, `${place.prefix}${DATA_FILE}`),
        reason: `read ${where}`,
      },
      ...(hadoop
        ? [
            {
              action: "s3:ListBucket",
              resource: bucket,
              context: { "s3:prefix": key },
              reason: `probe the folder ${key}`,
            },
            {
              action: "s3:GetObject",
              resource: this.objectArn(place.bucket, key),
              reason: `probe the bare key ${key}`,
            },
            {
              action: "s3:GetObject",
              resource: this.objectArn(place.bucket, `${key}${FOLDER_MARKER_SUFFIX}`),
              reason: `read the folder marker of ${key}`,
            },
          ]
        : []),
      this.keyViaS3("Decrypt", place.bucket),
    ];
  }

  /** Writing a folder: data files, temporary files deleted on commit, and the folder marker. */
  private folderWrites(place: Place, hadoop: boolean): IamRequest[] {
    const key = folderKey(place.prefix);
    const where = `${place.bucket}:${place.prefix}`;
    const marker = this.objectArn(place.bucket, `${key}${FOLDER_MARKER_SUFFIX}`);
    const temporary = this.objectArn(place.bucket, `${place.prefix}_temporary/0/${DATA_FILE}`);
    return [
      {
        action: "s3:PutObject",
        resource: this.objectArn(place.bucket, `${place.prefix}${DATA_FILE}`),
        reason: `write ${where}`,
      },
      ...(hadoop
        ? [
            { action: "s3:PutObject", resource: temporary, reason: `stage a task's output in ${where}` },
            { action: "s3:DeleteObject", resource: temporary, reason: `commit a task's output in ${where}` },
            { action: "s3:PutObject", resource: marker, reason: `create the folder marker of ${key}` },
            { action: "s3:DeleteObject", resource: marker, reason: `remove the folder marker of ${key}` },
          ]
        : []),
      this.keyViaS3("GenerateDataKey", place.bucket),
    ];
  }

  private codeReads(keys: string[]): IamRequest[] {
    return keys.map((key) => ({
      action: "s3:GetObject",
      resource: this.objectArn("artifacts", key),
      reason: `fetch the job code ${key}`,
    }));
  }

  private glueDatabase(logicalName: string) {
    const database = this.facts.databases.find((candidate) => candidate.logicalName === logicalName);
    if (!database) throw new Error(`no catalog database ${logicalName}`);
    return database;
  }

  /** Glue Data Catalog calls on a table, evaluated against the catalog, database and table ARNs. */
  private tableRequests(actions: string[], database: string, table: string, reason: string): IamRequest[] {
    const glueName = this.glueDatabase(database).glueName;
    const resources = [
      this.arn("glue", "catalog"),
      this.arn("glue", `database/${glueName}`),
      this.arn("glue", `table/${glueName}/${table}`),
    ];
    return actions.flatMap((action) =>
      resources.map((resource) => ({ action, resource, reason: `${reason} ${glueName}.${table}` })),
    );
  }

  private catalogReads(location: DataLocation): IamRequest[] {
    if (location.database === undefined || location.table === undefined) return [];
    return [
      ...this.tableRequests(
        ["glue:GetTable", "glue:GetPartitions"],
        location.database,
        location.table,
        "read the table",
      ),
      this.keyViaGlue("Decrypt"),
    ];
  }

  private catalogWrites(location: DataLocation): IamRequest[] {
    if (location.database === undefined || location.table === undefined) return [];
    return [
      ...this.tableRequests(
        ["glue:GetTable", "glue:CreateTable", "glue:UpdateTable", "glue:BatchCreatePartition"],
        location.database,
        location.table,
        "register what it writes in",
      ),
      this.keyViaGlue("GenerateDataKey"),
    ];
  }

  /** Spark's Hive client looks up the `default` database when its catalog starts. */
  private sparkDefaultDatabase(): IamRequest[] {
    return ["catalog", "database/default"].map((resource) => ({
      action: "glue:GetDatabase",
      resource: this.arn("glue", resource),
      reason: "Spark looks up the default database",
    }));
  }

  /** Glue creates its log group (tolerating "already exists") and associates the key first. */
  private glueLogGroups(groupArns: string[]): IamRequest[] {
    return groupArns.flatMap((group) =>
      ["logs:CreateLogGroup", "logs:AssociateKmsKey"].map((action) => ({
        action,
        resource: group,
        reason: `prepare the encrypted log group ${group}`,
      })),
    );
  }

  private logWrites(groupArns: string[], stream = "run-0001"): IamRequest[] {
    return groupArns.flatMap((group) => [
      {
        action: "logs:CreateLogStream",
        resource: `${group}:log-stream:${stream}`,
        reason: `open a stream in ${group}`,
      },
      { action: "logs:PutLogEvents", resource: `${group}:log-stream:${stream}`, reason: `write to ${group}` },
    ]);
  }

  // ---- deny probes ----------------------------------------------------------------------------

  /**
   * Requests just outside a data role's S3 scope: other folders the stack knows, the same folders
   * in other zones, siblings sharing a name's start, writes to read-only folders, reads of
   * write-only folders, the lake buckets themselves (deletion, policy), keys other than the lake
   * key, and plain HTTP (the bucket policies' TLS-only Deny).
   */
  private s3Probes(scope: S3Scope, hadoop: boolean): IamRequest[] {
    const probes: IamRequest[] = [];
    const reach = [...scope.reads, ...scope.writes];
    const readable = hadoop ? reach : scope.reads;
    const object = (bucket: BucketPurpose, key: string) => this.objectArn(bucket, key);
    for (const place of knownPlaces(this.facts)) {
      if (within(place.bucket, place.prefix, reach)) continue;
      const key = `${place.prefix}${DATA_FILE}`;
      probes.push({
        action: "s3:GetObject",
        resource: object(place.bucket, key),
        reason: `another folder (${place.bucket}:${place.prefix})`,
      });
      probes.push({
        action: "s3:PutObject",
        resource: object(place.bucket, key),
        reason: `another folder (${place.bucket}:${place.prefix})`,
      });
    }
    for (const place of reach) {
      for (const zone of DATA_ZONES.filter((candidate) => candidate !== place.bucket)) {
        if (within(zone, place.prefix, reach)) continue;
        probes.push({
          action: "s3:GetObject",
          resource: object(zone, `${place.prefix}${DATA_FILE}`),
          reason: `the same folder in another zone (${zone})`,
        });
      }
      const sibling = `${folderKey(place.prefix)}_old/${DATA_FILE}`;
      if (place.prefix !== "" && !within(place.bucket, sibling, reach)) {
        probes.push({
          action: "s3:GetObject",
          resource: object(place.bucket, sibling),
          reason: "a sibling folder sharing the name's start",
        });
      }
    }
    for (const place of scope.reads.filter((read) => !within(read.bucket, read.prefix, scope.writes))) {
      const key = folderKey(place.prefix);
      for (const action of ["s3:PutObject", "s3:DeleteObject"]) {
        probes.push({
          action,
          resource: object(place.bucket, `${place.prefix}${DATA_FILE}`),
          reason: "a folder it only reads",
        });
      }
      probes.push({
        action: "s3:PutObject",
        resource: object(place.bucket, `${key}${FOLDER_MARKER_SUFFIX}`),
        reason: "the marker of a folder it only reads",
      });
    }
    for (const place of scope.writes.filter((write) => !within(write.bucket, write.prefix, readable))) {
      probes.push({
        action: "s3:GetObject",
        resource: object(place.bucket, `${place.prefix}${DATA_FILE}`),
        reason: "a folder it only writes",
      });
    }
    for (const bucket of BUCKET_PURPOSES) {
      probes.push({
        action: "s3:DeleteBucket",
        resource: this.bucketArn(bucket),
        reason: "deleting a lake bucket",
      });
      probes.push({
        action: "s3:PutBucketPolicy",
        resource: this.bucketArn(bucket),
        reason: "replacing a bucket policy",
      });
    }
    const first = reach[0];
    if (first) {
      probes.push({
        action: "s3:GetObject",
        resource: object(first.bucket, `${first.prefix}${DATA_FILE}`),
        context: { "aws:SecureTransport": "false" },
        reason: "plain HTTP (the bucket policy denies it)",
      });
    }
    probes.push(...this.foreignKeyProbes());
    return probes;
  }

  private foreignKeyProbes(): IamRequest[] {
    const key = this.arn("kms", `key/${FOREIGN_KEY_ID}`);
    return ["kms:Decrypt", "kms:GenerateDataKey"].map((action) => ({
      action,
      resource: key,
      reason: "a key other than the lake key",
    }));
  }

  /** Catalog calls on databases the role does not use, and writes to those it only reads. */
  private catalogProbes(read: string[], written: string[]): IamRequest[] {
    const probes: IamRequest[] = [];
    for (const database of this.facts.databases) {
      const table = this.arn("glue", `table/${database.glueName}/probe_table`);
      if (!read.includes(database.logicalName) && !written.includes(database.logicalName)) {
        probes.push({
          action: "glue:GetTable",
          resource: table,
          reason: `another database (${database.glueName})`,
        });
      }
      if (!written.includes(database.logicalName)) {
        probes.push({
          action: "glue:CreateTable",
          resource: table,
          reason: `a database it does not write (${database.glueName})`,
        });
      }
      probes.push({
        action: "glue:DeleteDatabase",
        resource: this.arn("glue", `database/${database.glueName}`),
        reason: "deleting a database",
      });
    }
    return probes;
  }

  /** Log groups other than the role's own. */
  private logProbes(own: string[]): IamRequest[] {
    return this.facts.logGroupArns
      .filter((group) => !own.includes(group))
      .map((group) => ({
        action: "logs:PutLogEvents",
        resource: `${group}:log-stream:run-0001`,
        reason: `another log group (${group})`,
      }));
  }

  // ---- data roles -----------------------------------------------------------------------------

  private glueJob(role: RoleFact) {
    const pipeline = this.pipeline(role);
    const job = this.facts.glueJobs.get(pipeline.name)!;
    const source = placeOf(pipeline.source, this.facts);
    const target = placeOf(pipeline.target, this.facts);
    const temp: Place = { bucket: "artifacts", prefix: job.tempPrefix };
    const allowed = [
      ...this.codeReads(job.codeKeys),
      ...this.folderReads(source, true),
      ...this.folderReads(target, true),
      ...this.folderWrites(target, true),
      ...this.folderReads(temp, true),
      ...this.folderWrites(temp, true),
      ...this.catalogReads(pipeline.source),
      ...this.catalogWrites(pipeline.target),
      ...this.sparkDefaultDatabase(),
      ...this.glueLogGroups(job.logGroupArns),
      ...this.logWrites(job.logGroupArns),
      // Job bookmarks are encrypted client-side (CSE-KMS) by the job itself.
      ...(settingsOf(pipeline).incremental === true
        ? (["GenerateDataKey", "Decrypt"] as const).map((action) => ({
            action: `kms:${action}`,
            resource: this.facts.lakeKey.arn,
            reason: "encrypt and read the job bookmark",
          }))
        : []),
      {
        action: "cloudwatch:PutMetricData",
        resource: "*",
        context: { "cloudwatch:namespace": "Glue" },
        reason: "publish the job's metrics",
      },
      {
        action: "glue:GetSecurityConfiguration",
        resource: "*",
        reason: "read the job's security configuration",
      },
    ];
    const databases = databasesOf([pipeline.source, pipeline.target]);
    const denied = [
      ...this.s3Probes({ reads: [source], writes: [target, temp] }, true),
      ...this.catalogProbes(databases, databasesOf([pipeline.target])),
      ...this.logProbes(job.logGroupArns),
      {
        action: "cloudwatch:PutMetricData",
        resource: "*",
        context: { "cloudwatch:namespace": "AWS/EC2" },
        reason: "metrics outside the Glue namespace",
      },
    ];
    return { allowed, denied };
  }

  private glueCrawler(role: RoleFact) {
    const owner = role.owner;
    const crawler = owner.kind === "crawler" ? this.facts.crawlers.get(owner.name) : undefined;
    if (!crawler) throw new Error(`role ${role.name} belongs to no crawler`);
    const targets = crawler.s3Targets.map((target) => placeOf(target, this.facts));
    const allowed = [
      ...targets.flatMap((target) => this.folderReads(target, false)),
      ...targets.flatMap((target) =>
        this.tableRequests(
          ["glue:GetTable", "glue:CreateTable", "glue:UpdateTable", "glue:BatchCreatePartition"],
          crawler.database,
          lastFolder(target.prefix),
          "keep up to date",
        ),
      ),
      ...["catalog", `database/${this.glueDatabase(crawler.database).glueName}`].map((resource) => ({
        action: "glue:GetDatabase",
        resource: this.arn("glue", resource),
        reason: "look up its database",
      })),
      this.keyViaGlue("GenerateDataKey"),
      ...this.glueLogGroups([crawler.logGroupArn]),
      ...this.logWrites([crawler.logGroupArn]),
      {
        action: "glue:GetSecurityConfiguration",
        resource: "*",
        reason: "read the crawler's security configuration",
      },
    ];
    const glueName = this.glueDatabase(crawler.database).glueName;
    const denied = [
      ...this.s3Probes({ reads: targets, writes: [] }, false),
      ...this.catalogProbes([], [crawler.database]),
      {
        action: "glue:DeleteTable",
        resource: this.arn("glue", `table/${glueName}/${lastFolder(targets[0]?.prefix ?? "x/")}`),
        reason: "crawlers deprecate vanished tables, never delete them",
      },
      ...this.logProbes([crawler.logGroupArn]),
    ];
    return { allowed, denied };
  }

  /** What Spark on EMR (cluster nodes or a serverless job) does with the pipeline's data. */
  private sparkData(pipeline: PipelineDefinition, codeKeys: string[]) {
    const source = placeOf(pipeline.source, this.facts);
    const target = placeOf(pipeline.target, this.facts);
    const allowed = [
      ...this.codeReads(codeKeys),
      ...this.folderReads(source, true),
      ...this.folderReads(target, true),
      ...this.folderWrites(target, true),
      {
        action: "s3:AbortMultipartUpload",
        resource: this.objectArn(target.bucket, `${target.prefix}${DATA_FILE}`),
        reason: "abort a failed task's upload",
      },
      ...this.catalogReads(pipeline.source),
      ...this.catalogWrites(pipeline.target),
      ...this.sparkDefaultDatabase(),
    ];
    // The role reads the folder its code was uploaded to.
    const code = [...new Set(codeKeys.map((key) => key.slice(0, key.lastIndexOf("/") + 1)))].map(
      (prefix): Place => ({ bucket: "artifacts", prefix }),
    );
    const denied = [
      ...this.s3Probes({ reads: [source, ...code], writes: [target] }, true),
      ...this.catalogProbes(databasesOf([pipeline.source]), databasesOf([pipeline.target])),
    ];
    return { allowed, denied };
  }

  /** Logs a job pushes to the logs bucket under its prefix (encrypted with the lake key). */
  private logPushes(prefix: string): IamRequest[] {
    return [
      {
        action: "s3:PutObject",
        resource: this.objectArn("logs", `${prefix}node/stderr.gz`),
        reason: `push logs under ${prefix}`,
      },
      this.keyViaS3("GenerateDataKey", "logs"),
    ];
  }

  private emrInstance(role: RoleFact) {
    const pipeline = this.pipeline(role);
    const cluster = this.facts.emrClusters.get(pipeline.name)!;
    const data = this.sparkData(pipeline, cluster.codeKeys);
    const allowed = [
      ...data.allowed,
      ...this.logPushes(cluster.logPrefix),
      // Local disks are encrypted by the nodes themselves (LUKS with an AwsKms key provider).
      {
        action: "kms:GenerateDataKey",
        resource: this.facts.lakeKey.arn,
        reason: "encrypt the nodes' local disks",
      },
    ];
    const denied = [
      ...data.denied,
      {
        action: "s3:PutObject",
        resource: this.objectArn("logs", `emr/another-cluster/node/stderr.gz`),
        reason: "another cluster's log prefix",
      },
    ];
    return { allowed, denied };
  }

  private emrService(role: RoleFact) {
    const pipeline = this.pipeline(role);
    const cluster = this.facts.emrClusters.get(pipeline.name)!;
    const key = this.facts.lakeKey.arn;
    const tagged = { [`aws:ResourceTag/${EMR_MANAGED_POLICY_TAG.key}`]: EMR_MANAGED_POLICY_TAG.value };
    const allowed: IamRequest[] = [
      passRole(cluster.instanceRoleArn, "ec2.amazonaws.com", "give the nodes the instance role"),
      {
        action: "kms:GenerateDataKeyWithoutPlaintext",
        resource: key,
        reason: "create encrypted EBS volumes",
      },
      { action: "kms:Decrypt", resource: key, reason: "attach encrypted EBS volumes" },
      {
        action: "kms:CreateGrant",
        resource: key,
        context: { "kms:GrantIsForAWSResource": "true" },
        reason: "let EC2 use the key for the volumes",
      },
      {
        action: "ec2:RunInstances",
        resource: this.arn("ec2", "subnet/subnet-0a1b2c3d4e5f60001"),
        context: tagged,
        reason: "launch nodes into a tagged private subnet",
      },
      {
        action: "ec2:RunInstances",
        resource: this.arn("ec2", "security-group/sg-emr-primary"),
        context: tagged,
        reason: "launch nodes with the tagged EMR security groups",
      },
    ];
    const otherInstanceRoles = [...this.facts.emrClusters.entries()]
      .filter(([name]) => name !== pipeline.name)
      .map(([, other]) => other.instanceRoleArn);
    const denied: IamRequest[] = [
      ...otherInstanceRoles.map((arn) =>
        passRole(arn, "ec2.amazonaws.com", "another pipeline's instance role"),
      ),
      passRole(cluster.instanceRoleArn, "lambda.amazonaws.com", "the instance role to another service"),
      {
        action: "kms:CreateGrant",
        resource: key,
        context: { "kms:GrantIsForAWSResource": "false" },
        reason: "a key grant for anything but an AWS resource",
      },
      {
        action: "ec2:RunInstances",
        resource: this.arn("ec2", "subnet/subnet-untagged"),
        context: { [`aws:ResourceTag/${EMR_MANAGED_POLICY_TAG.key}`]: "false" },
        reason: "a subnet not tagged for EMR",
      },
      ...this.foreignKeyProbes(),
      {
        action: "s3:GetObject",
        resource: this.objectArn("raw", `${placeOf(pipeline.source, this.facts).prefix}${DATA_FILE}`),
        reason: "the service role never reads data",
      },
    ];
    return { allowed, denied };
  }

  private emrServerlessJob(role: RoleFact) {
    const pipeline = this.pipeline(role);
    const application = this.facts.emrServerless.get(pipeline.name)!;
    const data = this.sparkData(pipeline, application.codeKeys);
    const allowed = [
      ...data.allowed,
      ...this.logPushes(application.logPrefix),
      // Logs in S3 and CloudWatch are encrypted with the lake key by the job runtime role.
      { action: "kms:GenerateDataKey", resource: this.facts.lakeKey.arn, reason: "encrypt the job's logs" },
      { action: "logs:DescribeLogGroups", resource: "*", reason: "check its log group exists" },
      {
        action: "logs:DescribeLogStreams",
        resource: `${application.logGroupArn}:log-stream:*`,
        reason: "find its log streams",
      },
      ...this.logWrites([application.logGroupArn]),
    ];
    const denied = [...data.denied, ...this.logProbes([application.logGroupArn])];
    return { allowed, denied };
  }

  private batchJob(role: RoleFact) {
    const pipeline = this.pipeline(role);
    const source = placeOf(pipeline.source, this.facts);
    const target = placeOf(pipeline.target, this.facts);
    const allowed: IamRequest[] = [
      // One run lists a day of uploads (ListObjectsV2 with the source prefix) or reads one upload.
      {
        action: "s3:ListBucket",
        resource: this.bucketArn(source.bucket),
        context: { "s3:prefix": source.prefix },
        reason: "list a day of uploads",
      },
      {
        action: "s3:GetObject",
        resource: this.objectArn(source.bucket, `${source.prefix}2024/05/01/store-feed.csv`),
        reason: "read an upload",
      },
      this.keyViaS3("Decrypt", source.bucket),
      {
        action: "s3:PutObject",
        resource: this.objectArn(target.bucket, `${target.prefix}upload_date=2024-05-01/sales_by_store.csv`),
        reason: "write the result",
      },
      this.keyViaS3("GenerateDataKey", target.bucket),
    ];
    const denied = [
      ...this.s3Probes({ reads: [source], writes: [target] }, false),
      { action: "kms:Decrypt", resource: this.facts.lakeKey.arn, reason: "the lake key outside S3" },
      {
        action: "glue:GetTable",
        resource: this.arn("glue", "table/any/any"),
        reason: "the catalog (the job reads files)",
      },
    ];
    return { allowed, denied };
  }

  private batchExecution(role: RoleFact) {
    const pipeline = this.pipeline(role);
    const batch = this.facts.batch.get(pipeline.name)!;
    const pulls = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
    const allowed: IamRequest[] = [
      { action: "ecr:GetAuthorizationToken", resource: "*", reason: "log in to the registry" },
      ...(batch.repositoryArn
        ? pulls.map((action) => ({ action, resource: batch.repositoryArn!, reason: "pull the job image" }))
        : []),
      ...this.logWrites([batch.logGroupArn]),
    ];
    const otherRepositories = [...this.facts.batch.entries()]
      .filter(
        ([name, other]) =>
          name !== pipeline.name && other.repositoryArn && other.repositoryArn !== batch.repositoryArn,
      )
      .map(([, other]) => other.repositoryArn!);
    const denied: IamRequest[] = [
      ...otherRepositories.map((arn) => ({
        action: "ecr:BatchGetImage",
        resource: arn,
        reason: "another pipeline's image",
      })),
      ...this.logProbes([batch.logGroupArn]),
      {
        action: "s3:GetObject",
        resource: this.objectArn("raw", `${placeOf(pipeline.source, this.facts).prefix}${DATA_FILE}`),
        reason: "data (only the job role reads it)",
      },
      {
        action: "kms:Decrypt",
        resource: this.facts.lakeKey.arn,
        reason: "the lake key (only the job role uses it)",
      },
    ];
    return { allowed, denied };
  }

  // ---- control roles --------------------------------------------------------------------------

  /** SubmitJob is authorized against the queue and the job definition revision. */
  private submitJob(queueArn: string, jobDefinitionArn: string, reason: string): IamRequest[] {
    return [queueArn, jobDefinitionArn].map((resource) => ({ action: "batch:SubmitJob", resource, reason }));
  }

  /** Starting anything of another pipeline: its Batch job, its state machine, its Glue job. */
  private otherPipelineStarts(pipelines: string[]): IamRequest[] {
    const probes: IamRequest[] = [];
    for (const [name, batch] of this.facts.batch) {
      if (pipelines.includes(name)) continue;
      probes.push(
        ...this.submitJob(batch.queueArn, batch.jobDefinitionArn, `another pipeline's job (${name})`),
      );
    }
    const starts: [string, Map<string, unknown>, (declared: any) => string, string][] = [
      ["states:StartExecution", this.facts.stateMachines, (machine) => machine.arn, "state machine"],
      ["glue:StartJobRun", this.facts.glueJobs, (job) => job.arn, "Glue job"],
      ["emr-serverless:StartJobRun", this.facts.emrServerless, (app) => app.applicationArn, "application"],
    ];
    for (const [action, declared, arnOf, what] of starts) {
      for (const [name, resource] of declared) {
        if (pipelines.includes(name)) continue;
        probes.push({ action, resource: arnOf(resource), reason: `another pipeline's ${what} (${name})` });
      }
    }
    return probes;
  }

  private trigger(role: RoleFact) {
    const pipeline = this.pipeline(role);
    const trigger = this.facts.triggers.get(pipeline.name)!;
    const allowed: IamRequest[] = [];
    if (trigger.target.kind === "batch") {
      const batch = this.facts.batch.get(pipeline.name)!;
      allowed.push(
        ...this.submitJob(trigger.target.queueArn, batch.jobDefinitionArn, "submit the pipeline's job"),
      );
    } else {
      allowed.push({
        action: "states:StartExecution",
        resource: trigger.target.arn,
        reason: "start the pipeline's state machine",
      });
    }
    // Scheduler delivers to the dead-letter queue with the schedule's role; EventBridge rules do
    // it as the service, through the queue policy.
    if (trigger.kind === "schedule") {
      allowed.push({
        action: "sqs:SendMessage",
        resource: trigger.deadLetterQueueArn,
        reason: "dead-letter an undeliverable start",
      });
    }
    const denied = [
      ...this.otherPipelineStarts([pipeline.name]),
      ...this.setupStartProbes(),
      ...[...this.facts.triggers.entries()]
        .filter(([name]) => name !== pipeline.name)
        .map(([name, other]) => ({
          action: "sqs:SendMessage",
          resource: other.deadLetterQueueArn,
          reason: `another pipeline's dead-letter queue (${name})`,
        })),
      {
        action: "s3:GetObject",
        resource: this.objectArn("raw", DATA_FILE),
        reason: "data (triggers only start runs)",
      },
    ];
    return { allowed, denied };
  }

  private stateMachine(role: RoleFact) {
    const pipeline = this.pipeline(role);
    const steps = pipeline.steps ?? [{ name: "run", type: "job" as const }];
    const allowed: IamRequest[] = [];
    const passed: string[] = [];
    const started: string[] = [];
    for (const step of steps) {
      if (step.type === "job" || step.type === "pipelineJob") {
        const jobPipeline = step.type === "job" ? pipeline.name : step.pipeline;
        started.push(jobPipeline);
        allowed.push(...this.jobStepRequests(jobPipeline, passed));
      } else if (step.type === "crawler") {
        const crawler = this.facts.crawlers.get(step.crawler)!;
        for (const action of ["glue:StartCrawler", "glue:GetCrawler"]) {
          allowed.push({ action, resource: crawler.arn, reason: `run the crawler ${crawler.name}` });
        }
      } else {
        allowed.push(...this.warehouseRequests.loadStep((rule) => this.managedRule(rule)));
      }
    }
    allowed.push(...this.machineRequests());
    const crawled = steps.flatMap((step) => (step.type === "crawler" ? [step.crawler] : []));
    const loads = steps.some((step) => step.type === "redshiftLoad");
    const denied: IamRequest[] = [
      ...this.otherPipelineStarts(started),
      ...this.otherExecutionProbes(pipeline.name),
      ...(loads ? this.warehouseRequests.loadProbes() : this.setupStartProbes()),
      ...[...this.facts.crawlers.entries()]
        .filter(([name]) => !crawled.includes(name))
        .map(([name, crawler]) => ({
          action: "glue:StartCrawler",
          resource: crawler.arn,
          reason: `a crawler it does not run (${name})`,
        })),
      ...this.facts.roles
        .filter((other) => !passed.includes(other.arn))
        .map((other) =>
          passRole(other.arn, "elasticmapreduce.amazonaws.com", `a role it does not pass (${other.name})`),
        ),
      ...this.otherClusterProbes(pipeline.name),
      ...this.machineProbes(),
    ];
    return { allowed, denied };
  }

  /** What every state machine of the platform does: alert on failure, deliver logs, trace. */
  private machineRequests(): IamRequest[] {
    const alertKey = this.facts.alertKeyArn;
    return [
      { action: "sns:Publish", resource: this.facts.alertTopicArn, reason: "alert on failure" },
      ...(alertKey
        ? [
            {
              action: "kms:GenerateDataKey",
              resource: alertKey,
              context: { "kms:ViaService": `sns.${this.facts.region}.amazonaws.com` },
              reason: "publish to the encrypted alert topic",
            },
          ]
        : []),
      { action: "logs:CreateLogDelivery", resource: "*", reason: "deliver execution logs" },
      { action: "xray:PutTraceSegments", resource: "*", reason: "trace executions" },
    ];
  }

  /** Other topics and the data, which no state machine touches itself. */
  private machineProbes(): IamRequest[] {
    return [
      {
        action: "sns:Publish",
        resource: this.arn("sns", "another-topic"),
        reason: "a topic other than the alert topic",
      },
      {
        action: "s3:GetObject",
        resource: this.objectArn("raw", DATA_FILE),
        reason: "data (a machine only runs jobs and statements)",
      },
    ];
  }

  /** Stopping a run of another pipeline's state machine. */
  private otherExecutionProbes(pipeline?: string): IamRequest[] {
    return [...this.facts.stateMachines.entries()]
      .filter(([name]) => name !== pipeline)
      .map(([name, machine]) => ({
        action: "states:StopExecution",
        resource: executionArnOf(machine.arn),
        reason: `another pipeline's run (${name})`,
      }));
  }

  /** Starting the warehouse setup, for roles that never run it. */
  private setupStartProbes(): IamRequest[] {
    return this.facts.warehouse ? this.warehouseRequests.setupStartProbes() : [];
  }

  /**
   * The warehouse-setup machine: the setup's statements with the admin secret, nothing else of
   * the warehouse, no other machine or job, no data.
   */
  private warehouseSetup() {
    const setup = this.warehouseRequests;
    const allowed = [...setup.setupRequests(), ...this.machineRequests()];
    const denied = [
      ...setup.setupProbes(this.arn("kms", `key/${FOREIGN_KEY_ID}`)),
      ...this.otherPipelineStarts([]),
      ...this.otherExecutionProbes(),
      ...this.machineProbes(),
      { ...this.keyViaS3("Decrypt", "curated"), reason: "the lake key for data (only for the admin secret)" },
      ...this.tableRequests(
        ["glue:GetTable"],
        this.facts.databases[0].logicalName,
        "probe_table",
        "the catalog",
      ),
    ];
    return { allowed, denied };
  }

  /** What a state machine does to run one pipeline's engine job; the roles it passes go to `passed`. */
  private jobStepRequests(jobPipeline: string, passed: string[]): IamRequest[] {
    const glue = this.facts.glueJobs.get(jobPipeline);
    if (glue) {
      return ["glue:StartJobRun", "glue:GetJobRun", "glue:BatchStopJobRun"].map((action) => ({
        action,
        resource: glue.arn,
        reason: `run the Glue job ${glue.name}`,
      }));
    }
    const batch = this.facts.batch.get(jobPipeline);
    if (batch) {
      return [
        ...this.submitJob(batch.queueArn, batch.jobDefinitionArn, "submit the Batch job"),
        ...this.managedRule("StepFunctionsGetEventsForBatchJobsRule"),
        { action: "batch:DescribeJobs", resource: "*", reason: "wait for the Batch job" },
        {
          action: "batch:TerminateJob",
          resource: this.arn("batch", "job/8f3c2a1e-run"),
          reason: "stop the Batch job on timeout",
        },
      ];
    }
    const serverless = this.facts.emrServerless.get(jobPipeline);
    if (serverless) {
      passed.push(serverless.executionRoleArn);
      return [
        {
          action: "emr-serverless:StartJobRun",
          resource: serverless.applicationArn,
          reason: "start a job run",
        },
        ...this.managedRule("StepFunctionsGetEventsForEMRServerlessJobRule"),
        {
          action: "emr-serverless:GetJobRun",
          resource: `${serverless.applicationArn}/jobruns/00run`,
          reason: "wait for the job run",
        },
        passRole(
          serverless.executionRoleArn,
          "emr-serverless.amazonaws.com",
          "give the job run its runtime role",
        ),
      ];
    }
    const cluster = this.facts.emrClusters.get(jobPipeline);
    if (cluster) {
      passed.push(cluster.serviceRoleArn, cluster.instanceRoleArn);
      const tag = { "aws:ResourceTag/pipeline": jobPipeline };
      return [
        {
          action: "elasticmapreduce:RunJobFlow",
          resource: "*",
          context: { "aws:RequestTag/pipeline": jobPipeline, "aws:TagKeys": ["pipeline"] },
          reason: "create the transient cluster, tagged with its pipeline",
        },
        ...this.managedRule("StepFunctionsGetEventForEMRRunJobFlowRule"),
        ...[
          "elasticmapreduce:AddJobFlowSteps",
          "elasticmapreduce:DescribeStep",
          "elasticmapreduce:TerminateJobFlows",
        ].map((action) => ({
          action,
          resource: this.arn("elasticmapreduce", "cluster/j-RUN"),
          context: tag,
          reason: "run the step and terminate the cluster",
        })),
        passRole(cluster.serviceRoleArn, "elasticmapreduce.amazonaws.com", "give EMR its service role"),
        passRole(cluster.instanceRoleArn, "ec2.amazonaws.com", "give the nodes their instance role"),
      ];
    }
    throw new Error(`pipeline ${jobPipeline}: no declared job to run in a state machine`);
  }

  /** The EventBridge rule Step Functions manages to learn that a `.sync` job finished. */
  private managedRule(rule: string): IamRequest[] {
    return ["events:PutRule", "events:PutTargets", "events:DescribeRule"].map((action) => ({
      action,
      resource: this.arn("events", `rule/${rule}`),
      reason: "wait for the run through Step Functions' managed rule",
    }));
  }

  /** Clusters of other pipelines (by tag) stay out of reach of a machine that runs EMR steps. */
  private otherClusterProbes(pipeline: string): IamRequest[] {
    return [
      {
        action: "elasticmapreduce:RunJobFlow",
        resource: "*",
        context: { "aws:RequestTag/pipeline": `not-${pipeline}`, "aws:TagKeys": ["pipeline"] },
        reason: "a cluster tagged for another pipeline",
      },
      {
        action: "elasticmapreduce:TerminateJobFlows",
        resource: this.arn("elasticmapreduce", "cluster/j-OTHER"),
        context: { "aws:ResourceTag/pipeline": `not-${pipeline}` },
        reason: "another pipeline's cluster",
      },
    ];
  }

  // ---- environment roles ----------------------------------------------------------------------

  /** Redshift Spectrum reads what the warehouse loads: the tables named by redshiftLoad steps. */
  private warehouse() {
    const loads = this.facts.pipelines.flatMap((pipeline) =>
      (pipeline.steps ?? []).flatMap((step) => (step.type === "redshiftLoad" ? [step.from] : [])),
    );
    const places = loads.map((from) => placeOf(from, this.facts));
    const allowed = [
      ...places.flatMap((place) => this.folderReads(place, false)),
      ...loads.flatMap((from) => [
        ...this.tableRequests(
          ["glue:GetTable", "glue:GetPartitions"],
          from.database,
          from.table,
          "query through Spectrum",
        ),
        ...["catalog", `database/${this.glueDatabase(from.database).glueName}`].map((resource) => ({
          action: "glue:GetDatabase",
          resource: this.arn("glue", resource),
          reason: "create the external schema",
        })),
      ]),
      ...(loads.length > 0 ? [this.keyViaGlue("Decrypt")] : []),
    ];
    // The role reads the whole curated zone (COPY and Spectrum); its probes start from there.
    const denied = [
      ...this.s3Probes({ reads: [{ bucket: "curated", prefix: "" }, ...places], writes: [] }, false),
      ...["artifacts", "logs"].map((bucket) => ({
        action: "s3:GetObject",
        resource: this.objectArn(bucket as BucketPurpose, DATA_FILE),
        reason: `the ${bucket} bucket`,
      })),
      ...this.facts.databases.map((database) => ({
        action: "glue:CreateTable",
        resource: this.arn("glue", `table/${database.glueName}/probe_table`),
        reason: "catalog writes (Spectrum only reads)",
      })),
    ];
    return { allowed, denied };
  }

  /** The Redshift scheduler pauses and resumes this cluster and does nothing else. */
  private warehouseScheduler() {
    const clusterArn = this.facts.warehouse?.clusterArn;
    if (!clusterArn) throw new Error("a warehouse scheduler role without a provisioned cluster");
    const otherCluster = this.arn("redshift", "cluster:someone-elses-cluster");
    const allowed = ["redshift:PauseCluster", "redshift:ResumeCluster"].map((action) => ({
      action,
      resource: clusterArn,
      reason: "the pause and resume schedule",
    }));
    const denied = [
      ...["redshift:PauseCluster", "redshift:ResumeCluster"].map((action) => ({
        action,
        resource: otherCluster,
        reason: "another cluster",
      })),
      ...["redshift:DeleteCluster", "redshift:ModifyCluster", "redshift:ResizeCluster"].map((action) => ({
        action,
        resource: clusterArn,
        reason: "changes beyond pausing and resuming",
      })),
      {
        action: "s3:GetObject",
        resource: this.objectArn("curated", DATA_FILE),
        reason: "lake data",
      },
    ];
    return { allowed, denied };
  }

  /** Lake Formation reads and writes registered zones for the principals it vends access to. */
  private lakeFormationLocations() {
    const zones = DATA_ZONES.map((zone): Place => ({ bucket: zone as DataZone, prefix: "" }));
    const allowed = zones.flatMap((zone) => [
      {
        action: "s3:ListBucket",
        resource: this.bucketArn(zone.bucket),
        reason: `list the ${zone.bucket} zone`,
      },
      ...["s3:GetObject", "s3:PutObject", "s3:DeleteObject"].map((action) => ({
        action,
        resource: this.objectArn(zone.bucket, `any/${DATA_FILE}`),
        reason: `vend access to the ${zone.bucket} zone`,
      })),
      this.keyViaS3("Decrypt", zone.bucket),
      this.keyViaS3("GenerateDataKey", zone.bucket),
    ]);
    const denied = [
      ...(["artifacts", "logs"] as const).map((bucket) => ({
        action: "s3:GetObject",
        resource: this.objectArn(bucket, DATA_FILE),
        reason: `the ${bucket} bucket (not a registered location)`,
      })),
      ...BUCKET_PURPOSES.map((bucket) => ({
        action: "s3:DeleteBucket",
        resource: this.bucketArn(bucket),
        reason: "deleting a lake bucket",
      })),
      ...this.foreignKeyProbes(),
    ];
    return { allowed, denied };
  }
}

/** iam:PassRole of a role to the service that assumes it. */
function passRole(roleArn: string, service: string, reason: string): IamRequest {
  return { action: "iam:PassRole", resource: roleArn, context: { "iam:PassedToService": service }, reason };
}

/** A pipeline's engine settings block. */
function settingsOf(pipeline: PipelineDefinition): Record<string, unknown> {
  return (pipeline[pipeline.engine] ?? {}) as Record<string, unknown>;
}

/** The catalog databases of some locations (by logical name). */
function databasesOf(locations: DataLocation[]): string[] {
  return [
    ...new Set(locations.flatMap((location) => (location.database !== undefined ? [location.database] : []))),
  ];
}
