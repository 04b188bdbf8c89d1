import { strict as assert } from "assert";
import {
  attemptTimeoutSeconds,
  batchComputePlan,
  batchPlatform,
  batchRetryStrategy,
  DEFAULT_CAPACITY_WAIT_SECONDS,
  ec2SpotError,
  GRAVITON_INSTANCE_FAMILIES,
} from "../../decisions/batch";
import { SLA_TIERS } from "../../decisions/sla-tier";

describe("batchComputePlan", () => {
  it("flexible: Fargate Spot only", () => {
    const plan = batchComputePlan("flexible");
    assert.equal(plan.platform, "FARGATE");
    assert.deepEqual(plan.environments, [{ capacity: "FARGATE_SPOT", order: 1 }]);
  });

  it("standard: Fargate Spot first, on-demand Fargate as fallback", () => {
    const plan = batchComputePlan("standard");
    assert.equal(plan.platform, "FARGATE");
    assert.deepEqual(plan.environments, [
      { capacity: "FARGATE_SPOT", order: 1 },
      { capacity: "FARGATE", order: 2 },
    ]);
  });

  it("critical: on-demand Fargate only, never Spot", () => {
    const plan = batchComputePlan("critical");
    assert.deepEqual(plan.environments, [{ capacity: "FARGATE", order: 1 }]);
  });

  it("flexible with ec2Spot: EC2 Spot with Graviton families, price-capacity-optimized, instead of Fargate", () => {
    const plan = batchComputePlan("flexible", { ec2Spot: true });
    assert.equal(plan.platform, "EC2");
    assert.deepEqual(plan.environments, [
      {
        capacity: "SPOT",
        order: 1,
        instanceTypes: ["m7g", "c7g", "r7g"],
        allocationStrategy: "SPOT_PRICE_CAPACITY_OPTIMIZED",
      },
    ]);
    for (const family of plan.environments[0].instanceTypes ?? []) assert.match(family, /^[a-z]\d+g$/);
  });

  it("standard with ec2Spot: EC2 Spot first, then on-demand EC2, both Graviton", () => {
    const plan = batchComputePlan("standard", { ec2Spot: true });
    assert.equal(plan.platform, "EC2");
    assert.deepEqual(
      plan.environments.map((environment) => [environment.capacity, environment.order]),
      [
        ["SPOT", 1],
        ["EC2", 2],
      ],
    );
    assert.equal(plan.environments[1].allocationStrategy, "BEST_FIT_PROGRESSIVE");
    assert.deepEqual(plan.environments[1].instanceTypes, [...GRAVITON_INSTANCE_FAMILIES]);
  });

  it("rejects ec2Spot for critical", () => {
    assert.throws(() => batchComputePlan("critical", { ec2Spot: true }), /critical jobs never run on Spot/);
  });

  it("every tier cancels jobs blocked by misconfiguration after 10 minutes", () => {
    for (const tier of SLA_TIERS) {
      const actions = batchComputePlan(tier).jobStateTimeLimitActions;
      const misconfiguration = actions.filter((action) => action.reason.startsWith("MISCONFIGURATION:"));
      assert.equal(misconfiguration.length, 2, tier);
      for (const action of misconfiguration) {
        assert.deepEqual([action.state, action.action, action.maxTimeSeconds], ["RUNNABLE", "CANCEL", 600]);
      }
    }
  });

  it("only flexible (Spot without fallback) cancels jobs waiting for capacity, after 4 hours by default", () => {
    const capacity = (tier: (typeof SLA_TIERS)[number], wait?: number) =>
      batchComputePlan(tier, { capacityWaitSeconds: wait }).jobStateTimeLimitActions.filter(
        (action) => action.reason === "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY",
      );
    assert.deepEqual(
      capacity("flexible").map((action) => action.maxTimeSeconds),
      [DEFAULT_CAPACITY_WAIT_SECONDS],
    );
    assert.equal(DEFAULT_CAPACITY_WAIT_SECONDS, 14400);
    assert.deepEqual(
      capacity("flexible", 3600).map((action) => action.maxTimeSeconds),
      [3600],
    );
    assert.equal(capacity("standard").length, 0);
    assert.equal(capacity("critical").length, 0);
  });

  it("rejects a capacity wait outside 600-86400 seconds", () => {
    assert.throws(() => batchComputePlan("flexible", { capacityWaitSeconds: 599 }), /600 to 86400/);
    assert.throws(() => batchComputePlan("flexible", { capacityWaitSeconds: 86401 }), /600 to 86400/);
  });
});

/** Batch's rule matching: every condition of a rule must match, patterns may end with `*`. */
function globMatches(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  if (value === undefined) return false;
  return pattern.endsWith("*") ? value.startsWith(pattern.slice(0, -1)) : value === pattern;
}

/** What Batch does with a failed attempt: the first matching rule's action, RETRY when none matches. */
function decide(
  rules: ReturnType<typeof batchRetryStrategy>["evaluateOnExit"],
  failure: { statusReason?: string; reason?: string; exitCode?: number },
): "RETRY" | "EXIT" {
  const rule = rules.find(
    (candidate) =>
      globMatches(candidate.onStatusReason, failure.statusReason) &&
      globMatches(candidate.onReason, failure.reason) &&
      globMatches(
        candidate.onExitCode,
        failure.exitCode === undefined ? undefined : String(failure.exitCode),
      ),
  );
  return rule?.action ?? "RETRY";
}

describe("batchRetryStrategy", () => {
  const strategy = batchRetryStrategy(3);

  it("keeps the attempts and at most 5 rules, with the reclaim rules before the exit rule", () => {
    assert.equal(strategy.attempts, 3);
    assert.ok(strategy.evaluateOnExit.length <= 5);
    assert.deepEqual(strategy.evaluateOnExit, [
      { action: "RETRY", onStatusReason: "Host EC2*" },
      { action: "RETRY", onStatusReason: "Your Spot Task was interrupted*" },
      { action: "EXIT", onExitCode: "*" },
    ]);
  });

  it("uses only patterns AWS accepts (a `*` only at the end; exit codes digits)", () => {
    for (const rule of strategy.evaluateOnExit) {
      for (const pattern of [rule.onStatusReason, rule.onReason, rule.onExitCode]) {
        if (pattern === undefined) continue;
        assert.match(pattern, /^[A-Za-z0-9.: \t]*\*?$/, pattern);
      }
      if (rule.onExitCode !== undefined) assert.match(rule.onExitCode, /^\d*\*?$/);
    }
  });

  it("retries an EC2 Spot reclaim or host failure even though the container returned an exit code", () => {
    assert.equal(
      decide(strategy.evaluateOnExit, {
        statusReason: "Host EC2 (instance i-0123456789abcdef0) terminated.",
        exitCode: 137,
      }),
      "RETRY",
    );
  });

  it("retries a Fargate Spot interruption", () => {
    assert.equal(
      decide(strategy.evaluateOnExit, { statusReason: "Your Spot Task was interrupted.", exitCode: 143 }),
      "RETRY",
    );
  });

  it("does not retry application errors (any exit code)", () => {
    for (const exitCode of [1, 2, 3, 4, 137]) {
      assert.equal(
        decide(strategy.evaluateOnExit, { statusReason: "Essential container in task exited", exitCode }),
        "EXIT",
      );
    }
  });

  it("retries failures to start (no exit code), such as an image pull error", () => {
    assert.equal(
      decide(strategy.evaluateOnExit, {
        statusReason: "Task failed to start",
        reason: "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
      }),
      "RETRY",
    );
  });

  it("rejects attempts outside 1-10", () => {
    for (const attempts of [0, 11, 1.5]) {
      assert.throws(() => batchRetryStrategy(attempts), /attempts must be an integer from 1 to 10/);
    }
    assert.equal(batchRetryStrategy(1).attempts, 1);
    assert.equal(batchRetryStrategy(10).attempts, 10);
  });
});

describe("attemptTimeoutSeconds", () => {
  it("converts minutes to seconds", () => {
    assert.equal(attemptTimeoutSeconds(1), 60);
    assert.equal(attemptTimeoutSeconds(90), 5400);
  });

  it("rejects zero, negative and fractional minutes", () => {
    for (const minutes of [0, -5, 2.5])
      assert.throws(() => attemptTimeoutSeconds(minutes), /positive integer/);
  });
});

describe("ec2SpotError and batchPlatform", () => {
  it("allows EC2 Spot for every tier but critical", () => {
    assert.equal(ec2SpotError("flexible", true), undefined);
    assert.equal(ec2SpotError("standard", true), undefined);
    assert.equal(ec2SpotError("critical", false), undefined);
    assert.match(ec2SpotError("critical", true) ?? "", /critical jobs never run on Spot/);
  });

  it("runs EC2 Spot jobs on the EC2 platform, the rest on Fargate", () => {
    assert.equal(batchPlatform(true), "EC2");
    assert.equal(batchPlatform(false), "FARGATE");
    assert.equal(batchPlatform(undefined), "FARGATE");
    assert.equal(batchComputePlan("standard", { ec2Spot: true }).platform, batchPlatform(true));
  });
});
