import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  lifecyclePolicy,
  Repository,
  validateRepositoryArgs,
} from "../../../components/containers/repository";
import { formatArgsProblem } from "../../../decisions/problems";
import {
  ContainerImage,
  IMAGE_PLATFORM,
  repositoryArnFromImageUri,
  validateContainerImageArgs,
} from "../../../components/containers/image";
import { Synthesized, synthesizeComponents } from "../../support/synth";
import { invalidArgsError } from "../../support/problems";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/lake-key-id";
const IMAGE_URI = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs/sales-aggregator:1.4.2";

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply(done));
}

describe("Repository component", () => {
  let result: Synthesized;
  before(async () => {
    result = await synthesizeComponents((opts) => {
      new Repository("jobs", { kmsKeyArn: KEY_ARN, tags: { pipeline: "sales" } }, opts);
    });
  });

  it("is immutable, scans on push, is encrypted with the lake key and is not force-deleted", () => {
    const repository = result.one("aws:ecr/repository:Repository");
    assert.equal(repository.inputs.imageTagMutability, "IMMUTABLE");
    assert.deepEqual(repository.inputs.imageScanningConfiguration, { scanOnPush: true });
    assert.deepEqual(repository.inputs.encryptionConfigurations, [
      { encryptionType: "KMS", kmsKey: KEY_ARN },
    ]);
    assert.equal(repository.inputs.forceDelete, false);
    assert.equal(repository.inputs.tags.pipeline, "sales");
    assert.equal(result.componentOf(repository), "bdp:containers:Repository");
  });

  it("expires untagged images after 3 days and keeps the last 10 tagged images, in priority order", () => {
    const policy = result.json(result.one("aws:ecr/lifecyclePolicy:LifecyclePolicy"), "policy");
    assert.deepEqual(
      policy.rules.map((rule: any) => rule.rulePriority),
      [1, 2],
    );
    const [untagged, tagged] = policy.rules;
    assert.deepEqual(untagged.selection, {
      tagStatus: "untagged",
      countType: "sinceImagePushed",
      countUnit: "days",
      countNumber: 3,
    });
    assert.deepEqual(tagged.selection, {
      tagStatus: "tagged",
      tagPatternList: ["*"],
      countType: "imageCountMoreThan",
      countNumber: 10,
    });
    for (const rule of policy.rules) assert.deepEqual(rule.action, { type: "expire" });
  });

  it("follows ECR's lifecycle rules: unique priorities, tagged rules filter by tag, untagged rules do not", () => {
    const { rules } = lifecyclePolicy(7, 25);
    assert.equal(new Set(rules.map((rule) => rule.rulePriority)).size, rules.length);
    for (const rule of rules) {
      const selection: any = rule.selection;
      if (selection.tagStatus === "tagged") assert.ok(selection.tagPatternList ?? selection.tagPrefixList);
      if (selection.tagStatus === "untagged") {
        assert.equal(selection.tagPatternList, undefined);
        assert.equal(selection.tagPrefixList, undefined);
      }
      if (selection.countType === "sinceImagePushed") assert.equal(selection.countUnit, "days");
    }
    assert.equal(rules[0].selection.countNumber, 7);
    assert.equal(rules[1].selection.countNumber, 25);
  });

  it("rejects a name ECR does not accept with one error that lists every problem", async () => {
    await assert.rejects(
      synthesizeComponents((opts) => {
        new Repository("SalesJobs", { kmsKeyArn: KEY_ARN, keepTaggedImages: 0 }, opts);
      }),
      invalidArgsError(
        "bdp:containers:Repository SalesJobs",
        /name: must be lower-case letters/,
        /keepTaggedImages: must be a positive integer/,
      ),
    );
  });

  it("validateRepositoryArgs names the field and what is allowed", () => {
    assert.deepEqual(validateRepositoryArgs("sales-jobs", {}), []);
    assert.deepEqual(
      validateRepositoryArgs("sales-jobs", { untaggedExpireDays: 1.5 }).map(formatArgsProblem),
      ["untaggedExpireDays: must be a positive integer (given: 1.5)"],
    );
    assert.deepEqual(validateRepositoryArgs("Sales_", {}).map(formatArgsProblem), [
      'name: must be lower-case letters, digits and . _ - (an ECR repository name) (given: "Sales_")',
    ]);
  });

  it("rejects non-positive counts", () => {
    assert.throws(() => lifecyclePolicy(0, 10), /untaggedExpireDays must be a positive integer/);
    assert.throws(() => lifecyclePolicy(3, 0), /keepTaggedImages must be a positive integer/);
  });
});

describe("ContainerImage component", () => {
  it("builds an ARM64 image from the context folder and pushes it to the repository", async () => {
    let image: ContainerImage | undefined;
    const result = await synthesizeComponents((opts) => {
      image = new ContainerImage(
        "sales-image",
        {
          source: {
            kind: "build",
            context: "jobs/sales-aggregator",
            dockerfile: "jobs/sales-aggregator/Dockerfile",
          },
          repository: {
            repositoryUrl: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs",
            arn: "arn:aws:ecr:eu-west-1:123456789012:repository/jobs",
          },
        },
        opts,
      );
    });
    const build = result.one("awsx:ecr:Image");
    assert.equal(build.inputs.platform, "linux/arm64");
    assert.equal(IMAGE_PLATFORM, "linux/arm64");
    assert.equal(build.inputs.context, "jobs/sales-aggregator");
    assert.equal(build.inputs.dockerfile, "jobs/sales-aggregator/Dockerfile");
    assert.equal(build.inputs.repositoryUrl, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs");
    assert.equal(result.componentOf(build), "bdp:containers:Image");
    assert.match(await resolve(image!.imageUri), /@sha256:[0-9a-f]{64}$/);
    assert.equal(await resolve(image!.repositoryArn), "arn:aws:ecr:eu-west-1:123456789012:repository/jobs");
  });

  it("uses an existing image URI without building anything", async () => {
    let image: ContainerImage | undefined;
    const result = await synthesizeComponents((opts) => {
      image = new ContainerImage("sales-image", { source: { kind: "uri", uri: IMAGE_URI } }, opts);
    });
    assert.equal(result.ofType("awsx:ecr:Image").length, 0);
    assert.equal(await resolve(image!.imageUri), IMAGE_URI);
    assert.equal(
      await resolve(image!.repositoryArn),
      "arn:aws:ecr:eu-west-1:123456789012:repository/jobs/sales-aggregator",
    );
  });

  it("rejects a URI that is not an ECR image with one error naming the field", async () => {
    await assert.rejects(
      synthesizeComponents((opts) => {
        new ContainerImage("img", { source: { kind: "uri", uri: "busybox:latest" } }, opts);
      }),
      /bdp:containers:Image img: invalid arguments \(1 problem\):\n {2}- source\.uri: must be an ECR image URI/,
    );
  });
});

describe("validateContainerImageArgs", () => {
  const repository = { repositoryUrl: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs", arn: "arn" };

  it("accepts a build with a repository and a pinned ECR image", () => {
    assert.deepEqual(
      validateContainerImageArgs({ source: { kind: "build", context: "jobs/sales-aggregator" }, repository }),
      [],
    );
    assert.deepEqual(validateContainerImageArgs({ source: { kind: "uri", uri: IMAGE_URI } }), []);
  });

  it("builds only from a folder of the repository that holds a Dockerfile", () => {
    const contextProblem = (context: string) =>
      validateContainerImageArgs({ source: { kind: "build", context }, repository }).map(
        (p) => `${p.path.join(".")}: ${p.message}`,
      );
    assert.deepEqual(contextProblem("jobs/nowhere"), [
      "source.context: does not exist in the repository (paths are relative to its root)",
    ]);
    assert.deepEqual(contextProblem("jobs/sales-aggregator/Dockerfile"), [
      "source.context: is a file; give the folder that holds the Dockerfile",
    ]);
    assert.deepEqual(contextProblem("jobs/spark"), [
      "source.context: has no Dockerfile, which the image build needs",
    ]);
  });

  it("needs a repository for a build, and a tag or digest on a URI", () => {
    assert.deepEqual(
      validateContainerImageArgs({ source: { kind: "build", context: "jobs/sales-aggregator" } }).map(
        (p) => p.path,
      ),
      [["repository"]],
    );
    const untagged = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs";
    assert.deepEqual(
      validateContainerImageArgs({ source: { kind: "uri", uri: untagged } }).map((p) => p.path),
      [["source", "uri"]],
    );
  });
});

describe("repositoryArnFromImageUri", () => {
  it("maps tag and digest URIs, including other partitions", () => {
    assert.equal(
      repositoryArnFromImageUri(
        `111122223333.dkr.ecr.us-east-1.amazonaws.com/team/job@sha256:${"a".repeat(64)}`,
      ),
      "arn:aws:ecr:us-east-1:111122223333:repository/team/job",
    );
    assert.equal(
      repositoryArnFromImageUri("111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/job:v1"),
      "arn:aws-cn:ecr:cn-north-1:111122223333:repository/job",
    );
    assert.equal(
      repositoryArnFromImageUri("111122223333.dkr.ecr.us-gov-west-1.amazonaws.com/job:v1"),
      "arn:aws-us-gov:ecr:us-gov-west-1:111122223333:repository/job",
    );
  });

  it("rejects an image without a tag or digest", () => {
    assert.throws(
      () => repositoryArnFromImageUri("111122223333.dkr.ecr.us-east-1.amazonaws.com/job"),
      /not an ECR image URI with a tag or digest/,
    );
  });
});
