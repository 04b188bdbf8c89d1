/**
 * Failure classes of the job. Each maps to its own process exit code so the
 * AWS Batch job definition can tell "do not retry, the input is bad" (data /
 * configuration errors) from "retry, something transient failed" (S3 I/O).
 */
export const EXIT_OK = 0;
/** Unexpected failure (a bug). */
export const EXIT_INTERNAL = 1;
/** Missing or invalid configuration (env var / argument). Retrying will not help. */
export const EXIT_CONFIG = 2;
/** The source object is not a valid sales file. Retrying will not help. */
export const EXIT_INVALID_INPUT = 3;
/** Reading the source or writing the result failed. May be transient; retrying can help. */
export const EXIT_IO = 4;

export abstract class JobError extends Error {
  abstract readonly exitCode: number;
  abstract readonly kind: string;
}

export class ConfigError extends JobError {
  readonly exitCode = EXIT_CONFIG;
  readonly kind = "configuration error";
}

/** A problem in the input data. `line` is 1-based (the header is line 1); `column` is a header name. */
export class InputError extends JobError {
  readonly exitCode = EXIT_INVALID_INPUT;
  readonly kind = "invalid input";
  constructor(
    readonly detail: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(
      [line !== undefined ? `line ${line}` : undefined, column !== undefined ? `column ${column}` : undefined]
        .filter((part) => part !== undefined)
        .join(", ") + (line !== undefined || column !== undefined ? `: ${detail}` : detail),
    );
  }
}

export class IoError extends JobError {
  readonly exitCode = EXIT_IO;
  readonly kind = "S3 error";
}

/** Collapses a message to one line so each failure is exactly one log line in CloudWatch. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}
