/** Warehouse: an encrypted, private, audit-logged Redshift cluster and a Redshift Serverless namespace and workgroup. */
import { T } from "../../../policies/lib/types";
import { Res, res } from "../harness";
import { Area, areaOf, Env, KEY_ARN } from "./env";

export interface WarehouseArea extends Area {
  cluster: Res;
  logging: Res;
  namespace: Res;
  workgroup: Res;
}

export function warehouse(env: Env): WarehouseArea {
  const o = { provider: env.provider };
  const cluster = res(
    T.redshiftCluster,
    "bdp-dev-warehouse",
    {
      clusterIdentifier: "bdp-dev-warehouse",
      nodeType: "ra3.xlplus",
      encrypted: true,
      kmsKeyId: KEY_ARN,
      publiclyAccessible: false,
    },
    o,
  );
  const logging = res(
    T.redshiftLogging,
    "bdp-dev-warehouse-logging",
    {
      clusterIdentifier: "bdp-dev-warehouse",
      logDestinationType: "cloudwatch",
      logExports: ["connectionlog", "userlog", "useractivitylog"],
    },
    { ...o, deps: { clusterIdentifier: [cluster] } },
  );
  const namespace = res(
    T.redshiftServerlessNamespace,
    "bdp-dev-namespace",
    {
      namespaceName: "bdp-dev",
      kmsKeyId: KEY_ARN,
      logExports: ["userlog", "connectionlog", "useractivitylog"],
    },
    o,
  );
  const workgroup = res(
    T.redshiftServerlessWorkgroup,
    "bdp-dev-workgroup",
    { workgroupName: "bdp-dev", namespaceName: "bdp-dev", publiclyAccessible: false, baseCapacity: 8 },
    o,
  );
  return areaOf({ cluster, logging, namespace, workgroup });
}
