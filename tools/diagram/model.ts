/**
 * Derives the architecture graph of a stack from its recorded resources: one node per meaningful
 * resource (IAM, KMS, logs, bucket sub-configurations and other plumbing are left out), grouped
 * by the component area it belongs to, and edges read from the resources' inputs:
 *   - data:    S3 locations in job arguments, container environments, Spark step arguments
 *   - control: schedules, EventBridge targets, Glue workflow triggers, state machine tasks
 *   - catalog: crawler targets and databases, Glue job target databases
 *   - alert:   failure rules' targets, alarms' actions, state machine notifications, budgets,
 *              topic subscriptions
 *   - watch:   what a failure rule's event pattern or an alarm's dimensions observe
 * Nothing here knows a pipeline's name: pipelines are found through the `pipeline` tag.
 */
import type { RecordedResource } from "../synth/mock-run";
import { safeId, wrapLabel, wrapLines } from "./dot";
import { ArchitectureGraph, ArchitectureModel, DiagramNode, NodeKind } from "./graph";
import {
  bucketOfUri,
  collectMatchers,
  dataRefsOfArgs,
  dataRefsOfEnvironment,
  dataRefsOfMap,
  directionOf,
  Json,
  parseJson,
  physicalName,
  str,
  tagsOf,
  taskCall,
  tasksOf,
} from "./inputs";

export type { ArchitectureModel, DiagramEdge, DiagramNode, EdgeKind, NodeKind } from "./graph";

/** Event sources, metric namespaces and the node kinds they can refer to. */
const EVENT_SOURCE_KINDS: Record<string, NodeKind[]> = {
  "aws.glue": ["glue-job", "crawler"],
  "aws.batch": ["batch-queue", "batch-job"],
  "aws.emr": ["emr-cluster"],
  "aws.emr-serverless": ["emr-serverless"],
  "aws.states": ["state-machine"],
  "aws.s3": ["bucket"],
};
const METRIC_NAMESPACE_KINDS: Record<string, NodeKind[]> = {
  Glue: ["glue-job"],
  "AWS/States": ["state-machine"],
  "AWS/Events": ["event-rule", "schedule"],
  "AWS/Batch": ["batch-queue"],
  "AWS/EMRServerless": ["emr-serverless"],
  "AWS/ElasticMapReduce": ["emr-cluster"],
  "AWS/SNS": ["topic"],
};

/** Which cluster a component area's resources go to when nothing more specific applies. */
function groupOfArea(area: string | undefined): string {
  switch (area) {
    case "network":
      return "network";
    case "catalog":
      return "catalog";
    case "warehouse":
      return "warehouse";
    case "monitoring":
      return "monitoring";
    case "cost":
      return "cost";
    case "triggers":
      return "triggers";
    case "orchestration":
      return "orchestration";
    default:
      return "other";
  }
}

class ModelBuilder extends ArchitectureGraph {
  build(): ArchitectureModel {
    const ofType = (pattern: RegExp) => this.resources.filter((resource) => pattern.test(resource.type));
    // Pass 1: nodes.
    ofType(/^awsx:ec2:Vpc$/).forEach((r) => this.vpcNode(r));
    ofType(/^aws:ec2\/vpcEndpoint:VpcEndpoint$/).forEach((r) => this.endpointNode(r));
    ofType(/^aws:ec2\/securityGroup:SecurityGroup$/).forEach((r) => this.securityGroupNode(r));
    ofType(/^aws:s3\/bucket(V2)?:Bucket(V2)?$/).forEach((r) => this.bucketNode(r));
    ofType(/^aws:glue\/catalogDatabase:CatalogDatabase$/).forEach((r) => this.databaseNode(r));
    ofType(/^aws:glue\/crawler:Crawler$/).forEach((r) =>
      this.simpleNode(r, "crawler", "Glue crawler", "catalog"),
    );
    ofType(/^aws:glue\/connection:Connection$/).forEach((r) =>
      this.simpleNode(r, "connection", "Glue JDBC connection", "catalog"),
    );
    ofType(/^aws:glue\/job:Job$/).forEach((r) => this.glueJobNode(r));
    ofType(/^aws:glue\/workflow:Workflow$/).forEach((r) =>
      this.simpleNode(r, "glue-workflow", "Glue workflow", "orchestration"),
    );
    ofType(/^aws:emr\/cluster:Cluster$/).forEach((r) => this.emrClusterNode(r));
    ofType(/^aws:emrserverless\/application:Application$/).forEach((r) => this.serverlessNode(r));
    ofType(/^aws:batch\/jobQueue:JobQueue$/).forEach((r) => this.queueNode(r));
    ofType(/^aws:batch\/jobDefinition:JobDefinition$/).forEach((r) => this.jobDefinitionNode(r));
    ofType(/^aws:ecr\/repository:Repository$/).forEach((r) => this.repositoryNode(r));
    ofType(/^aws:sfn\/stateMachine:StateMachine$/).forEach((r) =>
      this.simpleNode(r, "state-machine", "Step Functions state machine", "orchestration"),
    );
    ofType(/^aws:scheduler\/schedule:Schedule$/).forEach((r) => this.scheduleNode(r));
    ofType(/^aws:cloudwatch\/eventRule:EventRule$/).forEach((r) => this.ruleNode(r));
    ofType(/^aws:redshiftserverless\/workgroup:Workgroup$/).forEach((r) => this.workgroupNode(r));
    ofType(/^aws:redshift\/cluster:Cluster$/).forEach((r) => this.redshiftClusterNode(r));
    ofType(/^aws:sns\/topic:Topic$/).forEach((r) => this.topicNode(r));
    ofType(/^aws:lambda\/function:Function$/).forEach((r) =>
      this.simpleNode(r, "function", "Lambda function", groupOfArea(this.area(r))),
    );
    ofType(/^aws:cloudwatch\/(metricAlarm:MetricAlarm|compositeAlarm:CompositeAlarm)$/).forEach((r) =>
      this.alarmNode(r),
    );
    ofType(/^aws:cloudwatch\/dashboard:Dashboard$/).forEach((r) => this.dashboardNode(r));
    ofType(/^aws:budgets\/budget:Budget$/).forEach((r) => this.budgetNode(r));
    ofType(/^aws:costexplorer\/anomalySubscription:AnomalySubscription$/).forEach((r) =>
      this.simpleNode(r, "budget", "Cost anomaly alerts", "cost"),
    );
    // Transient EMR clusters exist only in state machine definitions.
    ofType(/^aws:sfn\/stateMachine:StateMachine$/).forEach((r) => this.transientClusterNodes(r));

    // Pass 2: edges.
    ofType(/^aws:glue\/crawler:Crawler$/).forEach((r) => this.crawlerEdges(r));
    ofType(/^aws:glue\/job:Job$/).forEach((r) => this.glueJobEdges(r));
    ofType(/^aws:glue\/trigger:Trigger$/).forEach((r) => this.glueTriggerEdges(r));
    ofType(/^aws:batch\/jobDefinition:JobDefinition$/).forEach((r) => this.jobDefinitionEdges(r));
    ofType(/^aws:sfn\/stateMachine:StateMachine$/).forEach((r) => this.stateMachineEdges(r));
    ofType(/^aws:scheduler\/schedule:Schedule$/).forEach((r) => this.scheduleEdges(r));
    ofType(/^aws:cloudwatch\/eventRule:EventRule$/).forEach((r) => this.ruleEdges(r));
    ofType(/^aws:cloudwatch\/eventTarget:EventTarget$/).forEach((r) => this.eventTargetEdges(r));
    ofType(/^aws:sns\/topicSubscription:TopicSubscription$/).forEach((r) => this.subscriptionEdges(r));
    ofType(/^aws:cloudwatch\/(metricAlarm:MetricAlarm|compositeAlarm:CompositeAlarm)$/).forEach((r) =>
      this.alarmEdges(r),
    );
    ofType(/^aws:budgets\/budget:Budget$/).forEach((r) => this.budgetEdges(r));
    ofType(/^aws:costexplorer\/anomalySubscription:AnomalySubscription$/).forEach((r) =>
      this.anomalySubscriptionEdges(r),
    );
    this.queueToJobFallback();

    return this.toModel();
  }

  // ---- nodes -------------------------------------------------------------------------------

  private simpleNode(
    r: RecordedResource,
    kind: NodeKind,
    title: string,
    group: string,
    extra: string[] = [],
  ) {
    return this.addNode(r, {
      id: safeId(`${kind}:${r.name}`),
      kind,
      lines: [title, physicalName(r), ...extra],
      group,
    });
  }

  private vpcNode(r: RecordedResource) {
    const nat = r.inputs.natGateways?.strategy;
    const azs = r.inputs.numberOfAvailabilityZones;
    const details = [
      str(r.inputs.cidrBlock),
      azs !== undefined ? `${azs} AZs` : undefined,
      nat ? `NAT: ${nat}` : undefined,
    ].filter((part): part is string => part !== undefined);
    this.addNode(r, {
      id: safeId(`vpc:${r.name}`),
      kind: "vpc",
      lines: ["VPC", r.name, details.join(" · ")],
      group: "network",
      refs: [str(r.outputs.vpcId)],
    });
  }

  private endpointNode(r: RecordedResource) {
    const service = str(r.inputs.serviceName) ?? "";
    this.addNode(r, {
      id: safeId(`endpoint:${r.name}`),
      kind: "endpoint",
      lines: [`VPC endpoint (${r.inputs.vpcEndpointType ?? "Gateway"})`, service.split(".").pop() ?? service],
      group: "network",
    });
  }

  private securityGroupNode(r: RecordedResource) {
    // Only the network's own groups; engine-specific groups are plumbing of their engine.
    if (this.area(r) !== "network") return;
    this.addNode(r, {
      id: safeId(`security-group:${r.name}`),
      kind: "security-group",
      lines: ["Security group", r.name, ...wrapLines(str(r.inputs.description) ?? "", 44)],
      group: "network",
    });
  }

  private bucketNode(r: RecordedResource) {
    const bucket = str(r.outputs.bucket) ?? str(r.inputs.bucket) ?? str(r.outputs.id) ?? r.name;
    const component = tagsOf(r).component ?? "";
    const zoneMatch =
      /^data-lake-(.+)$/.exec(component) ?? /-(raw|curated|analytics|artifacts|logs)$/.exec(r.name);
    const zone = zoneMatch?.[1];
    const dataZone = zone === "raw" || zone === "curated" || zone === "analytics";
    this.addNode(r, {
      id: safeId(`bucket:${r.name}`),
      kind: "bucket",
      lines: [dataZone ? `S3 bucket · ${zone} zone` : zone ? `S3 bucket · ${zone}` : "S3 bucket", bucket],
      group: dataZone ? `zone:${zone}` : "zone:platform",
      refs: [bucket, str(r.outputs.bucket), `arn:aws:s3:::${bucket}`],
    });
  }

  private databaseNode(r: RecordedResource) {
    const location = bucketOfUri(str(r.inputs.locationUri) ?? "");
    this.addNode(r, {
      id: safeId(`database:${r.name}`),
      kind: "database",
      lines: [
        "Glue database",
        physicalName(r),
        ...(location ? wrapLines(`s3://${location.bucket}/`, 40) : []),
      ],
      group: "catalog",
    });
  }

  private glueJobNode(r: RecordedResource) {
    const workers = r.inputs.numberOfWorkers ? `${r.inputs.numberOfWorkers} × ${r.inputs.workerType}` : "";
    const details = [workers, str(r.inputs.executionClass)].filter(Boolean).join(" · ");
    this.engineNode(r, "glue-job", "Glue ETL job", [details]);
  }

  private emrClusterNode(r: RecordedResource) {
    this.engineNode(r, "emr-cluster", "EMR cluster (long-running)", [str(r.inputs.releaseLabel) ?? ""]);
  }

  private serverlessNode(r: RecordedResource) {
    const capacity = r.inputs.maximumCapacity;
    const details = [str(r.inputs.architecture), capacity ? `max ${capacity.cpu}, ${capacity.memory}` : ""];
    this.engineNode(r, "emr-serverless", "EMR Serverless application", [details.filter(Boolean).join(" · ")]);
  }

  private queueNode(r: RecordedResource) {
    const orders: Json[] = Array.isArray(r.inputs.computeEnvironmentOrders)
      ? [...r.inputs.computeEnvironmentOrders]
      : [];
    orders.sort((a, b) => (a?.order ?? 0) - (b?.order ?? 0));
    const environments = orders.map((order) => {
      const environment = this.resources.find(
        (candidate) =>
          candidate.type === "aws:batch/computeEnvironment:ComputeEnvironment" &&
          (candidate.outputs.arn === order?.computeEnvironment ||
            candidate.outputs.name === order?.computeEnvironment),
      );
      return str(environment?.inputs.computeResources?.type) ?? "?";
    });
    this.engineNode(r, "batch-queue", "Batch job queue", [
      environments.length ? environments.join(" → ") : "",
    ]);
  }

  private jobDefinitionNode(r: RecordedResource) {
    const container = parseJson(r.inputs.containerProperties) ?? {};
    const requirements: Json[] = Array.isArray(container.resourceRequirements)
      ? container.resourceRequirements
      : [];
    const vcpu = requirements.find((req) => req?.type === "VCPU")?.value;
    const memory = requirements.find((req) => req?.type === "MEMORY")?.value;
    const architecture = container.runtimePlatform?.cpuArchitecture;
    const details = [vcpu ? `${vcpu} vCPU` : "", memory ? `${memory} MiB` : "", architecture ?? ""];
    const outputs = str(r.outputs.arn);
    this.engineNode(
      r,
      "batch-job",
      "Batch job definition",
      [details.filter(Boolean).join(" · ")],
      [str(r.outputs.arnPrefix), outputs?.replace(/:\d+$/, "")],
    );
  }

  private repositoryNode(r: RecordedResource) {
    this.engineNode(r, "container-repository", "ECR repository", [], [str(r.outputs.repositoryUrl)]);
  }

  /** Engines (and their images) go into their pipeline's cluster when they carry a pipeline tag. */
  private engineNode(
    r: RecordedResource,
    kind: NodeKind,
    title: string,
    extra: string[],
    refs: (string | undefined)[] = [],
  ) {
    const pipeline = tagsOf(r).pipeline;
    this.addNode(r, {
      id: safeId(`${kind}:${r.name}`),
      kind,
      lines: [title, physicalName(r), ...extra.filter(Boolean)],
      group: pipeline ? `pipeline:${pipeline}` : "pipeline:shared",
      refs,
    });
  }

  private scheduleNode(r: RecordedResource) {
    const window = r.inputs.flexibleTimeWindow;
    const flexible =
      window?.mode === "FLEXIBLE" && window.maximumWindowInMinutes
        ? `flexible window ${window.maximumWindowInMinutes} min`
        : "";
    this.addNode(r, {
      id: safeId(`schedule:${r.name}`),
      kind: "schedule",
      lines: [
        "EventBridge schedule",
        physicalName(r),
        [str(r.inputs.scheduleExpression), str(r.inputs.scheduleExpressionTimezone)]
          .filter(Boolean)
          .join(" "),
        flexible,
      ].filter(Boolean),
      group: "triggers",
    });
  }

  private ruleNode(r: RecordedResource) {
    const pattern = parseJson(r.inputs.eventPattern);
    const group = this.area(r) === "monitoring" ? "monitoring" : "triggers";
    const summary = pattern ? this.patternSummary(pattern) : (str(r.inputs.scheduleExpression) ?? "");
    this.addNode(r, {
      id: safeId(`event-rule:${r.name}`),
      kind: "event-rule",
      lines: [
        group === "monitoring" ? "EventBridge failure rule" : "EventBridge rule",
        physicalName(r),
        ...(summary ? wrapLines(summary, 48) : []),
      ].filter(Boolean),
      group,
    });
  }

  private patternSummary(pattern: Json): string {
    const detailType = Array.isArray(pattern["detail-type"]) ? pattern["detail-type"].join(", ") : "";
    const key = pattern.detail?.object?.key;
    if (Array.isArray(key)) {
      const keys = key.map((entry: Json) =>
        typeof entry === "string" ? entry : (entry?.wildcard ?? (entry?.prefix ? `${entry.prefix}*` : "")),
      );
      return `${detailType}: ${keys.join(", ")}`;
    }
    const states = pattern.detail?.state ?? pattern.detail?.status;
    return Array.isArray(states) ? `${detailType}: ${states.join("/")}` : detailType;
  }

  private workgroupNode(r: RecordedResource) {
    const namespaceName = str(r.inputs.namespaceName);
    const namespace = this.resources.find(
      (candidate) =>
        candidate.type === "aws:redshiftserverless/namespace:Namespace" &&
        candidate.inputs.namespaceName === namespaceName,
    );
    const capacity = r.inputs.baseCapacity
      ? `${r.inputs.baseCapacity}-${r.inputs.maxCapacity ?? "?"} RPU`
      : "";
    const database = str(namespace?.inputs.dbName);
    this.addNode(r, {
      id: safeId(`warehouse:${r.name}`),
      kind: "warehouse",
      lines: [
        "Redshift Serverless",
        str(r.inputs.workgroupName) ?? r.name,
        [database ? `database ${database}` : "", capacity].filter(Boolean).join(" · "),
      ].filter(Boolean),
      group: "warehouse",
      refs: [str(r.inputs.workgroupName), namespaceName],
    });
  }

  private redshiftClusterNode(r: RecordedResource) {
    const nodes = r.inputs.numberOfNodes
      ? `${r.inputs.numberOfNodes} × ${r.inputs.nodeType}`
      : str(r.inputs.nodeType);
    this.addNode(r, {
      id: safeId(`warehouse:${r.name}`),
      kind: "warehouse",
      lines: [
        "Redshift cluster",
        str(r.inputs.clusterIdentifier) ?? r.name,
        [str(r.inputs.databaseName) ? `database ${r.inputs.databaseName}` : "", nodes ?? ""]
          .filter(Boolean)
          .join(" · "),
      ].filter(Boolean),
      group: "warehouse",
      refs: [str(r.inputs.clusterIdentifier)],
    });
  }

  private topicNode(r: RecordedResource) {
    this.addNode(r, {
      id: safeId(`topic:${r.name}`),
      kind: "topic",
      lines: ["SNS topic", physicalName(r), r.inputs.kmsMasterKeyId ? "KMS-encrypted" : ""].filter(Boolean),
      group: groupOfArea(this.area(r)) === "other" ? "monitoring" : groupOfArea(this.area(r)),
    });
  }

  /** Alarms are many and alike: one node per component that declares them, listing their names. */
  private alarmNode(r: RecordedResource) {
    const component = this.component(r);
    const owner = component?.name ?? "stack";
    const id = safeId(`alarms:${owner}`);
    const short =
      component && r.name.startsWith(`${component.name}-`) ? r.name.slice(component.name.length + 1) : r.name;
    const node = this.addNode(r, {
      id,
      kind: "alarms",
      lines: ["CloudWatch alarms", owner],
      group: "monitoring",
    });
    node.lines.push(...wrapLines(`• ${short}`, 42));
  }

  private dashboardNode(r: RecordedResource) {
    this.addNode(r, {
      id: safeId(`dashboard:${r.name}`),
      kind: "dashboard",
      lines: ["CloudWatch dashboard", str(r.inputs.dashboardName) ?? physicalName(r)],
      group: "monitoring",
    });
  }

  private budgetNode(r: RecordedResource) {
    const limit = r.inputs.limitAmount ? `${r.inputs.limitAmount} ${r.inputs.limitUnit ?? ""}`.trim() : "";
    this.addNode(r, {
      id: safeId(`budget:${r.name}`),
      kind: "budget",
      lines: [
        "AWS Budget",
        physicalName(r),
        [limit, str(r.inputs.timeUnit)?.toLowerCase()].filter(Boolean).join(" / "),
      ],
      group: "cost",
    });
  }

  private transientClusterNodes(r: RecordedResource) {
    const tags = tagsOf(r);
    for (const task of tasksOf(parseJson(r.inputs.definition))) {
      const call = taskCall(task);
      if (call?.service !== "elasticmapreduce" || call.action !== "createCluster") continue;
      const name = str(task.Parameters?.Name);
      if (!name) continue;
      this.addNode(undefined, {
        id: safeId(`emr-cluster:${name}`),
        kind: "emr-cluster",
        lines: ["EMR cluster (transient)", name, str(task.Parameters?.ReleaseLabel) ?? ""].filter(Boolean),
        group: tags.pipeline ? `pipeline:${tags.pipeline}` : "pipeline:shared",
        refs: [name],
        pipeline: tags.pipeline,
        slaTier: tags["sla-tier"],
      });
    }
  }

  // ---- edges -------------------------------------------------------------------------------

  private crawlerEdges(r: RecordedResource) {
    const crawler = this.nodeOf(r);
    for (const target of Array.isArray(r.inputs.s3Targets) ? r.inputs.s3Targets : []) {
      const location = bucketOfUri(str(target?.path) ?? "");
      if (!location) continue;
      for (const bucket of this.resolve(location.bucket, ["bucket"]))
        this.addEdge(bucket.id, crawler, "catalog", wrapLabel(location.key, 36));
    }
    for (const target of Array.isArray(r.inputs.jdbcTargets) ? r.inputs.jdbcTargets : []) {
      for (const connection of this.resolve(str(target?.connectionName), ["connection"]))
        this.addEdge(connection.id, crawler, "catalog", str(target?.path));
    }
    for (const database of this.resolve(str(r.inputs.databaseName), ["database"]))
      this.addEdge(crawler, database.id, "catalog", "tables");
  }

  private glueJobEdges(r: RecordedResource) {
    const job = this.nodeOf(r);
    const args: Record<string, unknown> = r.inputs.defaultArguments ?? {};
    this.addDataRefs(job, dataRefsOfMap(args));
    for (const [key, value] of Object.entries(args)) {
      if (!/database/i.test(key) || typeof value !== "string") continue;
      const direction = directionOf(key);
      const table = args[key.replace(/database/i, "table")];
      const label = typeof table === "string" ? `${value}.${table}` : value;
      for (const database of this.resolve(value, ["database"])) {
        if (direction === "out") {
          this.addEdge(job, database.id, "catalog", `table ${typeof table === "string" ? table : ""}`.trim());
        } else if (direction === "in") {
          // Reading a catalog table reads the bucket its database is located in.
          const location = this.databaseLocation(database);
          const buckets = location ? this.resolve(location, ["bucket"]) : [];
          if (buckets.length === 0) this.addEdge(database.id, job, "data", label);
          for (const bucket of buckets) this.addEdge(bucket.id, job, "data", label);
        }
      }
    }
    for (const name of Array.isArray(r.inputs.connections) ? r.inputs.connections : []) {
      for (const connection of this.resolve(str(name), ["connection"]))
        this.addEdge(connection.id, job, "data", "JDBC");
    }
  }

  private databaseLocation(database: DiagramNode): string | undefined {
    const resource = this.resources.find((candidate) => this.nodeOf(candidate) === database.id);
    return bucketOfUri(str(resource?.inputs.locationUri) ?? "")?.bucket;
  }

  private glueTriggerEdges(r: RecordedResource) {
    const workflow = this.resolve(str(r.inputs.workflowName), ["glue-workflow"])[0];
    const actions: Json[] = Array.isArray(r.inputs.actions) ? r.inputs.actions : [];
    const targets = actions.flatMap((action) => [
      ...this.resolve(str(action?.jobName), ["glue-job"]),
      ...this.resolve(str(action?.crawlerName), ["crawler"]),
    ]);
    const conditions: Json[] = Array.isArray(r.inputs.predicate?.conditions)
      ? r.inputs.predicate.conditions
      : [];
    if (conditions.length === 0) {
      const label =
        r.inputs.type === "SCHEDULED"
          ? str(r.inputs.schedule)
          : r.inputs.type === "ON_DEMAND"
            ? "on demand"
            : undefined;
      for (const target of targets) this.addEdge(workflow?.id, target.id, "control", label ?? "start");
      return;
    }
    for (const condition of conditions) {
      const sources = [
        ...this.resolve(str(condition?.jobName), ["glue-job"]),
        ...this.resolve(str(condition?.crawlerName), ["crawler"]),
      ];
      const state = str(condition?.state) ?? str(condition?.crawlState) ?? "done";
      for (const source of sources)
        for (const target of targets)
          this.addEdge(source.id, target.id, "control", `then (${state.toLowerCase()})`);
    }
  }

  private jobDefinitionEdges(r: RecordedResource) {
    const job = this.nodeOf(r);
    const container = parseJson(r.inputs.containerProperties) ?? {};
    const environment: Record<string, string> = {};
    for (const entry of Array.isArray(container.environment) ? container.environment : []) {
      if (typeof entry?.name === "string" && typeof entry?.value === "string")
        environment[entry.name] = entry.value;
    }
    this.addDataRefs(job, dataRefsOfEnvironment(environment));
    if (Array.isArray(container.command)) this.addDataRefs(job, dataRefsOfArgs(container.command));
    const image = str(container.image);
    if (image) {
      const repository = /^[^/]+\/([^@:]+)/.exec(image)?.[1];
      for (const repo of this.resolve(repository, ["container-repository"]))
        this.addEdge(repo.id, job, "image", "image");
    }
  }

  private stateMachineEdges(r: RecordedResource) {
    const machine = this.nodeOf(r);
    const definition = parseJson(r.inputs.definition);
    const createdClusters = new Map<string, string>();
    for (const task of tasksOf(definition)) {
      const call = taskCall(task);
      if (call?.service === "elasticmapreduce" && call.action === "createCluster") {
        const name = str(task.Parameters?.Name);
        const resultPath = str(task.ResultPath);
        if (name && resultPath) createdClusters.set(resultPath, safeId(`emr-cluster:${name}`));
        if (name) createdClusters.set("", safeId(`emr-cluster:${name}`));
      }
    }
    for (const task of tasksOf(definition)) {
      const call = taskCall(task);
      if (!call) continue;
      this.callEdges(machine, call.service, call.action, task.Parameters ?? {}, createdClusters);
    }
  }

  /** Edges for one service call made by a state machine task or a universal scheduler target. */
  private callEdges(
    caller: string | undefined,
    service: string,
    action: string,
    params: Json,
    createdClusters = new Map<string, string>(),
  ): void {
    switch (service) {
      case "glue": {
        if (/^(start|get|stop)Crawler$/.test(action)) {
          if (action === "startCrawler")
            for (const crawler of this.resolve(str(params.Name), ["crawler"]))
              this.addEdge(caller, crawler.id, "control", "start crawler");
        } else if (/JobRun$/.test(action)) {
          for (const job of this.resolve(str(params.JobName), ["glue-job"])) {
            this.addEdge(caller, job.id, "control", action);
            if (params.Arguments) this.addDataRefs(job.id, dataRefsOfMap(params.Arguments));
          }
        } else if (/WorkflowRun$/.test(action)) {
          for (const workflow of this.resolve(str(params.Name), ["glue-workflow"]))
            this.addEdge(caller, workflow.id, "control", action);
        }
        return;
      }
      case "elasticmapreduce": {
        let clusters: string[] = [];
        if (action === "createCluster") {
          const name = str(params.Name);
          if (name) clusters = [safeId(`emr-cluster:${name}`)];
        } else {
          const literal = str(params.ClusterId);
          const path = str(params["ClusterId.$"]);
          if (literal) clusters = this.resolve(literal, ["emr-cluster"]).map((node) => node.id);
          else if (path) {
            const match = [...createdClusters.entries()].find(
              ([prefix]) => prefix && path.startsWith(`${prefix}.`),
            );
            const created = match?.[1] ?? createdClusters.get("");
            if (created) clusters = [created];
          }
        }
        for (const cluster of clusters) {
          this.addEdge(caller, cluster, "control", action);
          const step = params.Step ?? params.Steps;
          if (step) this.addDataRefs(cluster, dataRefsOfMap({ step }));
        }
        return;
      }
      case "emr-serverless": {
        for (const app of this.resolve(str(params.ApplicationId), ["emr-serverless"])) {
          this.addEdge(caller, app.id, "control", action);
          if (params.JobDriver) this.addDataRefs(app.id, dataRefsOfMap(params.JobDriver));
        }
        return;
      }
      case "batch": {
        const queues = this.resolve(str(params.JobQueue), ["batch-queue"]);
        const jobs = this.resolve(str(params.JobDefinition), ["batch-job"]);
        for (const queue of queues) {
          this.addEdge(caller, queue.id, "control", `submit ${str(params.JobName) ?? "job"}`);
          for (const job of jobs) this.addEdge(queue.id, job.id, "control", "runs");
        }
        return;
      }
      case "redshiftdata": {
        const warehouses = [
          ...this.resolve(str(params.WorkgroupName), ["warehouse"]),
          ...this.resolve(str(params.ClusterIdentifier), ["warehouse"]),
        ];
        const sql = [str(params.Sql), ...(Array.isArray(params.Sqls) ? params.Sqls : [])]
          .filter(Boolean)
          .join("\n");
        for (const warehouse of warehouses) {
          if (/^execute|^batchExecute/.test(action))
            this.addEdge(caller, warehouse.id, "control", "SQL (Data API)");
          for (const match of sql.matchAll(/DATA CATALOG DATABASE\s+'([^']+)'/gi))
            for (const database of this.resolve(match[1], ["database"]))
              this.addEdge(database.id, warehouse.id, "data", "load (Spectrum)");
          for (const match of sql.matchAll(/'(s3:\/\/[^']+)'/g)) {
            const location = bucketOfUri(match[1]);
            for (const bucket of this.resolve(location?.bucket, ["bucket"]))
              this.addEdge(bucket.id, warehouse.id, "data", wrapLabel(location?.key ?? "", 36));
          }
        }
        return;
      }
      case "sns": {
        for (const topic of this.resolve(str(params.TopicArn), ["topic"]))
          this.addEdge(caller, topic.id, "alert", "on failure");
        return;
      }
      case "states": {
        for (const machine of this.resolve(str(params.StateMachineArn), ["state-machine"]))
          this.addEdge(caller, machine.id, "control", action);
        return;
      }
      case "lambda": {
        for (const fn of this.resolve(str(params.FunctionName), ["function"]))
          this.addEdge(caller, fn.id, "control", "invoke");
        return;
      }
      default:
        return;
    }
  }

  private scheduleEdges(r: RecordedResource) {
    const schedule = this.nodeOf(r);
    const target = r.inputs.target ?? {};
    const arn = str(target.arn) ?? "";
    const universal = /^arn:[^:]+:scheduler:::aws-sdk:([\w-]+):(\w+)$/.exec(arn);
    if (universal) {
      this.callEdges(schedule, universal[1], universal[2], parseJson(target.input) ?? {});
      return;
    }
    for (const node of this.resolve(arn)) this.addEdge(schedule, node.id, "control", "start");
  }

  private ruleEdges(r: RecordedResource) {
    const rule = this.nodeOf(r);
    const pattern = parseJson(r.inputs.eventPattern);
    if (!pattern || typeof pattern !== "object") return;
    const sources: string[] = Array.isArray(pattern.source) ? pattern.source : [];
    const kinds = sources.flatMap((source) => EVENT_SOURCE_KINDS[source] ?? []);
    if (kinds.length === 0) return;
    const observed = new Set<string>();
    const prefixes: string[] = [];
    collectMatchers(pattern.detail ?? {}, observed, prefixes);
    const nodes = [
      ...[...observed].flatMap((value) => this.resolve(value, kinds)),
      ...prefixes.flatMap((prefix) =>
        [...this.nodes.values()].filter(
          (node) =>
            kinds.includes(node.kind) &&
            node.refs.some((ref) => !ref.startsWith("arn:") && ref.startsWith(prefix)),
        ),
      ),
    ];
    const isUpload = sources.includes("aws.s3");
    for (const node of nodes) {
      if (isUpload) {
        const key = pattern.detail?.object?.key;
        const keyLabel = Array.isArray(key)
          ? key
              .map((entry: Json) =>
                typeof entry === "string" ? entry : (entry?.wildcard ?? entry?.prefix ?? ""),
              )
              .join(", ")
          : "";
        this.addEdge(node.id, rule, "event", wrapLabel(`Object Created ${keyLabel}`.trim(), 40));
      } else {
        this.addEdge(node.id, rule, "watch");
      }
    }
  }

  private eventTargetEdges(r: RecordedResource) {
    const ruleName = str(r.inputs.rule);
    const rules = this.resolve(ruleName, ["event-rule"]);
    const targets = this.resolve(str(r.inputs.arn));
    for (const rule of rules) {
      for (const target of targets) {
        if (target.kind === "topic") this.addEdge(rule.id, target.id, "alert", "alert");
        else if (target.kind === "batch-queue") {
          this.addEdge(
            rule.id,
            target.id,
            "control",
            `submit ${str(r.inputs.batchTarget?.jobName) ?? "job"}`,
          );
          for (const job of this.resolve(str(r.inputs.batchTarget?.jobDefinition), ["batch-job"]))
            this.addEdge(target.id, job.id, "control", "runs");
        } else this.addEdge(rule.id, target.id, "control", "start");
      }
    }
  }

  private subscriptionEdges(r: RecordedResource) {
    const protocol = str(r.inputs.protocol) ?? "subscriber";
    const endpoint = str(r.inputs.endpoint) ?? r.name;
    const topics = this.resolve(str(r.inputs.topic), ["topic"]);
    const existing = this.resolve(endpoint).filter((node) => node.kind !== "subscriber");
    const targets =
      existing.length > 0
        ? existing
        : [
            this.addNode(undefined, {
              id: safeId(`subscriber:${protocol}:${endpoint}`),
              kind: "subscriber",
              lines: [protocol === "email" ? "Email" : protocol.toUpperCase(), endpoint],
              group: topics[0]?.group ?? "monitoring",
              refs: [endpoint],
            }),
          ];
    for (const topic of topics)
      for (const target of targets) this.addEdge(topic.id, target.id, "alert", protocol);
  }

  private alarmEdges(r: RecordedResource) {
    const alarms = this.nodeOf(r);
    const actions: unknown[] = [
      ...(Array.isArray(r.inputs.alarmActions) ? r.inputs.alarmActions : []),
      ...(Array.isArray(r.inputs.insufficientDataActions) ? r.inputs.insufficientDataActions : []),
    ];
    for (const action of actions)
      for (const target of this.resolve(str(action))) this.addEdge(alarms, target.id, "alert", "alarm");
    const metrics: { namespace?: string; dimensions?: Record<string, string> }[] = [
      { namespace: r.inputs.namespace, dimensions: r.inputs.dimensions },
      ...(Array.isArray(r.inputs.metricQueries) ? r.inputs.metricQueries : []).map((query: Json) => ({
        namespace: query?.metric?.namespace,
        dimensions: query?.metric?.dimensions,
      })),
    ];
    for (const metric of metrics) {
      const kinds = metric.namespace ? METRIC_NAMESPACE_KINDS[metric.namespace] : undefined;
      if (!kinds) continue;
      for (const value of Object.values(metric.dimensions ?? {}))
        for (const node of this.resolve(str(value), kinds)) this.addEdge(node.id, alarms, "watch");
    }
  }

  private budgetEdges(r: RecordedResource) {
    const budget = this.nodeOf(r);
    for (const notification of Array.isArray(r.inputs.notifications) ? r.inputs.notifications : []) {
      const label = `${String(notification?.notificationType ?? "").toLowerCase()} > ${notification?.threshold ?? "?"}${
        notification?.thresholdType === "PERCENTAGE" ? "%" : ""
      }`;
      for (const arn of notification?.subscriberSnsTopicArns ?? [])
        for (const topic of this.resolve(str(arn), ["topic"])) this.addEdge(budget, topic.id, "alert", label);
      for (const email of notification?.subscriberEmailAddresses ?? []) {
        const node = this.addNode(undefined, {
          id: safeId(`subscriber:email:${email}`),
          kind: "subscriber",
          lines: ["Email", String(email)],
          group: "monitoring",
          refs: [String(email)],
        });
        this.addEdge(budget, node.id, "alert", label);
      }
    }
  }

  private anomalySubscriptionEdges(r: RecordedResource) {
    const subscription = this.nodeOf(r);
    for (const subscriber of Array.isArray(r.inputs.subscribers) ? r.inputs.subscribers : []) {
      for (const target of this.resolve(str(subscriber?.address)))
        this.addEdge(subscription, target.id, "alert", "anomaly");
    }
  }

  /**
   * A queue whose trigger did not name the job definition (or named it by an ARN the run could
   * not resolve) runs the definitions of its own pipeline: linked through the `pipeline` tag.
   */
  private queueToJobFallback() {
    const linked = new Set(
      [...this.edges.values()].filter((edge) => edge.kind === "control").map((edge) => edge.from),
    );
    for (const queue of this.nodesOfKind("batch-queue")) {
      if (linked.has(queue.id) || !queue.pipeline) continue;
      for (const job of this.nodesOfKind("batch-job"))
        if (job.pipeline === queue.pipeline) this.addEdge(queue.id, job.id, "control", "runs");
    }
  }
}

export function buildModel(resources: RecordedResource[], stack: string): ArchitectureModel {
  return new ModelBuilder(resources, stack).build();
}
