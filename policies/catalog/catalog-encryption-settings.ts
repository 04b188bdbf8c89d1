/**
 * catalog-encryption-settings: the catalog holds schemas and JDBC connection passwords. A stack
 * that uses Glue declares the catalog's encryption settings: metadata encrypted with KMS and
 * connection passwords returned encrypted. A stack that only uses Glue (jobs, crawlers) and declares
 * no database or connection may use another stack's catalog: "cannot judge".
 */
import { flag, text } from "../lib/config";
import { stackPolicy } from "../lib/define";
import { STACK_SUBJECT } from "../lib/report";
import { T } from "../lib/types";
import { get, readBool, readString } from "../lib/values";

export interface CatalogEncryptionConfig {
  requirePasswordEncryption: boolean;
  catalogId: string;
}

export const catalogEncryptionSettings = stackPolicy<CatalogEncryptionConfig>({
  name: "catalog-encryption-settings",
  description:
    "A stack with Glue resources declares aws.glue.DataCatalogEncryptionSettings with encryptionAtRest." +
    "catalogEncryptionMode SSE-KMS (or SSE-KMS-WITH-SERVICE-ROLE) and connectionPasswordEncryption." +
    "returnConnectionPasswordEncrypted true (knob requirePasswordEncryption).",
  remediationSteps:
    'Declare new aws.glue.DataCatalogEncryptionSettings({ dataCatalogEncryptionSettings: { encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", ' +
    "sseAwsKmsKeyId: key.arn }, connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: key.arn } } }) " +
    "in the central catalog component.",
  severity: "high",
  enforcementLevel: "advisory",
  tags: ["catalog", "security"],
  types: [T.glueDataCatalogEncryptionSettings, T.glueCatalogDatabase, T.glueConnection],
  knobs: {
    requirePasswordEncryption: flag("Require connection passwords to be returned encrypted", true),
    catalogId: text("The central catalog's id; empty: not checked", ""),
  },
  defaults: { requirePasswordEncryption: true, catalogId: "" },
  check: (ctx) => {
    const usesGlue = ctx.resources.some((r) => r.type.startsWith("aws:glue/"));
    if (!usesGlue) return;
    const all = ctx.ofType(T.glueDataCatalogEncryptionSettings);
    if (all.length === 0) {
      if (ctx.ofType(T.glueCatalogDatabase).length === 0 && ctx.ofType(T.glueConnection).length === 0) {
        // A team's jobs using a catalog another stack declares: its settings are that stack's.
        ctx.report.cannotJudge(
          STACK_SUBJECT,
          "the catalog's encryption settings",
          "the stack uses Glue but declares no database or connection, so its catalog may be another stack's",
          "Judge the stack that declares the catalog's databases.",
        );
        return;
      }
      ctx.report.violation(
        STACK_SUBJECT,
        "uses Glue but declares no aws.glue.DataCatalogEncryptionSettings",
        "declare DataCatalogEncryptionSettings with SSE-KMS encryption at rest and encrypted connection passwords",
      );
      return;
    }
    for (const s of ctx.subjects(T.glueDataCatalogEncryptionSettings)) {
      const settings = get(s.props, "dataCatalogEncryptionSettings");
      const mode = readString(get(settings, "encryptionAtRest", "catalogEncryptionMode"));
      if (
        !ctx.report.unclear(s, "encryptionAtRest.catalogEncryptionMode", mode) &&
        !(mode.state === "ok" && /^SSE-KMS/i.test(mode.value))
      ) {
        ctx.report.violation(
          s,
          `catalog metadata is not encrypted with KMS (catalogEncryptionMode ${mode.state === "ok" ? mode.value : "not set"})`,
          'set encryptionAtRest.catalogEncryptionMode to "SSE-KMS" with sseAwsKmsKeyId',
        );
      }
      if (ctx.config.requirePasswordEncryption) {
        const pw = readBool(
          get(settings, "connectionPasswordEncryption", "returnConnectionPasswordEncrypted"),
        );
        if (!ctx.report.unclear(s, "connectionPasswordEncryption", pw) && !(pw.state === "ok" && pw.value)) {
          ctx.report.violation(
            s,
            "connection passwords are returned in plain text",
            "set connectionPasswordEncryption.returnConnectionPasswordEncrypted: true with awsKmsKeyId",
          );
        }
      }
      if (ctx.config.catalogId !== "") {
        const id = readString(get(s.props, "catalogId"));
        if (
          !ctx.report.unclear(s, "catalogId", id) &&
          id.state === "ok" &&
          id.value !== ctx.config.catalogId
        ) {
          ctx.report.violation(
            s,
            `settings apply to catalog ${id.value}, not the central catalog ${ctx.config.catalogId}`,
            `remove catalogId or set it to ${ctx.config.catalogId}`,
          );
        }
      }
    }
  },
});
