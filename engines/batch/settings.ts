/** The `batch` settings block of a pipeline: the container image, its Fargate size and attempts. */
import { z } from "zod";
import { fargateSizeProblems } from "../../decisions/fargate";
import { batchAttemptsError, batchPlatform, ec2SpotError } from "../../decisions/batch";
import { ecrImageUriError } from "../../decisions/ecr";
import { addProblems, PipelineDefinition, PipelineIssue, refineWith } from "../../decisions/pipeline";
import { problemAt } from "../../decisions/problems";
import { dockerBuildContextError } from "../../components/shared/repo-files";

const imageSchema = z
  .strictObject({
    /** Build the image from a Dockerfile in this repository (needs a Docker engine at deploy time). */
    buildContext: z
      .string()
      .regex(/^jobs\/[A-Za-z0-9_./-]+$/, "must be a folder under jobs/ in this repository")
      .optional(),
    /** Or use an existing image, e.g. one pushed by another pipeline's CI. */
    uri: z.string().superRefine(refineWith(ecrImageUriError)).optional(),
  })
  .refine((image) => (image.buildContext === undefined) !== (image.uri === undefined), {
    message: "give exactly one of buildContext and uri",
  })
  // The ContainerImage component's check of its build context, at this block's key.
  .superRefine((image, ctx) => {
    if (image.buildContext !== undefined) {
      addProblems(
        ctx,
        problemAt(["buildContext"], dockerBuildContextError(image.buildContext), image.buildContext),
      );
    }
  });

export const batchSettingsSchema = z
  .strictObject({
    image: imageSchema,
    vcpu: z.number().positive(),
    memoryMiB: z.number().int().positive(),
    /** Extra EC2 Spot compute environment with Graviton instances (cheaper for long jobs). */
    ec2Spot: z.boolean().default(false),
    /** Attempts in total, including the first; Spot reclaims and host failures are retried. */
    attempts: z.number().superRefine(refineWith(batchAttemptsError)),
  })
  .superRefine((batch, ctx) => {
    // The same size rule as the job definition (components/batch/job-definition.ts).
    if (batchPlatform(batch.ec2Spot) === "FARGATE")
      addProblems(ctx, fargateSizeProblems(batch.vcpu, batch.memoryMiB));
  });

export type BatchSettings = z.infer<typeof batchSettingsSchema>;

/** How a Batch pipeline without steps runs: EventBridge submits the job directly. */
export const EVENTBRIDGE_BATCH = "eventBridgeBatch";

/**
 * Checks that involve the rest of the pipeline: the tier allows the capacity (no EC2 Spot for
 * critical pipelines, as the compute queue checks); and an S3-upload trigger hands the uploaded
 * key to the job only when EventBridge submits it directly (in a state machine the Batch step's
 * overrides are fixed, so the job would run without an object to read).
 */
export function checkBatchPipeline(
  pipeline: PipelineDefinition,
  settings: BatchSettings,
  issue: PipelineIssue,
): void {
  const spotProblem = ec2SpotError(pipeline.slaTier, settings.ec2Spot);
  if (spotProblem) issue(["batch", "ec2Spot"], spotProblem, settings.ec2Spot);
  if (pipeline.trigger.type === "s3Upload" && pipeline.steps !== undefined) {
    issue(
      ["steps"],
      "an S3-triggered Batch pipeline runs without steps: EventBridge then submits the job with the uploaded object's key, which a state machine's Batch step does not pass",
    );
  }
}
