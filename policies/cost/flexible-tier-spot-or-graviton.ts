/**
 * flexible-tier-spot-or-graviton: work tagged `sla-tier=flexible` may run late and is safe to
 * rerun, so it must run on the cheapest capacity: Spot, or Graviton (ARM64), or both.
 *
 * A stack policy, because EMR task fleets/groups (separate resources without tags) take their tier
 * from the cluster they attach to. A resource with no tier at all is reported as "cannot judge".
 */
import { configRegExp, flag, stringList, text } from "../lib/config";
import { stackPolicy, StackContext, StackResource } from "../lib/define";
import { Capacity, clusterCapacities, readFleet, readGroup } from "../lib/emr";
import { DEFAULT_GRAVITON_FAMILY_PATTERN, isGraviton } from "../lib/instances";
import { refersTo } from "../lib/refs";
import { readTag } from "../lib/tags";
import { T } from "../lib/types";
import { get, readArray, readJson, readString, Read } from "../lib/values";

export interface FlexibleTierConfig {
  tierTagKey: string;
  flexibleTierValues: string[];
  gravitonFamilyPattern: string;
  requireSpotAndGraviton: boolean;
}

type Ctx = StackContext<FlexibleTierConfig>;

const NAME = "flexible-tier-spot-or-graviton";

function tierOf(ctx: Ctx, r: StackResource): Read<string> {
  const own = readTag(r.props, r.provider, ctx.config.tierTagKey);
  if (own.state !== "absent") return own;
  if (r.type === T.emrInstanceFleet || r.type === T.emrInstanceGroup) {
    // Task capacity inherits the tier of its cluster.
    for (const c of ctx.ofType(T.emrCluster)) {
      const ref = refersTo(r, "clusterId", c);
      if (ref === "yes") return readTag(c.props, c.provider, ctx.config.tierTagKey);
      if (ref === "unknown") return { state: "unknown" };
    }
  }
  return own;
}

function checkCapacity(ctx: Ctx, r: StackResource, cap: Capacity, graviton: RegExp): void {
  const { requireSpotAndGraviton } = ctx.config;
  if (ctx.report.unclear(r, `Spot use of ${cap.where}`, cap.spot)) return;
  const spot = cap.spot.state === "ok" && cap.spot.value;
  const allGraviton = cap.types.length > 0 && cap.types.every((t) => isGraviton(t, graviton));
  const ok = requireSpotAndGraviton ? spot && allGraviton : spot || allGraviton;
  if (ok) return;
  if (cap.typesUnclear && !spot) {
    ctx.report.cannotJudge(r, `instance types of ${cap.where}`, "instance types unknown or malformed");
    return;
  }
  const nonGraviton = cap.types.filter((t) => !isGraviton(t, graviton));
  ctx.report.violation(
    r,
    `${cap.where} of flexible-tier work ${spot ? "uses Spot" : "uses no Spot capacity"} and ${
      allGraviton ? "only Graviton types" : `non-Graviton types (${nonGraviton.join(", ") || "none listed"})`
    }; ${requireSpotAndGraviton ? "Spot and Graviton are both" : "Spot or Graviton is"} required`,
    requireSpotAndGraviton
      ? `give ${cap.where} Spot capacity (targetSpotCapacity > 0 or bidPrice) and only Graviton instance types (m7g, r7g, c7g, ...)`
      : `give ${cap.where} Spot capacity (targetSpotCapacity > 0 with spotSpecifications, or bidPrice) or only Graviton instance types (m7g, r7g, c7g, ...)`,
  );
}

function checkComputeEnvironment(ctx: Ctx, r: StackResource, graviton: RegExp): void {
  const envType = readString(get(r.props, "type"));
  if (envType.state === "ok" && envType.value.toUpperCase() === "UNMANAGED") return;
  const crType = readString(get(r.props, "computeResources", "type"));
  if (ctx.report.unclear(r, "computeResources.type", crType)) return;
  if (crType.state === "absent") {
    ctx.report.violation(
      r,
      "flexible-tier compute environment declares no computeResources.type",
      "set computeResources.type to FARGATE_SPOT (or SPOT with Graviton instance types)",
    );
    return;
  }
  const kind = crType.value.toUpperCase();
  const types = readArray(get(r.props, "computeResources", "instanceTypes"));
  const typeNames = types.state === "ok" ? types.value.filter((t): t is string => typeof t === "string") : [];
  const allGraviton =
    typeNames.length > 0 && typeNames.every((t) => t === "default_arm64" || isGraviton(t, graviton));
  const spot = kind === "SPOT" || kind === "FARGATE_SPOT";
  if (kind === "FARGATE_SPOT") return; // architecture is judged on the Fargate job definitions
  if (kind === "FARGATE") {
    ctx.report.violation(
      r,
      "flexible-tier compute environment uses on-demand FARGATE",
      "set computeResources.type to FARGATE_SPOT",
    );
    return;
  }
  if (types.state === "unknown" && !(spot && !ctx.config.requireSpotAndGraviton)) {
    ctx.report.cannotJudge(r, "computeResources.instanceTypes", "value unknown during preview");
    return;
  }
  const ok = ctx.config.requireSpotAndGraviton ? spot && allGraviton : spot || allGraviton;
  if (!ok) {
    ctx.report.violation(
      r,
      `flexible-tier compute environment is ${kind}${allGraviton ? "" : ` with non-Graviton instance types (${typeNames.join(", ") || "none listed"})`}`,
      ctx.config.requireSpotAndGraviton
        ? "use computeResources.type SPOT with Graviton instanceTypes (m7g, c7g, r7g or default_arm64)"
        : "use computeResources.type FARGATE_SPOT or SPOT, or list only Graviton instanceTypes (m7g, c7g, r7g or default_arm64)",
    );
  }
}

function checkJobDefinition(ctx: Ctx, r: StackResource): void {
  const caps = readArray(get(r.props, "platformCapabilities"));
  if (caps.state === "unknown") {
    ctx.report.cannotJudge(r, "platformCapabilities", "value unknown during preview");
    return;
  }
  const fargate =
    caps.state === "ok" && caps.value.some((c) => typeof c === "string" && c.toUpperCase() === "FARGATE");
  if (!fargate) return; // EC2 job definitions run on the compute environment's instances
  const container = readJson(get(r.props, "containerProperties"));
  if (ctx.report.unclear(r, "containerProperties.runtimePlatform", container)) return;
  const arch =
    container.state === "ok"
      ? readString(get(container.value, "runtimePlatform", "cpuArchitecture"))
      : container;
  if (ctx.report.unclear(r, "runtimePlatform.cpuArchitecture", arch)) return;
  if (arch.state !== "ok" || arch.value.toUpperCase() !== "ARM64") {
    ctx.report.violation(
      r,
      `flexible-tier Fargate job runs on ${arch.state === "ok" ? arch.value : "X86_64 (the default)"}`,
      'set containerProperties.runtimePlatform.cpuArchitecture to "ARM64" (and build the image for linux/arm64)',
    );
  }
}

function checkGlueJob(ctx: Ctx, r: StackResource): void {
  const command = readString(get(r.props, "command", "name"));
  if (command.state === "ok" && /^(pythonshell|gluestreaming|glueray)$/i.test(command.value)) return;
  const cls = readString(get(r.props, "executionClass"));
  if (ctx.report.unclear(r, "executionClass", cls)) return;
  if (cls.state !== "ok" || cls.value.toUpperCase() !== "FLEX") {
    ctx.report.violation(
      r,
      `flexible-tier Glue job uses execution class ${cls.state === "ok" ? cls.value : "STANDARD (the default)"}`,
      'set executionClass to "FLEX" (spare capacity, up to 35% cheaper; Glue 3.0+ Spark jobs)',
    );
  }
}

function checkServerless(ctx: Ctx, r: StackResource): void {
  const arch = readString(get(r.props, "architecture"));
  if (ctx.report.unclear(r, "architecture", arch)) return;
  if (arch.state !== "ok" || arch.value.toUpperCase() !== "ARM64") {
    ctx.report.violation(
      r,
      `flexible-tier EMR Serverless application runs on ${arch.state === "ok" ? arch.value : "X86_64 (the default)"}`,
      'set architecture to "ARM64" (Graviton)',
    );
  }
}

export const flexibleTierSpotOrGraviton = stackPolicy<FlexibleTierConfig>({
  name: NAME,
  description:
    "Resources of the flexible SLA tier (tag sla-tier=flexible) run on Spot or Graviton capacity: EMR core/task " +
    "fleets and groups, Batch compute environments (FARGATE_SPOT, or SPOT/Graviton EC2), Fargate job definitions " +
    "(ARM64), Glue jobs (FLEX execution class) and EMR Serverless applications (ARM64).",
  remediationSteps:
    "EMR: give core/task fleets targetSpotCapacity > 0 with spotSpecifications (capacity-optimized) or only " +
    "Graviton instance types. Batch: computeResources.type FARGATE_SPOT, or SPOT with Graviton instanceTypes. " +
    "Fargate job definitions: runtimePlatform.cpuArchitecture ARM64. Glue: executionClass FLEX. EMR Serverless: " +
    "architecture ARM64. Or change the sla-tier tag if the work is not rerunnable.",
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["cost"],
  types: [
    T.emrCluster,
    T.emrInstanceFleet,
    T.emrInstanceGroup,
    T.batchComputeEnvironment,
    T.batchJobDefinition,
    T.glueJob,
    T.emrServerlessApplication,
  ],
  knobs: {
    tierTagKey: text("Tag that carries the SLA tier", "sla-tier"),
    flexibleTierValues: stringList("Tier values treated as flexible", ["flexible"]),
    gravitonFamilyPattern: text(
      "Regular expression over instance families that are Graviton",
      DEFAULT_GRAVITON_FAMILY_PATTERN,
    ),
    requireSpotAndGraviton: flag(
      "Require Spot AND Graviton (instead of either) for EMR and EC2 Batch capacity",
      false,
    ),
  },
  defaults: {
    tierTagKey: "sla-tier",
    flexibleTierValues: ["flexible"],
    gravitonFamilyPattern: DEFAULT_GRAVITON_FAMILY_PATTERN,
    requireSpotAndGraviton: false,
  },
  check: (ctx) => {
    const graviton = configRegExp(NAME, "gravitonFamilyPattern", ctx.config.gravitonFamilyPattern);
    const flexible = new Set(ctx.config.flexibleTierValues.map((v) => v.toLowerCase()));
    for (const r of ctx.subjects(...ctx.types)) {
      const tier = tierOf(ctx, r);
      if (tier.state === "unknown") {
        ctx.report.cannotJudge(
          r,
          `the SLA tier (tag ${ctx.config.tierTagKey})`,
          "tags unknown during preview",
        );
        continue;
      }
      if (tier.state === "absent") {
        // A program that does not tag tiers (e.g. one without the platform's components) says
        // nothing about which work may run late: say so instead of passing it silently.
        ctx.report.cannotJudge(
          r,
          `the SLA tier (tag ${ctx.config.tierTagKey})`,
          "the resource and its cluster carry no tier tag, so whether it may use Spot cannot be told",
          `Tag it (or its cluster) ${ctx.config.tierTagKey}=<tier> to have it judged.`,
        );
        continue;
      }
      if (tier.state !== "ok" || !flexible.has(tier.value.toLowerCase())) continue;
      switch (r.type) {
        case T.emrCluster:
          for (const cap of clusterCapacities(r.props).filter((c) => c.where.startsWith("core"))) {
            checkCapacity(ctx, r, cap, graviton);
          }
          break;
        case T.emrInstanceFleet: {
          const cap = readFleet("task instance fleet", r.props);
          if (cap) checkCapacity(ctx, r, cap, graviton);
          break;
        }
        case T.emrInstanceGroup: {
          const cap = readGroup("task instance group", r.props);
          if (cap) checkCapacity(ctx, r, cap, graviton);
          break;
        }
        case T.batchComputeEnvironment:
          checkComputeEnvironment(ctx, r, graviton);
          break;
        case T.batchJobDefinition:
          checkJobDefinition(ctx, r);
          break;
        case T.glueJob:
          checkGlueJob(ctx, r);
          break;
        case T.emrServerlessApplication:
          checkServerless(ctx, r);
          break;
      }
    }
  },
});
