/** The `batch` settings block of a pipeline: the container image, its Fargate size and attempts. */
import { z } from "zod";
import { fargateSizeError } from "../../decisions/fargate";
import { PipelineDefinition, PipelineIssue } from "../../decisions/pipeline";

const imageSchema = z
  .strictObject({
    /** Build the image from a Dockerfile in this repository (needs a Docker engine at deploy time). */
    buildContext: z
      .string()
      .regex(/^jobs\/[A-Za-z0-9_./-]+$/, "must be a folder under jobs/ in this repository")
      .optional(),
    /** Or use an existing image, e.g. one pushed by another pipeline's CI. */
    uri: z
      .string()
      .regex(
        /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[a-z0-9._/-]+(:[\w.-]{1,128}|@sha256:[0-9a-f]{64})$/,
        "must be an ECR image URI with a tag or digest (<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>)",
      )
      .optional(),
  })
  .refine((image) => (image.buildContext === undefined) !== (image.uri === undefined), {
    message: "give exactly one of buildContext and uri",
  });

export const batchSettingsSchema = z
  .strictObject({
    image: imageSchema,
    vcpu: z.number().positive(),
    memoryMiB: z.number().int().positive(),
    /** Extra EC2 Spot compute environment with Graviton instances (cheaper for long jobs). */
    ec2Spot: z.boolean().default(false),
    /** Attempts in total, including the first; Spot reclaims and host failures are retried. */
    attempts: z.number().int().min(1).max(10),
  })
  .superRefine((batch, ctx) => {
    const problem = fargateSizeError(batch.vcpu, batch.memoryMiB);
    if (problem)
      ctx.addIssue({ code: "custom", path: ["memoryMiB"], message: problem, input: batch.memoryMiB });
  });

export type BatchSettings = z.infer<typeof batchSettingsSchema>;

/** How a Batch pipeline without steps runs: EventBridge submits the job directly. */
export const EVENTBRIDGE_BATCH = "eventBridgeBatch";

/**
 * An S3-upload trigger hands the uploaded key to the job only when EventBridge submits it
 * directly; in a state machine the Batch step's overrides are fixed, so the job would run
 * without an object to read.
 */
export function checkBatchPipeline(
  pipeline: PipelineDefinition,
  _settings: BatchSettings,
  issue: PipelineIssue,
): void {
  if (pipeline.trigger.type === "s3Upload" && pipeline.steps !== undefined) {
    issue(
      ["steps"],
      "an S3-triggered Batch pipeline runs without steps: EventBridge then submits the job with the uploaded object's key, which a state machine's Batch step does not pass",
    );
  }
}
