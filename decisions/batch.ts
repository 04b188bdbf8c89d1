/**
 * AWS Batch decisions: which capacity an SLA tier gets (and in which order the job queue tries
 * it), how a job is retried, how long an attempt may run, and how precise a schedule must be.
 * Pure functions; components/batch and components/triggers turn them into resources.
 *
 * Sources (AWS documentation):
 * - Job queues cannot mix EC2 (EC2/SPOT) and Fargate (FARGATE/FARGATE_SPOT) compute
 *   environments, so an EC2 Spot plan replaces the Fargate plan instead of extending it.
 * - FARGATE_SPOT runs Linux ARM64 tasks on platform version 1.4.0 or later (LATEST).
 * - Retry strategy: up to 5 evaluateOnExit rules, first match wins, all conditions of a rule
 *   must match; a failure that matches no rule is retried. Patterns may only END with `*`.
 *   Status reasons: EC2 Spot reclaim / host failure "Host EC2 (instance i-...) terminated.",
 *   Fargate Spot reclaim "Your Spot Task was interrupted.".
 * - jobStateTimeLimitActions: CANCEL a job that blocks the head of the queue in RUNNABLE for
 *   one of the reasons Batch can detect, after 600 to 86400 seconds.
 */
import { SlaTier } from "./sla-tier";

/** Compute environment types of AWS Batch. */
export type BatchCapacity = "FARGATE_SPOT" | "FARGATE" | "SPOT" | "EC2";

/** What the job definition must declare in platformCapabilities for the plan's queue. */
export type BatchPlatform = "FARGATE" | "EC2";

/** Graviton instance families for EC2 compute environments (general purpose, compute, memory). */
export const GRAVITON_INSTANCE_FAMILIES = ["m7g", "c7g", "r7g"] as const;

export interface ComputeEnvironmentPlan {
  capacity: BatchCapacity;
  /** Position in the job queue's computeEnvironmentOrders (1 = tried first). */
  order: number;
  /** EC2 only: how instances are chosen. */
  allocationStrategy?: "SPOT_PRICE_CAPACITY_OPTIMIZED" | "BEST_FIT_PROGRESSIVE";
  /** EC2 only: instance families Batch may launch. */
  instanceTypes?: string[];
}

export interface JobStateTimeLimitPlan {
  reason: string;
  maxTimeSeconds: number;
  state: "RUNNABLE";
  action: "CANCEL";
}

export interface ComputePlan {
  platform: BatchPlatform;
  /** In queue order. */
  environments: ComputeEnvironmentPlan[];
  /** Cancel jobs that block the queue head; without this one stuck job stops every later one. */
  jobStateTimeLimitActions: JobStateTimeLimitPlan[];
}

export interface ComputePlanOptions {
  /**
   * Run on EC2 Spot with Graviton instances instead of Fargate (cheaper for long jobs, slower
   * to start). flexible: EC2 Spot only; standard: EC2 Spot, then EC2 on-demand. Not allowed
   * for critical (no Spot).
   */
  ec2Spot?: boolean;
  /** flexible only: how long a job may wait for Spot capacity before it is cancelled. */
  capacityWaitSeconds?: number;
}

/** Default wait for Spot capacity before a flexible job is cancelled (4 hours). */
export const DEFAULT_CAPACITY_WAIT_SECONDS = 4 * 60 * 60;

/** Blocked-queue reasons that never fix themselves: cancel quickly (the API minimum). */
const MISCONFIGURATION_REASONS = [
  "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
  "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT",
];
const MIN_TIME_LIMIT_SECONDS = 600;
const MAX_TIME_LIMIT_SECONDS = 86400;

/** Why a tier cannot run on EC2 Spot, or undefined: critical jobs never run on Spot. */
export function ec2SpotError(tier: SlaTier, ec2Spot: boolean | undefined): string | undefined {
  return ec2Spot && tier === "critical"
    ? "is not allowed for the critical tier: critical jobs never run on Spot"
    : undefined;
}

/** Why a Spot capacity wait is not one a job queue accepts (jobStateTimeLimitActions), or undefined. */
export function capacityWaitSecondsError(wait: number): string | undefined {
  return Number.isInteger(wait) && wait >= MIN_TIME_LIMIT_SECONDS && wait <= MAX_TIME_LIMIT_SECONDS
    ? undefined
    : `must be an integer from ${MIN_TIME_LIMIT_SECONDS} to ${MAX_TIME_LIMIT_SECONDS}`;
}

function capacities(tier: SlaTier, ec2Spot: boolean): BatchCapacity[] {
  if (ec2Spot) {
    const problem = ec2SpotError(tier, ec2Spot);
    if (problem) throw new Error(`ec2Spot ${problem}`);
    return tier === "flexible" ? ["SPOT"] : ["SPOT", "EC2"];
  }
  if (tier === "flexible") return ["FARGATE_SPOT"];
  if (tier === "standard") return ["FARGATE_SPOT", "FARGATE"];
  return ["FARGATE"];
}

/** The platform a queue's jobs run on: EC2 (Graviton instances) with ec2Spot, else Fargate. */
export function batchPlatform(ec2Spot: boolean | undefined): BatchPlatform {
  return ec2Spot ? "EC2" : "FARGATE";
}

/**
 * The compute environments (in queue order) and queue safeguards for a tier.
 * flexible: Fargate Spot; standard: Fargate Spot first, on-demand Fargate as fallback;
 * critical: on-demand Fargate. With `ec2Spot`, the same shape on EC2 with Graviton instances.
 */
export function batchComputePlan(tier: SlaTier, options: ComputePlanOptions = {}): ComputePlan {
  const ec2Spot = options.ec2Spot ?? false;
  const environments = capacities(tier, ec2Spot).map((capacity, index): ComputeEnvironmentPlan => {
    const plan: ComputeEnvironmentPlan = { capacity, order: index + 1 };
    if (capacity === "SPOT" || capacity === "EC2") {
      plan.instanceTypes = [...GRAVITON_INSTANCE_FAMILIES];
      // Spot: the pools least likely to be interrupted, then the cheapest of them.
      plan.allocationStrategy =
        capacity === "SPOT" ? "SPOT_PRICE_CAPACITY_OPTIMIZED" : "BEST_FIT_PROGRESSIVE";
    }
    return plan;
  });

  const jobStateTimeLimitActions: JobStateTimeLimitPlan[] = MISCONFIGURATION_REASONS.map((reason) => ({
    reason,
    maxTimeSeconds: MIN_TIME_LIMIT_SECONDS,
    state: "RUNNABLE",
    action: "CANCEL",
  }));
  if (tier === "flexible") {
    // Spot only: without a fallback a job can wait for capacity for ever and block the queue.
    const wait = options.capacityWaitSeconds ?? DEFAULT_CAPACITY_WAIT_SECONDS;
    const problem = capacityWaitSecondsError(wait);
    if (problem) throw new Error(`capacityWaitSeconds ${problem}, got ${wait}`);
    jobStateTimeLimitActions.push({
      reason: "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY",
      maxTimeSeconds: wait,
      state: "RUNNABLE",
      action: "CANCEL",
    });
  }
  return { platform: batchPlatform(ec2Spot), environments, jobStateTimeLimitActions };
}

/** One evaluateOnExit rule, in the job definition's (camelCase) shape. */
export interface EvaluateOnExitRule {
  action: "RETRY" | "EXIT";
  onStatusReason?: string;
  onReason?: string;
  onExitCode?: string;
}

export interface RetryStrategy {
  attempts: number;
  evaluateOnExit: EvaluateOnExitRule[];
}

/** Status reason of a job whose EC2 host went away (Spot reclaim, host failure). */
export const EC2_HOST_TERMINATED = "Host EC2*";
/** Status reason of a job whose Fargate Spot task was reclaimed. */
export const FARGATE_SPOT_INTERRUPTED = "Your Spot Task was interrupted*";

/**
 * Retries only what a rerun can fix. Order matters, the first matching rule wins:
 * 1. RETRY when the host or Spot capacity was taken away (EC2 or Fargate Spot);
 * 2. EXIT when the container ran and returned any exit code: the job itself failed (bad input,
 *    a bug), and running it again gives the same result;
 * 3. (no rule) failures without an exit code, where the container never started (image pull,
 *    network interface timeouts), match nothing and Batch retries them by default.
 * Jobs that hit the attempt timeout are never retried by Batch.
 */
export function batchRetryStrategy(attempts: number): RetryStrategy {
  const problem = batchAttemptsError(attempts);
  if (problem) throw new Error(`attempts ${problem}, got ${attempts}`);
  return {
    attempts,
    evaluateOnExit: [
      { action: "RETRY", onStatusReason: EC2_HOST_TERMINATED },
      { action: "RETRY", onStatusReason: FARGATE_SPOT_INTERRUPTED },
      { action: "EXIT", onExitCode: "*" },
    ],
  };
}

/** Why a number of attempts is not one AWS Batch accepts (1 to 10), or undefined. */
export function batchAttemptsError(attempts: number): string | undefined {
  return Number.isInteger(attempts) && attempts >= 1 && attempts <= 10
    ? undefined
    : "must be an integer from 1 to 10 (AWS Batch limit)";
}

/** Why an attempt timeout in minutes is invalid (whole minutes, so at least Batch's 60 seconds), or undefined. */
export function attemptTimeoutError(timeoutMinutes: number): string | undefined {
  return Number.isInteger(timeoutMinutes) && timeoutMinutes >= 1 ? undefined : "must be a positive integer";
}

/** An attempt's hard limit in seconds (AWS Batch minimum is 60). */
export function attemptTimeoutSeconds(timeoutMinutes: number): number {
  const problem = attemptTimeoutError(timeoutMinutes);
  if (problem) throw new Error(`timeoutMinutes ${problem}, got ${timeoutMinutes}`);
  return timeoutMinutes * 60;
}
