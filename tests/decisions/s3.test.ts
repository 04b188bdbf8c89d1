import { strict as assert } from "assert";
import { MAX_KEY_BYTES, s3PrefixError } from "../../decisions/s3";

describe("s3PrefixError", () => {
  it("accepts folders of S3's safe characters, and Hive-style partitions", () => {
    for (const prefix of [
      "sales/",
      "incoming/sales/",
      "dev_sales_curated/daily_sales_by_store/",
      "a-b.c_d!e'f(g)h/",
      "sales/year=2024/month=01/",
    ]) {
      assert.equal(s3PrefixError(prefix), undefined, prefix);
    }
  });

  it("accepts the whole bucket only when asked", () => {
    assert.match(s3PrefixError("") ?? "", /not empty/);
    assert.equal(s3PrefixError("", { allowWholeBucket: true }), undefined);
  });

  const rejected: [string, RegExp][] = [
    ["sales", /ends with "\/"/],
    ["/sales/", /no leading "\/"/],
    ["sales//daily/", /empty folder name/],
    ["sales/./", /"\." folder/],
    ["sales/../raw/", /"\.\." folder/],
    ["sales*/", /IAM wildcards/],
    ["sales?/", /IAM wildcards/],
    ["sales data/", /may use only letters, digits/],
    ["ventes/é/", /may use only letters, digits/],
    [`${"a/".repeat(MAX_KEY_BYTES / 2)}`, /shorter than 1024 bytes/],
  ];
  for (const [prefix, message] of rejected) {
    it(`rejects ${JSON.stringify(prefix.slice(0, 24))}`, () => {
      assert.match(s3PrefixError(prefix) ?? "", message);
    });
  }
});
