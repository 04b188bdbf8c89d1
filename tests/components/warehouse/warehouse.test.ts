import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { testFoundation } from "../../support/foundation";
import { provisionedParameters, Warehouse, WarehouseCapacity } from "../../../components/warehouse/warehouse";
import { actionsOf, invalidActions } from "../../support/iam";
import { Synthesized, resolved, synthesizeComponents } from "../../support/synth";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/lake-key-key-id";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** The audit log groups are declared with retention and the lake key, before `writer` exists. */
function assertAuditLogGroups(result: Synthesized, prefix: string, writers: string[], retained: boolean) {
  const groups = result.ofType(LOG_GROUP);
  assert.deepEqual(
    groups.map((group) => group.inputs.name),
    ["connectionlog", "useractivitylog", "userlog"].map((logType) => `${prefix}/${logType}`),
  );
  for (const group of groups) {
    assert.equal(group.inputs.retentionInDays, 30);
    assert.equal(group.inputs.kmsKeyId, KEY_ARN);
    assert.equal(group.options.retainOnDelete, retained, group.name);
    for (const writer of writers) {
      assert.ok(
        result.one(writer).options.dependsOn.includes(group.urn),
        `${writer} waits for ${group.name}`,
      );
    }
  }
}

function synthesizeWarehouse(
  capacity: WarehouseCapacity,
  retainOnDelete = false,
  created: (warehouse: Warehouse) => void = () => undefined,
): Promise<Synthesized> {
  return synthesizeComponents((opts) => {
    const { lake, catalog, network } = testFoundation(opts, {
      databases: [{ name: "sales_curated", zone: "curated", description: "curated" }],
      retainOnDelete,
    });
    const warehouse = new Warehouse(
      "wh",
      {
        environment: "unit",
        databaseName: "analytics",
        capacity,
        dataLake: lake,
        spectrumDatabases: [catalog.database("sales_curated")],
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        clientSecurityGroupId: network.jobSecurityGroup.id,
        s3PrefixListId: pulumi.output("pl-6da54004"),
        retainOnDelete,
        logRetentionDays: 30,
      },
      opts,
    );
    created(warehouse);
  });
}

describe("Warehouse component", () => {
  describe("serverless", () => {
    let result: Synthesized;
    before(async () => {
      result = await synthesizeWarehouse({
        kind: "serverless",
        baseCapacityRpu: 8,
        maxCapacityRpu: 64,
        monthlyRpuHoursLimit: 300,
      });
    });

    it("encrypts the namespace with the lake key, manages the admin password in Secrets Manager and exports audit logs", () => {
      const namespace = result.one("aws:redshiftserverless/namespace:Namespace");
      assert.equal(namespace.inputs.kmsKeyId, KEY_ARN);
      assert.equal(namespace.inputs.manageAdminPassword, true);
      assert.equal(namespace.inputs.adminPasswordSecretKmsKeyId, KEY_ARN);
      assert.equal(namespace.inputs.adminUserPassword, undefined);
      assert.deepEqual(namespace.inputs.logExports, ["connectionlog", "useractivitylog", "userlog"]);
      assert.equal(namespace.inputs.dbName, "analytics");
      assert.equal(namespace.inputs.defaultIamRoleArn, "arn:aws:iam::123456789012:role/wh-role");
    });

    it("declares the namespace's audit log groups with retention and the lake key before the namespace", () => {
      assertAuditLogGroups(
        result,
        "/aws/redshift/bdp-unit-warehouse",
        ["aws:redshiftserverless/namespace:Namespace"],
        false,
      );
    });

    it("keeps the workgroup private with enhanced VPC routing, TLS and the configured capacity", () => {
      const workgroup = result.one("aws:redshiftserverless/workgroup:Workgroup");
      assert.equal(workgroup.inputs.publiclyAccessible, false);
      assert.equal(workgroup.inputs.enhancedVpcRouting, true);
      assert.equal(workgroup.inputs.baseCapacity, 8);
      assert.equal(workgroup.inputs.maxCapacity, 64);
      assert.deepEqual(workgroup.inputs.subnetIds, ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]);
      assert.deepEqual(workgroup.inputs.securityGroupIds, ["sg-wh-sg"]);
      assert.deepEqual(workgroup.inputs.configParameters, [
        { parameterKey: "require_ssl", parameterValue: "true" },
        { parameterKey: "enable_user_activity_logging", parameterValue: "true" },
      ]);
    });

    it("limits monthly compute", () => {
      const limit = result.one("aws:redshiftserverless/usageLimit:UsageLimit");
      assert.equal(limit.inputs.usageType, "serverless-compute");
      assert.equal(limit.inputs.amount, 300);
      assert.equal(limit.inputs.period, "monthly");
      assert.equal(limit.inputs.breachAction, "deactivate");
    });

    it("admits SQL only from platform jobs and lets HTTPS out to S3 and to Spectrum's Glue and Lake Formation", () => {
      const group = result.one("aws:ec2/securityGroup:SecurityGroup", "wh-sg");
      assert.deepEqual(
        group.inputs.ingress.map((rule: any) => [rule.fromPort, rule.securityGroups]),
        [[5439, ["sg-net-jobs"]]],
      );
      // Enhanced VPC routing: S3 through the gateway endpoint; the Glue Data Catalog and Lake
      // Formation through NAT or interface endpoints, which no prefix list covers.
      assert.deepEqual(
        group.inputs.egress.map((rule: any) => [
          rule.protocol,
          rule.fromPort,
          rule.toPort,
          rule.prefixListIds,
          rule.cidrBlocks,
        ]),
        [
          ["tcp", 443, 443, ["pl-6da54004"], undefined],
          ["tcp", 443, 443, undefined, ["0.0.0.0/0"]],
        ],
      );
    });

    it("lets Redshift read the curated zone for COPY and the catalog for Spectrum, nothing else", async () => {
      const trust = result.json(result.one("aws:iam/role:Role", "wh-role"), "assumeRolePolicy");
      assert.deepEqual(trust.Statement[0].Principal.Service, [
        "redshift.amazonaws.com",
        "redshift-serverless.amazonaws.com",
      ]);
      const policy = result.json(result.one("aws:iam/rolePolicy:RolePolicy", "wh-role"), "policy");
      assert.deepEqual(await invalidActions(actionsOf(policy)), []);
      const bySid = Object.fromEntries(
        policy.Statement.map((statement: any) => [statement.Sid, statement.Resource]),
      );
      assert.deepEqual(bySid.ReadCurated, ["arn:aws:s3:::lake-curated/*"]);
      assert.deepEqual(bySid.ReadCatalogForSpectrum, [
        "arn:aws:glue:eu-west-1:123456789012:catalog",
        "arn:aws:glue:eu-west-1:123456789012:database/unit_sales_curated",
        "arn:aws:glue:eu-west-1:123456789012:table/unit_sales_curated/*",
      ]);
      assert.deepEqual(bySid.UseLakeKey, [KEY_ARN]);
      assert.ok(!JSON.stringify(policy).includes("lake-raw"));
    });
  });

  describe("provisioned", () => {
    let result: Synthesized;
    before(async () => {
      result = await synthesizeWarehouse(
        {
          kind: "provisioned",
          nodeType: "ra3.xlplus",
          numberOfNodes: 2,
          maxConcurrencyScalingClusters: 3,
          concurrencyScalingDailyLimitMinutes: 60,
        },
        true,
      );
    });

    it("declares an encrypted, private cluster with a managed password, logging and a final snapshot", () => {
      const cluster = result.one("aws:redshift/cluster:Cluster");
      assert.equal(cluster.inputs.encrypted, "true");
      assert.equal(cluster.inputs.kmsKeyId, KEY_ARN);
      assert.equal(cluster.inputs.publiclyAccessible, false);
      assert.equal(cluster.inputs.enhancedVpcRouting, true);
      assert.equal(cluster.inputs.manageMasterPassword, true);
      assert.equal(cluster.inputs.masterPassword, undefined);
      assert.equal(cluster.inputs.clusterType, "multi-node");
      assert.equal(cluster.inputs.numberOfNodes, 2);
      assert.equal(cluster.inputs.skipFinalSnapshot, false);
      assert.equal(cluster.options.retainOnDelete, true);
      const logging = result.one("aws:redshift/logging:Logging");
      assert.equal(logging.inputs.logDestinationType, "cloudwatch");
      assert.deepEqual(logging.inputs.logExports, ["connectionlog", "useractivitylog", "userlog"]);
    });

    it("declares the cluster's audit log groups, kept with the cluster, before it and its logging", () => {
      assertAuditLogGroups(
        result,
        "/aws/redshift/cluster/bdp-unit-warehouse",
        ["aws:redshift/cluster:Cluster", "aws:redshift/logging:Logging"],
        true,
      );
    });

    it("enables concurrency scaling in the parameter group and caps it daily", () => {
      const parameters = result.one("aws:redshift/parameterGroup:ParameterGroup");
      const values = Object.fromEntries(parameters.inputs.parameters.map((p: any) => [p.name, p.value]));
      assert.equal(values.max_concurrency_scaling_clusters, "3");
      assert.equal(values.require_ssl, "true");
      assert.deepEqual(JSON.parse(values.wlm_json_configuration)[0], {
        auto_wlm: true,
        concurrency_scaling: "auto",
      });
      const limit = result.one("aws:redshift/usageLimit:UsageLimit");
      assert.equal(limit.inputs.featureType, "concurrency-scaling");
      assert.equal(limit.inputs.limitType, "time");
      assert.equal(limit.inputs.amount, 60);
      assert.equal(limit.inputs.period, "daily");
    });
  });

  describe("provisioned with a pause schedule", () => {
    let result: Synthesized;
    const ACTION = "aws:redshift/scheduledAction:ScheduledAction";
    before(async () => {
      result = await synthesizeWarehouse({
        kind: "provisioned",
        nodeType: "ra3.xlplus",
        numberOfNodes: 2,
        maxConcurrencyScalingClusters: 0,
        concurrencyScalingDailyLimitMinutes: 60,
        pauseSchedule: {
          resume: ["cron(30 0 * * ? *)"],
          pause: ["cron(0 19 ? * MON-FRI *)", "cron(0 5 ? * SAT,SUN *)"],
        },
      });
    });

    it("declares one scheduled action per expression, pausing or resuming the cluster", () => {
      const actions = result.ofType(ACTION);
      assert.deepEqual(
        actions.map((action) => [action.inputs.name, action.inputs.schedule, action.inputs.targetAction]),
        [
          [
            "bdp-unit-warehouse-pause-1",
            "cron(0 19 ? * MON-FRI *)",
            { pauseCluster: { clusterIdentifier: "bdp-unit-warehouse" } },
          ],
          [
            "bdp-unit-warehouse-pause-2",
            "cron(0 5 ? * SAT,SUN *)",
            { pauseCluster: { clusterIdentifier: "bdp-unit-warehouse" } },
          ],
          [
            "bdp-unit-warehouse-resume-1",
            "cron(30 0 * * ? *)",
            { resumeCluster: { clusterIdentifier: "bdp-unit-warehouse" } },
          ],
        ],
      );
      const role = result.one("aws:iam/role:Role", "-scheduler");
      const access = result.one("aws:iam/rolePolicy:RolePolicy", "-scheduler");
      for (const action of actions) {
        assert.equal(action.inputs.enable, true);
        assert.equal(action.inputs.iamRole, role.outputs.arn);
        assert.ok(
          action.options.dependsOn.includes(access.urn),
          `${action.name} waits for the role's access`,
        );
      }
    });

    it("lets only the Redshift scheduler assume its role, to pause and resume this cluster only", async () => {
      const trust = JSON.parse(result.one("aws:iam/role:Role", "-scheduler").inputs.assumeRolePolicy);
      assert.deepEqual(trust.Statement, [
        {
          Effect: "Allow",
          Principal: { Service: "scheduler.redshift.amazonaws.com" },
          Action: ["sts:AssumeRole"],
        },
      ]);
      const policy = JSON.parse(result.one("aws:iam/rolePolicy:RolePolicy", "-scheduler").inputs.policy);
      assert.deepEqual(actionsOf(policy).sort(), ["redshift:PauseCluster", "redshift:ResumeCluster"]);
      assert.deepEqual(await invalidActions(actionsOf(policy)), []);
      assert.deepEqual(policy.Statement[0].Resource, [
        result.one("aws:redshift/cluster:Cluster").outputs.arn,
      ]);
    });

    it("keeps automated snapshots on, without which a cluster cannot pause", () => {
      assert.ok(result.one("aws:redshift/cluster:Cluster").inputs.automatedSnapshotRetentionPeriod >= 1);
    });
  });

  it("declares no scheduled action for a cluster without a pause schedule", async () => {
    const result = await synthesizeWarehouse({
      kind: "provisioned",
      nodeType: "ra3.large",
      numberOfNodes: 1,
      maxConcurrencyScalingClusters: 0,
      concurrencyScalingDailyLimitMinutes: 60,
    });
    assert.deepEqual(result.ofType("aws:redshift/scheduledAction:ScheduledAction"), []);
    assert.equal(
      result.ofType("aws:iam/role:Role").filter((role) => role.name.endsWith("-scheduler")).length,
      0,
    );
  });

  it("turns concurrency scaling off in WLM when no scaling clusters are allowed", () => {
    const values = Object.fromEntries(provisionedParameters(0).map((p) => [p.name, p.value]));
    assert.equal(JSON.parse(values.wlm_json_configuration)[0].concurrency_scaling, "off");
  });

  describe("the workgroup ARN, for IAM statements that name the workgroup exactly", () => {
    it("serverless: is the workgroup's ARN, which holds its id (a UUID), not its name", async () => {
      let warehouse: Warehouse | undefined;
      const result = await synthesizeWarehouse(
        { kind: "serverless", baseCapacityRpu: 8, maxCapacityRpu: 64, monthlyRpuHoursLimit: 300 },
        false,
        (created) => {
          warehouse = created;
        },
      );
      const workgroup = result.one("aws:redshiftserverless/workgroup:Workgroup").outputs;
      const arn = await resolved(warehouse!.workgroupArn!);
      assert.equal(arn, workgroup.arn);
      assert.equal(
        arn,
        `arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/${workgroup.workgroupId}`,
      );
      assert.match(workgroup.workgroupId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.ok(!arn.includes(await resolved(warehouse!.workgroupName!)));
    });

    it("provisioned: there is none", async () => {
      let warehouse: Warehouse | undefined;
      await synthesizeWarehouse(
        {
          kind: "provisioned",
          nodeType: "ra3.xlplus",
          numberOfNodes: 2,
          maxConcurrencyScalingClusters: 0,
          concurrencyScalingDailyLimitMinutes: 60,
        },
        false,
        (created) => {
          warehouse = created;
        },
      );
      assert.equal(warehouse!.workgroupArn, undefined);
      assert.ok(warehouse!.clusterIdentifier);
    });
  });

  describe("the admin secret, for the warehouse setup only", () => {
    for (const [capacity, type, output] of [
      [
        { kind: "serverless", baseCapacityRpu: 8, maxCapacityRpu: 64, monthlyRpuHoursLimit: 300 },
        "aws:redshiftserverless/namespace:Namespace",
        "adminPasswordSecretArn",
      ],
      [
        {
          kind: "provisioned",
          nodeType: "ra3.xlplus",
          numberOfNodes: 2,
          maxConcurrencyScalingClusters: 1,
          concurrencyScalingDailyLimitMinutes: 60,
        },
        "aws:redshift/cluster:Cluster",
        "masterPasswordSecretArn",
      ],
    ] as const) {
      it(`${capacity.kind}: is the secret Redshift manages, encrypted with the lake key`, async () => {
        let warehouse: Warehouse | undefined;
        const result = await synthesizeWarehouse(capacity as WarehouseCapacity, false, (created) => {
          warehouse = created;
        });
        // The namespace's outputs come back as one secret (its admin user name is secret).
        const outputs = result.one(type).outputs;
        const managed = (outputs.value ?? outputs)[output];
        assert.match(managed, /^arn:aws:secretsmanager:/);
        assert.equal(await resolved(warehouse!.adminSecretArn), managed);
        assert.equal(await resolved(warehouse!.adminSecretKmsKeyArn), KEY_ARN);
      });
    }
  });
});
