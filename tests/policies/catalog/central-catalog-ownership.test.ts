/** central-catalog-ownership (policies/catalog/central-catalog-ownership.ts) on a compliant stack of catalog. */
import { T } from "../../../policies/lib/types";
import { ACCOUNT, stackWith } from "../builders";
import { add, cannotJudge, CLEAN, policyCases, violation } from "../cases";
import { res, UNKNOWN, withOpts } from "../harness";

const DB = "bdp-dev-catalog-sales_raw";
const CRAWLER = "bdp-dev-sales-crawler";

policyCases("central-catalog-ownership", () => stackWith("catalog"), [
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
    name: "cannot judge a crawler's database when the central catalog lives in another stack",
    stack: (s) =>
      s.all
        .filter((r) => r.type !== T.glueCatalogDatabase)
        .map((r) =>
          r.name === CRAWLER ? { ...r, deps: {}, props: { ...r.props, databaseName: "dev_sales" } } : r,
        ),
    expect: cannotJudge(CRAWLER, "declares no central catalog"),
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
