/**
 * The one rule for which S3 keys a job touches when it reads or writes a folder (a key prefix)
 * through a Hadoop-style file system, shared by every role that does: Glue jobs and crawlers,
 * EMR cluster nodes and EMR Serverless jobs.
 *
 * EMRFS (EMR's `s3://` file system) and Glue's S3 client treat a folder as more than its keys:
 * creating one writes an empty `<folder>_$folder$` marker object next to it, and probing whether
 * a path exists reads the bare key `<folder>` (no trailing "/") before listing `<folder>/`.
 * https://repost.aws/knowledge-center/emr-s3-empty-files
 */
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "./iam";
import { S3Location } from "./locations";

/** A folder in a bucket: a key prefix ending in "/" (no leading "/"), e.g. "sales/daily/". */
export type S3Folder = Pick<S3Location, "bucketArn" | "prefix">;

/** The suffix EMRFS gives the marker object of a folder it creates. */
export const FOLDER_MARKER_SUFFIX = "_$folder$";

/** The folder's own key, without its trailing "/": "sales/daily/" -> "sales/daily". */
export function folderKey(prefix: string): string {
  return prefix.replace(/\/$/, "");
}

/**
 * Object ARNs of a folder: every key under it, plus the two exact keys a Hadoop file system
 * touches beside it (the bare folder key and its `_$folder$` marker). Siblings that merely share
 * the name's start ("sales/daily_old/...") are not included.
 */
export function prefixObjectArns(folder: S3Folder): pulumi.Output<string>[] {
  const key = folderKey(folder.prefix);
  return [
    pulumi.interpolate`${folder.bucketArn}/${folder.prefix}*`,
    pulumi.interpolate`${folder.bucketArn}/${key}`,
    pulumi.interpolate`${folder.bucketArn}/${key}${FOLDER_MARKER_SUFFIX}`,
  ];
}

/**
 * ListBucket limited (condition `s3:prefix`) to the folder and everything below it, and to the
 * bare folder key, which a Hadoop file system lists before `<folder>/`.
 */
export function listFolderStatement(sid: string, folder: S3Folder): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: ["s3:ListBucket"],
    Resource: [folder.bucketArn],
    Condition: { StringLike: { "s3:prefix": [`${folder.prefix}*`, folderKey(folder.prefix)] } },
  };
}

/**
 * Pushing log files into a folder: PutObject below it, and GetBucketLocation, which the log
 * pushers of EMR nodes and EMR Serverless jobs call before their first upload. `pushSid` names the
 * first statement.
 */
export function pushLogsStatements(pushSid: string, logs: S3Folder): PolicyStatement[] {
  return [
    {
      Sid: pushSid,
      Effect: "Allow",
      Action: ["s3:PutObject"],
      Resource: [pulumi.interpolate`${logs.bucketArn}/${logs.prefix}*`],
    },
    {
      Sid: "LocateLogsBucket",
      Effect: "Allow",
      Action: ["s3:GetBucketLocation"],
      Resource: [logs.bucketArn],
    },
  ];
}
