/**
 * Table-driven policy tests. Every case runs one policy over a compliant stack of the areas the
 * policy judges (tests/policies/builders) with one change, and states the outcome: clean, a
 * violation (message names the resource and the fix), or an advisory "cannot judge".
 */
import * as assert from "assert";
import { COMPLIANT_CONFIG, replaceIn, Stack } from "./builders";
import {
  messages,
  policyByName,
  PolicyConfig,
  Res,
  runPolicy,
  RunResult,
  UNKNOWN,
  withProps,
} from "./harness";

export type Outcome =
  { clean: true } | { violation: string[]; subject: string } | { cannotJudge: string; subject: string };

export interface Case {
  name: string;
  /** The stack to judge, made from the policy's compliant stack; default: that stack unchanged. */
  stack?: (s: Stack) => Res[];
  config?: PolicyConfig;
  expect: Outcome;
}

/** The compliant stack with one resource's props changed. */
export function mutate(name: string, fn: (p: Record<string, any>) => void): (s: Stack) => Res[] {
  return (s) => replaceIn(s, name, withProps(s.byName[name], fn));
}

/** The compliant stack without some resources (each must be in it, so a case cannot drop nothing). */
export function drop(...names: string[]): (s: Stack) => Res[] {
  return (s) => {
    const missing = names.filter((n) => !s.byName[n]);
    if (missing.length > 0) throw new Error(`cannot drop ${missing.join(", ")}: not in the stack`);
    return s.all.filter((r) => !names.includes(r.name));
  };
}

/** The compliant stack plus extra resources built from it. */
export function add(fn: (s: Stack) => Res[]): (s: Stack) => Res[] {
  return (s) => [...s.all, ...fn(s)];
}

/** The compliant stack with a bucket companion's link to its bucket removed and its `bucket` value unknown. */
export function unresolvable(name: string): (s: Stack) => Res[] {
  return (s) =>
    s.all.map((r) =>
      r.name === name ? { ...r, deps: {}, props: { ...r.props, bucket: UNKNOWN.string } } : r,
    );
}

export const CLEAN: Outcome = { clean: true };

export function violation(subject: string, ...fragments: string[]): Outcome {
  return { violation: fragments, subject };
}

export function cannotJudge(subject: string, fragment: string): Outcome {
  return { cannotJudge: fragment, subject };
}

/** How a message names its subject: `"name"`, or "The stack" for stack-wide findings. */
function names(message: string, subject: string): boolean {
  return subject === "stack" ? message.startsWith("The stack") : message.includes(`"${subject}"`);
}

export function assertOutcome(result: RunResult, expected: Outcome): void {
  const all = messages(result).join("\n  ");
  assert.deepStrictEqual(
    result.unknownValueErrors,
    [],
    "the policy read an unknown value through the engine's proxy",
  );
  assert.ok(
    !result.findings.some((f) => f.message.includes("policy error")),
    `internal policy error:\n  ${all}`,
  );
  if ("clean" in expected) {
    assert.strictEqual(result.findings.length, 0, `expected no findings, got:\n  ${all}`);
    return;
  }
  if ("violation" in expected) {
    const hit = result.violations.find(
      (v) =>
        names(v.message, expected.subject) &&
        v.message.includes("Fix:") &&
        expected.violation.every((f) => v.message.toLowerCase().includes(f.toLowerCase())),
    );
    assert.ok(
      hit,
      `expected a violation naming "${expected.subject}" with ${JSON.stringify(expected.violation)}, got:\n  ${all}`,
    );
    return;
  }
  const adv = result.advisories.find(
    (a) =>
      names(a.message, expected.subject) &&
      a.message.toLowerCase().includes(expected.cannotJudge.toLowerCase()),
  );
  assert.ok(
    adv,
    `expected a cannot-judge advisory naming "${expected.subject}" with "${expected.cannotJudge}", got:\n  ${all}`,
  );
  assert.strictEqual(adv.enforcementLevel, "advisory");
  assert.ok(adv.message.includes("cannot judge"));
  assert.strictEqual(result.violations.length, 0, `cannot-judge cases must not also fail:\n  ${all}`);
}

/**
 * Declares one mocha test per case for a policy. `compliant` builds the stack the policy must pass
 * (just the areas it judges); every policy states at least one passing and one failing case.
 */
export function policyCases(policyName: string, compliant: () => Stack, cases: Case[]): void {
  describe(policyName, () => {
    const policy = policyByName(policyName);
    it("states a passing and a failing case", () => {
      assert.ok(
        cases.some((c) => "clean" in c.expect),
        `${policyName}: no case expects the policy to pass`,
      );
      assert.ok(
        cases.some((c) => "violation" in c.expect),
        `${policyName}: no case expects a violation`,
      );
    });
    for (const c of cases) {
      it(c.name, async () => {
        const s = compliant();
        const list = c.stack ? c.stack(s) : s.all;
        const base = COMPLIANT_CONFIG[policyName] ?? {};
        const result = await runPolicy(policy, list, { ...base, ...(c.config ?? {}) });
        assertOutcome(result, c.expect);
      });
    }
  });
}
