/** Tag keys every resource carries; the provider's default tags supply the stack-wide ones. */
export const TAG_KEYS = {
  environment: "environment",
  owner: "owner",
  costCenter: "cost-center",
  managedBy: "managed-by",
  slaTier: "sla-tier",
  pipeline: "pipeline",
  component: "component",
} as const;

/** The stack-wide tag values that defaultTags turns into the provider's default tags. */
export interface StackTags {
  environment: string;
  owner: string;
  costCenter: string;
}

/** The provider's default tags: applied by AWS to every taggable resource of the stack. */
export function defaultTags(tags: StackTags): Record<string, string> {
  return {
    [TAG_KEYS.environment]: tags.environment,
    [TAG_KEYS.owner]: tags.owner,
    [TAG_KEYS.costCenter]: tags.costCenter,
    [TAG_KEYS.managedBy]: "pulumi",
  };
}

/** Tags of the resources that belong to one pipeline. */
export function pipelineTags(pipeline: string, slaTier: string): Record<string, string> {
  return { [TAG_KEYS.pipeline]: pipeline, [TAG_KEYS.slaTier]: slaTier };
}
