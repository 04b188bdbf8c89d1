/**
 * Unique names: two resources of one type that a stack gives the same physical name collide in
 * AWS. Most create APIs refuse the second (Glue CreateJob and CreateSecurityConfiguration,
 * AlreadyExistsException: https://docs.aws.amazon.com/glue/latest/webapi/API_CreateJob.html;
 * KMS aliases are unique per account and Region:
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html); others silently
 * update the one that exists, so two owners overwrite each other (an alarm name "must be unique
 * within the Region" and a second PutMetricAlarm "completely overwrites the previous
 * configuration": https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html;
 * EventBridge PutRule "creates or updates":
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html; SNS CreateTopic
 * returns the topic that exists: https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html).
 *
 * Only explicit names are compared: Pulumi's autonames and the provider's prefixes add a random
 * suffix, so they never collide. A name whose scope input is not a plain value is not compared.
 */
import type { RecordedResource } from "../synth/mock-run";
import { NAME_RULES } from "./name-table";
import { predictName } from "./names";
import type { DeployFinding, DeployRule, DeployRuleContext } from "./types";

/** Types whose names are unique only within a parent, named by these inputs. */
export const NAME_SCOPES: Readonly<Record<string, readonly string[]>> = {
  // An inline policy's name is unique within its role.
  "aws:iam/rolePolicy:RolePolicy": ["role"],
  // A target id is unique within its rule (and the rule within its event bus).
  "aws:cloudwatch/eventTarget:EventTarget": ["eventBusName", "rule"],
  // Security group names are unique within a VPC.
  "aws:ec2/securityGroup:SecurityGroup": ["vpcId"],
  // Schedule names are unique within their schedule group.
  "aws:scheduler/schedule:Schedule": ["groupName"],
};

/** Types identified by a generated id, whose names are labels that may repeat. */
export const REPEATABLE_NAMES: ReadonlySet<string> = new Set([
  // RunJobFlow returns a cluster id; names are labels (https://docs.aws.amazon.com/emr/latest/APIReference/API_RunJobFlow.html).
  "aws:emr/cluster:Cluster",
  "aws:emr/instanceFleet:InstanceFleet",
  // CreateApplication returns an application id (https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_CreateApplication.html).
  "aws:emrserverless/application:Application",
  // Monitors and subscriptions are addressed by their ARN (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_CreateAnomalyMonitor.html).
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
  "aws:costexplorer/anomalySubscription:AnomalySubscription",
]);

/** The key two colliding resources share: type, name input, scope values and name; undefined when not comparable. */
function collisionKey(resource: RecordedResource, property: string, value: string): string | undefined {
  const scope = (NAME_SCOPES[resource.type] ?? []).map((input) => resource.inputs[input]);
  if (scope.some((part) => part !== undefined && typeof part !== "string")) return undefined;
  return JSON.stringify([resource.type, property, ...scope, value]);
}

/** Resources of one type with the same explicit physical name (in the same scope), in groups of two or more. */
export function physicalNameCollisions(
  resources: readonly RecordedResource[],
): { type: string; property: string; name: string; resources: RecordedResource[] }[] {
  const groups = new Map<
    string,
    { type: string; property: string; name: string; resources: RecordedResource[] }
  >();
  for (const resource of resources) {
    const spec = NAME_RULES[resource.type];
    if (!resource.custom || spec === undefined || "none" in spec || REPEATABLE_NAMES.has(resource.type))
      continue;
    for (const rule of spec) {
      const name = predictName(resource, rule);
      if (name?.source !== "explicit") continue;
      const key = collisionKey(resource, rule.property, name.value);
      if (key === undefined) continue;
      const group = groups.get(key) ?? {
        type: resource.type,
        property: rule.property,
        name: name.value,
        resources: [],
      };
      group.resources.push(resource);
      groups.set(key, group);
    }
  }
  return [...groups.values()].filter((group) => group.resources.length > 1);
}

export const uniquePhysicalNames: DeployRule = {
  name: "unique-physical-names",
  family: "names",
  description:
    "No two resources of one type share an explicit physical name: AWS refuses the second, or one overwrites the other.",
  docs: [
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
    "https://docs.aws.amazon.com/glue/latest/webapi/API_CreateJob.html",
    "https://www.pulumi.com/docs/iac/concepts/resources/names/",
  ],
  check({ resources }: DeployRuleContext): DeployFinding[] {
    return physicalNameCollisions(resources).flatMap((group) =>
      group.resources.slice(1).map((resource) => ({
        rule: this.name,
        level: "error" as const,
        urn: resource.urn,
        message:
          `Its ${group.property} "${group.name}" is also the ${group.property} of ${group.resources[0].name}: ` +
          "AWS refuses the second resource of that name, or one overwrites the other.",
        fix: "Give the components different names or namePrefix values (names start with them), or leave the name to Pulumi's autonaming.",
      })),
    );
  },
};
