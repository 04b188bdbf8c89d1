/** Central catalog: the catalog component, one database, the catalog's encryption settings and the crawler that fills it. */
import { T } from "../../../policies/lib/types";
import { component, Res, res } from "../harness";
import { ACCOUNT, Area, areaOf, Env, KEY_ARN } from "./env";
import { RAW_BUCKET } from "./storage";

export interface CatalogArea extends Area {
  component: Res;
  database: Res;
  encryption: Res;
  crawler: Res;
}

export function catalog(env: Env): CatalogArea {
  const o = { provider: env.provider };
  const owner = component("bdp:catalog:CentralCatalog", "bdp-dev-catalog");
  const database = res(
    T.glueCatalogDatabase,
    "bdp-dev-catalog-sales_raw",
    { name: "sales_raw", catalogId: ACCOUNT, locationUri: `s3://${RAW_BUCKET}/sales/` },
    { ...o, parent: owner },
  );
  const encryption = res(
    T.glueDataCatalogEncryptionSettings,
    "bdp-dev-catalog-encryption",
    {
      catalogId: ACCOUNT,
      dataCatalogEncryptionSettings: {
        encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: KEY_ARN },
        connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: KEY_ARN },
      },
    },
    { ...o, parent: owner },
  );
  const crawler = res(
    T.glueCrawler,
    "bdp-dev-sales-crawler",
    {
      name: "bdp-dev-sales-crawler",
      role: "bdp-dev-glue",
      databaseName: "sales_raw",
      securityConfiguration: "bdp-dev-glue-security",
      s3Targets: [{ path: `s3://${RAW_BUCKET}/sales/` }],
    },
    { ...o, deps: { databaseName: [database] } },
  );
  return areaOf({ component: owner, database, encryption, crawler });
}
