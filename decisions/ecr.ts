/**
 * Amazon ECR facts the container components and the stack config share: what an image URI
 * pinned by tag or digest looks like, and the repository it points into.
 */

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>(:<tag>|@sha256:<digest>)` */
const ECR_IMAGE_URI =
  /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([a-z0-9._/-]+?)(:[\w.-]{1,128}|@sha256:[0-9a-f]{64})$/;

/** Why `uri` is not an ECR image URI pinned by tag or digest, or undefined when it is. */
export function ecrImageUriError(uri: string): string | undefined {
  return ECR_IMAGE_URI.test(uri)
    ? undefined
    : "must be an ECR image URI with a tag or digest (<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>)";
}

/** The ECR repository ARN an image URI points into, so roles can be scoped to it. */
export function repositoryArnFromImageUri(uri: string): string {
  const match = ECR_IMAGE_URI.exec(uri);
  if (!match) throw new Error(`image ${uri} is not an ECR image URI with a tag or digest`);
  const [, account, region, china, repository] = match;
  const partition = china ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return `arn:${partition}:ecr:${region}:${account}:repository/${repository}`;
}
