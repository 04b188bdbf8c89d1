/**
 * The whole pack on two stacks: the compliant one (no findings at all) and a deliberately
 * non-compliant one that violates every rule at least once.
 */
import * as assert from "assert";
import { policies } from "../../policies/pack";
import { compliantStack, COMPLIANT_CONFIG, NONCOMPLIANT_CONFIG, noncompliantStack } from "./builders";
import { messages, runPack } from "./harness";

describe("the whole pack", () => {
  it("reports nothing on the compliant stack", async () => {
    const results = await runPack(compliantStack().all, COMPLIANT_CONFIG);
    const noisy = Object.entries(results).filter(
      ([, r]) => r.findings.length > 0 || r.unknownValueErrors.length > 0,
    );
    assert.deepStrictEqual(
      noisy.map(([name, r]) => `${name}: ${messages(r).join(" | ")}`),
      [],
    );
  });

  it("finds a violation of every policy in the non-compliant stack", async () => {
    const results = await runPack(noncompliantStack(), NONCOMPLIANT_CONFIG);
    const violated = new Set(
      Object.entries(results)
        .filter(([, r]) => r.violations.length > 0)
        .map(([name]) => name),
    );
    const missing = policies.map((p) => p.name).filter((n) => !violated.has(n));
    assert.deepStrictEqual(missing, [], "policies without a violation in the non-compliant stack");
    for (const [name, r] of Object.entries(results)) {
      assert.deepStrictEqual(r.unknownValueErrors, [], name);
      for (const v of r.violations) {
        assert.match(v.message, /^(aws:[^ ]+ "[^"]+"|The stack): .+\. Fix: .+/, `${name}: ${v.message}`);
      }
    }
  });

  it("reports violations at the configured enforcement level (dev advisory, prod mandatory)", async () => {
    const asConfig = (level: "advisory" | "mandatory") =>
      Object.fromEntries(
        policies.map((p) => [p.name, { enforcementLevel: level, ...NONCOMPLIANT_CONFIG[p.name] }]),
      );
    const dev = await runPack(noncompliantStack(), asConfig("advisory"));
    const prod = await runPack(noncompliantStack(), asConfig("mandatory"));
    for (const p of policies) {
      assert.ok(
        dev[p.name].violations.every((v) => v.enforcementLevel === "advisory"),
        p.name,
      );
      assert.ok(
        prod[p.name].violations.every((v) => v.enforcementLevel === "mandatory"),
        p.name,
      );
    }
  });

  it("keeps cannot-judge findings advisory under mandatory enforcement", async () => {
    const results = await runPack(noncompliantStack(), {
      "estimated-cost-within-budget": { enforcementLevel: "mandatory" },
    });
    const advisories = results["estimated-cost-within-budget"].advisories;
    assert.ok(advisories.length > 0);
    assert.ok(
      advisories.every((a) => a.enforcementLevel === "advisory" && a.message.includes("cannot judge")),
    );
  });
});
