/**
 * Stack configs with many pipelines, for the benchmark: the dev stack's config with its pipelines
 * replicated under unique names until there are `count` of them. Replicas cycle through the
 * templates (so every engine appears), rotate the SLA tier, spread schedules over the day,
 * switch schedule <-> on-demand triggers every other round and give S3-upload triggers their own
 * prefix (pipelines that load the warehouse keep their template's tier and trigger). Crawlers, databases, connections and everything else stay shared.
 */
import * as fs from "fs";
import { parse } from "yaml";
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
  const loadsWarehouse = (pipeline.steps ?? []).some((step: Pipeline) => step?.type === "redshiftLoad");
  if (loadsWarehouse) return pipeline;
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

/** The raw stack config with `count` pipelines. */
export function configWithPipelines(
  base: Record<string, unknown>,
  project: string,
  count: number,
): Record<string, unknown> {
  const key = Object.keys(base).find((k) => k === "pipelines" || k === `${project}:pipelines`);
  if (!key) throw new Error("the base stack config has no pipelines to replicate");
  const templates = base[key] as Pipeline[];
  if (!Array.isArray(templates) || templates.length === 0) throw new Error("the base stack has no pipelines");
  const pipelines: Pipeline[] = [];
  for (let round = 0; pipelines.length < count; round++) {
    const replicas = templates
      .slice(0, count - pipelines.length)
      .map((template, position) => replicate(template, round * templates.length + position + 1, round));
    // Steps may start another pipeline (type pipelineJob): point them at this round's replica.
    const renamed = new Map(replicas.map((replica, position) => [templates[position].name, replica.name]));
    // A template cut off in the last round: its replica from the previous round.
    templates.forEach((template, position) => {
      if (!renamed.has(template.name) && round > 0)
        renamed.set(template.name, replicaName(template.name, (round - 1) * templates.length + position + 1));
    });
    for (const replica of replicas) {
      for (const step of Array.isArray(replica.steps) ? replica.steps : []) {
        if (step?.type === "pipelineJob" && renamed.has(step.pipeline))
          step.pipeline = renamed.get(step.pipeline);
      }
    }
    pipelines.push(...replicas);
  }
  return { ...base, [key]: pipelines };
}
