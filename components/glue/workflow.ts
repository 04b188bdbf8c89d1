import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PolicyStatement } from "../shared/iam";
import { pipelineTags, TAG_KEYS } from "../shared/tags";
import { SlaTier } from "../../decisions/sla-tier";
import { glueScheduleError } from "../../decisions/glue";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import { assertValidArgs } from "../shared/args";

/** What starts a workflow run. */
export type WorkflowStart =
  /** `cron(...)` in UTC. */
  | { type: "schedule"; expression: string }
  | { type: "onDemand" }
  /**
   * EventBridge events (e.g. S3 uploads) delivered by a rule whose role may glue:NotifyEvent
   * (see `notifyEventStatement`); the run starts after `batchSize` events or `batchWindowSeconds`.
   */
  | { type: "event"; batchSize: number; batchWindowSeconds?: number };

export type WorkflowAction =
  { job: pulumi.Input<string>; timeoutMinutes?: number } | { crawler: pulumi.Input<string> };

/** Actions started together; the next stage starts when every one of them SUCCEEDED. */
export type WorkflowStage = WorkflowAction[];

export interface GlueWorkflowArgs {
  pipeline: string;
  slaTier: SlaTier;
  description?: string;
  start: WorkflowStart;
  /** Stages in order; build them with `jobThenCrawlers` or `chain`. */
  stages: WorkflowStage[];
  /** Runs at the same time; default 1 (a run waits for the previous one). */
  maxConcurrentRuns?: number;
}

/** The usual Glue pipeline: the job, then its crawlers in parallel once it succeeded. */
export function jobThenCrawlers(
  job: pulumi.Input<string>,
  crawlers: pulumi.Input<string>[],
): WorkflowStage[] {
  return crawlers.length === 0 ? [[{ job }]] : [[{ job }], crawlers.map((crawler) => ({ crawler }))];
}

/** One action after another, e.g. job -> crawler -> next job. */
export function chain(...actions: WorkflowAction[]): WorkflowStage[] {
  return actions.map((action) => [action]);
}

function triggerAction(action: WorkflowAction): aws.types.input.glue.TriggerAction {
  return "job" in action
    ? { jobName: action.job, timeout: action.timeoutMinutes }
    : { crawlerName: action.crawler };
}

/** Every action of a stage SUCCEEDED (jobs report `state`, crawlers `crawlState`). */
function succeeded(stage: WorkflowStage): aws.types.input.glue.TriggerPredicate {
  return {
    logical: "AND",
    conditions: stage.map((action) =>
      "job" in action
        ? { jobName: action.job, state: "SUCCEEDED", logicalOperator: "EQUALS" }
        : { crawlerName: action.crawler, crawlState: "SUCCEEDED", logicalOperator: "EQUALS" },
    ),
  };
}

/** Problems with how a workflow starts: a Glue schedule, or event batching Glue accepts. */
function startProblems(start: WorkflowStart): ArgsProblem[] {
  if (start.type === "schedule") {
    return problemAt(["start", "expression"], glueScheduleError(start.expression), start.expression);
  }
  if (start.type !== "event") return [];
  const { batchSize, batchWindowSeconds } = start;
  return [
    ...problemAt(
      ["start", "batchSize"],
      Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 100 ? undefined : "must be 1 to 100",
      batchSize,
    ),
    ...problemAt(
      ["start", "batchWindowSeconds"],
      batchWindowSeconds !== undefined && (batchWindowSeconds < 1 || batchWindowSeconds > 900)
        ? "must be 1 to 900"
        : undefined,
      batchWindowSeconds,
    ),
  ];
}

/** Every problem with a workflow's args: at least one stage, no empty stage, and a valid start. */
export function validateGlueWorkflowArgs(args: Pick<GlueWorkflowArgs, "start" | "stages">): ArgsProblem[] {
  return [
    ...problemAt(["stages"], args.stages.length === 0 ? "needs at least one stage" : undefined),
    ...args.stages.flatMap((stage, index) =>
      problemAt(["stages", index], stage.length === 0 ? "needs at least one action" : undefined),
    ),
    ...startProblems(args.start),
  ];
}

/**
 * A Glue workflow that runs a Glue-only pipeline without Step Functions: a start trigger
 * (scheduled, on demand or EventBridge events) for the first stage, then one CONDITIONAL trigger
 * per further stage that fires when every action of the stage before it succeeded.
 */
export class GlueWorkflow extends pulumi.ComponentResource {
  readonly workflow: aws.glue.Workflow;
  readonly workflowName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  readonly startTrigger: aws.glue.Trigger;
  readonly stageTriggers: aws.glue.Trigger[];

  constructor(name: string, args: GlueWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:glue:Workflow", name, {}, opts);
    assertValidArgs("bdp:glue:Workflow", name, validateGlueWorkflowArgs(args));
    const tags = { ...pipelineTags(args.pipeline, args.slaTier), [TAG_KEYS.component]: "glue-workflow" };

    this.workflow = new aws.glue.Workflow(
      name,
      {
        name,
        description: args.description ?? `Glue workflow of pipeline ${args.pipeline}`,
        maxConcurrentRuns: args.maxConcurrentRuns ?? 1,
        tags,
      },
      { parent: this },
    );
    this.workflowName = this.workflow.name;
    this.arn = this.workflow.arn;
    const inWorkflow = { workflowName: this.workflow.name, enabled: true, tags };

    const [first, ...rest] = args.stages;
    const actions = first.map(triggerAction);
    const start = args.start;
    const startArgs: aws.glue.TriggerArgs =
      start.type === "schedule"
        ? { ...inWorkflow, type: "SCHEDULED", schedule: start.expression, startOnCreation: true, actions }
        : start.type === "event"
          ? {
              ...inWorkflow,
              type: "EVENT",
              eventBatchingConditions: [
                { batchSize: start.batchSize, batchWindow: start.batchWindowSeconds },
              ],
              actions,
            }
          : { ...inWorkflow, type: "ON_DEMAND", actions };
    this.startTrigger = new aws.glue.Trigger(`${name}-start`, startArgs, { parent: this });

    // Conditional triggers only fire once activated, hence startOnCreation.
    this.stageTriggers = rest.map(
      (stage, index) =>
        new aws.glue.Trigger(
          `${name}-stage-${index + 1}`,
          {
            ...inWorkflow,
            type: "CONDITIONAL",
            startOnCreation: true,
            predicate: succeeded(args.stages[index]),
            actions: stage.map(triggerAction),
          },
          { parent: this },
        ),
    );

    this.registerOutputs({ workflowName: this.workflowName, arn: this.arn });
  }

  /** For the role of an EventBridge rule that starts this workflow (EVENT start). */
  notifyEventStatement(): PolicyStatement {
    return { Sid: "StartGlueWorkflow", Effect: "Allow", Action: ["glue:NotifyEvent"], Resource: [this.arn] };
  }
}
