import * as pulumi from "@pulumi/pulumi";
import * as awsx from "@pulumi/awsx";
import { ecrImageUriError, repositoryArnFromImageUri } from "../../decisions/ecr";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import { assertValidArgs } from "../shared/args";
import { dockerBuildContextError } from "../shared/repo-files";

export { repositoryArnFromImageUri };

/** Where a job's image comes from. */
export type ImageSource =
  | {
      kind: "build";
      /** Docker build context, relative to the repository root (e.g. "jobs/sales-aggregator"). */
      context: string;
      /** Dockerfile path; default `<context>/Dockerfile`. */
      dockerfile?: string;
    }
  | {
      kind: "uri";
      /** An image already in ECR, pinned by tag or digest (<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>). */
      uri: string;
    };

export interface ContainerImageArgs {
  source: ImageSource;
  /** Repository a built image is pushed to (a Repository component fits). Ignored for `uri`. */
  repository?: { repositoryUrl: pulumi.Input<string>; arn: pulumi.Input<string> };
}

/** Platform every job image is built for: Batch runs them on Graviton (ARM64) only. */
export const IMAGE_PLATFORM = "linux/arm64";

/**
 * Every problem with an image's args: a build needs a folder of this repository with a Dockerfile
 * (this reads the file system) and a repository to push to; a URI must be a pinned ECR image.
 */
export function validateContainerImageArgs(args: ContainerImageArgs): ArgsProblem[] {
  const source = args.source;
  if (source.kind === "uri") return problemAt(["source", "uri"], ecrImageUriError(source.uri), source.uri);
  return [
    ...problemAt(["source", "context"], dockerBuildContextError(source.context), source.context),
    ...problemAt(
      ["repository"],
      args.repository === undefined ? 'is required for kind "build" (the repository to push to)' : undefined,
    ),
  ];
}

/**
 * A job image: built from a Dockerfile in this repository and pushed to ECR (awsx.ecr.Image,
 * needs a Docker engine at deploy time), or an existing ECR image given by URI. Either way
 * `imageUri` is what job definitions use: for a build it is pinned by digest, so a new build
 * means a new job definition revision.
 */
export class ContainerImage extends pulumi.ComponentResource {
  readonly imageUri: pulumi.Output<string>;
  /** ARN of the repository holding the image: the execution role may pull only from it. */
  readonly repositoryArn: pulumi.Output<string>;

  constructor(name: string, args: ContainerImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:containers:Image", name, {}, opts);
    assertValidArgs("bdp:containers:Image", name, validateContainerImageArgs(args));
    const source = args.source;
    if (source.kind === "build") {
      const repository = args.repository!;
      const image = new awsx.ecr.Image(
        name,
        {
          repositoryUrl: repository.repositoryUrl,
          context: source.context,
          dockerfile: source.dockerfile,
          platform: IMAGE_PLATFORM,
        },
        { parent: this },
      );
      this.imageUri = image.imageUri;
      this.repositoryArn = pulumi.output(repository.arn);
    } else {
      // Validated above, so a malformed URI fails the preview instead of the first job's image pull.
      this.repositoryArn = pulumi.output(repositoryArnFromImageUri(source.uri));
      this.imageUri = pulumi.output(source.uri);
    }
    this.registerOutputs({ imageUri: this.imageUri, repositoryArn: this.repositoryArn });
  }
}
