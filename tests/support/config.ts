/** A valid stack config for tests, as plain objects; tests change a copy and synthesize it. */
import { PROJECT, rawStackConfig } from "../../infra/config";
import { toRuntimeConfig } from "../../tools/synth/stack-config";

export type RawConfig = Record<string, any>;

export function validConfig(): RawConfig {
  return {
    "aws:region": "eu-west-1",
    environment: "test",
    owner: "data-platform-team",
    costCenter: "cc-1",
    network: { mode: "new", cidrBlock: "10.10.0.0/16", availabilityZones: 2, natGateways: "single" },
    dataLake: {
      retainOnDelete: false,
      abortIncompleteUploadDays: 3,
      logsExpireDays: 30,
      artifactsNoncurrentExpireDays: 7,
      zones: {
        raw: {
          transitionToInfrequentAccessDays: 30,
          transitionToGlacierDays: 90,
          expireDays: 365,
          noncurrentVersionExpireDays: 3,
        },
        curated: { expireDays: 60, noncurrentVersionExpireDays: 7 },
        analytics: { noncurrentVersionExpireDays: 7 },
      },
    },
    catalog: {
      databases: [
        { name: "sales_raw", zone: "raw", description: "raw sales" },
        { name: "sales_curated", zone: "curated", description: "curated sales" },
      ],
      lakeFormationAdmins: ["arn:aws:iam::111122223333:role/admin"],
    },
    alerts: { emails: ["team@example.com"] },
    budget: { monthlyUsd: 100, anomalyAlertUsd: 20 },
    logs: { retentionDays: 14 },
    costModel: {
      spotPriceFraction: 0.35,
      storageGb: { standard: 100, standardIa: 0, glacierInstantRetrieval: 0 },
      natGbPerMonth: 10,
      logsGbPerMonth: 1,
    },
    pipelines: [],
    deployment: {
      accountId: "111122223333",
      roleArn: "arn:aws:iam::111122223333:role/bdp-test-deployer",
    },
  };
}

/** Raw config (keys without the project prefix, plus `aws:*` keys) -> the runtime's string map. */
export function runtimeConfig(raw: RawConfig): Record<string, string> {
  return toRuntimeConfig(raw, PROJECT);
}

/** The raw config keyed as the schema expects (the `aws:` keys folded in), read as the program reads it. */
export function schemaInput(raw: RawConfig): Record<string, unknown> {
  return rawStackConfig(runtimeConfig(raw)).raw;
}
