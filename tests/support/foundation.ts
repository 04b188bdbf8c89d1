/**
 * The foundation most component tests stand on: a small data lake, a central catalog and a
 * network, built under mocks with the names the assertions expect (`lake-*`, `catalog-*`, `net-*`).
 */
import * as pulumi from "@pulumi/pulumi";
import { CentralCatalog, CatalogDatabaseSpec } from "../../components/catalog/central-catalog";
import { CatalogGrants } from "../../components/catalog/grants";
import { Network } from "../../components/network/network";
import { DataLake } from "../../components/storage/data-lake";

export const TEST_ACCOUNT = "123456789012";
export const TEST_REGION = "eu-west-1";
/** The lake key's ARN as the mocks answer it. */
export const LAKE_KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/lake-key-key-id`;

export interface TestFoundation {
  lake: DataLake;
  catalog: CentralCatalog;
  network: Network;
}

export interface TestFoundationOptions {
  databases?: CatalogDatabaseSpec[];
  retainOnDelete?: boolean;
}

export function testFoundation(
  opts: pulumi.ComponentResourceOptions,
  options: TestFoundationOptions = {},
): TestFoundation {
  const zone = { noncurrentVersionExpireDays: 7 };
  const lake = new DataLake(
    "lake",
    {
      environment: "unit",
      zones: { raw: zone, curated: zone, analytics: zone },
      abortIncompleteUploadDays: 3,
      logsExpireDays: 30,
      artifactsNoncurrentExpireDays: 7,
      retainOnDelete: options.retainOnDelete ?? false,
    },
    opts,
  );
  const catalog = new CentralCatalog(
    "catalog",
    {
      environment: "unit",
      dataLake: lake,
      databases: options.databases ?? [
        { name: "sales_raw", zone: "raw", description: "raw" },
        { name: "sales_curated", zone: "curated", description: "curated" },
      ],
      lakeFormationAdmins: ["arn:aws:iam::111122223333:role/admin"],
      deployerArn: "arn:aws:iam::111122223333:role/deployer",
    },
    opts,
  );
  const network = new Network(
    "net",
    { mode: "new", cidrBlock: "10.0.0.0/16", availabilityZones: 2, natGateways: "single" },
    opts,
  );
  return { lake, catalog, network };
}

/** The test foundation plus the Lake Formation grants of a job role (`job-lf`): reads sales_raw, writes sales_curated. */
export function testJobGrants(opts: pulumi.ComponentResourceOptions): CatalogGrants {
  const { lake, catalog } = testFoundation(opts);
  return new CatalogGrants(
    "job-lf",
    {
      principalArn: `arn:aws:iam::${TEST_ACCOUNT}:role/job`,
      catalogId: catalog.catalogId,
      readDatabases: [catalog.database("sales_raw")],
      writeDatabases: [catalog.database("sales_curated")],
      dataLake: lake,
    },
    opts,
  );
}
