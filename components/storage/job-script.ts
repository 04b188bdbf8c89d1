import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { LakeBucket } from "./data-lake";

export interface JobScriptArgs {
  /** Pipeline that owns the script: it lands under `scripts/<pipeline>/`. */
  pipeline: string;
  /** Path of the script in this repository, e.g. `jobs/spark/sales_by_store.py`. */
  sourcePath: string;
  /** The artifacts bucket of the data lake. */
  artifacts: LakeBucket;
}

/**
 * A job script uploaded from the repository to the artifacts bucket, so EMR and EMR Serverless
 * run exactly the reviewed code. A changed file changes the object (and its version).
 */
export class JobScript extends pulumi.ComponentResource {
  readonly object: aws.s3.BucketObjectv2;
  /** `s3://<artifacts>/scripts/<pipeline>/<file>` */
  readonly s3Uri: pulumi.Output<string>;
  /** The prefix the script lives under, for read-only IAM grants. */
  readonly prefix: string;

  constructor(name: string, args: JobScriptArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:storage:JobScript", name, {}, opts);
    this.prefix = `scripts/${args.pipeline}/`;
    const key = `${this.prefix}${path.basename(args.sourcePath)}`;
    this.object = new aws.s3.BucketObjectv2(
      `${name}-object`,
      {
        bucket: args.artifacts.name,
        key,
        source: new pulumi.asset.FileAsset(path.resolve(__dirname, "..", "..", args.sourcePath)),
        contentType: "text/x-python",
      },
      { parent: this },
    );
    this.s3Uri = pulumi.interpolate`s3://${args.artifacts.name}/${key}`;
    this.registerOutputs({ s3Uri: this.s3Uri });
  }
}
