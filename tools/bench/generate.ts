/**
 * Stack configs with many pipelines, for the benchmark: the dev stack's config with its pipelines
 * replicated under unique names until there are `count` of them. Replicas cycle through the
 * templates (so every engine appears), rotate the SLA tier, spread schedules over the day,
 * switch schedule <-> on-demand triggers every other round and give S3-upload triggers their own
 * prefix (pipelines that load the warehouse keep their template's tier and trigger). Crawlers,
 * databases, connections and everything else stay shared. A generated stack lives in an account
 * of its own (inOwnAccount), since the plan refuses two stack files that deploy into one account
 * (tools/plan/accounts.ts).
 */
import * as fs from "fs";
import { parse } from "yaml";
import { batchComputePlan } from "../../decisions/batch";
import { loadsWarehouse } from "../../decisions/pipeline";
import { QUOTAS } from "../deploy-rules/quota-table";
import { stackFilePath } from "../synth/stack-config";

export const TIERS = ["flexible", "standard", "critical"] as const;

type Pipeline = Record<string, any>;

/** The decoded `config:` block of Pulumi.<stack>.yaml (keys as written, values as YAML gives them). */
export function readRawStackConfig(stack: string): Record<string, unknown> {
  const document = parse(fs.readFileSync(stackFilePath(stack), "utf8")) as {
    config?: Record<string, unknown>;
  };
  if (!document?.config) throw new Error(`${stackFilePath(stack)} has no config: block`);
  return document.config;
}

/** A name of at most 40 characters: the template's name (shortened if needed) and the replica number. */
export function replicaName(template: string, index: number): string {
  const suffix = `-${index}`;
  return `${template.slice(0, 40 - suffix.length).replace(/-+$/, "")}${suffix}`;
}

function cron(index: number, weekly: boolean): string {
  const minute = (index * 7) % 60;
  const hour = Math.floor(index / 60) % 24;
  return weekly ? `cron(${minute} ${hour} ? * MON *)` : `cron(${minute} ${hour} * * ? *)`;
}

/** One replica of `template`; `round` counts how often the templates have been cycled through. */
export function replicate(template: Pipeline, index: number, round: number): Pipeline {
  const pipeline: Pipeline = structuredClone(template);
  pipeline.name = replicaName(template.name, index);
  // A warehouse load keeps its template's tier and trigger: the template is timed around the
  // warehouse's pause schedule (tier decides how late a run may start), which the config checks.
  if (loadsWarehouse(pipeline)) return pipeline;
  const baseTier = Math.max(0, TIERS.indexOf(template.slaTier));
  pipeline.slaTier = TIERS[(baseTier + round) % TIERS.length];
  const glueWorkflow = pipeline.engine === "glue" && pipeline.steps === undefined;
  const longRunning = pipeline.engine === "emr" && pipeline.emr?.mode === "longRunning";
  const trigger = pipeline.trigger ?? { type: "onDemand" };
  const swap = round % 2 === 1 && !longRunning;

  if (trigger.type === "schedule" && swap) {
    pipeline.trigger = { type: "onDemand" };
    pipeline.expectedRunsPerMonth = 30;
  } else if (trigger.type === "onDemand" && swap) {
    const weekly = pipeline.engine === "emr";
    // Glue workflows schedule in UTC only.
    pipeline.trigger = {
      type: "schedule",
      expression: cron(index, weekly),
      timezone: glueWorkflow ? "UTC" : "Europe/Dublin",
    };
    delete pipeline.expectedRunsPerMonth;
  } else if (trigger.type === "schedule") {
    const weekly = /\?\s+\*\s+\w{3}/.test(trigger.expression ?? "");
    pipeline.trigger = { ...trigger, expression: cron(index, weekly) };
  } else if (trigger.type === "s3Upload") {
    const prefix = String(trigger.prefix ?? "incoming/");
    pipeline.trigger = { ...trigger, prefix: `${prefix}p${index}/` };
  }
  return pipeline;
}

/**
 * What AWS Batch lets one account declare: the job queues and compute environments (hard quotas,
 * tools/deploy-rules/quota-table.ts). Each Batch pipeline has a queue of its own with the compute
 * environments of its tier (decisions/batch.ts).
 */
class BatchBudget {
  private queues = QUOTAS.batchJobQueues.defaultValue;
  private environments = QUOTAS.batchComputeEnvironments.defaultValue;

  /** Takes what `pipeline` needs if it fits; false (and nothing taken) if it does not. */
  take(pipeline: Pipeline): boolean {
    if (pipeline.engine !== "batch") return true;
    const needs = batchComputePlan(pipeline.slaTier, { ec2Spot: pipeline.batch?.ec2Spot }).environments
      .length;
    if (this.queues < 1 || this.environments < needs) return false;
    this.queues -= 1;
    this.environments -= needs;
    return true;
  }
}

/**
 * The raw stack config with `count` pipelines. Batch replicas stop where AWS Batch's hard quotas
 * would (BatchBudget): the other templates fill the rest, so a large stack is still one AWS accepts.
 */
export function configWithPipelines(
  base: Record<string, unknown>,
  project: string,
  count: number,
): Record<string, unknown> {
  const key = Object.keys(base).find((k) => k === "pipelines" || k === `${project}:pipelines`);
  if (!key) throw new Error("the base stack config has no pipelines to replicate");
  const templates = base[key] as Pipeline[];
  if (!Array.isArray(templates) || templates.length === 0) throw new Error("the base stack has no pipelines");
  const budget = new BatchBudget();
  const pipelines: Pipeline[] = [];
  /** Each template's latest replica, for steps that start another pipeline (type pipelineJob). */
  const latest = new Map<string, string>();
  for (let round = 0; pipelines.length < count; round++) {
    const replicas: Pipeline[] = [];
    templates.forEach((template, position) => {
      if (pipelines.length + replicas.length >= count) return;
      const replica = replicate(template, round * templates.length + position + 1, round);
      if (!budget.take(replica)) return;
      replicas.push(replica);
      latest.set(template.name, replica.name);
    });
    if (replicas.length === 0) throw new Error("no template fits AWS Batch's quotas");
    for (const replica of replicas) {
      for (const step of Array.isArray(replica.steps) ? replica.steps : []) {
        if (step?.type === "pipelineJob" && latest.has(step.pipeline))
          step.pipeline = latest.get(step.pipeline);
      }
    }
    pipelines.push(...replicas);
  }
  return { ...base, [key]: pipelines };
}

/** The `deployment.accountId` a raw stack config names, if any. */
function accountIdOf(config: Record<string, unknown>, project: string): string | undefined {
  const deployment = (config[`${project}:deployment`] ?? config.deployment) as
    { accountId?: unknown } | undefined;
  const accountId = deployment?.accountId;
  return typeof accountId === "string" || typeof accountId === "number" ? String(accountId) : undefined;
}

/** `value` with every occurrence of `from` in its strings replaced by `to`. */
function replaceInStrings(value: unknown, from: string, to: string): unknown {
  if (typeof value === "string") return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((item) => replaceInStrings(item, from, to));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key.split(from).join(to),
        replaceInStrings(item, from, to),
      ]),
    );
  }
  return value;
}

/**
 * The raw stack config moved to `account`: its `deployment.accountId` and every ARN or other text
 * that names the old account (the deployer role, Lake Formation admins) now name `account`.
 */
export function inOwnAccount(
  config: Record<string, unknown>,
  project: string,
  account: string,
): Record<string, unknown> {
  if (!/^\d{12}$/.test(account)) throw new Error(`an AWS account ID has 12 digits, not ${account}`);
  const current = accountIdOf(config, project);
  if (current === undefined) return config;
  return replaceInStrings(config, current, account) as Record<string, unknown>;
}

/** The account of the generated stack with `pipelines` pipelines: 9 and the count, 12 digits. */
export function benchAccount(pipelines: number): string {
  return `9${String(pipelines).padStart(11, "0")}`;
}
