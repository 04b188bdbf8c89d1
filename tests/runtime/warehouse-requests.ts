/**
 * The warehouse's run-time requests (decisions/warehouse/sql.ts says why they look so): the
 * environment's warehouse-setup state machine signs in with the admin secret and runs the
 * setup's statements; a pipeline machine with a redshiftLoad step starts that setup, waits for
 * it, then runs the load's transaction as the least-privilege loader: on Serverless its own IAM
 * role (GetCredentials on the workgroup), on a provisioned cluster the database user LOADER_USER
 * (GetClusterCredentials). Neither may reach another warehouse, and only the setup reads the
 * admin secret.
 *
 * Data API statements are authorized on the workgroup or cluster ARN; a Serverless workgroup's
 * ARN holds its id, not its name
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonredshiftserverless.html).
 * GetSecretValue on a secret under a customer managed key makes Secrets Manager call kms:Decrypt
 * for the caller, with `kms:ViaService` = `secretsmanager.<region>.amazonaws.com`
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
 * Pure: no Pulumi, no simulator.
 */
import { LOADER_USER } from "../../decisions/warehouse/sql";
import type { IamRequest } from "./iam-requests";
import { CALLER_USER_ID, serviceArn, StackFacts, StateMachineFact, WarehouseFact } from "./stack-facts";

/** A workgroup id that is surely nobody's: probes of other workgroups use it. */
export const FOREIGN_WORKGROUP_ID = "99999999-8888-7777-6666-555555555555";
/** A cluster that is surely nobody's: probes of other clusters use it. */
export const FOREIGN_CLUSTER = "another-warehouse";
/** Another principal's session, whose statements a role must not see. */
const FOREIGN_USER_ID = "AROAANOTHERROLEID:someone-else";

const EXECUTE = "ExecuteStatement";
const BATCH_EXECUTE = "BatchExecuteStatement";
type StatementAction = typeof EXECUTE | typeof BATCH_EXECUTE;

/** The execution ARN of a run of the state machine with this ARN. */
export function executionArnOf(stateMachineArn: string, run = "run-0001"): string {
  return `${stateMachineArn.replace(/:stateMachine:/, ":execution:")}:${run}`;
}

export class WarehouseRequests {
  readonly warehouse: WarehouseFact;

  constructor(private readonly facts: StackFacts) {
    if (!facts.warehouse) throw new Error("a redshiftLoad step needs a warehouse");
    this.warehouse = facts.warehouse;
  }

  /** The setup machine (declared whenever a pipeline loads the warehouse). */
  get setup(): StateMachineFact {
    if (!this.warehouse.setup)
      throw new Error("the warehouse has loads but no warehouse-setup state machine");
    return this.warehouse.setup;
  }

  private arn(service: string, resource: string): string {
    return serviceArn(this.facts, service, resource);
  }

  private get serverless(): boolean {
    return this.warehouse.workgroupName !== undefined;
  }

  /** What IAM authorizes Data API statements on: the workgroup or the cluster. */
  private target(): string {
    const { workgroupName, workgroupArn, clusterIdentifier } = this.warehouse;
    if (workgroupName === undefined) return this.arn("redshift", `cluster:${clusterIdentifier}`);
    if (!workgroupArn) throw new Error(`workgroup ${workgroupName}: the synthesis gives it no ARN`);
    return workgroupArn;
  }

  /** A warehouse of the same kind in the same account that is not this one. */
  private foreignTarget(): string {
    return this.serverless
      ? this.arn("redshift-serverless", `workgroup/${FOREIGN_WORKGROUP_ID}`)
      : this.arn("redshift", `cluster:${FOREIGN_CLUSTER}`);
  }

  private dbUser(cluster: string, user: string): string {
    return this.arn("redshift", `dbuser:${cluster}/${user}`);
  }

  /** Statements on the warehouse, and polling (or cancelling) the caller's own statements. */
  private statements(actions: StatementAction[], reason: string): IamRequest[] {
    return [
      ...actions.map((action) => ({ action: `redshift-data:${action}`, resource: this.target(), reason })),
      ...["redshift-data:DescribeStatement", "redshift-data:CancelStatement"].map((action) => ({
        action,
        resource: "*",
        context: { "redshift-data:statement-owner-iam-userid": CALLER_USER_ID },
        reason: "poll its own statement, cancel it on timeout",
      })),
    ];
  }

  /** Statements elsewhere, of a kind the role never runs, and other principals' statements. */
  private statementProbes(runs: StatementAction[]): IamRequest[] {
    const kinds: StatementAction[] = [EXECUTE, BATCH_EXECUTE];
    return [
      ...kinds.map((action) => ({
        action: `redshift-data:${action}`,
        resource: this.foreignTarget(),
        reason: "another warehouse",
      })),
      ...kinds
        .filter((action) => !runs.includes(action))
        .map((action) => ({
          action: `redshift-data:${action}`,
          resource: this.target(),
          reason: `a kind of statement it never runs (${action})`,
        })),
      {
        action: "redshift-data:DescribeStatement",
        resource: "*",
        context: { "redshift-data:statement-owner-iam-userid": FOREIGN_USER_ID },
        reason: "another principal's statement",
      },
    ];
  }

  /** kms:Decrypt that Secrets Manager makes for the caller reading a secret. */
  private keyViaSecretsManager(keyArn: string, reason: string): IamRequest {
    return {
      action: "kms:Decrypt",
      resource: keyArn,
      context: {
        "kms:ViaService": `secretsmanager.${this.facts.region}.amazonaws.com`,
        "kms:CallerAccount": this.facts.accountId,
      },
      reason,
    };
  }

  /** Reading the admin secret: the secret itself, and its key through Secrets Manager. */
  private adminSecret(reason: string): IamRequest[] {
    return [
      { action: "secretsmanager:GetSecretValue", resource: this.warehouse.adminSecretArn, reason },
      this.keyViaSecretsManager(this.warehouse.adminSecretKmsKeyArn, `${reason} (its key)`),
    ];
  }

  /**
   * Every way to sign in but the role's own: as the admin user, the IAM identity or the loader
   * when it is not the role's way, and anything on another warehouse.
   */
  private signInProbes(own: "loader" | "adminSecret"): IamRequest[] {
    const { clusterIdentifier, workgroupArn, adminUser, database } = this.warehouse;
    if (this.serverless) {
      return [
        {
          action: "redshift-serverless:GetCredentials",
          resource: this.foreignTarget(),
          reason: "credentials on another workgroup",
        },
        ...(own === "adminSecret"
          ? [
              {
                action: "redshift-serverless:GetCredentials",
                resource: workgroupArn!,
                reason: "an IAM sign-in (the setup signs in with the admin secret only)",
              },
            ]
          : []),
      ];
    }
    const cluster = clusterIdentifier!;
    return [
      {
        action: "redshift:GetClusterCredentials",
        resource: this.dbUser(cluster, adminUser),
        reason: `credentials of the admin user ${adminUser}`,
      },
      {
        action: "redshift:GetClusterCredentials",
        resource: this.dbUser(FOREIGN_CLUSTER, LOADER_USER),
        reason: "credentials on another cluster",
      },
      {
        action: "redshift:GetClusterCredentialsWithIAM",
        resource: this.arn("redshift", `dbname:${cluster}/${database}`),
        reason: "a database user named after its IAM role",
      },
      ...(own === "adminSecret"
        ? [
            {
              action: "redshift:GetClusterCredentials",
              resource: this.dbUser(cluster, LOADER_USER),
              reason: "the loader's credentials (the setup signs in with the admin secret only)",
            },
          ]
        : []),
    ];
  }

  /** A pipeline machine's redshiftLoad step: the nested setup, then the load's transaction. */
  loadStep(managedRule: (rule: string) => IamRequest[]): IamRequest[] {
    const { clusterIdentifier, workgroupArn, database } = this.warehouse;
    const credentials: IamRequest[] = this.serverless
      ? [
          {
            action: "redshift-serverless:GetCredentials",
            resource: workgroupArn!,
            reason: "sign in as its IAM role, which its RedshiftDbRoles tag maps to the loader role",
          },
        ]
      : [`dbuser:${clusterIdentifier}/${LOADER_USER}`, `dbname:${clusterIdentifier}/${database}`].map(
          (resource) => ({
            action: "redshift:GetClusterCredentials",
            resource: this.arn("redshift", resource),
            reason: `sign in as the loader user ${LOADER_USER}`,
          }),
        );
    return [
      { action: "states:StartExecution", resource: this.setup.arn, reason: "start the warehouse setup" },
      ...["states:DescribeExecution", "states:StopExecution"].map((action) => ({
        action,
        resource: executionArnOf(this.setup.arn),
        reason: "wait for the warehouse setup, stop it on timeout",
      })),
      ...managedRule("StepFunctionsGetEventsForStepFunctionsExecutionRule"),
      ...this.statements([BATCH_EXECUTE], "run the load as one transaction"),
      ...credentials,
    ];
  }

  /** What a loading machine must not do: the admin's credentials, other warehouses, other statements. */
  loadProbes(): IamRequest[] {
    return [
      ...this.adminSecret("the admin secret (only the setup reads it)"),
      ...this.signInProbes("loader"),
      ...this.statementProbes([BATCH_EXECUTE]),
    ];
  }

  /** Starting the setup, for roles that never run it. */
  setupStartProbes(): IamRequest[] {
    return this.warehouse.setup
      ? [{ action: "states:StartExecution", resource: this.setup.arn, reason: "the warehouse setup" }]
      : [];
  }

  /** The setup machine's own statements, signed in with the admin secret. */
  setupRequests(): IamRequest[] {
    return [
      ...this.statements(
        [EXECUTE, BATCH_EXECUTE],
        "create the lake schemas, the loader role, the tables and the grants",
      ),
      ...this.adminSecret("sign in as the admin"),
    ];
  }

  /** Other secrets and keys (`foreignKeyArn`: one that is nobody's), other warehouses, other sign-ins. */
  setupProbes(foreignKeyArn: string): IamRequest[] {
    return [
      {
        action: "secretsmanager:GetSecretValue",
        resource: this.arn("secretsmanager", "secret:redshift!another-warehouse-admin-XyZ123"),
        reason: "another secret",
      },
      this.keyViaSecretsManager(foreignKeyArn, "a key other than the admin secret's"),
      ...this.signInProbes("adminSecret"),
      ...this.statementProbes([EXECUTE, BATCH_EXECUTE]),
    ];
  }
}
