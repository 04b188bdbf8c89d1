/**
 * central-catalog-ownership: the environment has exactly one catalog, owned by the central catalog
 * component. Glue databases are declared inside that component (their URN/parent chain contains
 * the component type) and, when they name a catalogId, it is the central one; crawlers write into
 * databases of the central catalog. A stack without the central catalog (a team's program using
 * another stack's catalog) gets "cannot judge" for its crawlers' databases.
 */
import { stringList, text } from "../lib/config";
import { stackPolicy, StackContext, StackResource } from "../lib/define";
import { RefAnswer, refersTo, valueRefers } from "../lib/refs";
import { T } from "../lib/types";
import { get, readArray, readString } from "../lib/values";

export interface CentralCatalogConfig {
  ownerComponentTypes: string[];
  catalogId: string;
}

/** Types in a URN's qualified type chain (parent types first, the resource's own type last). */
export function urnTypeChain(urn: string): string[] {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts[2].split("$") : [];
}

function ownedByCentral(r: StackResource, owners: string[]): boolean {
  const chain = urnTypeChain(r.urn).slice(0, -1);
  if (chain.some((t) => owners.includes(t))) return true;
  for (let p = r.parent, i = 0; p && i < 50; p = p.parent, i++) if (owners.includes(p.type)) return true;
  return false;
}

type Ctx = StackContext<CentralCatalogConfig>;

function checkCrawlerDatabase(
  ctx: Ctx,
  crawler: StackResource,
  where: string,
  answerFor: (db: StackResource) => RefAnswer,
  literal: unknown,
): void {
  const dbs = ctx.ofType(T.glueCatalogDatabase);
  const owners = ctx.config.ownerComponentTypes;
  const refs = dbs.map((db) => ({ db, a: answerFor(db) }));
  const hit = refs.find((x) => x.a === "yes");
  if (hit) {
    if (!ownedByCentral(hit.db, owners)) {
      ctx.report.violation(
        crawler,
        `${where} is database "${hit.db.name}", which is not part of the central catalog (${owners.join(", ")})`,
        "point the crawler at a database declared by the central catalog component",
      );
    }
    return;
  }
  if (refs.some((x) => x.a === "unknown")) {
    ctx.report.cannotJudge(crawler, where, "the database reference is unknown during preview");
    return;
  }
  const name = readString(literal);
  if (ctx.report.unclear(crawler, where, name)) return;
  if (name.state === "absent") return;
  if (!dbs.some((db) => ownedByCentral(db, owners))) {
    // A team's program that uses a catalog another stack declares: nothing here to compare with.
    ctx.report.cannotJudge(
      crawler,
      where,
      `the stack declares no central catalog, so whether "${name.value}" belongs to it (another stack's) cannot be told`,
    );
    return;
  }
  ctx.report.violation(
    crawler,
    `${where} "${name.value}" is not a database of the central catalog in this stack`,
    "pass the database from the central catalog component (catalog.database(<name>).name)",
  );
}

export const centralCatalogOwnership = stackPolicy<CentralCatalogConfig>({
  name: "central-catalog-ownership",
  description:
    "Glue catalog databases are declared under the central catalog component (ownerComponentTypes, default " +
    "bdp:catalog:CentralCatalog) and use catalogId (when set) equal to the knob catalogId; Glue crawlers write to " +
    "databases of the central catalog.",
  remediationSteps:
    "Declare databases through the CentralCatalog component instead of directly; pass crawlers the database name " +
    "from that component; remove foreign catalogId values.",
  severity: "high",
  enforcementLevel: "advisory",
  tags: ["catalog"],
  types: [T.glueCatalogDatabase, T.glueCrawler],
  knobs: {
    ownerComponentTypes: stringList("Component types that own the central catalog", [
      "bdp:catalog:CentralCatalog",
    ]),
    catalogId: text("The central catalog's id (AWS account id); empty: not checked", ""),
  },
  defaults: { ownerComponentTypes: ["bdp:catalog:CentralCatalog"], catalogId: "" },
  check: (ctx) => {
    const owners = ctx.config.ownerComponentTypes;
    for (const db of ctx.subjects(T.glueCatalogDatabase)) {
      if (!ownedByCentral(db, owners)) {
        ctx.report.violation(
          db,
          `Glue database is declared outside the central catalog component (${owners.join(", ")})`,
          "declare it through the CentralCatalog component (its databases list in stack config)",
        );
      }
      if (ctx.config.catalogId !== "") {
        const id = readString(get(db.props, "catalogId"));
        if (
          !ctx.report.unclear(db, "catalogId", id) &&
          id.state === "ok" &&
          id.value !== ctx.config.catalogId
        ) {
          ctx.report.violation(
            db,
            `catalogId ${id.value} is not the central catalog ${ctx.config.catalogId}`,
            `remove catalogId or set it to ${ctx.config.catalogId}`,
          );
        }
      }
    }
    for (const crawler of ctx.subjects(T.glueCrawler)) {
      checkCrawlerDatabase(
        ctx,
        crawler,
        "databaseName",
        (db) => refersTo(crawler, "databaseName", db),
        get(crawler.props, "databaseName"),
      );
      const targets = readArray(get(crawler.props, "catalogTargets"));
      if (ctx.report.unclear(crawler, "catalogTargets", targets)) continue;
      if (targets.state !== "ok") continue;
      targets.value.forEach((t, i) => {
        const value = get(t, "databaseName");
        checkCrawlerDatabase(
          ctx,
          crawler,
          `catalogTargets[${i}].databaseName`,
          (db) => valueRefers(value, db),
          value,
        );
      });
    }
  },
});
