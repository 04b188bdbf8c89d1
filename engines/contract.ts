/**
 * The contract every engine module fulfils. An engine (Glue, EMR on EC2, EMR Serverless, AWS
 * Batch, ...) is one folder under `engines/` exporting an `EngineModule`; the program
 * (`infra/`) loops over the registry (`engines/registry.ts`) and never branches on an engine's
 * name. Everything one engine needs lives in its module: the schema of its settings block, its
 * config checks, the resources it declares for a pipeline, its Step Functions step kind (states
 * and IAM statements), the facts monitoring needs (failure event, alarms, dashboard widgets), the
 * role that needs catalog grants, and its cost usage.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ConfigReferences, PipelineDefinition, PipelineIssue } from "../decisions/pipeline";
import { StepBase, StepKinds } from "../decisions/orchestration";
import { EngineUsage } from "../decisions/cost";
import { AlarmSpec, PipelineRunFacts } from "../components/monitoring/pipeline-alarms";
import { FailureRuleSpec } from "../components/monitoring/failure-events";
import { DashboardRowFacts, WidgetSpec } from "../components/monitoring/dashboard";
import { TriggerTarget } from "../components/triggers/target";
import { NetworkWorkload } from "../components/network/endpoints";
import { PlatformContext } from "./platform-context";

/** How a pipeline is run: "stepFunctions", or a name the engine gives its own way (e.g. "glueWorkflow"). */
export type Orchestration = string;
export const STEP_FUNCTIONS: Orchestration = "stepFunctions";

/** A pipeline without steps that its engine runs itself, and what monitoring needs to watch it. */
export interface StandaloneRun {
  /** When set, the platform starts the pipeline from its trigger (schedule or S3 upload) with this target. */
  triggerTarget?: TriggerTarget;
  /**
   * Alarms on the engine's own run metrics; empty when AWS publishes none. A scheduled pipeline
   * whose run alarms have no "did-not-run" gets one from its schedule's Scheduler metrics
   * (components/monitoring/trigger-alarms.ts).
   */
  alarms: AlarmSpec[];
  /** Dashboard row from the engine's own run metrics; empty when AWS publishes none. */
  dashboardRow: WidgetSpec[];
  /** Extra stack outputs of the pipeline, e.g. `{ glueWorkflow: <name> }`. */
  outputs?: Record<string, pulumi.Input<string>>;
}

/** What the rest of the program needs from a declared engine job. */
export interface EngineJob {
  /**
   * The Step Functions step that runs this job (for `job` steps and other pipelines'
   * `pipelineJob` steps). Absent when the job cannot run as a step (a long-running cluster).
   */
  step?(name: string, timeoutSeconds: number): pulumi.Output<StepBase>;
  /**
   * Runs the pipeline when its orchestration is not Step Functions (see EngineModule.orchestration).
   * Absent when every pipeline of the engine runs in a state machine.
   */
  standalone?(pipeline: PipelineDefinition, ctx: PlatformContext): StandaloneRun;
  /** The role whose sessions read and write the catalog; it gets the pipeline's Lake Formation grants. */
  catalogPrincipalArn?: pulumi.Input<string>;
  /** Alarms the job needs whatever runs it (e.g. a long-running cluster left idle). */
  alarms?: AlarmSpec[];
}

/** A pipeline's compute as the cost estimate prices it. */
export interface EngineCostUsage {
  usage: EngineUsage;
  /** Minutes before the job's own work starts that are billed too (e.g. a transient cluster booting). */
  startupMinutes: number;
}

export interface EngineModule<Settings = unknown, Job extends EngineJob = EngineJob> {
  /** The pipeline's `engine` value and the key of its settings block, e.g. "glue". */
  readonly id: string;
  /** How reports name the engine, e.g. "EMR on EC2". */
  readonly label: string;
  /** Schema of the settings block (a zod strict object). */
  readonly settingsSchema: z.ZodType<Settings>;
  /**
   * What the engine's jobs run in the network's private subnets: a VPC without NAT gives them the
   * interface endpoints these workloads call (components/network/endpoints.ts).
   */
  readonly networkWorkloads: readonly NetworkWorkload[];
  /** The step kinds the engine's jobs use in state machines. */
  readonly stepKinds: StepKinds;
  /**
   * Config checks that involve more than the settings block (tier, trigger, steps); report each
   * with a path relative to the pipeline entry.
   */
  checkPipeline?(pipeline: PipelineDefinition, settings: Settings, issue: PipelineIssue): void;
  /** Checks of names the settings refer to that are declared elsewhere in the stack config. */
  checkReferences?(
    pipeline: PipelineDefinition,
    settings: Settings,
    issue: PipelineIssue,
    references: ConfigReferences,
  ): void;
  /** How the pipeline runs, from config alone (also used by validation and reports). */
  orchestration(pipeline: PipelineDefinition, settings: Settings): Orchestration;
  /** Declares the pipeline's job: the engine's resources for this pipeline. */
  declare(pipeline: PipelineDefinition, settings: Settings, ctx: PlatformContext): Job;
  /** EventBridge rules that alert on failures of all of this engine's jobs in the environment. */
  failureRules(ctx: PlatformContext, jobs: Job[]): FailureRuleSpec[];
  /** The engine's widgets in the dashboard's engine section (none when it has no jobs). */
  dashboardWidgets(jobs: Job[]): WidgetSpec[];
  /** The pipeline's compute for the cost estimate. */
  costUsage(pipeline: PipelineDefinition, settings: Settings): EngineCostUsage;
}

/** Any engine module, whatever its settings and job types. */
export type AnyEngineModule = EngineModule<any, any>;

/** The settings block of a validated pipeline, for its engine. */
export function settingsOf<Settings>(
  pipeline: PipelineDefinition,
  engine: EngineModule<Settings, any>,
): Settings {
  return pipeline[engine.id] as Settings;
}

/** Step Functions when the pipeline lists steps, else the engine's own way. */
export function stepsOr(pipeline: PipelineDefinition, orchestration: Orchestration): Orchestration {
  return pipeline.steps !== undefined ? STEP_FUNCTIONS : orchestration;
}

/** What the alarm builders need to know about a pipeline. */
export function runFacts(pipeline: PipelineDefinition): PipelineRunFacts {
  return {
    pipeline: pipeline.name,
    scheduleExpression: pipeline.trigger.type === "schedule" ? pipeline.trigger.expression : undefined,
    expectedRuntimeMinutes: pipeline.expectedRuntimeMinutes,
    timeoutMinutes: pipeline.timeoutMinutes,
  };
}

/** What a pipeline's dashboard row says about it. */
export function rowFacts(pipeline: PipelineDefinition): DashboardRowFacts {
  return {
    name: pipeline.name,
    slaTier: pipeline.slaTier,
    expectedRuntimeMinutes: pipeline.expectedRuntimeMinutes,
    timeoutMinutes: pipeline.timeoutMinutes,
  };
}
