import { ArgsProblem } from "./problems";

/**
 * The vCPU / memory pairs Fargate accepts for a task (and so for an AWS Batch Fargate job).
 * Memory is in MiB. Source: Amazon ECS task size table for Linux tasks.
 */
export const FARGATE_MEMORY_BY_VCPU: Readonly<Record<string, readonly number[]>> = {
  "0.25": [512, 1024, 2048],
  "0.5": range(1024, 4096, 1024),
  "1": range(2048, 8192, 1024),
  "2": range(4096, 16384, 1024),
  "4": range(8192, 30720, 1024),
  "8": range(16384, 61440, 4096),
  "16": range(32768, 122880, 8192),
};

// Sorted: object keys list integer-like keys ("1", "2") before "0.25" and "0.5".
export const FARGATE_VCPUS = Object.keys(FARGATE_MEMORY_BY_VCPU)
  .map(Number)
  .sort((a, b) => a - b);

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

/** Why a vCPU / memory pair is not a Fargate size: a problem at `vcpu` or at `memoryMiB`; none when it is. */
export function fargateSizeProblems(vcpu: number, memoryMiB: number): ArgsProblem[] {
  const allowed = FARGATE_MEMORY_BY_VCPU[String(vcpu)];
  if (!allowed)
    return [{ path: ["vcpu"], message: `must be one of ${FARGATE_VCPUS.join(", ")}`, given: vcpu }];
  if (allowed.includes(memoryMiB)) return [];
  const first = allowed[0];
  const last = allowed[allowed.length - 1];
  const step = allowed.length > 1 ? allowed[1] - allowed[0] : 0;
  // 0.25 vCPU allows 512, 1024, 2048: not evenly spaced, so a "steps of" hint would be wrong.
  const evenlySpaced = allowed.every((value, index) => value === first + index * step);
  const hint = evenlySpaced ? `${first}-${last} in steps of ${step}` : `one of ${allowed.join(", ")}`;
  return [{ path: ["memoryMiB"], message: `${memoryMiB} is not allowed with ${vcpu} vCPU; use ${hint}` }];
}
