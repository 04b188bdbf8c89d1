/** Shared set-up of the EMR component tests: a lake, a catalog and a network, built under mocks. */
import * as pulumi from "@pulumi/pulumi";
import { CentralCatalog } from "../../../components/catalog/central-catalog";
import {
  LAKE_KEY_ARN,
  TEST_ACCOUNT as ACCOUNT,
  TEST_REGION as REGION,
  testFoundation,
} from "../../support/foundation";
import { EmrJobAccess } from "../../../components/emr";
import { Network } from "../../../components/network/network";
import { DataLake } from "../../../components/storage/data-lake";

export { ACCOUNT, REGION, LAKE_KEY_ARN as KEY_ARN };
export const PRIVATE_SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
export const RAW_ARN = "arn:aws:s3:::lake-raw";
export const CURATED_ARN = "arn:aws:s3:::lake-curated";
export const ARTIFACTS_ARN = "arn:aws:s3:::lake-artifacts";
export const LOGS_ARN = "arn:aws:s3:::lake-logs";
export const GLUE = `arn:aws:glue:${REGION}:${ACCOUNT}`;

export interface Foundation {
  lake: DataLake;
  catalog: CentralCatalog;
  network: Network;
  access: EmrJobAccess;
}

/** Lake + catalog (databases sales_raw, sales_curated) + network, and a job reading raw and writing curated. */
export function foundation(opts: pulumi.ComponentResourceOptions): Foundation {
  const { lake, catalog, network } = testFoundation(opts);
  const access: EmrJobAccess = {
    read: [{ bucketName: lake.zone("raw").name, bucketArn: lake.zone("raw").arn, prefix: "incoming/sales/" }],
    write: [
      {
        bucketName: lake.zone("curated").name,
        bucketArn: lake.zone("curated").arn,
        prefix: "unit_sales_curated/orders/",
      },
    ],
    readDatabases: [catalog.database("sales_raw")],
    writeDatabases: [catalog.database("sales_curated")],
    scripts: { bucketName: lake.artifacts.name, bucketArn: lake.artifacts.arn, prefix: "jobs/sales/" },
  };
  return { lake, catalog, network, access };
}
