/** Glue: the sales ETL job (flexible tier, incremental, on the central catalog). */
import { T } from "../../../policies/lib/types";
import { Res, res } from "../harness";
import { ACCOUNT, Area, areaOf, Env } from "./env";

export const GLUE_JOB = "bdp-dev-sales-etl";

export interface GlueArea extends Area {
  job: Res;
}

export function glue(env: Env): GlueArea {
  const job = res(
    T.glueJob,
    GLUE_JOB,
    {
      name: GLUE_JOB,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/bdp-dev-glue`,
      command: { name: "glueetl", scriptLocation: "s3://bdp-dev-artifacts/etl.py", pythonVersion: "3" },
      glueVersion: "4.0",
      executionClass: "FLEX",
      workerType: "G.1X",
      numberOfWorkers: 4,
      timeout: 60,
      maxRetries: 1,
      securityConfiguration: "bdp-dev-glue-security",
      defaultArguments: {
        "--job-bookmark-option": "job-bookmark-enable",
        "--enable-glue-datacatalog": "true",
        "--enable-auto-scaling": "true",
      },
      tags: { "sla-tier": "flexible", pipeline: "sales", incremental: "true" },
    },
    { provider: env.provider },
  );
  return areaOf({ job });
}
