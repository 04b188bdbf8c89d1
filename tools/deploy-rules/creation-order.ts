/**
 * Creation order: what AWS checks against other resources at the moment it creates a resource.
 *
 * - Services that validate (or immediately use) an IAM role's permissions must be created after the
 *   role's policies are attached. A role resource exists as soon as CreateRole returns; its inline
 *   policies and attachments are separate resources the engine may create later, in parallel.
 * - Lake Formation grants are evaluated against the data lake settings in place and, for data
 *   locations, need the location registered first.
 */
import type { RecordedResource } from "../synth/mock-run";
import type { DeployFinding, DeployRule, DeployRuleContext } from "./types";
import type { ResourceGraph } from "./graph";

const ROLE = "aws:iam/role:Role";
const INSTANCE_PROFILE = "aws:iam/instanceProfile:InstanceProfile";

/** Resources that attach permissions to a role. */
const ROLE_POLICY_TYPES = [
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:iam/policyAttachment:PolicyAttachment",
  "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
];

/** A resource type that uses an IAM role, and when AWS relies on the role's permissions. */
export interface RoleUser {
  type: string;
  /** Top-level inputs that carry the role (ARN or name) or an instance profile. */
  roleInputs: string[];
  /**
   * create: the create call validates the permissions and fails without them (error);
   * firstUse: creation succeeds, but the first run uses them and can start before they exist (warning).
   */
  checkedAt: "create" | "firstUse";
  why: string;
  docs: string[];
}

export const ROLE_USERS: RoleUser[] = [
  {
    type: "aws:sfn/stateMachine:StateMachine",
    roleInputs: ["roleArn"],
    checkedAt: "create",
    why:
      "CreateStateMachine checks the role: log delivery permissions for the logging configuration " +
      '(else AccessDeniedException "The state machine IAM Role is not authorized to access the Log ' +
      'Destination"), X-Ray for tracing and the managed-rule permissions of .sync integrations',
    docs: [
      "https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html",
      "https://docs.aws.amazon.com/step-functions/latest/dg/troubleshooting.html",
    ],
  },
  {
    type: "aws:emr/cluster:Cluster",
    roleInputs: ["serviceRole", "ec2Attributes"],
    checkedAt: "create",
    why:
      "RunJobFlow provisions the cluster with the service role and the instance profile right away; " +
      "missing permissions or an instance profile without its role fail the cluster at creation",
    docs: ["https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-roles-custom.html"],
  },
  {
    type: "aws:batch/computeEnvironment:ComputeEnvironment",
    roleInputs: ["serviceRole"],
    checkedAt: "create",
    why:
      "a compute environment whose service role lacks permissions becomes INVALID, and CreateJobQueue " +
      "accepts only compute environments in the VALID state",
    docs: ["https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateJobQueue.html"],
  },
  {
    type: "aws:glue/job:Job",
    roleInputs: ["roleArn"],
    checkedAt: "firstUse",
    why: "a run started right after the deployment (by a trigger, schedule or state machine) uses the role's policies",
    docs: ["https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html"],
  },
  {
    type: "aws:glue/crawler:Crawler",
    roleInputs: ["role"],
    checkedAt: "firstUse",
    why: "a crawl started right after the deployment uses the role's policies",
    docs: ["https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html"],
  },
  {
    type: "aws:scheduler/schedule:Schedule",
    roleInputs: ["target"],
    checkedAt: "firstUse",
    why:
      "CreateSchedule checks only that EventBridge Scheduler can assume the execution role; the first " +
      "invocation needs the role's permissions on the target",
    docs: ["https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html"],
  },
  {
    type: "aws:cloudwatch/eventTarget:EventTarget",
    roleInputs: ["roleArn"],
    checkedAt: "firstUse",
    why: "the first matching event invokes the target with the role",
    docs: ["https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html"],
  },
];

function rolesOf(graph: ResourceGraph, resource: RecordedResource, inputs: string[]): RecordedResource[] {
  const roles = new Map<string, RecordedResource>();
  for (const input of inputs) {
    for (const role of graph.referencedBy(resource, input, ROLE)) roles.set(role.urn, role);
    for (const profile of graph.referencedBy(resource, input, INSTANCE_PROFILE)) {
      for (const role of graph.referencedBy(profile, "role", ROLE)) roles.set(role.urn, role);
    }
  }
  return [...roles.values()];
}

/** The resources that attach permissions to `role`. */
export function policiesOf(graph: ResourceGraph, role: RecordedResource): RecordedResource[] {
  return graph.referencing(role).filter((resource) => ROLE_POLICY_TYPES.includes(resource.type));
}

const label = (resource: RecordedResource) => `${resource.type} "${resource.name}"`;

export const rolePoliciesBeforeUse: DeployRule = {
  name: "role-policies-before-use",
  family: "creation-order",
  description:
    "Resources whose service validates or immediately uses an IAM role must be created after the role's policies.",
  docs: ROLE_USERS.flatMap((user) => user.docs),
  check({ graph }: DeployRuleContext): DeployFinding[] {
    const findings: DeployFinding[] = [];
    for (const user of ROLE_USERS) {
      for (const resource of graph.ofType(user.type)) {
        for (const role of rolesOf(graph, resource, user.roleInputs)) {
          const missing = policiesOf(graph, role).filter((policy) => !graph.dependsOn(resource, policy));
          if (missing.length === 0) continue;
          findings.push({
            rule: this.name,
            level: user.checkedAt === "create" ? "error" : "warning",
            urn: resource.urn,
            message:
              `${user.why}, but nothing makes the engine create it after ${missing.map(label).join(", ")}, ` +
              `which attach${missing.length === 1 ? "es" : ""} the permissions of role "${role.name}".`,
            fix: `Add ${missing.map((policy) => `"${policy.name}"`).join(", ")} to the dependsOn of "${resource.name}".`,
          });
        }
      }
    }
    return findings;
  },
};

const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
const DATA_LAKE_SETTINGS = "aws:lakeformation/dataLakeSettings:DataLakeSettings";
const LOCATION = "aws:lakeformation/resource:Resource";

export const lakeFormationGrantOrder: DeployRule = {
  name: "lake-formation-grant-order",
  family: "creation-order",
  description:
    "Lake Formation grants come after the data lake settings, and data-location grants after the location's registration.",
  docs: [
    // "For a grant to succeed, you must first register the data location with Lake Formation."
    "https://docs.aws.amazon.com/lake-formation/latest/dg/granting-location-permissions.html",
    "https://docs.aws.amazon.com/lake-formation/latest/dg/change-settings.html",
  ],
  check({ graph }: DeployRuleContext): DeployFinding[] {
    const findings: DeployFinding[] = [];
    const settings = graph.ofType(DATA_LAKE_SETTINGS);
    const locations = graph.ofType(LOCATION);
    for (const grant of graph.ofType(PERMISSIONS)) {
      const missingSettings = settings.filter((setting) => !graph.dependsOn(grant, setting));
      if (missingSettings.length > 0) {
        findings.push({
          rule: this.name,
          level: "error",
          urn: grant.urn,
          message:
            "Lake Formation evaluates a grant against the data lake settings in place when it is made " +
            `(administrators, hybrid-access defaults), but the engine may make it before ${missingSettings.map(label).join(", ")} applies them.`,
          fix: `Make "${grant.name}" depend on ${missingSettings.map((setting) => `"${setting.name}"`).join(", ")}.`,
        });
      }
      const locationArn = grant.inputs.dataLocation?.arn;
      if (typeof locationArn !== "string") continue;
      const registrations = locations.filter((location) => location.inputs.arn === locationArn);
      if (registrations.length === 0) {
        findings.push({
          rule: this.name,
          level: "error",
          urn: grant.urn,
          message: `Data location permissions can be granted only on registered locations; the stack registers no ${LOCATION} for ${locationArn}.`,
          fix: `Register ${locationArn} with Lake Formation (aws.lakeformation.Resource) and make the grant depend on it.`,
        });
      } else if (!registrations.some((registration) => graph.dependsOn(grant, registration))) {
        findings.push({
          rule: this.name,
          level: "error",
          urn: grant.urn,
          message: `Data location permissions can be granted only on registered locations, but the engine may grant on ${locationArn} before ${label(registrations[0])} registers it.`,
          fix: `Make "${grant.name}" depend on "${registrations[0].name}".`,
        });
      }
    }
    return findings;
  },
};

/**
 * The stack's grants are made by whoever runs `pulumi up`, after the stack's DataLakeSettings has
 * replaced the admin list; a principal not on it cannot grant. Known offline from the stack config
 * (`deployment.roleArn`); without a deployer or settings in the stack there is nothing to judge.
 */
export const lakeFormationGrantsByAdmin: DeployRule = {
  name: "lake-formation-grants-by-admin",
  family: "creation-order",
  description:
    "The principal that deploys the stack stays a data lake administrator, since the stack's grants are made by it.",
  docs: [
    // "This API replaces the current list of data lake admins with the new list being passed."
    "https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_PutDataLakeSettings.html",
    // The IAM administrator "cannot grant Lake Formation permissions if not also designated a data lake administrator".
    "https://docs.aws.amazon.com/lake-formation/latest/dg/permissions-reference.html",
  ],
  check({ graph, deployer }: DeployRuleContext): DeployFinding[] {
    const grants = graph.ofType(PERMISSIONS);
    if (deployer === undefined || grants.length === 0) return [];
    return graph.ofType(DATA_LAKE_SETTINGS).flatMap((settings): DeployFinding[] => {
      const admins: unknown[] = Array.isArray(settings.inputs.admins) ? settings.inputs.admins : [];
      if (admins.includes(deployer)) return [];
      return [
        {
          rule: this.name,
          level: "error",
          urn: settings.urn,
          message:
            `${label(settings)} replaces the account's data lake administrators with ${admins.length === 0 ? "none" : admins.join(", ")}, ` +
            `but the stack's ${grants.length} Lake Formation grant${grants.length === 1 ? " is" : "s are"} made by the deployer, ${deployer}, ` +
            "which is then no administrator and may not grant (AccessDeniedException).",
          fix: `Add ${deployer} (batch-data-platform:deployment.roleArn) to the admins of "${settings.name}".`,
        },
      ];
    });
  },
};

export const CREATION_ORDER_RULES: DeployRule[] = [
  rolePoliciesBeforeUse,
  lakeFormationGrantOrder,
  lakeFormationGrantsByAdmin,
];
