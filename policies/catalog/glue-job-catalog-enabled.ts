/**
 * glue-job-catalog-enabled: Spark Glue jobs read and write tables through the central Glue Data
 * Catalog (--enable-glue-datacatalog), so table definitions, partitions and Lake Formation
 * permissions apply to them.
 */
import * as aws from "@pulumi/aws";
import { stringList } from "../lib/config";
import { resourcePolicy } from "../lib/define";
import { get, readString } from "../lib/values";

export interface GlueCatalogConfig {
  skipCommandNames: string[];
}

const ARG = "--enable-glue-datacatalog";

export const glueJobCatalogEnabled = resourcePolicy<GlueCatalogConfig>({
  name: "glue-job-catalog-enabled",
  description:
    'Glue jobs (except command names in skipCommandNames, default pythonshell) set defaultArguments["--enable-glue-datacatalog"] ' +
    '(to "true") so Spark uses the central Glue Data Catalog as its metastore.',
  remediationSteps: 'Add defaultArguments: { "--enable-glue-datacatalog": "true" } to the aws.glue.Job.',
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["catalog"],
  types: [aws.glue.Job],
  knobs: { skipCommandNames: stringList("Glue command names the rule does not apply to", ["pythonshell"]) },
  defaults: { skipCommandNames: ["pythonshell"] },
  check: ({ subject, props, config, report }) => {
    const command = readString(get(props, "command", "name"));
    if (
      command.state === "ok" &&
      config.skipCommandNames.some((c) => c.toLowerCase() === command.value.toLowerCase())
    )
      return;
    const v = readString(get(props, "defaultArguments", ARG) ?? get(props, "nonOverridableArguments", ARG));
    if (report.unclear(subject, `defaultArguments["${ARG}"]`, v)) return;
    if (v.state === "absent") {
      report.violation(
        subject,
        "job does not enable the Glue Data Catalog",
        `set defaultArguments["${ARG}"] = "true"`,
      );
    } else if (v.value.trim().toLowerCase() === "false") {
      report.violation(subject, `job sets ${ARG} to "false"`, `set defaultArguments["${ARG}"] = "true"`);
    }
  },
});
