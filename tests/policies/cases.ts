/**
 * Table-driven policy tests. Every case runs one policy over the compliant stack with one change
 * and states the outcome: clean, a violation (message names the resource and the fix), or an
 * advisory "cannot judge".
 */
import * as assert from "assert";
import { goodStack, GoodStack, GOOD_CONFIG, replaceIn } from "./fixtures";
import { messages, policyByName, PolicyConfig, Res, runPolicy, RunResult, withProps } from "./harness";

export type Outcome =
  { clean: true } | { violation: string[]; subject: string } | { cannotJudge: string; subject: string };

export interface Case {
  name: string;
  /** The stack to judge; default: the compliant stack. */
  stack?: (s: GoodStack) => Res[];
  config?: PolicyConfig;
  expect: Outcome;
}

/** The good stack with one resource's props changed. */
export function mutate(name: string, fn: (p: Record<string, any>) => void): (s: GoodStack) => Res[] {
  return (s) => replaceIn(s, name, withProps(s.byName[name], fn));
}

/** The good stack without one resource. */
export function drop(...names: string[]): (s: GoodStack) => Res[] {
  return (s) => s.all.filter((r) => !names.includes(r.name));
}

/** The good stack plus extra resources built from it. */
export function add(fn: (s: GoodStack) => Res[]): (s: GoodStack) => Res[] {
  return (s) => [...s.all, ...fn(s)];
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

/** Declares one mocha test per case for a policy. */
export function policyCases(policyName: string, cases: Case[]): void {
  describe(policyName, () => {
    const policy = policyByName(policyName);
    for (const c of cases) {
      it(c.name, async () => {
        const s = goodStack();
        const list = c.stack ? c.stack(s) : s.all;
        const base = (GOOD_CONFIG as Record<string, PolicyConfig>)[policyName] ?? {};
        const result = await runPolicy(policy, list, { ...base, ...(c.config ?? {}) });
        assertOutcome(result, c.expect);
      });
    }
  });
}
