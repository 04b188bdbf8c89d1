import { strict as assert } from "assert";
import { testJobGrants } from "../support/foundation";
import { Synthesized, synthesizeComponents } from "../support/synth";

const PERMISSIONS = "aws:lakeformation/permissions:Permissions";

describe("CatalogGrants component", () => {
  let result: Synthesized;
  before(async () => {
    result = await synthesizeComponents(testJobGrants);
  });

  it("lets the role read the source database's tables", () => {
    const database = result.one(PERMISSIONS, "read-sales_raw");
    assert.deepEqual(database.inputs.permissions, ["DESCRIBE"]);
    assert.deepEqual(database.inputs.database, { name: "unit_sales_raw", catalogId: "123456789012" });
    const tables = result.one(PERMISSIONS, "read-sales_raw-tables");
    assert.deepEqual(tables.inputs.permissions, ["SELECT", "DESCRIBE"]);
    assert.deepEqual(tables.inputs.table, {
      databaseName: "unit_sales_raw",
      wildcard: true,
      catalogId: "123456789012",
    });
  });

  it("lets the role create and write tables in the target database and its zone location only", () => {
    assert.deepEqual(result.one(PERMISSIONS, "write-sales_curated").inputs.permissions, [
      "DESCRIBE",
      "CREATE_TABLE",
    ]);
    assert.deepEqual(result.one(PERMISSIONS, "write-sales_curated-tables").inputs.permissions, [
      "SELECT",
      "INSERT",
      "ALTER",
      "DESCRIBE",
    ]);
    const location = result.one(PERMISSIONS, "location-curated");
    assert.deepEqual(location.inputs.dataLocation, {
      arn: "arn:aws:s3:::lake-curated",
      catalogId: "123456789012",
    });
  });

  it("makes every grant after the data lake settings, and the location grant after the location's registration", () => {
    const settings = result.one("aws:lakeformation/dataLakeSettings:DataLakeSettings");
    for (const grant of result.ofType(PERMISSIONS)) {
      assert.ok(grant.options.dependsOn.includes(settings.urn), grant.name);
    }
    const curated = result.one("aws:lakeformation/resource:Resource", "curated-location");
    assert.ok(result.one(PERMISSIONS, "location-curated").options.dependsOn.includes(curated.urn));
    const raw = result.one("aws:lakeformation/resource:Resource", "raw-location");
    assert.ok(!result.one(PERMISSIONS, "location-curated").options.dependsOn.includes(raw.urn));
  });

  it("grants nothing else: no DROP, no ALL, no grant option, one principal", () => {
    const grants = result.ofType(PERMISSIONS);
    assert.equal(grants.length, 5);
    for (const grant of grants) {
      assert.equal(grant.inputs.principal, "arn:aws:iam::123456789012:role/job");
      assert.ok(!grant.inputs.permissions.includes("DROP") && !grant.inputs.permissions.includes("ALL"));
      assert.equal(grant.inputs.permissionsWithGrantOptions, undefined);
    }
  });
});
