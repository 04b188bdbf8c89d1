import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PolicyStatement } from "../shared/iam";
import { TAG_KEYS } from "../shared/tags";
import { catalogArn, GlueConnectionAccess } from "./access";
import { awsScope, AwsScope } from "../shared/aws-scope";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import { cidrHostBitsError } from "../../decisions/cidr";
import { assertValidArgs } from "../shared/args";

export interface JdbcConnectionArgs {
  description?: string;
  /** e.g. `jdbc:postgresql://sales-db.internal:5432/sales`; never with credentials in it. */
  jdbcUrl: string;
  /** Name or ARN of the Secrets Manager secret holding `username` and `password`. */
  secret: string;
  /** KMS key of the secret, when it is not the AWS managed key of Secrets Manager. */
  secretKmsKeyArn?: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
  /** A private subnet from which Glue reaches the database. */
  subnetId: pulumi.Input<string>;
  /** The subnet's availability zone (redundant, but the Glue API requires it). */
  availabilityZone: pulumi.Input<string>;
  /** CIDRs the database listens on; the connection may reach only these, on `port`. */
  databaseCidrs: string[];
  port: number;
  /** Require TLS to the database (JDBC_ENFORCE_SSL). Default true. */
  enforceSsl?: boolean;
}

/** The ARN (pattern) a role needs to read a secret given by name or by ARN. */
export function secretArnPattern(scope: AwsScope, secret: string): pulumi.Output<string> {
  // Secrets Manager appends a dash and six random characters to the name of every secret ARN.
  if (secret.startsWith("arn:")) return pulumi.output(secret);
  return pulumi.interpolate`arn:${scope.partition}:secretsmanager:${scope.region}:${scope.accountId}:secret:${secret}-??????`;
}

function sidName(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/**
 * JDBC URLs of the engines Glue connects to with its built-in drivers, in the forms the Glue
 * documentation gives (e.g. `jdbc:postgresql://host:5432/db`, `jdbc:oracle:thin://@host:1521/service`).
 * Source: https://docs.aws.amazon.com/glue/latest/dg/connection-properties.html (JDBC connection properties)
 */
const JDBC_URL = /^jdbc:(postgresql|mysql|sqlserver|oracle:thin|redshift):\/\/?\S+$/;

/**
 * The port a JDBC URL connects to: the one it names, else its driver's default (PostgreSQL 5432,
 * MySQL 3306, SQL Server 1433, Oracle 1521, Redshift 5439 — the ports of the URL forms in the
 * Glue documentation above). Undefined for a URL that is not one of the forms.
 */
export function jdbcUrlPort(jdbcUrl: string): { port: number; explicit: boolean } | undefined {
  const match =
    /^jdbc:(postgresql|mysql|sqlserver|oracle:thin|redshift):\/\/?@?(\[[^\]]+\]|[^:/;?@\s]+)(?::(\d+))?/.exec(
      jdbcUrl,
    );
  if (!match) return undefined;
  const defaults: Record<string, number> = {
    postgresql: 5432,
    mysql: 3306,
    sqlserver: 1433,
    "oracle:thin": 1521,
    redshift: 5439,
  };
  return match[3] === undefined
    ? { port: defaults[match[1]], explicit: false }
    : { port: Number(match[3]), explicit: true };
}

/** Why the connection's security group port would not be the one the URL connects to, or undefined. */
function portMismatchError(jdbcUrl: string, port: number): string | undefined {
  const url = jdbcUrlPort(jdbcUrl);
  if (url === undefined || url.port === port) return undefined;
  return url.explicit
    ? `must be the port jdbcUrl names (${url.port}): the security group opens only this port`
    : `jdbcUrl names no port, so the driver connects to its default ${url.port}; set port to ${url.port} or name the port in the URL`;
}

/** A Secrets Manager secret by name or by ARN. */
const SECRET_REFERENCE = /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[\w/+=.@-]{1,512}$/;

/** The plain-data fields validateJdbcConnectionArgs checks; a connection in stack config has the same names. */
export type JdbcConnectionChecks = Pick<JdbcConnectionArgs, "jdbcUrl" | "secret" | "databaseCidrs" | "port">;

/**
 * Every problem with a JDBC connection's args: a JDBC URL of a supported engine without
 * credentials in it, a secret name or ARN, the TCP port the URL connects to and at least one
 * database CIDR, each a network address.
 */
export function validateJdbcConnectionArgs(args: JdbcConnectionChecks): ArgsProblem[] {
  const urlProblem = !JDBC_URL.test(args.jdbcUrl)
    ? "must be a JDBC URL of postgresql, mysql, sqlserver, oracle:thin or redshift, such as jdbc:postgresql://host:5432/db"
    : /(password|pwd)=/i.test(args.jdbcUrl)
      ? "must not carry a password; the secret holds the credentials"
      : undefined;
  return [
    ...problemAt(["jdbcUrl"], urlProblem, args.jdbcUrl),
    ...problemAt(
      ["secret"],
      SECRET_REFERENCE.test(args.secret) ? undefined : "must be the name or ARN of a Secrets Manager secret",
      args.secret,
    ),
    ...problemAt(
      ["port"],
      Number.isInteger(args.port) && args.port >= 1 && args.port <= 65535
        ? urlProblem === undefined
          ? portMismatchError(args.jdbcUrl, args.port)
          : undefined
        : "must be a port from 1 to 65535",
      args.port,
    ),
    ...problemAt(
      ["databaseCidrs"],
      args.databaseCidrs.length === 0 ? "must name at least one CIDR" : undefined,
    ),
    ...args.databaseCidrs.flatMap((cidr, index) =>
      problemAt(["databaseCidrs", index], cidrHostBitsError(cidr), cidr),
    ),
  ];
}

/** The connection's security group: Glue workers to each other (Glue requires it), the database, HTTPS. */
function securityGroupRules(args: JdbcConnectionArgs) {
  const workers = {
    description: "Glue workers talk to each other (required by Glue)",
    protocol: "tcp",
    fromPort: 0,
    toPort: 65535,
    self: true,
  };
  return {
    ingress: [workers],
    egress: [
      workers,
      {
        description: "The database",
        protocol: "tcp",
        fromPort: args.port,
        toPort: args.port,
        cidrBlocks: args.databaseCidrs,
      },
      {
        description: "HTTPS to AWS service endpoints (S3, Glue, KMS, Secrets Manager, logs)",
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrBlocks: ["0.0.0.0/0"],
      },
    ],
  };
}

/**
 * A Glue JDBC connection whose credentials stay in Secrets Manager (SECRET_ID, never a password),
 * running in a private subnet with its own security group: self-referencing traffic between
 * Glue workers (Glue requires it), the database CIDRs on the database port, and HTTPS for AWS APIs.
 * Jobs and crawlers that use it add `accessStatements` to their roles.
 */
export class JdbcConnection extends pulumi.ComponentResource implements GlueConnectionAccess {
  readonly connection: aws.glue.Connection;
  readonly connectionName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  readonly securityGroup: aws.ec2.SecurityGroup;
  /** ARN pattern of the secret, for roles that must read it. */
  readonly secretArn: pulumi.Output<string>;
  /** What a job or crawler role needs: the connection, the secret and Glue's network interfaces. */
  readonly accessStatements: PolicyStatement[];

  constructor(name: string, args: JdbcConnectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:glue:JdbcConnection", name, {}, opts);
    assertValidArgs("bdp:glue:JdbcConnection", name, validateJdbcConnectionArgs(args));
    const child = { parent: this };
    const scope = awsScope(this);
    const tags = { [TAG_KEYS.component]: "glue-connection" };

    this.securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: `Glue connection ${name}: workers, the database port and AWS APIs only`,
        ...securityGroupRules(args),
        tags: { ...tags, Name: `${name}-glue-connection` },
      },
      child,
    );

    this.secretArn = secretArnPattern(scope, args.secret);
    this.connection = new aws.glue.Connection(
      name,
      {
        name,
        description: args.description ?? `JDBC connection ${name}`,
        connectionType: "JDBC",
        connectionProperties: {
          JDBC_CONNECTION_URL: args.jdbcUrl,
          SECRET_ID: args.secret,
          JDBC_ENFORCE_SSL: String(args.enforceSsl ?? true),
        },
        physicalConnectionRequirements: {
          subnetId: args.subnetId,
          availabilityZone: args.availabilityZone,
          securityGroupIdLists: [this.securityGroup.id],
        },
        tags,
      },
      child,
    );
    this.connectionName = this.connection.name;
    this.arn = this.connection.arn;
    this.accessStatements = this.roleStatements(name, args, scope);

    this.registerOutputs({
      connectionName: this.connectionName,
      securityGroupId: this.securityGroup.id,
      secretArn: this.secretArn,
    });
  }

  /** What a job or crawler role needs: the connection, the secret (and its key) and Glue's network interfaces. */
  private roleStatements(name: string, args: JdbcConnectionArgs, scope: AwsScope): PolicyStatement[] {
    const ec2Arn = (kind: string, id: pulumi.Input<string>) =>
      pulumi.interpolate`arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:${kind}/${id}`;
    const subnetArn = ec2Arn("subnet", args.subnetId);
    const securityGroupArn = ec2Arn("security-group", this.securityGroup.id);
    const interfaces = ec2Arn("network-interface", "*");
    const sid = sidName(name);
    return [
      {
        Sid: `${sid}Connection`,
        Effect: "Allow",
        Action: ["glue:GetConnection"],
        Resource: [catalogArn(scope), this.arn],
      },
      {
        Sid: `${sid}Secret`,
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue"],
        Resource: [this.secretArn],
      },
      ...(args.secretKmsKeyArn
        ? [
            {
              Sid: `${sid}SecretKey`,
              Effect: "Allow" as const,
              Action: ["kms:Decrypt"],
              Resource: [args.secretKmsKeyArn],
              Condition: {
                StringEquals: {
                  "kms:ViaService": pulumi.interpolate`secretsmanager.${scope.region}.amazonaws.com`,
                },
              },
            },
          ]
        : []),
      {
        // Describe calls have no resource-level permissions.
        Sid: `${sid}DescribeNetwork`,
        Effect: "Allow",
        Action: [
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSubnets",
          "ec2:DescribeVpcEndpoints",
          "ec2:DescribeRouteTables",
        ],
        Resource: "*",
      },
      {
        Sid: `${sid}VpcAttributes`,
        Effect: "Allow",
        Action: ["ec2:DescribeVpcAttribute"],
        Resource: [ec2Arn("vpc", args.vpcId)],
      },
      {
        // Glue places the workers' network interfaces in this subnet with this security group only.
        Sid: `${sid}CreateInterfaces`,
        Effect: "Allow",
        Action: ["ec2:CreateNetworkInterface"],
        Resource: [interfaces, subnetArn, securityGroupArn],
      },
      {
        Sid: `${sid}DeleteInterfaces`,
        Effect: "Allow",
        Action: ["ec2:DeleteNetworkInterface"],
        Resource: [interfaces],
        Condition: { ArnEquals: { "ec2:Subnet": subnetArn } },
      },
      {
        Sid: `${sid}TagInterfaces`,
        Effect: "Allow",
        Action: ["ec2:CreateTags", "ec2:DeleteTags"],
        Resource: [interfaces],
        Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["aws-glue-service-resource"] } },
      },
    ];
  }
}
