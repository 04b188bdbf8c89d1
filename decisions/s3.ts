/**
 * The one rule for S3 key prefixes the platform scopes data access to (config locations, IAM
 * statements, job environment, S3 upload triggers).
 *
 * A prefix is one or more folder segments, each ending with "/", with no leading "/". Segments use
 * the characters S3 documents as safe in key names (letters, digits and ! - _ . ' ( )) plus "=",
 * which S3 lists as needing special handling in URLs but which Hive-style partitions
 * (`year=2024/`) need; "." and ".." segments are refused because SDKs and the console treat them as
 * relative paths. A prefix is part of every key below it, and keys are at most 1,024 bytes.
 * Source: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
 *
 * "*" (also "safe" for S3) is refused: the prefix ends up in IAM resource ARNs and s3:prefix
 * conditions, where "*" and "?" are wildcards and would widen the grant.
 * Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */

/** Keys, and so their prefixes, are at most 1,024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

const SEGMENT = /^[A-Za-z0-9!_.'()=-]+$/;

export interface S3PrefixOptions {
  /** Accept "" (the whole bucket), e.g. for an upload trigger on a bucket. Default false. */
  allowWholeBucket?: boolean;
}

/** Why `prefix` is not a key prefix the platform accepts, or undefined when it is. */
export function s3PrefixError(prefix: string, options: S3PrefixOptions = {}): string | undefined {
  const expected = 'must be a key prefix such as "sales/daily/" (ends with "/", no leading "/")';
  if (prefix === "") return options.allowWholeBucket ? undefined : `${expected}, not empty`;
  if (!prefix.endsWith("/") || prefix.startsWith("/")) return expected;
  if (Buffer.byteLength(prefix, "utf8") >= MAX_KEY_BYTES) {
    return `must be shorter than ${MAX_KEY_BYTES} bytes (S3 keys are at most ${MAX_KEY_BYTES})`;
  }
  for (const segment of prefix.slice(0, -1).split("/")) {
    if (segment === "") return `${expected}; "//" makes an empty folder name`;
    if (segment === "." || segment === "..") return `must not contain a "${segment}" folder`;
    if (!SEGMENT.test(segment)) {
      return `folder "${segment}" may use only letters, digits and ! - _ . ' ( ) = ("*" and "?" are IAM wildcards)`;
    }
  }
  return undefined;
}
