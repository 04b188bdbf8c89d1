import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { TAG_KEYS } from "../shared/tags";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import { assertValidArgs } from "../shared/args";

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

/** Default lifecycle: untagged images expire after 3 days; the newest 10 tagged images are kept. */
const DEFAULT_UNTAGGED_EXPIRE_DAYS = 3;
const DEFAULT_KEEP_TAGGED_IMAGES = 10;

function positiveCountError(value: number): string | undefined {
  return Number.isInteger(value) && value >= 1 ? undefined : "must be a positive integer";
}

/** Problems with the lifecycle counts (a rule's countNumber is a positive integer). */
function lifecycleProblems(untaggedExpireDays: number, keepTaggedImages: number): ArgsProblem[] {
  return [
    ...problemAt(["untaggedExpireDays"], positiveCountError(untaggedExpireDays), untaggedExpireDays),
    ...problemAt(["keepTaggedImages"], positiveCountError(keepTaggedImages), keepTaggedImages),
  ];
}

/**
 * Every problem with a repository's name and args: the repository is named after the resource
 * (plus a random suffix) and ECR allows lower case only; the lifecycle counts are positive integers.
 */
export function validateRepositoryArgs(
  name: string,
  args: Pick<RepositoryArgs, "untaggedExpireDays" | "keepTaggedImages">,
): ArgsProblem[] {
  return [
    ...problemAt(
      ["name"],
      /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name)
        ? undefined
        : "must be lower-case letters, digits and . _ - (an ECR repository name)",
      name,
    ),
    ...lifecycleProblems(
      args.untaggedExpireDays ?? DEFAULT_UNTAGGED_EXPIRE_DAYS,
      args.keepTaggedImages ?? DEFAULT_KEEP_TAGGED_IMAGES,
    ),
  ];
}

/**
 * The lifecycle policy: untagged images expire after `untaggedExpireDays`, and only the newest
 * `keepTaggedImages` tagged images are kept. Priorities are evaluated lowest first.
 */
export function lifecyclePolicy(
  untaggedExpireDays = DEFAULT_UNTAGGED_EXPIRE_DAYS,
  keepTaggedImages = DEFAULT_KEEP_TAGGED_IMAGES,
): { rules: LifecycleRule[] } {
  const [problem] = lifecycleProblems(untaggedExpireDays, keepTaggedImages);
  if (problem) throw new Error(`${problem.path[0]} ${problem.message}, got ${problem.given}`);
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
    assertValidArgs("bdp:containers:Repository", name, validateRepositoryArgs(name, args));
    const child = { parent: this };
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
