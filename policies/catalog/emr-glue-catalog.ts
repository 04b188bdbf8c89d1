/**
 * emr-glue-catalog: the environment has one metadata catalog, the Glue Data Catalog. EMR clusters
 * configure Hive and Spark to use it (hive-site / spark-hive-site with the Glue client factory);
 * EMR Serverless applications use it by default, so any metastore setting they make must be Glue.
 */
import * as aws from "@pulumi/aws";
import { stringList, text } from "../lib/config";
import { ResourceContext, resourcePolicy } from "../lib/define";
import { Classification, propertyValue, readClassifications } from "../lib/emr";
import { T } from "../lib/types";
import { describe, get, isUnknown, readArray, readString, unwrap } from "../lib/values";

export interface EmrCatalogConfig {
  factoryClass: string;
  requiredWhenNoApplications: string[];
}

export const GLUE_FACTORY = "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory";
const FACTORY_KEY = "hive.metastore.client.factory.class";
const SPARK_FACTORY_KEY = "spark.hadoop.hive.metastore.client.factory.class";

/** Classification each application needs for the Glue catalog. */
const APP_CLASSIFICATION: Record<string, string> = { spark: "spark-hive-site", hive: "hive-site" };

type Ctx = ResourceContext<EmrCatalogConfig>;

function factoryOf(c: Classification): unknown {
  return unwrap(propertyValue(c, FACTORY_KEY) ?? propertyValue(c, SPARK_FACTORY_KEY));
}

function checkFactories(ctx: Ctx, classes: Classification[]): void {
  for (const c of classes) {
    const value = factoryOf(c);
    if (value === undefined) continue;
    if (isUnknown(value)) {
      ctx.report.cannotJudge(
        ctx.subject,
        `${c.classification} ${FACTORY_KEY}`,
        "value unknown during preview",
      );
    } else if (value !== ctx.config.factoryClass) {
      ctx.report.violation(
        ctx.subject,
        `${c.classification} (${c.source}) sets the metastore client factory to ${describe(value)}, not the Glue Data Catalog`,
        `set "${FACTORY_KEY}": "${ctx.config.factoryClass}"`,
      );
    }
  }
}

export const emrGlueCatalog = resourcePolicy<EmrCatalogConfig>({
  name: "emr-glue-catalog",
  description:
    "EMR clusters set hive-site (Hive) and spark-hive-site (Spark) hive.metastore.client.factory.class to the Glue " +
    "Data Catalog factory in configurationsJson; EMR Serverless applications that set a metastore factory set the " +
    "Glue one.",
  remediationSteps:
    'Add to configurationsJson: [{ Classification: "spark-hive-site", Properties: { "hive.metastore.client.factory.class": ' +
    `"${GLUE_FACTORY}" } }] (and the same for "hive-site" when Hive is installed).`,
  severity: "high",
  enforcementLevel: "advisory",
  tags: ["catalog"],
  types: [aws.emr.Cluster, aws.emrserverless.Application],
  knobs: {
    factoryClass: text("The Glue Data Catalog Hive client factory class", GLUE_FACTORY),
    requiredWhenNoApplications: stringList(
      "Classifications required when the cluster lists no applications",
      ["spark-hive-site"],
    ),
  },
  defaults: { factoryClass: GLUE_FACTORY, requiredWhenNoApplications: ["spark-hive-site"] },
  check: (ctx) => {
    const { subject, props, report, config } = ctx;
    const classes = readClassifications(props);
    if (report.unclear(subject, "the configuration classifications", classes)) return;
    const list = classes.state === "ok" ? classes.value : [];
    checkFactories(ctx, list);
    if (subject.type === T.emrServerlessApplication) return; // Glue is the default there
    const apps = readArray(get(props, "applications"));
    if (report.unclear(subject, "applications", apps)) return;
    const names =
      apps.state === "ok"
        ? apps.value
            .map((a) => readString(a))
            .filter((a) => a.state === "ok")
            .map((a) => (a.state === "ok" ? a.value.toLowerCase() : ""))
        : [];
    const required =
      names.length === 0
        ? config.requiredWhenNoApplications.map((c) => c.toLowerCase())
        : names.map((n) => APP_CLASSIFICATION[n]).filter((c): c is string => !!c);
    for (const needed of required) {
      const found = list.filter((c) => c.classification === needed && factoryOf(c) !== undefined);
      if (found.length === 0) {
        report.violation(
          subject,
          `does not configure ${needed} to use the Glue Data Catalog`,
          `add { Classification: "${needed}", Properties: { "${FACTORY_KEY}": "${config.factoryClass}" } } to configurationsJson`,
        );
      }
    }
  },
});
