/**
 * The cost estimate as one set of numbers: every cost line belongs to exactly one owner, a pipeline
 * (its compute and its Step Functions state transitions) or a shared component (network, storage,
 * security, monitoring, warehouse). Each line is rounded to cents once, and every subtotal and the
 * total are sums of those rounded lines, so a reader adding up the rows gets the total printed
 * below them, in every output format. Pure.
 */
import type { CostEstimate, Engine } from "./estimate";
import type { SlaTier } from "../sla-tier";

/** The shared components, in the order a report lists them. */
export const SHARED_COMPONENTS = ["network", "storage", "security", "monitoring", "warehouse"] as const;
export type SharedComponent = (typeof SHARED_COMPONENTS)[number];

export const SHARED_COMPONENT_LABELS: Record<SharedComponent, string> = {
  network: "Network (NAT gateways, interface endpoints)",
  storage: "Storage (S3)",
  security: "Security (KMS)",
  monitoring: "Monitoring (CloudWatch)",
  warehouse: "Warehouse (Redshift)",
};

export type CostOwner = { kind: "pipeline"; name: string } | { kind: "shared"; name: SharedComponent };

/** What a line prices: a pipeline's compute or state transitions, or a shared component. */
export type CostItem = "compute" | "orchestration" | SharedComponent;

export interface CostLine {
  owner: CostOwner;
  item: CostItem;
  /** Monthly cost in whole cents. */
  cents: number;
  /** The same line on the baseline (see estimate.ts), in cents. */
  baselineCents: number;
}

export interface PipelineCostRow {
  name: string;
  slaTier: SlaTier;
  engine: Engine;
  computeCents: number;
  /** Step Functions state transitions; 0 for pipelines another service runs (EventBridge, Glue workflow). */
  orchestrationCents: number;
  /** computeCents + orchestrationCents */
  cents: number;
  baselineCents: number;
}

export interface SharedCostRow {
  component: SharedComponent;
  cents: number;
  baselineCents: number;
}

export interface CostLedger {
  /** Every line, pipelines first (in the estimate's order), then the shared components. */
  lines: CostLine[];
  pipelines: PipelineCostRow[];
  shared: SharedCostRow[];
  /** Sums of the lines above. */
  pipelinesCents: number;
  sharedCents: number;
  totalCents: number;
  baselineTotalCents: number;
}

export const toCents = (usd: number): number => Math.round(usd * 100);

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

/** The estimate's lines, each owned by one pipeline or one shared component, and their sums. */
export function costLedger(estimate: CostEstimate): CostLedger {
  const lines: CostLine[] = [];
  const pipelines = estimate.pipelines.map((pipeline): PipelineCostRow => {
    const owner: CostOwner = { kind: "pipeline", name: pipeline.name };
    const compute: CostLine = {
      owner,
      item: "compute",
      cents: toCents(pipeline.compute),
      baselineCents: toCents(pipeline.baselineCompute),
    };
    const orchestrationCents = toCents(pipeline.orchestration);
    const orchestration: CostLine = {
      owner,
      item: "orchestration",
      cents: orchestrationCents,
      // The baseline runs the same state machine.
      baselineCents: orchestrationCents,
    };
    lines.push(compute, orchestration);
    return {
      name: pipeline.name,
      slaTier: pipeline.slaTier,
      engine: pipeline.engine,
      computeCents: compute.cents,
      orchestrationCents,
      cents: compute.cents + orchestrationCents,
      baselineCents: compute.baselineCents + orchestrationCents,
    };
  });
  const shared = SHARED_COMPONENTS.map((component): SharedCostRow => {
    const line: CostLine = {
      owner: { kind: "shared", name: component },
      item: component,
      cents: toCents(estimate.components[component]),
      baselineCents: toCents(estimate.baselineComponents[component]),
    };
    lines.push(line);
    return { component, cents: line.cents, baselineCents: line.baselineCents };
  });
  const pipelinesCents = sum(pipelines.map((row) => row.cents));
  const sharedCents = sum(shared.map((row) => row.cents));
  return {
    lines,
    pipelines,
    shared,
    pipelinesCents,
    sharedCents,
    totalCents: pipelinesCents + sharedCents,
    baselineTotalCents: sum(lines.map((line) => line.baselineCents)),
  };
}
