/** catalog-encryption-settings (policies/catalog/catalog-encryption-settings.ts) on a compliant stack of catalog, glue. */
import { stackWith } from "../builders";
import { cannotJudge, CLEAN, drop, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";
import { T } from "../../../policies/lib/types";

policyCases("catalog-encryption-settings", () => stackWith("catalog", "glue"), [
  { name: "passes SSE-KMS with encrypted connection passwords", expect: CLEAN },
  {
    name: "fails a Glue stack without encryption settings",
    stack: drop("bdp-dev-catalog-encryption"),
    expect: violation("stack", "DataCatalogEncryptionSettings"),
  },
  {
    name: "cannot judge a stack that only runs Glue jobs on another stack's catalog",
    stack: (s) =>
      s.all.filter((r) => r.type !== T.glueDataCatalogEncryptionSettings && r.type !== T.glueCatalogDatabase),
    expect: cannotJudge(
      "stack",
      "may be another stack's). Judge the stack that declares the catalog's databases.",
    ),
  },
  {
    name: "fails catalog encryption DISABLED",
    stack: mutate("bdp-dev-catalog-encryption", (p) => {
      p.dataCatalogEncryptionSettings.encryptionAtRest.catalogEncryptionMode = "DISABLED";
    }),
    expect: violation("bdp-dev-catalog-encryption", "DISABLED"),
  },
  {
    name: "fails plain-text connection passwords",
    stack: mutate("bdp-dev-catalog-encryption", (p) => {
      p.dataCatalogEncryptionSettings.connectionPasswordEncryption.returnConnectionPasswordEncrypted = false;
    }),
    expect: violation("bdp-dev-catalog-encryption", "plain text"),
  },
  {
    name: "knob requirePasswordEncryption=false accepts them",
    stack: mutate("bdp-dev-catalog-encryption", (p) => {
      p.dataCatalogEncryptionSettings.connectionPasswordEncryption.returnConnectionPasswordEncrypted = false;
    }),
    config: { requirePasswordEncryption: false },
    expect: CLEAN,
  },
  {
    name: "is not applicable to stacks without Glue",
    stack: (s) => s.all.filter((r) => !r.type.startsWith("aws:glue/")),
    expect: CLEAN,
  },
  {
    name: "cannot judge an unknown mode",
    stack: mutate("bdp-dev-catalog-encryption", (p) => {
      p.dataCatalogEncryptionSettings.encryptionAtRest.catalogEncryptionMode = UNKNOWN.string;
    }),
    expect: cannotJudge("bdp-dev-catalog-encryption", "catalogEncryptionMode"),
  },
]);
