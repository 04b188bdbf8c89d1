/**
 * instance-types-allowed: every instance type a stack can launch (EMR fleets and groups, Batch
 * EC2/Spot compute environments) is on the environment's allow list and no larger than its
 * maximum size. The list and size are knobs, set per environment in policies/config/<env>.json.
 */
import * as aws from "@pulumi/aws";
import { stringList, text } from "../lib/config";
import { ResourceContext, resourcePolicy } from "../lib/define";
import { Capacity, clusterCapacities, readFleet, readGroup } from "../lib/emr";
import { PolicyConfigError } from "../lib/errors";
import { globMatch } from "../lib/glob";
import { family, size, sizeRank } from "../lib/instances";
import { T } from "../lib/types";
import { get, readArray, readString } from "../lib/values";

export interface InstanceTypesConfig {
  allowedInstanceTypes: string[];
  maxInstanceSize: string;
  allowedBatchKeywords: string[];
}

const NAME = "instance-types-allowed";

export const DEFAULT_ALLOWED_INSTANCE_TYPES = [
  "m6g.*",
  "m6gd.*",
  "m7g.*",
  "m7gd.*",
  "m8g.*",
  "c6g.*",
  "c6gd.*",
  "c7g.*",
  "c7gd.*",
  "c8g.*",
  "r6g.*",
  "r6gd.*",
  "r7g.*",
  "r7gd.*",
  "r8g.*",
  "m6i.*",
  "m7i.*",
  "c6i.*",
  "c7i.*",
  "r6i.*",
  "r7i.*",
];

type Ctx = ResourceContext<InstanceTypesConfig>;

function judgeType(ctx: Ctx, where: string, instanceType: string, maxRank: number): void {
  const t = instanceType.trim();
  const lower = t.toLowerCase();
  const { allowedInstanceTypes, allowedBatchKeywords, maxInstanceSize } = ctx.config;
  if (allowedBatchKeywords.some((k) => k.toLowerCase() === lower)) return;
  const s = size(lower);
  const allowed =
    s === undefined
      ? // A bare family (Batch): allowed when some pattern's family part matches it.
        allowedInstanceTypes.some((p) => globMatch(family(p), lower, true))
      : allowedInstanceTypes.some((p) => globMatch(p, lower, true));
  if (!allowed) {
    ctx.report.violation(
      ctx.subject,
      `${where} uses instance type "${t}", which is not on this environment's allow list`,
      `use one of ${allowedInstanceTypes.join(", ")} (policy config "allowedInstanceTypes")`,
    );
    return;
  }
  if (s === undefined) return; // Batch picks sizes within maxVcpus
  const rank = sizeRank(s);
  if (rank === undefined) {
    ctx.report.cannotJudge(ctx.subject, `the size of "${t}"`, "unrecognised size name");
  } else if (rank > maxRank) {
    ctx.report.violation(
      ctx.subject,
      `${where} uses "${t}", larger than the maximum size ${maxInstanceSize}`,
      `use ${family(t)}.${maxInstanceSize} or smaller, or more instances`,
    );
  }
}

function judgeCapacity(ctx: Ctx, cap: Capacity, maxRank: number): void {
  if (cap.typesUnclear)
    ctx.report.cannotJudge(ctx.subject, `instance types of ${cap.where}`, "unknown or malformed");
  for (const t of cap.types) judgeType(ctx, cap.where, t, maxRank);
}

export const instanceTypesAllowed = resourcePolicy<InstanceTypesConfig>({
  name: NAME,
  description:
    "EMR fleets/groups and Batch EC2/Spot compute environments use only instance types on the environment's allow " +
    "list (glob patterns) and no larger than maxInstanceSize.",
  remediationSteps:
    "Pick instance types from the allow list (policies/config/<env>.json, allowedInstanceTypes) at or below " +
    "maxInstanceSize; scale out with more instances instead of larger ones. Change the list in config if a new " +
    "family is needed.",
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["cost"],
  types: [aws.emr.Cluster, aws.emr.InstanceFleet, aws.emr.InstanceGroup, aws.batch.ComputeEnvironment],
  knobs: {
    allowedInstanceTypes: stringList(
      "Allowed instance types as globs over type names",
      DEFAULT_ALLOWED_INSTANCE_TYPES,
    ),
    maxInstanceSize: text("Largest allowed size, e.g. 2xlarge, 8xlarge", "8xlarge"),
    allowedBatchKeywords: stringList("Batch instanceTypes keywords allowed as-is", ["default_arm64"]),
  },
  defaults: {
    allowedInstanceTypes: DEFAULT_ALLOWED_INSTANCE_TYPES,
    maxInstanceSize: "8xlarge",
    allowedBatchKeywords: ["default_arm64"],
  },
  check: (ctx) => {
    const maxRank = sizeRank(ctx.config.maxInstanceSize);
    if (maxRank === undefined) {
      throw new PolicyConfigError(
        NAME,
        "maxInstanceSize",
        `"${ctx.config.maxInstanceSize}" is not an instance size`,
        "use a size such as large, xlarge, 4xlarge",
      );
    }
    const { props } = ctx;
    switch (ctx.subject.type) {
      case T.emrCluster:
        for (const cap of clusterCapacities(props)) judgeCapacity(ctx, cap, maxRank);
        break;
      case T.emrInstanceFleet: {
        const cap = readFleet("instance fleet", props);
        if (cap) judgeCapacity(ctx, cap, maxRank);
        break;
      }
      case T.emrInstanceGroup: {
        const cap = readGroup("instance group", props);
        if (cap) judgeCapacity(ctx, cap, maxRank);
        break;
      }
      default: {
        const kind = readString(get(props, "computeResources", "type"));
        if (kind.state === "ok" && /^FARGATE/i.test(kind.value)) return;
        const types = readArray(get(props, "computeResources", "instanceTypes"));
        if (ctx.report.unclear(ctx.subject, "computeResources.instanceTypes", types)) return;
        if (types.state === "absent") return;
        for (const t of types.value) {
          const s = readString(t);
          if (ctx.report.unclear(ctx.subject, "an entry of computeResources.instanceTypes", s)) continue;
          if (s.state === "ok") judgeType(ctx, "computeResources.instanceTypes", s.value, maxRank);
        }
      }
    }
  },
});
