import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { LakeBucket } from "./data-lake";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import { assertValidArgs } from "../shared/args";
import { repoFileError, repoPath } from "../shared/repo-files";

/**
 * File names a shipped module may have: a `.py` file is imported by its file name, so that is a
 * Python identifier; a `.zip` package is put on the path whole. Neither may hold a comma, the
 * separator of `--extra-py-files` and `--py-files`.
 */
const MODULE_FILE = /^(?:[A-Za-z_][A-Za-z0-9_]*\.py|[A-Za-z0-9_.-]+\.zip)$/;

/**
 * Why the repository paths of Python modules, given as arg `field`, cannot ship beside a job
 * script, one problem at `<field>[i]` each (none if they can): each is an existing `.py` file or
 * `.zip` package (this reads the file system), and every file name under the script's prefix (the
 * script's and the modules') is distinct.
 */
export function pythonModuleProblems(
  field: string,
  scriptPath: string,
  modulePaths: readonly string[],
): ArgsProblem[] {
  const taken = new Set([path.basename(scriptPath)]);
  return modulePaths.flatMap((modulePath, index) => {
    const file = path.basename(modulePath);
    const repeated = taken.has(file);
    taken.add(file);
    return [
      ...problemAt(
        [field, index],
        !MODULE_FILE.test(file)
          ? "must be a .py file named like a Python module (letters, digits, _) or a .zip package"
          : repoFileError(modulePath),
        modulePath,
      ),
      ...problemAt(
        [field, index],
        repeated ? `is named like another file under the script's prefix (${file})` : undefined,
        modulePath,
      ),
    ];
  });
}

/**
 * Why a job's code cannot be uploaded, one problem per field: the script (arg `scriptField`) is a
 * file of the repository, and so is each module (arg `modulesField`, see pythonModuleProblems).
 */
export function jobCodeProblems(
  scriptField: string,
  scriptPath: string,
  modulesField: string,
  modulePaths: readonly string[],
): ArgsProblem[] {
  return [
    ...problemAt([scriptField], repoFileError(scriptPath), scriptPath),
    ...pythonModuleProblems(modulesField, scriptPath, modulePaths),
  ];
}

/** A Python module uploaded beside a job script. */
export interface PythonModuleObject {
  object: aws.s3.BucketObjectv2;
  /** `s3://<bucket>/<prefix><file>` */
  s3Uri: pulumi.Output<string>;
}

export interface PythonModulesArgs {
  /** Bucket the script lives in. */
  bucket: pulumi.Input<string>;
  /** The script's key prefix, ending in `/`; the modules land beside the script. */
  prefix: string;
  /** Repository paths, already checked with pythonModuleProblems. */
  modulePaths: readonly string[];
  tags?: Record<string, string>;
}

/**
 * Uploads Python modules from the repository beside a job script, so the job can ship them:
 * Glue `--extra-py-files`, spark-submit `--py-files`. A changed file changes the object.
 */
export function uploadPythonModules(
  name: string,
  args: PythonModulesArgs,
  opts: pulumi.CustomResourceOptions,
): PythonModuleObject[] {
  return args.modulePaths.map((modulePath) => {
    const file = path.basename(modulePath);
    const object = new aws.s3.BucketObjectv2(
      `${name}-module-${file}`,
      {
        bucket: args.bucket,
        key: `${args.prefix}${file}`,
        source: new pulumi.asset.FileAsset(repoPath(modulePath)),
        contentType: file.endsWith(".zip") ? "application/zip" : "text/x-python",
        tags: args.tags,
      },
      opts,
    );
    return { object, s3Uri: pulumi.interpolate`s3://${object.bucket}/${object.key}` };
  });
}

export interface JobScriptArgs {
  /** Pipeline that owns the script: it lands under `scripts/<pipeline>/`. */
  pipeline: string;
  /** Path of the script in this repository, e.g. `jobs/spark/sales_by_store.py`. */
  sourcePath: string;
  /** The artifacts bucket of the data lake. */
  artifacts: LakeBucket;
  /**
   * Repository paths of pure-Python modules the script imports (`.py` files or `.zip` packages),
   * e.g. `jobs/common/daily_sales.py`: uploaded beside the script; submit them with `pyFilesArgs`.
   */
  modules?: string[];
}

/**
 * A job script uploaded from the repository to the artifacts bucket, so EMR and EMR Serverless
 * run exactly the reviewed code, with the Python modules it imports beside it. A changed file
 * changes the object (and its version).
 */
export class JobScript extends pulumi.ComponentResource {
  readonly object: aws.s3.BucketObjectv2;
  /** `s3://<artifacts>/scripts/<pipeline>/<file>` */
  readonly s3Uri: pulumi.Output<string>;
  /** The prefix the script and its modules live under, for read-only IAM grants. */
  readonly prefix: string;
  /** The uploaded modules, in the order given. */
  readonly modules: PythonModuleObject[];
  /** `s3://` URIs of the modules, in the order given. */
  readonly moduleUris: pulumi.Output<string[]>;
  /**
   * spark-submit options that put the modules on the Python path: `["--py-files", "<uri>,<uri>"]`,
   * or none without modules. They go before the script in an EMR step, and into an EMR Serverless
   * `sparkSubmitParameters` string joined by spaces (see the Spark docs:
   * https://spark.apache.org/docs/latest/submitting-applications.html).
   */
  readonly pyFilesArgs: pulumi.Output<string[]>;

  constructor(name: string, args: JobScriptArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:storage:JobScript", name, {}, opts);
    assertValidArgs(
      "bdp:storage:JobScript",
      name,
      jobCodeProblems("sourcePath", args.sourcePath, "modules", args.modules ?? []),
    );
    this.prefix = `scripts/${args.pipeline}/`;
    const key = `${this.prefix}${path.basename(args.sourcePath)}`;
    this.object = new aws.s3.BucketObjectv2(
      `${name}-object`,
      {
        bucket: args.artifacts.name,
        key,
        source: new pulumi.asset.FileAsset(repoPath(args.sourcePath)),
        contentType: "text/x-python",
      },
      { parent: this },
    );
    this.s3Uri = pulumi.interpolate`s3://${args.artifacts.name}/${key}`;
    this.modules = uploadPythonModules(
      name,
      { bucket: args.artifacts.name, prefix: this.prefix, modulePaths: args.modules ?? [] },
      { parent: this },
    );
    this.moduleUris = pulumi.all(this.modules.map((module) => module.s3Uri));
    this.pyFilesArgs = this.moduleUris.apply((uris) =>
      uris.length > 0 ? ["--py-files", uris.join(",")] : [],
    );
    this.registerOutputs({ s3Uri: this.s3Uri, moduleUris: this.moduleUris });
  }
}
