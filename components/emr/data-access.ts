/**
 * What an EMR job may touch, as IAM statements: the EC2 instance role of a cluster and the job
 * runtime role of an EMR Serverless application get the same data permissions from here.
 */
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "../shared/iam";
import { lakeKeyStatement } from "../storage/kms";
import { AwsScope, glueArn } from "../shared/aws-scope";
import { ArgsProblem } from "../../decisions/problems";
import { CatalogDatabaseRef, locationListProblems, locationProblems, S3Location } from "../shared/locations";
import { listFolderStatement, prefixObjectArns } from "../shared/s3-folder";

/** What a pipeline's EMR jobs read and write. */
export interface EmrJobAccess {
  /** Locations jobs read (sources). */
  read: S3Location[];
  /** Locations jobs write (targets); also readable, since Spark reads what it appends to or overwrites. */
  write: S3Location[];
  /** Databases whose tables jobs read. */
  readDatabases: CatalogDatabaseRef[];
  /** Databases in which jobs create and update tables and partitions. */
  writeDatabases: CatalogDatabaseRef[];
  /** Job scripts: artifacts bucket and prefix, read-only. */
  scripts: S3Location;
}

/** Problems with the prefixes of a job's locations, at `read[i].prefix`, `write[i].prefix`, `scripts.prefix`. */
export function jobAccessProblems(access: EmrJobAccess): ArgsProblem[] {
  return [
    ...locationListProblems("read", access.read),
    ...locationListProblems("write", access.write),
    ...locationProblems(["scripts"], access.scripts),
  ];
}

/** Job access plus the data lake key (SSE-KMS of every bucket, local disks, logs). */
export interface EmrDataAccess extends EmrJobAccess {
  keyArn: pulumi.Input<string>;
}

/** Glue reads a Spark/Hive session makes on the databases it uses. */
export const GLUE_READ_ACTIONS = [
  "glue:BatchGetPartition",
  "glue:GetDatabase",
  "glue:GetDatabases",
  "glue:GetPartition",
  "glue:GetPartitions",
  "glue:GetTable",
  "glue:GetTables",
  "glue:GetUserDefinedFunction",
  "glue:GetUserDefinedFunctions",
];

/** Glue writes of jobs that create or replace tables and add partitions. */
export const GLUE_WRITE_ACTIONS = [
  "glue:BatchCreatePartition",
  "glue:BatchDeletePartition",
  "glue:BatchUpdatePartition",
  "glue:CreatePartition",
  "glue:CreateTable",
  "glue:DeletePartition",
  "glue:DeleteTable",
  "glue:UpdatePartition",
  "glue:UpdateTable",
];

/** Object actions on target prefixes: Spark's committers write, rename (copy + delete) and abort uploads. */
export const S3_WRITE_ACTIONS = [
  "s3:AbortMultipartUpload",
  "s3:DeleteObject",
  "s3:GetObject",
  "s3:ListMultipartUploadParts",
  "s3:PutObject",
];

/** `arn/prefix*`: the objects under a prefix. */
export function objectsUnder(location: S3Location): pulumi.Output<string> {
  return pulumi.interpolate`${location.bucketArn}/${location.prefix}*`;
}

/**
 * S3, Glue and KMS statements for a job's data: list + read sources, list + read + write targets
 * (each with the folder's bare key and `_$folder$` marker EMRFS touches), read scripts, catalog reads on every database it uses (plus `default`, which Spark's Hive client
 * looks up at start), catalog writes on target databases only, and use of the lake key.
 */
export function dataAccessStatements(access: EmrDataAccess, scope: AwsScope): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const buckets = [
    ...access.read.map((location) => location.bucketArn),
    ...access.write.map((location) => location.bucketArn),
    access.scripts.bucketArn,
  ];
  statements.push({
    Sid: "LocateBuckets",
    Effect: "Allow",
    Action: ["s3:GetBucketLocation"],
    Resource: buckets,
  });
  access.read.forEach((location, index) => {
    statements.push(listFolderStatement(`ListSource${index + 1}`, location));
    statements.push({
      Sid: `ReadSource${index + 1}`,
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: prefixObjectArns(location),
    });
  });
  access.write.forEach((location, index) => {
    statements.push(listFolderStatement(`ListTarget${index + 1}`, location));
    statements.push({
      Sid: `WriteTarget${index + 1}`,
      Effect: "Allow",
      Action: S3_WRITE_ACTIONS,
      Resource: prefixObjectArns(location),
    });
  });
  statements.push(listFolderStatement("ListScripts", access.scripts));
  statements.push({
    Sid: "ReadScripts",
    Effect: "Allow",
    Action: ["s3:GetObject"],
    Resource: [objectsUnder(access.scripts)],
  });

  const databases = [...access.readDatabases, ...access.writeDatabases];
  statements.push({
    Sid: "ReadCatalog",
    Effect: "Allow",
    Action: GLUE_READ_ACTIONS,
    Resource: [
      glueArn(scope, "catalog"),
      glueArn(scope, "database/default"),
      ...databases.map((database) => database.arn),
      ...databases.map((database) => glueArn(scope, pulumi.interpolate`table/${database.name}/*`)),
      ...databases.map((database) =>
        glueArn(scope, pulumi.interpolate`userDefinedFunction/${database.name}/*`),
      ),
    ],
  });
  if (access.writeDatabases.length > 0) {
    statements.push({
      Sid: "WriteCatalog",
      Effect: "Allow",
      Action: GLUE_WRITE_ACTIONS,
      Resource: [
        glueArn(scope, "catalog"),
        ...access.writeDatabases.map((database) => database.arn),
        ...access.writeDatabases.map((database) =>
          glueArn(scope, pulumi.interpolate`table/${database.name}/*`),
        ),
      ],
    });
  }
  statements.push(lakeKeyStatement(access.keyArn));
  return statements;
}
