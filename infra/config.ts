/**
 * Stack configuration: read from `Pulumi.<stack>.yaml` through `pulumi.Config`, validated with zod
 * before any resource is declared. Every problem is reported at once and names the full config key.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  connectionSchema,
  crawlerSchema,
  pipelineSchemaFor,
  validatePipelineReferences,
} from "./pipeline-config";
import { LogRetentionDays, logRetentionError } from "../decisions/logs";
import {
  addProblems,
  DATA_ZONES,
  PipelineDefinition,
  refineWith,
  uniqueNames,
  uniqueValues,
} from "../decisions/pipeline";
import { catalogTablesSchema } from "../decisions/locations";
import { emptyValueProblems } from "../decisions/config-values";
import { cidrHostBitsError } from "../decisions/cidr";
import { tagValueError } from "../decisions/tags";
import { problemAt } from "../decisions/problems";
import {
  concurrencyScalingError,
  nodeCountError,
  REDSHIFT_NODE_TYPES,
  rpuRangeError,
} from "../decisions/redshift";
import { availabilityZoneCountError, regionError } from "../decisions/regions";
import {
  pauseConflicts,
  pauseScheduleProblems,
  warehouseLoaders,
} from "../decisions/warehouse/pause-schedule";
import { AnyEngineModule } from "../engines/contract";
import {
  AWS_CONFIG_FIELDS,
  awsProviderFields,
  deploymentProblems,
  deploymentSchema,
  unsupportedAwsKeyMessage,
} from "./deployment-config";
import { ENGINES } from "../engines/registry";
import {
  budgetEmailsError,
  IAM_PRINCIPAL_ARN,
  usdAmountError,
  validateAlertTopicArgs,
  validateCentralCatalogArgs,
} from "../index";

export const PROJECT = "batch-data-platform";

const kebabName = (max: number) =>
  z
    .string()
    .regex(
      new RegExp(`^[a-z][a-z0-9-]{0,${max - 1}}$`),
      `must be lower-case kebab-case, at most ${max} characters`,
    );

/** A stack-wide tag value (owner, cost-center): not empty, and one every service accepts. */
const tagValue = z.string().trim().min(1, "must not be empty").superRefine(refineWith(tagValueError));

/** A Region both the price table and the Availability Zone table cover (decisions/regions.ts). */
const awsRegion = z.string().superRefine(refineWith(regionError));

const iamPrincipalArn = z
  .string()
  .regex(IAM_PRINCIPAL_ARN, "must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)");

const availabilityZoneCount = z.number().int().min(2, "at least 2 AZs").max(6, "at most 6 AZs");

const newNetworkSchema = z.strictObject({
  mode: z.literal("new"),
  /** VPC CIDR; /16 to /24 leaves room for public and private subnets in every AZ. */
  cidrBlock: z
    .cidrv4("must be an IPv4 CIDR such as 10.20.0.0/16")
    .refine((cidr) => {
      const prefix = Number(cidr.split("/")[1]);
      return prefix >= 16 && prefix <= 24;
    }, "prefix length must be between /16 and /24")
    .superRefine(refineWith(cidrHostBitsError)),
  availabilityZones: availabilityZoneCount,
  /** none: no egress (S3 via gateway endpoint only); single: one shared NAT (cheap); onePerAz: HA. */
  natGateways: z.enum(["none", "single", "onePerAz"]),
});

const existingNetworkSchema = z.strictObject({
  mode: z.literal("existing"),
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id such as vpc-0123456789abcdef0"),
  privateSubnetIds: z
    .array(
      z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id such as subnet-0123456789abcdef0"),
    )
    .min(2, "at least 2 private subnets in different AZs")
    .superRefine(uniqueValues("subnet")),
});

const networkSchema = z.discriminatedUnion("mode", [newNetworkSchema, existingNetworkSchema]);

const days = z.number().int().positive("must be a whole number of days greater than 0");

/** Lifecycle of one data zone. Transitions must happen in order and before expiry. */
const zoneLifecycleSchema = z
  .strictObject({
    transitionToInfrequentAccessDays: days
      .min(30, "S3 requires at least 30 days before STANDARD_IA")
      .optional(),
    transitionToGlacierDays: days.optional(),
    expireDays: days.optional(),
    noncurrentVersionExpireDays: days,
  })
  .superRefine((zone, ctx) => {
    const ia = zone.transitionToInfrequentAccessDays;
    const glacier = zone.transitionToGlacierDays;
    if (ia !== undefined && glacier !== undefined && glacier < ia + 30) {
      ctx.addIssue({
        code: "custom",
        path: ["transitionToGlacierDays"],
        message: `must be at least 30 days after transitionToInfrequentAccessDays (${ia})`,
        input: glacier,
      });
    }
    const lastTransition = Math.max(ia ?? 0, glacier ?? 0);
    if (zone.expireDays !== undefined && zone.expireDays <= lastTransition) {
      ctx.addIssue({
        code: "custom",
        path: ["expireDays"],
        message: `must be later than the last transition (day ${lastTransition})`,
        input: zone.expireDays,
      });
    }
  });

const dataLakeSchema = z.strictObject({
  /** Keep data buckets and the key when the stack is destroyed (prod). */
  retainOnDelete: z.boolean(),
  abortIncompleteUploadDays: days.max(30),
  zones: z.strictObject({
    raw: zoneLifecycleSchema,
    curated: zoneLifecycleSchema,
    analytics: zoneLifecycleSchema,
  }),
  /** How long S3 access logs and job logs in the logs bucket are kept. */
  logsExpireDays: days,
  /** How long old versions of scripts and temporary files in the artifacts bucket are kept. */
  artifactsNoncurrentExpireDays: days,
});

/** The central catalog; the CentralCatalog component's checks (names, duplicates, admins) run on it. */
const catalogSchema = z
  .strictObject({
    databases: z.array(
      z.strictObject({
        name: z.string(),
        zone: z.enum(DATA_ZONES),
        description: z.string().min(1).max(2048),
        /** Tables stored outside the database's folder (decisions/locations.ts). */
        tables: catalogTablesSchema,
      }),
    ),
    lakeFormationAdmins: z.array(iamPrincipalArn).superRefine(uniqueValues("administrator")),
    /** Enforce Lake Formation permissions instead of hybrid access mode (CentralCatalog). */
    enforceLakeFormation: z.boolean().default(false),
  })
  .superRefine((catalog, ctx) => addProblems(ctx, validateCentralCatalogArgs(catalog)));

/** Who receives alerts; the AlertTopic component's checks run on it. */
const alertsSchema = z
  .strictObject({
    // SNS and AWS Budgets compare addresses without case: two spellings are one subscriber.
    emails: z
      .array(z.email("must be an email address"))
      .superRefine(uniqueValues("address", (email) => email.toLowerCase())),
  })
  .superRefine((alerts, ctx) => addProblems(ctx, validateAlertTopicArgs(alerts)));

/** The environment's budget; amounts follow the Budget component's rule. */
const budgetSchema = z.strictObject({
  monthlyUsd: z.number().superRefine(refineWith(usdAmountError)),
  /** Cost anomalies with at least this total impact (USD) are alerted. */
  anomalyAlertUsd: z.number().superRefine(refineWith(usdAmountError)),
  /**
   * Activate the `environment` and `cost-center` cost allocation tags (account-wide: true only in
   * the one stack that owns the account's billing settings; components/cost/budget.ts).
   */
  activateCostAllocationTags: z.boolean().default(false),
});

const logsSchema = z.strictObject({
  retentionDays: z
    .number()
    .superRefine(refineWith(logRetentionError))
    .transform((days) => days as LogRetentionDays),
});

/**
 * The assumptions of the cost estimate that config alone cannot know. Stated explicitly, so the
 * estimate never hides a guess.
 */
const costModelSchema = z
  .strictObject({
    /** Spot price as a share of on-demand (EC2 Spot and Fargate Spot), 0 < x <= 1. */
    spotPriceFraction: z.number().gt(0, "must be greater than 0").max(1, "at most 1 (the on-demand price)"),
    /** Data in the lake by storage class, GB. */
    storageGb: z.strictObject({
      standard: z.number().min(0),
      standardIa: z.number().min(0),
      glacierInstantRetrieval: z.number().min(0),
    }),
    /** Traffic through NAT gateways (S3 goes through the free gateway endpoint), GB/month. */
    natGbPerMonth: z.number().min(0),
    /** Log data ingested into CloudWatch Logs, GB/month. */
    logsGbPerMonth: z.number().min(0),
    /**
     * Hours a day queries and loads keep the warehouse busy; optional. With it the cost advisor
     * prices Redshift Serverless against a provisioned cluster.
     */
    warehouseBusyHoursPerDay: z.number().min(0).max(24, "at most 24 hours a day").optional(),
    /**
     * How `storageGb.standard` splits over the zones; optional. With it the cost advisor prices
     * S3 Intelligent-Tiering for zones whose lifecycle never moves data.
     */
    standardGbByZone: z
      .strictObject({ raw: z.number().min(0), curated: z.number().min(0), analytics: z.number().min(0) })
      .optional(),
  })
  .superRefine((model, ctx) => {
    const byZone = model.standardGbByZone;
    if (byZone === undefined) return;
    const sum = byZone.raw + byZone.curated + byZone.analytics;
    if (Math.abs(sum - model.storageGb.standard) > 1e-9) {
      ctx.addIssue({
        code: "custom",
        path: ["standardGbByZone"],
        message: `must add up to storageGb.standard (${model.storageGb.standard} GB); the zones add up to ${sum} GB`,
        input: byZone,
      });
    }
  });

/** Redshift Serverless (default) or a provisioned cluster with concurrency scaling. */
const warehouseSchema = z.discriminatedUnion("kind", [
  z
    .strictObject({
      kind: z.literal("serverless"),
      databaseName: z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/, "must be a lower-case Redshift identifier"),
      /** Base capacity in RPUs: 8 to 512 in steps of 8. */
      baseCapacityRpu: z
        .number()
        .int()
        .min(8)
        .max(512)
        .refine((value) => value % 8 === 0, "must be a multiple of 8"),
      maxCapacityRpu: z
        .number()
        .int()
        .min(8)
        .max(5632)
        .refine((value) => value % 8 === 0, "must be a multiple of 8"),
      /** Monthly compute limit in RPU-hours; the workgroup stops serving queries past it. */
      monthlyRpuHoursLimit: z.number().int().positive(),
    })
    .superRefine((serverless, ctx) =>
      addProblems(
        ctx,
        problemAt(
          ["maxCapacityRpu"],
          rpuRangeError(serverless.baseCapacityRpu, serverless.maxCapacityRpu),
          serverless.maxCapacityRpu,
        ),
      ),
    ),
  z
    .strictObject({
      kind: z.literal("provisioned"),
      databaseName: z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/, "must be a lower-case Redshift identifier"),
      nodeType: z.enum(REDSHIFT_NODE_TYPES),
      numberOfNodes: z.number().int().min(1).max(128),
      /** Concurrency scaling clusters allowed at once (0 turns it off). */
      maxConcurrencyScalingClusters: z.number().int().min(0).max(10),
      /** Daily limit on concurrency scaling time, in minutes. */
      concurrencyScalingDailyLimitMinutes: z.number().int().positive(),
      /**
       * When the cluster pauses and resumes (cron() in UTC, as the Redshift scheduler runs them);
       * absent: it runs all month. Pipelines that load it must run while it is resumed.
       */
      pauseSchedule: z
        .strictObject({ pause: z.array(z.string()), resume: z.array(z.string()) })
        .superRefine((schedule, ctx) => addProblems(ctx, pauseScheduleProblems(schedule)))
        .optional(),
    })
    // Node counts and concurrency scaling as CreateCluster and the scaling service accept them.
    .superRefine((cluster, ctx) =>
      addProblems(ctx, [
        ...problemAt(
          ["numberOfNodes"],
          nodeCountError(cluster.nodeType, cluster.numberOfNodes),
          cluster.numberOfNodes,
        ),
        ...problemAt(
          ["maxConcurrencyScalingClusters"],
          concurrencyScalingError(
            cluster.nodeType,
            cluster.numberOfNodes,
            cluster.maxConcurrencyScalingClusters,
          ),
          cluster.maxConcurrencyScalingClusters,
        ),
      ]),
    ),
]);

/** The whole stack config for these engines, keyed as in Pulumi.<stack>.yaml without the project prefix. */
export function stackConfigSchemaFor(engines: readonly AnyEngineModule[]) {
  return z
    .strictObject({
      environment: kebabName(16),
      region: awsRegion,
      owner: tagValue,
      costCenter: tagValue,
      network: networkSchema,
      dataLake: dataLakeSchema,
      catalog: catalogSchema,
      alerts: alertsSchema,
      budget: budgetSchema,
      logs: logsSchema,
      pipelines: z.array(pipelineSchemaFor(engines)),
      crawlers: z.array(crawlerSchema).superRefine(uniqueNames("crawler")).default([]),
      connections: z.array(connectionSchema).superRefine(uniqueNames("connection")).default([]),
      warehouse: warehouseSchema.optional(),
      costModel: costModelSchema,
      deployment: deploymentSchema,
      ...awsProviderFields,
    })
    .superRefine((config, ctx) => {
      addProblems(ctx, deploymentProblems(config));
      if (config.network.mode === "new") {
        const zones = config.network.availabilityZones;
        addProblems(
          ctx,
          problemAt(
            ["network", "availabilityZones"],
            availabilityZoneCountError(config.region, zones),
            zones,
          ),
        );
      }
      // The budget notifies the alert addresses directly (infra/monitoring.ts).
      addProblems(
        ctx,
        problemAt(["alerts", "emails"], budgetEmailsError(config.alerts.emails), config.alerts.emails.length),
      );
      validatePipelineReferences(
        { ...config, pipelines: config.pipelines as unknown as PipelineDefinition[] },
        ctx,
        engines,
      );
      // Loads must find the cluster resumed (only once the schedule itself is valid).
      const warehouse = config.warehouse;
      if (
        warehouse?.kind === "provisioned" &&
        warehouse.pauseSchedule &&
        pauseScheduleProblems(warehouse.pauseSchedule).length === 0
      ) {
        addProblems(
          ctx,
          pauseConflicts(
            warehouse.pauseSchedule,
            warehouseLoaders(config.pipelines as unknown as PipelineDefinition[]),
            ["warehouse", "pauseSchedule"],
          ),
        );
      }
    });
}

/** The stack config schema of the platform's engines (engines/registry.ts). */
export const stackConfigSchema = stackConfigSchemaFor(ENGINES);

/** A validated stack config; each pipeline carries its engine's settings block under the engine's id. */
export type StackConfig = Omit<z.infer<typeof stackConfigSchema>, "pipelines"> & {
  pipelines: PipelineDefinition[];
};
export type NetworkConfig = StackConfig["network"];
export type DataLakeConfig = StackConfig["dataLake"];
export type CatalogConfig = StackConfig["catalog"];
export type WarehouseConfig = NonNullable<StackConfig["warehouse"]>;

/** Config keys outside the project namespace that the program reads, by their field in the config. */
const FOREIGN_KEYS: Record<string, keyof StackConfig> = AWS_CONFIG_FIELDS;

/** A config problem: the full key, what was given and what is allowed. */
export interface ConfigProblem {
  key: string;
  message: string;
  given?: unknown;
}

/** Thrown (as a Pulumi RunError, so no stack trace is printed) when the stack config is invalid. */
export class ConfigError extends pulumi.RunError {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((problem) => `  - ${formatProblem(problem)}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

export function formatProblem(problem: ConfigProblem): string {
  const given = problem.given === undefined ? "" : ` (given: ${JSON.stringify(problem.given)})`;
  return `${problem.key}: ${problem.message}${given}`;
}

/** Turns a zod issue path into the key a user writes: `batch-data-platform:network.natGateways`. */
export function configKey(path: readonly PropertyKey[]): string {
  if (path.length === 0) return `${PROJECT}`;
  const [head, ...rest] = path;
  const root =
    Object.entries(FOREIGN_KEYS).find(([, field]) => field === head)?.[0] ?? `${PROJECT}:${String(head)}`;
  return rest.reduce<string>(
    (key, part) => (typeof part === "number" ? `${key}[${part}]` : `${key}.${String(part)}`),
    root,
  );
}

/** Names the pipeline an issue is about, so an analyst sees which entry to fix. */
function pipelineLabel(raw: Record<string, unknown>, path: readonly PropertyKey[]): string {
  if (path[0] !== "pipelines" || typeof path[1] !== "number") return "";
  const pipelines = raw.pipelines;
  const entry = Array.isArray(pipelines) ? pipelines[path[1]] : undefined;
  const name = entry && typeof entry === "object" ? (entry as Record<string, unknown>).name : undefined;
  return typeof name === "string" ? ` [pipeline "${name}"]` : "";
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.input === undefined) return "is required";
  if (issue.input === null) {
    const expected =
      issue.code === "invalid_type"
        ? `expected ${issue.expected}`
        : issue.message.replace(/^Invalid (input|option): /, "");
    return `is empty (a YAML key without a value, ~ or null); ${expected}, or leave the key out where it is optional`;
  }
  if (issue.code === "unrecognized_keys") return `unknown key(s): ${issue.keys.join(", ")}`;
  return issue.message;
}

/** Validates a raw config object (already decoded from YAML/JSON). Pure: no Pulumi runtime needed. */
export function parseStackConfig(
  raw: Record<string, unknown>,
  engines: readonly AnyEngineModule[] = ENGINES,
): { ok: true; config: StackConfig } | { ok: false; problems: ConfigProblem[] } {
  const schema = engines === ENGINES ? stackConfigSchema : stackConfigSchemaFor(engines);
  const result = schema.safeParse(raw, { reportInput: true });
  // "null", "~" and the like pass many a name pattern; they are reported first, once per key.
  const empty = emptyValueProblems(raw).map((problem) => ({
    key: configKey(problem.path) + pipelineLabel(raw, problem.path),
    message: problem.message,
    given: problem.given,
  }));
  if (result.success && empty.length === 0)
    return { ok: true, config: result.data as unknown as StackConfig };
  const emptyKeys = new Set(empty.map((problem) => problem.key));
  const issues = result.success ? [] : result.error.issues;
  const problems = issues.flatMap((issue): ConfigProblem[] => {
    const label = pipelineLabel(raw, issue.path);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((unknownKey) => ({
        key: configKey([...issue.path, unknownKey]) + label,
        message: "unknown key; check the spelling against the config reference in README.md",
      }));
    }
    const problem: ConfigProblem = { key: configKey(issue.path) + label, message: describeIssue(issue) };
    if (issue.code !== "invalid_union" && issue.input !== undefined) problem.given = issue.input;
    return emptyKeys.has(problem.key) ? [] : [problem];
  });
  return { ok: false, problems: [...empty, ...problems] };
}

/** Decodes one config value the way the Pulumi CLI stores it: objects and arrays as JSON text. */
function decodeValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * The raw config of a stack from the runtime's flat map (`namespace:key` -> text, structured values
 * as JSON, as the Pulumi CLI passes it): every key of the project namespace (unknown keys are errors
 * too) and the `aws:` keys the stack reads, under their config fields. Pure, so the offline plan
 * reads stack files the same way. Returns the problems no schema can see: misplaced and unread keys.
 */
export function rawStackConfig(entries: Record<string, string>): {
  raw: Record<string, unknown>;
  problems: ConfigProblem[];
} {
  const raw: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [fullKey, value] of Object.entries(entries)) {
    const [namespace, key] = splitKey(fullKey);
    if (namespace === PROJECT && key) raw[key] = decodeValue(value);
  }
  for (const [fullKey, field] of Object.entries(FOREIGN_KEYS)) {
    if (field in raw) {
      problems.push({
        key: `${PROJECT}:${field}`,
        message: `set this as ${fullKey} instead`,
        given: raw[field],
      });
      delete raw[field];
    }
  }
  for (const [fullKey, value] of Object.entries(entries)) {
    if (splitKey(fullKey)[0] !== "aws") continue;
    const field = FOREIGN_KEYS[fullKey];
    if (field) raw[field] = decodeValue(value);
    else problems.push({ key: fullKey, message: unsupportedAwsKeyMessage(fullKey) });
  }
  return { raw, problems };
}

/** Validates a stack's config from the runtime's flat map; throws ConfigError listing every problem. */
export function stackConfigFromEntries(
  entries: Record<string, string>,
  engines: readonly AnyEngineModule[] = ENGINES,
): StackConfig {
  const { raw, problems: unread } = rawStackConfig(entries);
  const result = parseStackConfig(raw, engines);
  const problems = [...unread, ...(result.ok ? [] : result.problems)];
  if (problems.length > 0 || !result.ok) throw new ConfigError(problems);
  return result.config;
}

/**
 * Reads the stack's config from the Pulumi runtime (the only place the program does) and
 * validates it. Throws ConfigError listing every problem.
 */
export function loadStackConfig(engines: readonly AnyEngineModule[] = ENGINES): StackConfig {
  return stackConfigFromEntries(pulumi.runtime.allConfig(), engines);
}

function splitKey(fullKey: string): [string, string] {
  const index = fullKey.indexOf(":");
  return [fullKey.slice(0, index), fullKey.slice(index + 1)];
}
