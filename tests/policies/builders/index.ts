/**
 * Compliant stacks from per-area builders. `stackWith("emr")` declares just the areas a test needs
 * (plus the areas they are built on: EMR runs in the network's subnets); `compliantStack()` declares
 * every area, one resource of every type the pack judges, and the whole pack reports nothing on it.
 */
import { access, AccessArea } from "./access";
import { batch, BatchArea } from "./batch";
import { catalog, CatalogArea } from "./catalog";
import { cost, CostArea, ESTIMATED_MONTHLY_USD } from "./cost";
import { emr, EmrArea } from "./emr";
import { devEnv, Env } from "./env";
import { glue, GlueArea } from "./glue";
import { monitoring, MonitoringArea } from "./monitoring";
import { network, NetworkArea } from "./network";
import { orchestration, OrchestrationArea } from "./orchestration";
import { Stack, stackOf } from "./stack";
import { storage, StorageArea } from "./storage";
import { warehouse, WarehouseArea } from "./warehouse";

export interface Areas {
  network: NetworkArea;
  storage: StorageArea;
  catalog: CatalogArea;
  glue: GlueArea;
  emr: EmrArea;
  batch: BatchArea;
  orchestration: OrchestrationArea;
  monitoring: MonitoringArea;
  cost: CostArea;
  warehouse: WarehouseArea;
  access: AccessArea;
}

export type AreaName = keyof Areas;

type Builder<K extends AreaName> = (env: Env, built: Partial<Areas>) => Areas[K];

function built<K extends AreaName>(areas: Partial<Areas>, name: K): Areas[K] {
  const area = areas[name];
  if (!area) throw new Error(`area ${name} must be built first`);
  return area;
}

const BUILDERS: { [K in AreaName]: { needs: AreaName[]; build: Builder<K> } } = {
  network: { needs: [], build: (env) => network(env) },
  storage: { needs: [], build: (env) => storage(env) },
  catalog: { needs: [], build: (env) => catalog(env) },
  glue: { needs: [], build: (env) => glue(env) },
  emr: { needs: ["network"], build: (env, areas) => emr(env, built(areas, "network")) },
  batch: { needs: [], build: (env) => batch(env) },
  orchestration: { needs: [], build: (env) => orchestration(env) },
  monitoring: { needs: [], build: (env) => monitoring(env) },
  cost: { needs: [], build: (env) => cost(env) },
  warehouse: { needs: [], build: (env) => warehouse(env) },
  access: { needs: [], build: (env) => access(env) },
};

export const ALL_AREAS = Object.keys(BUILDERS) as AreaName[];

/** A stack of the named areas and the areas they need, in the dev environment. */
export function stackWith(...names: AreaName[]): Stack {
  const env = devEnv();
  const areas: Partial<Areas> = {};
  const add = <K extends AreaName>(name: K): void => {
    if (areas[name]) return;
    BUILDERS[name].needs.forEach(add);
    (areas as Record<K, Areas[K]>)[name] = BUILDERS[name].build(env, areas);
  };
  names.forEach(add);
  return stackOf(env, ...Object.values(areas));
}

/** Every area: the compliant environment. */
export function compliantStack(): Stack {
  return stackWith(...ALL_AREAS);
}

/** Policy config the compliant stack needs (the runner writes the cost estimate into it). */
export const COMPLIANT_CONFIG: Record<string, Record<string, unknown>> = {
  "estimated-cost-within-budget": { estimatedMonthlyUsd: ESTIMATED_MONTHLY_USD },
};

export { ACCOUNT, ALERTS_ARN, KEY_ARN, STACK_TAGS } from "./env";
export { EMR_CLUSTER, GLUE_FACTORY } from "./emr";
export { GLUE_JOB } from "./glue";
export { JOB_DEFINITION } from "./batch";
export { DLQ_ARN, STATE_MACHINE } from "./orchestration";
export { replaceIn, Stack } from "./stack";
export { tlsPolicy } from "./storage";
export { NONCOMPLIANT_CONFIG, noncompliantStack } from "./noncompliant";
