/**
 * The data locations components read and write, one shape each for every component: an S3
 * location (a key prefix in a bucket) and a table of a central-catalog database.
 */
import * as pulumi from "@pulumi/pulumi";
import { ArgsProblem, FieldPath, problemAt } from "../../decisions/problems";
import { s3PrefixError, S3PrefixOptions } from "../../decisions/s3";

/** A key prefix in a bucket, e.g. the raw bucket and "incoming/sales/". */
export interface S3Location {
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  /**
   * Key prefix ending with "/" (no leading "/"), e.g. "sales/daily/"; a plain string so IAM
   * statements scoped to it are exact (rule: decisions/s3.ts).
   */
  prefix: string;
}

/** A Glue database of the central catalog (CatalogDatabase fits). */
export interface CatalogDatabaseRef {
  /** The Glue database name. */
  name: pulumi.Input<string>;
  arn: pulumi.Input<string>;
}

/** A table of a catalog database. */
export interface CatalogTable<Database extends CatalogDatabaseRef = CatalogDatabaseRef> {
  database: Database;
  table: string;
}

/** `s3://bucket/prefix` of a location. */
export function s3Uri(location: S3Location): pulumi.Output<string> {
  return pulumi.interpolate`s3://${location.bucketName}/${location.prefix}`;
}

/** The problem with a location's prefix, reported at `<path>.prefix`; none when it is valid. */
export function locationProblems(
  path: FieldPath,
  location: Pick<S3Location, "prefix">,
  options?: S3PrefixOptions,
): ArgsProblem[] {
  return problemAt([...path, "prefix"], s3PrefixError(location.prefix, options), location.prefix);
}

/** The problems of a list of locations, each at `<field>[index].prefix`. */
export function locationListProblems(
  field: string,
  locations: readonly Pick<S3Location, "prefix">[],
): ArgsProblem[] {
  return locations.flatMap((location, index) => locationProblems([field, index], location));
}
