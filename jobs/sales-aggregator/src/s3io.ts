import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { gunzipSync } from "node:zlib";
import { JobConfig } from "./config";
import { InputError, IoError, oneLine } from "./errors";

/** Creates the S3 client from the job configuration (credentials come from the SDK's default chain). */
export function createS3Client(config: JobConfig["s3"]): S3Client {
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    maxAttempts: 5,
  });
}

export interface SourceObject {
  text: string;
  bytes: number;
  etag?: string;
  versionId?: string;
}

function describe(error: unknown): string {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata?.httpStatusCode;
    return `${error.name}${status !== undefined ? ` (HTTP ${status})` : ""}: ${error.message}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Reads the whole source object into memory (gunzipped when it starts with the gzip magic
 * bytes) and decodes it as UTF-8. Refuses objects larger than `maxBytes`.
 */
export async function readSource(
  s3: S3Client,
  bucket: string,
  key: string,
  maxBytes: number,
): Promise<SourceObject> {
  const where = `s3://${bucket}/${key}`;
  let bytes: Uint8Array;
  let etag: string | undefined;
  let versionId: string | undefined;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (response.ContentLength !== undefined && response.ContentLength > maxBytes) {
      (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
      throw new InputError(
        `the object is ${response.ContentLength} bytes, more than MAX_SOURCE_BYTES=${maxBytes}`,
      );
    }
    bytes = (await response.Body?.transformToByteArray()) ?? new Uint8Array();
    etag = response.ETag;
    versionId = response.VersionId;
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (error instanceof S3ServiceException && (error.name === "NoSuchKey" || error.name === "NotFound")) {
      throw new InputError("the object does not exist");
    }
    throw new IoError(oneLine(`GetObject ${where} failed: ${describe(error)}`));
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      throw new InputError(
        oneLine(`the object looks gzip-compressed but cannot be decompressed: ${describe(error)}`),
      );
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError("the file is not valid UTF-8 text");
  }
  return { text, bytes: bytes.length, etag, versionId };
}

/** One object found by {@link listUploadsOfDay}. */
export interface ListedObject {
  key: string;
  size: number;
}

/**
 * The objects under `prefix` last modified on the UTC day `day` (`YYYY-MM-DD`), sorted by key.
 * Lists every page (ListObjectsV2 returns at most 1,000 keys per request:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html) but refuses to walk
 * more than `maxListed` keys, so a prefix that grew without bound fails clearly instead of
 * running until the attempt timeout. Folder markers (keys ending in "/") are skipped.
 */
export async function listUploadsOfDay(
  s3: S3Client,
  bucket: string,
  prefix: string,
  day: string,
  limits: { maxListed: number; pageSize: number },
): Promise<ListedObject[]> {
  const start = Date.parse(`${day}T00:00:00Z`);
  const end = start + 24 * 60 * 60 * 1000;
  const found: ListedObject[] = [];
  let listed = 0;
  let token: string | undefined;
  do {
    let page;
    try {
      page = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          MaxKeys: limits.pageSize,
          ContinuationToken: token,
        }),
      );
    } catch (error) {
      throw new IoError(oneLine(`ListObjectsV2 s3://${bucket}/${prefix} failed: ${describe(error)}`));
    }
    for (const object of page.Contents ?? []) {
      listed += 1;
      if (listed > limits.maxListed) {
        throw new InputError(
          `more than MAX_LISTED_OBJECTS=${limits.maxListed} objects under s3://${bucket}/${prefix}: ` +
            "expire or move old uploads out of the prefix, or raise MAX_LISTED_OBJECTS",
        );
      }
      const modified = object.LastModified?.getTime();
      if (object.Key === undefined || object.Key.endsWith("/") || modified === undefined) continue;
      if (modified >= start && modified < end) found.push({ key: object.Key, size: object.Size ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Output metadata naming one source object (its ETag and version when S3 reported them). */
export function objectSourceMetadata(source: {
  bucket: string;
  key: string;
  etag?: string;
  versionId?: string;
}): Record<string, string> {
  const metadata: Record<string, string> = {
    "source-bucket": source.bucket,
    "source-key": encodeURIComponent(source.key),
  };
  if (source.etag !== undefined) metadata["source-etag"] = source.etag.replace(/"/g, "");
  if (source.versionId !== undefined) metadata["source-version-id"] = source.versionId;
  return metadata;
}

/**
 * Writes the result as ONE object with one PutObject, which S3 applies atomically: a reader
 * sees the previous version or the new one, never a partial file. The body and metadata
 * depend only on the sources, so a rerun over the same sources writes identical content to the
 * same key.
 */
export async function writeResult(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string,
  metadata: Record<string, string>,
): Promise<void> {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: "text/csv; charset=utf-8",
        Metadata: metadata,
      }),
    );
  } catch (error) {
    throw new IoError(oneLine(`PutObject s3://${bucket}/${key} failed: ${describe(error)}`));
  }
}
