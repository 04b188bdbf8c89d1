/** no-external-metastore (policies/catalog/no-external-metastore.ts) on a compliant stack of emr. */
import { EMR_CLUSTER, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

const APP = "bdp-dev-sales-serverless";

policyCases("no-external-metastore", () => stackWith("emr"), [
  { name: "passes Glue-only configurations", expect: CLEAN },
  {
    name: "fails javax.jdo.option.ConnectionURL in hive-site",
    stack: mutate(EMR_CLUSTER, (p) => {
      const c = JSON.parse(p.configurationsJson);
      c[1].Properties["javax.jdo.option.ConnectionURL"] = "jdbc:mysql://metastore:3306/hive";
      p.configurationsJson = JSON.stringify(c);
    }),
    expect: violation(EMR_CLUSTER, "javax.jdo.option.ConnectionURL"),
  },
  {
    name: "fails a Thrift metastore in an EMR Serverless spark-defaults",
    stack: mutate(APP, (p) => {
      p.runtimeConfigurations[0].properties["spark.hadoop.hive.metastore.uris"] = "thrift://metastore:9083";
    }),
    expect: violation(APP, "hive.metastore.uris"),
  },
  {
    name: "knob forbiddenProperties adds property names",
    stack: mutate(EMR_CLUSTER, (p) => {
      const c = JSON.parse(p.configurationsJson);
      c[1].Properties["hive.metastore.warehouse.dir"] = "s3://elsewhere/";
      p.configurationsJson = JSON.stringify(c);
    }),
    config: { forbiddenProperties: ["hive.metastore.warehouse.dir"] },
    expect: violation(EMR_CLUSTER, "hive.metastore.warehouse.dir"),
  },
  {
    name: "cannot judge unknown configurations",
    stack: mutate(EMR_CLUSTER, (p) => {
      p.configurationsJson = UNKNOWN.string;
    }),
    expect: cannotJudge(EMR_CLUSTER, "classifications"),
  },
]);
