/**
 * A fifth engine that exists only in the tests: a pipeline whose job copies its source prefix to
 * its target with a Lambda function. It is a complete EngineModule (settings, checks, resources,
 * step kind with states, IAM statements and timing template, failure rule, dashboard widgets,
 * catalog principal, cost), so registering it next to the real engines proves the wiring needs
 * nothing else.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { z } from "zod";
import { catchAll, integrationArn, StepBase, StepKind } from "../../decisions/orchestration";
import { EngineJob, EngineModule, STEP_FUNCTIONS } from "../../engines/contract";
import { serviceTrustPolicy } from "../../components/shared/iam";
import { metricWidget } from "../../components/monitoring/dashboard";

export const FAKE_ENGINE_ID = "copyFunction";

interface CopyStep extends StepBase {
  kind: "copyFunction";
  functionArn: string;
}

const COPY_STEP: StepKind<CopyStep> = {
  kind: "copyFunction",
  states: (step, ctx) => ({
    startAt: step.name,
    states: {
      [step.name]: {
        Type: "Task",
        Resource: integrationArn(ctx.partition, "lambda:invoke"),
        Parameters: { FunctionName: step.functionArn, Payload: {} },
        ResultPath: null,
        TimeoutSeconds: step.timeoutSeconds,
        Catch: catchAll(step),
        Next: ctx.next,
      },
    },
  }),
  statements: (steps) => [
    {
      Sid: "InvokeCopyFunctions",
      Effect: "Allow",
      Action: ["lambda:InvokeFunction"],
      Resource: steps.map((step) => step.functionArn),
    },
  ],
  managedRules: [],
  problems: (step) => (step.functionArn.startsWith("arn:") ? [] : ["functionArn must be an ARN"]),
  timingTemplate: (name, timeoutSeconds) => ({
    kind: "copyFunction",
    name,
    timeoutSeconds,
    functionArn: "arn:aws:lambda:us-east-1:000000000000:function:timing-template",
  }),
};

const settingsSchema = z.strictObject({
  memoryMiB: z.number().int().min(128).max(10240),
  reservedConcurrency: z.number().int().min(1),
});
type CopySettings = z.infer<typeof settingsSchema>;

/** The engine's component: the function's role (the function itself is left out of the fake). */
class CopyFunction extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly functionArn: pulumi.Output<string>;

  constructor(name: string, opts: pulumi.ComponentResourceOptions) {
    super("test:fake:CopyFunction", name, {}, opts);
    this.role = new aws.iam.Role(
      `${name}-copy`,
      { assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", "123456789012") },
      { parent: this },
    );
    this.functionArn = pulumi.output(`arn:aws:lambda:eu-west-1:123456789012:function:${name}`);
    this.registerOutputs({ functionArn: this.functionArn });
  }
}

interface CopyJob extends EngineJob {
  copy: CopyFunction;
}

export const fakeEngine: EngineModule<CopySettings, CopyJob> = {
  id: FAKE_ENGINE_ID,
  label: "Copy function",
  settingsSchema,
  networkWorkloads: [],
  stepKinds: [COPY_STEP],
  checkPipeline: (pipeline, settings, issue) => {
    if (pipeline.slaTier === "critical" && settings.reservedConcurrency < 2) {
      issue(
        [FAKE_ENGINE_ID, "reservedConcurrency"],
        "critical copies keep a spare: at least 2",
        settings.reservedConcurrency,
      );
    }
  },
  orchestration: () => STEP_FUNCTIONS,
  declare: (pipeline, _settings, ctx) => {
    const copy = new CopyFunction(ctx.nameOf(pipeline.name), ctx.opts);
    return {
      copy,
      catalogPrincipalArn: copy.role.arn,
      step: (name, timeoutSeconds) =>
        copy.functionArn.apply((arn): CopyStep => ({
          kind: "copyFunction",
          name,
          timeoutSeconds,
          functionArn: arn,
        })),
    };
  },
  failureRules: (ctx, jobs) => [
    {
      kind: "copyFunction",
      suffix: "copy-function-failed",
      description: `Copy functions of ${ctx.environment} that failed`,
      pattern: { source: ["aws.lambda"], detail: { functionArn: jobs.map((job) => job.copy.functionArn) } },
      inputPaths: { time: "$.time" },
      inputTemplate: JSON.stringify("copy failed at <time>"),
    },
  ],
  dashboardWidgets: (jobs) => [
    metricWidget(
      "Copy functions: errors",
      jobs.map((job) => ["AWS/Lambda", "Errors", "FunctionName", job.copy.functionArn]),
    ),
  ],
  costUsage: (_pipeline, settings) => ({
    usage: {
      engine: "batch",
      vcpu: 0.25,
      memoryGb: settings.memoryMiB / 1024,
      architecture: "ARM64",
      spot: false,
    },
    startupMinutes: 0,
  }),
};
