/**
 * EMR: a long-running Spot/Graviton cluster in the private subnet with a task fleet and managed
 * scaling, and an EMR Serverless application; all on the Glue Data Catalog.
 */
import { T } from "../../../policies/lib/types";
import { Res, res } from "../harness";
import { Area, areaOf, Env } from "./env";
import { NetworkArea } from "./network";

export const EMR_CLUSTER = "bdp-dev-sales-emr";
export const EMR_CLUSTER_ID = "j-2AXXXXXXGAPLF";
export const GLUE_FACTORY = "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory";

export interface EmrArea extends Area {
  cluster: Res;
  taskFleet: Res;
  scaling: Res;
  serverless: Res;
}

const SPOT_TIMEOUT = { allocationStrategy: "capacity-optimized", timeoutDurationMinutes: 10 };

export function emr(env: Env, net: NetworkArea): EmrArea {
  const o = { provider: env.provider };
  const cluster = res(
    T.emrCluster,
    EMR_CLUSTER,
    {
      name: EMR_CLUSTER,
      releaseLabel: "emr-7.5.0",
      applications: ["Spark", "Hive"],
      serviceRole: "bdp-dev-emr-service",
      keepJobFlowAliveWhenNoSteps: true,
      autoTerminationPolicy: { idleTimeout: 1800 },
      securityConfiguration: "bdp-dev-emr-security",
      ec2Attributes: { subnetIds: [net.privateSubnet.props.id], instanceProfile: "bdp-dev-emr-ec2" },
      masterInstanceFleet: {
        targetOnDemandCapacity: 1,
        instanceTypeConfigs: [{ instanceType: "m7g.xlarge" }],
      },
      coreInstanceFleet: {
        targetOnDemandCapacity: 0,
        targetSpotCapacity: 4,
        instanceTypeConfigs: [{ instanceType: "m7g.2xlarge" }, { instanceType: "r7g.2xlarge" }],
        launchSpecifications: {
          spotSpecifications: [{ ...SPOT_TIMEOUT, timeoutAction: "SWITCH_TO_ON_DEMAND" }],
        },
      },
      configurationsJson: JSON.stringify([
        {
          Classification: "spark-hive-site",
          Properties: { "hive.metastore.client.factory.class": GLUE_FACTORY },
        },
        { Classification: "hive-site", Properties: { "hive.metastore.client.factory.class": GLUE_FACTORY } },
      ]),
      tags: { "sla-tier": "flexible", pipeline: "sales" },
      // Known output: failure rules name the cluster by its id.
      id: EMR_CLUSTER_ID,
    },
    { ...o, deps: { ec2Attributes: [net.privateSubnet] } },
  );
  const taskFleet = res(
    T.emrInstanceFleet,
    "bdp-dev-sales-emr-task",
    {
      clusterId: EMR_CLUSTER_ID,
      targetSpotCapacity: 2,
      instanceTypeConfigs: [{ instanceType: "c7g.2xlarge" }],
      launchSpecifications: {
        spotSpecifications: [{ ...SPOT_TIMEOUT, timeoutAction: "TERMINATE_CLUSTER" }],
      },
    },
    { ...o, deps: { clusterId: [cluster] } },
  );
  const scaling = res(
    T.emrManagedScalingPolicy,
    "bdp-dev-sales-emr-scaling",
    {
      clusterId: EMR_CLUSTER_ID,
      computeLimits: [{ unitType: "InstanceFleetUnits", minimumCapacityUnits: 2, maximumCapacityUnits: 16 }],
    },
    { ...o, deps: { clusterId: [cluster] } },
  );
  const serverless = res(
    T.emrServerlessApplication,
    "bdp-dev-sales-serverless",
    {
      name: "bdp-dev-sales-serverless",
      releaseLabel: "emr-7.5.0",
      type: "spark",
      architecture: "ARM64",
      runtimeConfigurations: [
        {
          classification: "spark-defaults",
          properties: { "spark.hadoop.hive.metastore.client.factory.class": GLUE_FACTORY },
        },
      ],
      tags: { "sla-tier": "flexible" },
    },
    o,
  );
  return areaOf({ cluster, taskFleet, scaling, serverless });
}
