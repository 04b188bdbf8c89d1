/**
 * The contract between the platform and a Batch job container: environment variables.
 *
 * Set by the job definition (every run):
 *   SOURCE_BUCKET        bucket the job reads (its source zone)
 *   SOURCE_PREFIX        key prefix the job may read under
 *   TARGET_BUCKET        bucket the job writes (its target zone)
 *   TARGET_PREFIX        key prefix the job writes under
 *   SOURCE_KEY_ENCODING  "raw": keys arrive exactly as stored (EventBridge S3 events are not URL-encoded)
 *   PIPELINE_NAME        the pipeline's name, for logs and metrics
 *
 * Set per run by an S3-upload trigger (container overrides of SubmitJob, see triggers/):
 *   SOURCE_BUCKET        bucket of the uploaded object (same as above)
 *   SOURCE_KEY           key of the uploaded object
 *
 * Overrides use `ContainerOverrides.Environment` rather than job `parameters` + `Ref::` in
 * the command, so the image's own ENTRYPOINT/CMD stay untouched and scheduled runs (no
 * object) need no placeholder values.
 */
export const JOB_ENV = {
  sourceBucket: "SOURCE_BUCKET",
  sourcePrefix: "SOURCE_PREFIX",
  sourceKey: "SOURCE_KEY",
  sourceKeyEncoding: "SOURCE_KEY_ENCODING",
  targetBucket: "TARGET_BUCKET",
  targetPrefix: "TARGET_PREFIX",
  pipelineName: "PIPELINE_NAME",
} as const;

/** Names AWS Batch reserves for itself; a job definition must not set them. */
export function isReservedEnvironmentName(name: string): boolean {
  return name.startsWith("AWS_BATCH");
}
