import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  JdbcConnection,
  JdbcConnectionArgs,
  validateJdbcConnectionArgs,
} from "../../../components/glue/connection";
import { policyJson } from "../../../components/shared/iam";
import { actionsOf, invalidActions, statementBySid } from "../../support/iam";
import { resolved, Synthesized, synthesizeComponents } from "../../support/synth";
import { assertOnlyProblem, invalidArgsError } from "../../support/problems";
import { ACCOUNT, CATALOG_ARN, REGION } from "./fixtures";

const ARGS: JdbcConnectionArgs = {
  jdbcUrl: "jdbc:postgresql://sales.internal:5432/sales",
  secret: "bdp/sales-db",
  vpcId: "vpc-0a1b2c3d4e5f60000",
  subnetId: "subnet-0a1b2c3d4e5f60001",
  availabilityZone: "eu-west-1a",
  databaseCidrs: ["10.50.0.0/24", "10.50.1.0/24"],
  port: 5432,
};

/** Synthesizes the connection and, as a job would, a document of its access statements. */
async function synthesizeConnection(
  overrides: Partial<JdbcConnectionArgs> = {},
): Promise<{ result: Synthesized; policy: any }> {
  let document: pulumi.Output<string> | undefined;
  const result = await synthesizeComponents((opts) => {
    const connection = new JdbcConnection("sales-db", { ...ARGS, ...overrides }, opts);
    document = policyJson(connection.accessStatements);
  });
  const policy = JSON.parse(await resolved(document!));
  return { result, policy };
}

/** The provider marks connectionProperties secret; the engine receives the wrapped value. */
function properties(connection: { inputs: Record<string, any> }): Record<string, string> {
  const value = connection.inputs.connectionProperties;
  const SECRET = "4dabf18193072939515e22adb298388d";
  return value && SECRET in value ? value.value : value;
}

describe("JdbcConnection component", () => {
  let result: Synthesized;
  let policy: any;
  before(async () => {
    ({ result, policy } = await synthesizeConnection());
  });

  it("references the secret by name and carries no password", () => {
    const connection = result.one("aws:glue/connection:Connection");
    assert.equal(connection.inputs.name, "sales-db");
    assert.equal(connection.inputs.connectionType, "JDBC");
    assert.deepEqual(properties(connection), {
      JDBC_CONNECTION_URL: "jdbc:postgresql://sales.internal:5432/sales",
      SECRET_ID: "bdp/sales-db",
      JDBC_ENFORCE_SSL: "true",
    });
    const serialized = JSON.stringify(connection.inputs).toLowerCase();
    assert.ok(!serialized.includes("password"), "no password property or value");
    assert.equal(result.componentOf(connection), "bdp:glue:JdbcConnection");
  });

  it("runs in the given private subnet with its own security group", () => {
    const connection = result.one("aws:glue/connection:Connection");
    assert.deepEqual(connection.inputs.physicalConnectionRequirements, {
      subnetId: "subnet-0a1b2c3d4e5f60001",
      availabilityZone: "eu-west-1a",
      securityGroupIdLists: ["sg-sales-db-sg"],
    });
  });

  it("opens the security group to Glue workers, the database port and HTTPS only", () => {
    const group = result.one("aws:ec2/securityGroup:SecurityGroup");
    assert.equal(group.inputs.vpcId, "vpc-0a1b2c3d4e5f60000");
    const rule = (r: any) => [r.protocol, r.fromPort, r.toPort, r.self ?? false, r.cidrBlocks ?? []];
    assert.deepEqual(group.inputs.ingress.map(rule), [["tcp", 0, 65535, true, []]]);
    assert.deepEqual(group.inputs.egress.map(rule), [
      ["tcp", 0, 65535, true, []],
      ["tcp", 5432, 5432, false, ["10.50.0.0/24", "10.50.1.0/24"]],
      ["tcp", 443, 443, false, ["0.0.0.0/0"]],
    ]);
  });

  it("gives roles real actions only, none with a wildcard", async () => {
    assert.deepEqual(await invalidActions(actionsOf(policy)), []);
  });

  it("lets roles read this connection and this secret only", () => {
    assert.deepEqual(statementBySid(policy, "SalesDbConnection").Resource, [
      CATALOG_ARN,
      `arn:aws:glue:${REGION}:${ACCOUNT}:connection/sales-db`,
    ]);
    assert.deepEqual(statementBySid(policy, "SalesDbSecret"), {
      Sid: "SalesDbSecret",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: [`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:bdp/sales-db-??????`],
    });
  });

  it("lets Glue create network interfaces only in its subnet with its security group", () => {
    const ec2 = `arn:aws:ec2:${REGION}:${ACCOUNT}`;
    assert.deepEqual(statementBySid(policy, "SalesDbCreateInterfaces").Resource, [
      `${ec2}:network-interface/*`,
      `${ec2}:subnet/subnet-0a1b2c3d4e5f60001`,
      `${ec2}:security-group/sg-sales-db-sg`,
    ]);
    assert.deepEqual(statementBySid(policy, "SalesDbDeleteInterfaces").Condition, {
      ArnEquals: { "ec2:Subnet": `${ec2}:subnet/subnet-0a1b2c3d4e5f60001` },
    });
    assert.deepEqual(statementBySid(policy, "SalesDbTagInterfaces").Condition, {
      "ForAllValues:StringEquals": { "aws:TagKeys": ["aws-glue-service-resource"] },
    });
  });

  it("uses a secret ARN as given, and lets roles decrypt it through Secrets Manager only", async () => {
    const secret = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:bdp/sales-db-AbCdEf`;
    const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/secret-key`;
    const { result: byArn, policy: arnPolicy } = await synthesizeConnection({ secret, secretKmsKeyArn: key });
    assert.equal(properties(byArn.one("aws:glue/connection:Connection")).SECRET_ID, secret);
    assert.deepEqual(statementBySid(arnPolicy, "SalesDbSecret").Resource, [secret]);
    assert.deepEqual(statementBySid(arnPolicy, "SalesDbSecretKey"), {
      Sid: "SalesDbSecretKey",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [key],
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } },
    });
  });

  it("rejects invalid args with one error that lists every problem", async () => {
    await assert.rejects(
      synthesizeConnection({ port: 70000, databaseCidrs: [] }),
      invalidArgsError(
        "bdp:glue:JdbcConnection sales-db",
        /port: must be a port from 1 to 65535 \(given: 70000\)/,
        /databaseCidrs: must name at least one CIDR/,
      ),
    );
  });
});

describe("validateJdbcConnectionArgs", () => {
  it("accepts the JDBC URL forms Glue documents for its built-in drivers", () => {
    for (const [jdbcUrl, port] of [
      ["jdbc:postgresql://db:5432/sales", 5432],
      ["jdbc:postgresql://db:6543/sales", 6543],
      ["jdbc:postgresql://db/sales", 5432], // no port: the driver's default
      ["jdbc:mysql://db:3306/sales", 3306],
      ["jdbc:sqlserver://db:1433;databaseName=sales", 1433],
      ["jdbc:sqlserver://db;databaseName=sales", 1433],
      ["jdbc:oracle:thin://@db:1521/ORCL", 1521],
      ["jdbc:redshift://cluster.abc.eu-west-1.redshift.amazonaws.com:5439/dev", 5439],
    ] as const) {
      assert.deepEqual(validateJdbcConnectionArgs({ ...ARGS, jdbcUrl, port }), [], jdbcUrl);
    }
    const secret = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:bdp/sales-db-AbCdEf`;
    assert.deepEqual(validateJdbcConnectionArgs({ ...ARGS, secret }), []);
  });

  const invalid: [string, Partial<JdbcConnectionArgs>, string, RegExp][] = [
    [
      "a password in the URL",
      { jdbcUrl: "jdbc:mysql://db:3306/sales?user=a&password=b" },
      "jdbcUrl",
      /must not carry a password/,
    ],
    ["a URL that is not JDBC", { jdbcUrl: "postgresql://db:5432/sales" }, "jdbcUrl", /must be a JDBC URL/],
    [
      "an engine without a built-in driver",
      { jdbcUrl: "jdbc:db2://db:50000/sales" },
      "jdbcUrl",
      /postgresql, mysql/,
    ],
    ["an empty secret", { secret: "" }, "secret", /name or ARN of a Secrets Manager secret/],
    ["no database CIDRs", { databaseCidrs: [] }, "databaseCidrs", /at least one CIDR/],
    ["an invalid port", { port: 70000 }, "port", /from 1 to 65535/],
    [
      "a port other than the URL's",
      { jdbcUrl: "jdbc:postgresql://db:5432/sales", port: 3306 },
      "port",
      /must be the port jdbcUrl names \(5432\): the security group opens only this port/,
    ],
    [
      "a port other than the driver's default when the URL names none",
      { jdbcUrl: "jdbc:mysql://db/sales", port: 5432 },
      "port",
      /jdbcUrl names no port, so the driver connects to its default 3306; set port to 3306/,
    ],
    [
      "a database CIDR with host bits set",
      { databaseCidrs: ["10.50.0.0/24", "10.60.0.9/24"] },
      "databaseCidrs[1]",
      /has host bits set: AWS stores the network 10.60.0.0\/24/,
    ],
  ];
  for (const [what, overrides, field, message] of invalid) {
    it(`rejects ${what} at ${field}`, () => {
      assertOnlyProblem(validateJdbcConnectionArgs({ ...ARGS, ...overrides }), field, message);
    });
  }
});
