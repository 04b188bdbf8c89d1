import * as pulumi from "@pulumi/pulumi";
import * as awsx from "@pulumi/awsx";

/** Where a job's image comes from. */
export type ImageSource =
  | {
      kind: "build";
      /** Docker build context, relative to the Pulumi project directory (e.g. "jobs/sales-aggregator"). */
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

const ECR_IMAGE_URI =
  /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([a-z0-9._/-]+?)(:[\w.-]{1,128}|@sha256:[0-9a-f]{64})$/;

/** The ECR repository ARN an image URI points into, so roles can be scoped to it. */
export function repositoryArnFromImageUri(uri: string): string {
  const match = ECR_IMAGE_URI.exec(uri);
  if (!match) {
    throw new Error(
      `image ${uri} is not an ECR image URI with a tag or digest (<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>)`,
    );
  }
  const [, account, region, china, repository] = match;
  const partition = china ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return `arn:${partition}:ecr:${region}:${account}:repository/${repository}`;
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
    const source = args.source;
    if (source.kind === "build") {
      if (args.repository === undefined) {
        throw new Error(`image ${name}: kind "build" needs a repository to push to`);
      }
      const image = new awsx.ecr.Image(
        name,
        {
          repositoryUrl: args.repository.repositoryUrl,
          context: source.context,
          dockerfile: source.dockerfile,
          platform: IMAGE_PLATFORM,
        },
        { parent: this },
      );
      this.imageUri = image.imageUri;
      this.repositoryArn = pulumi.output(args.repository.arn);
    } else {
      // Parsed now, so a malformed URI fails the preview instead of the first job's image pull.
      this.repositoryArn = pulumi.output(repositoryArnFromImageUri(source.uri));
      this.imageUri = pulumi.output(source.uri);
    }
    this.registerOutputs({ imageUri: this.imageUri, repositoryArn: this.repositoryArn });
  }
}
