/**
 * required-tags: cost allocation and ownership need tags on everything that can carry them.
 * Every taggable AWS resource has the required tags, non-empty, counting the resource's own
 * `tags` and its provider's default tags (`defaultTags.tags`, which AWS merges into tagsAll).
 *
 * Which resources are taggable: a resource type is taggable when its @pulumi/aws class passes a
 * `tags` input to the engine (the generated constructor sets resourceInputs["tags"]; this mirrors
 * the provider schema), or, for types the installed @pulumi/aws does not know, when the inputs
 * have a `tags` key. Types whose `tags` is not a key/value map (aws.autoscaling.Group) are in
 * `ignoreTypes` by default. Components and providers (non-"aws:" types) are never judged.
 *
 * Remediation adds missing tags whose values are configured in `tagValues` (safe: it only adds).
 */
import * as aws from "@pulumi/aws";
import { stringList } from "../lib/config";
import { resourcePolicy, ResourceContext } from "../lib/define";
import { effectiveTags, tagValue } from "../lib/tags";
import { Dict, get, isRecord, isUnknown, setProp, shallowCopy, unwrap } from "../lib/values";

export interface RequiredTagsConfig {
  requiredTags: string[];
  tagValues: Record<string, string>;
  ignoreTypes: string[];
  typePrefixes: string[];
}

export const DEFAULT_REQUIRED_TAGS = ["environment", "owner", "cost-center", "managed-by"];

const taggableCache = new Map<string, boolean | undefined>();

/** Whether @pulumi/aws says the type takes `tags`; undefined when the class cannot be found. */
export function classTakesTags(type: string): boolean | undefined {
  if (taggableCache.has(type)) return taggableCache.get(type);
  let answer: boolean | undefined;
  const m = /^aws:([a-zA-Z0-9]+)\/[a-zA-Z0-9]+:([A-Za-z0-9]+)$/.exec(type);
  if (m) {
    try {
      const mod = (aws as unknown as Record<string, Record<string, unknown>>)[m[1]];
      const cls = mod ? mod[m[2]] : undefined;
      if (typeof cls === "function" && (cls as { __pulumiType?: string }).__pulumiType === type) {
        answer = /resourceInputs\["tags"\]/.test(Function.prototype.toString.call(cls));
      }
    } catch {
      answer = undefined;
    }
  }
  taggableCache.set(type, answer);
  return answer;
}

function isTaggable(ctx: Pick<ResourceContext<RequiredTagsConfig>, "subject" | "props" | "config">): boolean {
  const { type } = ctx.subject;
  if (!ctx.config.typePrefixes.some((p) => type.startsWith(p))) return false;
  if (ctx.config.ignoreTypes.includes(type)) return false;
  return classTakesTags(type) ?? "tags" in ctx.props;
}

function missingTags(ctx: Pick<ResourceContext<RequiredTagsConfig>, "props" | "provider" | "config">) {
  const tags = effectiveTags(ctx.props, ctx.provider);
  const missing = ctx.config.requiredTags.filter((k) => {
    const v = tagValue(tags.tags, k);
    return v === undefined || v.trim() === "";
  });
  return { missing, unknown: tags.unknown, odd: tags.odd };
}

export const requiredTags = resourcePolicy<RequiredTagsConfig>({
  name: "required-tags",
  description:
    "Every taggable AWS resource carries the required tags (default environment, owner, cost-center, managed-by) " +
    "with non-empty values, from its own tags or its provider's default tags.",
  remediationSteps:
    "Set the tags once on the stack's aws.Provider defaultTags.tags (infra/platform.ts does this from stack " +
    'config), or on the resource\'s tags. With enforcement level "remediate", tags configured in tagValues are added.',
  severity: "low",
  enforcementLevel: "advisory",
  tags: ["tagging", "cost"],
  types: "any",
  knobs: {
    requiredTags: stringList("Tag keys every taggable resource must carry", DEFAULT_REQUIRED_TAGS),
    tagValues: {
      type: "object",
      additionalProperties: { type: "string", minLength: 1 },
      description: 'Values remediation adds for missing tags, e.g. {"managed-by": "pulumi"}',
      default: { "managed-by": "pulumi" },
    },
    ignoreTypes: stringList("Resource types not judged (tags not a key/value map)", [
      "aws:autoscaling/group:Group",
    ]),
    typePrefixes: stringList("Only types with these prefixes are judged", ["aws:"]),
  },
  defaults: {
    requiredTags: DEFAULT_REQUIRED_TAGS,
    tagValues: { "managed-by": "pulumi" },
    ignoreTypes: ["aws:autoscaling/group:Group"],
    typePrefixes: ["aws:"],
  },
  check: (ctx) => {
    if (!isTaggable(ctx)) return;
    const { missing, unknown, odd } = missingTags(ctx);
    if (missing.length === 0) return;
    if (odd) {
      ctx.report.cannotJudge(ctx.subject, "the tags", "tags are not a key/value map");
    } else if (unknown) {
      ctx.report.cannotJudge(ctx.subject, `tags ${missing.join(", ")}`, "tags unknown during preview");
    } else {
      const values = missing.map((k) => `${k}=${ctx.config.tagValues[k] ?? "<value>"}`).join(", ");
      ctx.report.violation(
        ctx.subject,
        `missing or empty required tag(s): ${missing.join(", ")}`,
        `add ${values} to the provider's defaultTags.tags or to the resource's tags`,
      );
    }
  },
  remediate: (ctx) => {
    if (!isTaggable(ctx)) return undefined;
    const { missing, unknown, odd } = missingTags(ctx);
    const own = unwrap(get(ctx.props, "tags"));
    if (unknown || odd || isUnknown(own) || (own !== undefined && own !== null && !isRecord(own)))
      return undefined;
    const addable = missing.filter(
      (k) => typeof ctx.config.tagValues[k] === "string" && ctx.config.tagValues[k] !== "",
    );
    if (addable.length === 0) return undefined;
    const tags: Dict = shallowCopy(own);
    for (const k of addable) setProp(tags, k, ctx.config.tagValues[k]);
    const out = shallowCopy(ctx.props);
    setProp(out, "tags", tags);
    return out;
  },
});
