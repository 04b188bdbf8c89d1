import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { TAG_KEYS } from "../shared/tags";

export interface RepositoryArgs {
  /** KMS key that encrypts the images (the data lake key). */
  kmsKeyArn: pulumi.Input<string>;
  /** Untagged images (left behind when a tag moves or a push fails) expire after this many days. Default 3. */
  untaggedExpireDays?: number;
  /** How many tagged images to keep; older ones expire. Default 10. */
  keepTaggedImages?: number;
  /** Extra tags, e.g. pipelineTags(). */
  tags?: Record<string, string>;
}

/** One rule of an ECR lifecycle policy (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html). */
export interface LifecycleRule {
  rulePriority: number;
  description: string;
  selection:
    | { tagStatus: "untagged"; countType: "sinceImagePushed"; countUnit: "days"; countNumber: number }
    | { tagStatus: "tagged"; tagPatternList: string[]; countType: "imageCountMoreThan"; countNumber: number };
  action: { type: "expire" };
}

/**
 * The lifecycle policy: untagged images expire after `untaggedExpireDays`, and only the newest
 * `keepTaggedImages` tagged images are kept. Priorities are evaluated lowest first.
 */
export function lifecyclePolicy(untaggedExpireDays = 3, keepTaggedImages = 10): { rules: LifecycleRule[] } {
  if (!Number.isInteger(untaggedExpireDays) || untaggedExpireDays < 1) {
    throw new Error(`untaggedExpireDays must be a positive integer, got ${untaggedExpireDays}`);
  }
  if (!Number.isInteger(keepTaggedImages) || keepTaggedImages < 1) {
    throw new Error(`keepTaggedImages must be a positive integer, got ${keepTaggedImages}`);
  }
  return {
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${untaggedExpireDays} days`,
        selection: {
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countUnit: "days",
          countNumber: untaggedExpireDays,
        },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${keepTaggedImages} tagged images`,
        // "tagged" needs a tag filter; the wildcard pattern "*" selects every tag.
        selection: {
          tagStatus: "tagged",
          tagPatternList: ["*"],
          countType: "imageCountMoreThan",
          countNumber: keepTaggedImages,
        },
        action: { type: "expire" },
      },
    ],
  };
}

/**
 * An ECR repository for job images: immutable tags (a tag always means the same image, so a
 * job definition never changes under a running pipeline), scan on push, KMS encryption with
 * the lake key, and a lifecycle policy so old images do not pile up storage costs.
 */
export class Repository extends pulumi.ComponentResource {
  readonly repository: aws.ecr.Repository;
  readonly repositoryUrl: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: RepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:containers:Repository", name, {}, opts);
    const child = { parent: this };
    // The repository is named after the resource (plus a random suffix); ECR allows lower case only.
    if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name)) {
      throw new Error(
        `repository ${name}: name must be lower-case letters, digits and . _ - (an ECR repository name)`,
      );
    }
    const policy = lifecyclePolicy(args.untaggedExpireDays, args.keepTaggedImages);

    this.repository = new aws.ecr.Repository(
      name,
      {
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
        // Deleting a repository that still holds images must be a deliberate act.
        forceDelete: false,
        tags: { [TAG_KEYS.component]: "container-repository", ...args.tags },
      },
      child,
    );
    new aws.ecr.LifecyclePolicy(
      `${name}-lifecycle`,
      { repository: this.repository.name, policy: JSON.stringify(policy) },
      child,
    );

    this.repositoryUrl = this.repository.repositoryUrl;
    this.arn = this.repository.arn;
    this.registerOutputs({ repositoryUrl: this.repositoryUrl, arn: this.arn });
  }
}
