/**
 * no-external-metastore: an external Hive metastore (a JDBC database or a Thrift metastore service)
 * splits the catalog, bypasses Lake Formation and is one more database to run. No EMR cluster or
 * EMR Serverless application may configure one, in any classification.
 */
import * as aws from "@pulumi/aws";
import { stringList } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { readClassifications } from "../lib/emr";
import { keys } from "../lib/values";

export interface NoMetastoreConfig {
  forbiddenProperties: string[];
}

const DEFAULT_FORBIDDEN = [
  "javax.jdo.option.ConnectionURL",
  "javax.jdo.option.ConnectionDriverName",
  "hive.metastore.uris",
];

export const noExternalMetastore = resourcePolicy<NoMetastoreConfig>({
  name: "no-external-metastore",
  description:
    "EMR clusters and EMR Serverless applications configure no external Hive metastore: no classification sets " +
    "javax.jdo.option.ConnectionURL, javax.jdo.option.ConnectionDriverName or hive.metastore.uris (also with a " +
    "spark.hadoop. prefix).",
  remediationSteps:
    "Remove the metastore connection properties and use the Glue Data Catalog (hive.metastore.client.factory.class " +
    "= the Glue factory); migrate tables into the central catalog.",
  severity: "high",
  enforcementLevel: "advisory",
  tags: ["catalog"],
  types: [aws.emr.Cluster, aws.emrserverless.Application],
  knobs: {
    forbiddenProperties: stringList("Property names that configure an external metastore", DEFAULT_FORBIDDEN),
  },
  defaults: { forbiddenProperties: DEFAULT_FORBIDDEN },
  check: ({ subject, props, config, report }) => {
    const classes = readClassifications(props);
    if (report.unclear(subject, "the configuration classifications", classes)) return;
    if (classes.state !== "ok") return;
    const forbidden = config.forbiddenProperties.map((p) => p.toLowerCase());
    for (const c of classes.value) {
      for (const key of keys(c.properties)) {
        const k = key.toLowerCase();
        const hit = forbidden.find((f) => k === f || k === `spark.hadoop.${f}` || k.endsWith(`.${f}`));
        if (hit) {
          report.violation(
            subject,
            `${c.classification} (${c.source}) sets ${key}, an external Hive metastore`,
            "remove it and use the Glue Data Catalog (hive.metastore.client.factory.class)",
          );
        }
      }
    }
  },
});
