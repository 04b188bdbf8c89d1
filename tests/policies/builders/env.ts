/**
 * What every area builder shares: the account, key and topic ARNs of the dev environment, the
 * stack-wide tags, and the aws provider that carries them as default tags.
 */
import { awsProvider, Res } from "../harness";

export const ACCOUNT = "111122223333";
export const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0d1f-example`;
export const ALERTS_ARN = `arn:aws:sns:eu-west-1:${ACCOUNT}:bdp-dev-alerts`;

export const STACK_TAGS = {
  environment: "dev",
  owner: "data-platform-team",
  "cost-center": "cc-4711",
  "managed-by": "pulumi",
};

/** The environment the builders declare resources in. */
export interface Env {
  /** The stack's aws provider; every AWS resource uses it. */
  provider: Res;
}

export function devEnv(tags: Record<string, string> = STACK_TAGS): Env {
  return { provider: awsProvider(tags) };
}

/** The resources of one area of the platform, in declaration order. */
export interface Area {
  resources: Res[];
}

/** An area from its named resources (and lists of resources); `resources` keeps their order. */
export function areaOf<N extends Record<string, Res | Res[]>>(named: N): N & Area {
  return { ...named, resources: Object.values(named).flat() };
}
