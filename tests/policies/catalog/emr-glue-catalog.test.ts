/** emr-glue-catalog (policies/catalog/emr-glue-catalog.ts) on a compliant stack of emr. */
import { EMR_CLUSTER, GLUE_FACTORY, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";

const APP = "bdp-dev-sales-serverless";
const FACTORY = "hive.metastore.client.factory.class";

policyCases("emr-glue-catalog", () => stackWith("emr"), [
  { name: "passes a cluster with hive-site and spark-hive-site on Glue", expect: CLEAN },
  {
    name: "fails a Spark cluster without spark-hive-site",
    stack: mutate(EMR_CLUSTER, (p) => {
      p.configurationsJson = JSON.stringify([
        { Classification: "hive-site", Properties: { [FACTORY]: GLUE_FACTORY } },
      ]);
    }),
    expect: violation(EMR_CLUSTER, "spark-hive-site"),
  },
  {
    name: "fails a factory class that is not Glue",
    stack: mutate(EMR_CLUSTER, (p) => {
      p.configurationsJson = JSON.stringify([
        { Classification: "spark-hive-site", Properties: { [FACTORY]: "org.example.OtherFactory" } },
        { Classification: "hive-site", Properties: { [FACTORY]: GLUE_FACTORY } },
      ]);
    }),
    expect: violation(EMR_CLUSTER, "org.example.OtherFactory"),
  },
  {
    name: "reads nested Configurations and the older configurations string",
    stack: mutate(EMR_CLUSTER, (p) => {
      delete p.configurationsJson;
      p.configurations = JSON.stringify([
        {
          Classification: "spark",
          Configurations: [{ Classification: "spark-hive-site", Properties: { [FACTORY]: GLUE_FACTORY } }],
        },
        { Classification: "hive-site", Properties: { [FACTORY]: GLUE_FACTORY } },
      ]);
    }),
    expect: CLEAN,
  },
  {
    name: "fails an EMR Serverless application that sets a non-Glue factory",
    stack: mutate(APP, (p) => {
      p.runtimeConfigurations = [
        {
          classification: "spark-defaults",
          properties: { "spark.hadoop.hive.metastore.client.factory.class": "x.Other" },
        },
      ];
    }),
    expect: violation(APP, "x.Other"),
  },
  {
    name: "passes an EMR Serverless application without metastore settings (Glue is the default)",
    stack: mutate(APP, (p) => {
      delete p.runtimeConfigurations;
    }),
    expect: CLEAN,
  },
  {
    name: "knob requiredWhenNoApplications applies to clusters without applications",
    stack: mutate(EMR_CLUSTER, (p) => {
      delete p.applications;
      p.configurationsJson = JSON.stringify([
        { Classification: "spark-hive-site", Properties: { [FACTORY]: GLUE_FACTORY } },
      ]);
    }),
    config: { requiredWhenNoApplications: ["spark-hive-site", "hive-site"] },
    expect: violation(EMR_CLUSTER, "hive-site"),
  },
  {
    name: "cannot judge configurations that are not JSON",
    stack: mutate(EMR_CLUSTER, (p) => {
      p.configurationsJson = "[{Classification: spark-hive-site";
    }),
    expect: cannotJudge(EMR_CLUSTER, "classifications"),
  },
]);
