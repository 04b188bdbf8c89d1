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
 *   JOB_MODE             "object": one uploaded object (SOURCE_KEY); "day": every object under
 *                        SOURCE_PREFIX uploaded on one UTC day
 *
 * Set per run by an S3-upload trigger (container overrides of SubmitJob, see triggers/):
 *   SOURCE_BUCKET        bucket of the uploaded object (same as above)
 *   SOURCE_KEY           key of the uploaded object
 *
 * Set per run by a schedule (container overrides from EventBridge Scheduler's target input):
 *   SCHEDULED_TIME       when the schedule fired (ISO-8601, UTC); a day run aggregates the day
 *                        before it, whenever the job actually starts
 *
 * Set by hand for a rerun or backfill of a day run (SubmitJob container overrides):
 *   RUN_DATE             the UTC day, YYYY-MM-DD
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
  jobMode: "JOB_MODE",
  scheduledTime: "SCHEDULED_TIME",
  runDate: "RUN_DATE",
} as const;

/** What one run of a job reads: the uploaded object it was started for, or a day of uploads. */
export const BATCH_JOB_MODES = ["object", "day"] as const;
export type BatchJobMode = (typeof BATCH_JOB_MODES)[number];

/** Names AWS Batch reserves for itself; a job definition must not set them. */
export function isReservedEnvironmentName(name: string): boolean {
  return name.startsWith("AWS_BATCH");
}
