import { T } from "../../policies/lib/types";
import { add, CLEAN, cannotJudge, drop, mutate, policyCases, violation } from "./cases";
import { ACCOUNT, GLUE_FACTORY } from "./fixtures";
import { res, UNKNOWN, withOpts } from "./harness";

const EMR = "bdp-dev-sales-emr";
const APP = "bdp-dev-sales-serverless";
const JOB = "bdp-dev-sales-etl";
const DB = "bdp-dev-catalog-sales_raw";
const CRAWLER = "bdp-dev-sales-crawler";

const FACTORY = "hive.metastore.client.factory.class";

policyCases("emr-glue-catalog", [
  { name: "passes a cluster with hive-site and spark-hive-site on Glue", expect: CLEAN },
  {
    name: "fails a Spark cluster without spark-hive-site",
    stack: mutate(EMR, (p) => {
      p.configurationsJson = JSON.stringify([
        { Classification: "hive-site", Properties: { [FACTORY]: GLUE_FACTORY } },
      ]);
    }),
    expect: violation(EMR, "spark-hive-site"),
  },
  {
    name: "fails a factory class that is not Glue",
    stack: mutate(EMR, (p) => {
      p.configurationsJson = JSON.stringify([
        { Classification: "spark-hive-site", Properties: { [FACTORY]: "org.example.OtherFactory" } },
        { Classification: "hive-site", Properties: { [FACTORY]: GLUE_FACTORY } },
      ]);
    }),
    expect: violation(EMR, "org.example.OtherFactory"),
  },
  {
    name: "reads nested Configurations and the older configurations string",
    stack: mutate(EMR, (p) => {
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
    stack: mutate(EMR, (p) => {
      delete p.applications;
      p.configurationsJson = JSON.stringify([
        { Classification: "spark-hive-site", Properties: { [FACTORY]: GLUE_FACTORY } },
      ]);
    }),
    config: { requiredWhenNoApplications: ["spark-hive-site", "hive-site"] },
    expect: violation(EMR, "hive-site"),
  },
  {
    name: "cannot judge configurations that are not JSON",
    stack: mutate(EMR, (p) => {
      p.configurationsJson = "[{Classification: spark-hive-site";
    }),
    expect: cannotJudge(EMR, "classifications"),
  },
]);

policyCases("no-external-metastore", [
  { name: "passes Glue-only configurations", expect: CLEAN },
  {
    name: "fails javax.jdo.option.ConnectionURL in hive-site",
    stack: mutate(EMR, (p) => {
      const c = JSON.parse(p.configurationsJson);
      c[1].Properties["javax.jdo.option.ConnectionURL"] = "jdbc:mysql://metastore:3306/hive";
      p.configurationsJson = JSON.stringify(c);
    }),
    expect: violation(EMR, "javax.jdo.option.ConnectionURL"),
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
    stack: mutate(EMR, (p) => {
      const c = JSON.parse(p.configurationsJson);
      c[1].Properties["hive.metastore.warehouse.dir"] = "s3://elsewhere/";
      p.configurationsJson = JSON.stringify(c);
    }),
    config: { forbiddenProperties: ["hive.metastore.warehouse.dir"] },
    expect: violation(EMR, "hive.metastore.warehouse.dir"),
  },
  {
    name: "cannot judge unknown configurations",
    stack: mutate(EMR, (p) => {
      p.configurationsJson = UNKNOWN.string;
    }),
    expect: cannotJudge(EMR, "classifications"),
  },
]);

policyCases("glue-job-catalog-enabled", [
  { name: "passes --enable-glue-datacatalog", expect: CLEAN },
  {
    name: "fails a job without it",
    stack: mutate(JOB, (p) => {
      delete p.defaultArguments["--enable-glue-datacatalog"];
    }),
    expect: violation(JOB, "Glue Data Catalog"),
  },
  {
    name: "fails it set to false",
    stack: mutate(JOB, (p) => {
      p.defaultArguments["--enable-glue-datacatalog"] = "false";
    }),
    expect: violation(JOB, '"false"'),
  },
  {
    name: "skips Python shell jobs by default",
    stack: mutate(JOB, (p) => {
      p.command.name = "pythonshell";
      delete p.defaultArguments["--enable-glue-datacatalog"];
    }),
    expect: CLEAN,
  },
  {
    name: "knob skipCommandNames can include them",
    stack: mutate(JOB, (p) => {
      p.command.name = "pythonshell";
      delete p.defaultArguments["--enable-glue-datacatalog"];
    }),
    config: { skipCommandNames: [] },
    expect: violation(JOB, "Glue Data Catalog"),
  },
  {
    name: "cannot judge unknown arguments",
    stack: mutate(JOB, (p) => {
      p.defaultArguments = UNKNOWN.object;
    }),
    expect: cannotJudge(JOB, "--enable-glue-datacatalog"),
  },
]);

policyCases("central-catalog-ownership", [
  { name: "passes databases of the central catalog and a crawler writing to one", expect: CLEAN },
  {
    name: "fails a database declared outside the central catalog component",
    stack: (s) => s.all.map((r) => (r.name === DB ? withOpts(r, { parent: undefined }) : r)),
    expect: violation(DB, "outside the central catalog"),
  },
  {
    name: "fails a crawler writing to a database outside the central catalog",
    stack: add((s) => {
      const rogue = res(T.glueCatalogDatabase, "rogue-db", { name: "rogue" }, { provider: s.provider });
      return [
        rogue,
        res(
          T.glueCrawler,
          "rogue-crawler",
          { databaseName: "rogue", securityConfiguration: "x" },
          { provider: s.provider, deps: { databaseName: [rogue] } },
        ),
      ];
    }),
    expect: violation("rogue-crawler", "not part of the central catalog"),
  },
  {
    name: "fails a crawler writing to a database not in the stack",
    stack: (s) =>
      s.all.map((r) =>
        r.name === CRAWLER ? { ...r, deps: {}, props: { ...r.props, databaseName: "somewhere_else" } } : r,
      ),
    expect: violation(CRAWLER, "somewhere_else"),
  },
  {
    name: "knob catalogId rejects a foreign catalog",
    config: { catalogId: "999988887777" },
    expect: violation(DB, ACCOUNT, "999988887777"),
  },
  {
    name: "knob ownerComponentTypes names the owning component",
    config: { ownerComponentTypes: ["bdp:catalog:OtherCatalog"] },
    expect: violation(DB, "bdp:catalog:OtherCatalog"),
  },
  {
    name: "cannot judge a crawler whose database reference is unknown",
    stack: (s) =>
      s.all.map((r) =>
        r.name === CRAWLER ? { ...r, deps: {}, props: { ...r.props, databaseName: UNKNOWN.string } } : r,
      ),
    expect: cannotJudge(CRAWLER, "databaseName"),
  },
]);

policyCases("catalog-encryption-settings", [
  { name: "passes SSE-KMS with encrypted connection passwords", expect: CLEAN },
  {
    name: "fails a Glue stack without encryption settings",
    stack: drop("bdp-dev-catalog-encryption"),
    expect: violation("stack", "DataCatalogEncryptionSettings"),
  },
  {
    name: "fails catalog encryption DISABLED",
    stack: mutate("bdp-dev-catalog-encryption", (p) => {
      p.dataCatalogEncryptionSettings.encryptionAtRest.catalogEncryptionMode = "DISABLED";
    }),
    expect: violation("bdp-dev-catalog-encryption", "DISABLED"),
  },
  {
    name: "fails plain-text connection passwords",
    stack: mutate("bdp-dev-catalog-encryption", (p) => {
      p.dataCatalogEncryptionSettings.connectionPasswordEncryption.returnConnectionPasswordEncrypted = false;
    }),
    expect: violation("bdp-dev-catalog-encryption", "plain text"),
  },
  {
    name: "knob requirePasswordEncryption=false accepts them",
    stack: mutate("bdp-dev-catalog-encryption", (p) => {
      p.dataCatalogEncryptionSettings.connectionPasswordEncryption.returnConnectionPasswordEncrypted = false;
    }),
    config: { requirePasswordEncryption: false },
    expect: CLEAN,
  },
  {
    name: "is not applicable to stacks without Glue",
    stack: (s) => s.all.filter((r) => !r.type.startsWith("aws:glue/")),
    expect: CLEAN,
  },
  {
    name: "cannot judge an unknown mode",
    stack: mutate("bdp-dev-catalog-encryption", (p) => {
      p.dataCatalogEncryptionSettings.encryptionAtRest.catalogEncryptionMode = UNKNOWN.string;
    }),
    expect: cannotJudge("bdp-dev-catalog-encryption", "catalogEncryptionMode"),
  },
]);
