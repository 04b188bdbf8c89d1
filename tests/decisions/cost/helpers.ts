import assert from "node:assert/strict";

import type { FixedWorkload, PipelineWorkload, WorkloadDescription } from "../../../decisions/cost/estimate";

/** Floating-point sums of prices: equal to within a millionth of a cent. */
export function approx(actual: number, expected: number, label = "amount"): void {
  assert.ok(
    Math.abs(actual - expected) < 1e-8,
    `${label}: expected ${expected}, got ${actual} (difference ${actual - expected})`,
  );
}

/** A fixed part that costs nothing, so a test sees only what it sets. */
export function noFixedCosts(): FixedWorkload {
  return {
    natGateways: 0,
    natGbProcessedPerMonth: 0,
    kmsKeys: 0,
    alarms: 0,
    storageGbByClass: {},
    logsGbPerMonth: 0,
  };
}

export function workload(
  pipelines: PipelineWorkload[],
  options: { region?: string; spotPriceFraction?: number; fixed?: Partial<FixedWorkload> } = {},
): WorkloadDescription {
  return {
    region: options.region ?? "us-east-1",
    spotPriceFraction: options.spotPriceFraction,
    pipelines,
    fixed: { ...noFixedCosts(), ...options.fixed },
  };
}

/** A pipeline with no Step Functions transitions, so its total is its compute. */
export function pipeline(
  usage: PipelineWorkload["usage"],
  runs: Partial<Omit<PipelineWorkload, "usage">> = {},
): PipelineWorkload {
  return {
    name: "p",
    slaTier: "flexible",
    runsPerMonth: 1,
    expectedRuntimeMinutes: 60,
    stateTransitionsPerRun: 0,
    ...runs,
    usage,
  };
}
