/**
 * Property-based robustness: every policy gets 1,000 arbitrary resource shapes of the types it
 * judges (arbitrary values, arbitrary objects, and compliant resources with random subtrees
 * replaced by arbitrary values, unknown sentinels or nothing, inside JSON documents too) and must
 * never throw, never read an unknown through the engine's proxy, and never hit its internal-error
 * guard. Remediations get the same treatment.
 */
import * as assert from "assert";
import fc from "fast-check";
import { T } from "../../policies/lib/types";
import { INTERNAL_ERROR_PREFIX } from "../../policies/lib/report";
import { PackPolicy, policies } from "../../policies/pack";
import { compliantStack, COMPLIANT_CONFIG } from "./builders";
import { policyByName, Res, res, runRemediate, runResource, runStack, UNKNOWN } from "./harness";

const RUNS = 1000;

/**
 * The types to fuzz a policy with: the types it declares (its resourceTypes metadata, the list the
 * policy itself selects by). For a policy of "any" resource: every type the pack knows, one whose
 * tags are not a key/value map (aws.autoscaling.Group) and one the installed @pulumi/aws does not know.
 */
function typesOf(policy: PackPolicy): string[] {
  return policy.resourceTypes === "any"
    ? [...Object.values(T), "aws:autoscaling/group:Group", "aws:future/widget:Widget"]
    : [...policy.resourceTypes];
}

const anything = fc.anything({
  maxDepth: 3,
  maxKeys: 5,
  withNullPrototype: true,
  withObjectString: true,
  withBigInt: true,
  withDate: true,
  withBoxedValues: true,
  withSparseArray: true,
});

const sentinel = fc.constantFrom(...Object.values(UNKNOWN));

/** A replacement value: arbitrary, an unknown sentinel, a JSON-ish scalar, or removal. */
const replacement = fc.oneof(
  { weight: 4, arbitrary: anything },
  { weight: 2, arbitrary: sentinel },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(undefined, null, "", 0, -1, true, "*", "[]", "{", "false"),
  },
);

type Edit = { at: number; value: unknown; inJson: boolean };
const edits = fc.array(fc.record({ at: fc.nat(), value: replacement, inJson: fc.boolean() }), {
  maxLength: 6,
});

function paths(
  v: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
  depth = 0,
): (string | number)[][] {
  if (depth > 8) return out;
  if (
    v &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    ![Object.prototype, null].includes(Object.getPrototypeOf(v))
  )
    return out;
  const keys: (string | number)[] = Array.isArray(v)
    ? v.map((_e, i) => i)
    : v && typeof v === "object"
      ? Object.keys(v)
      : [];
  for (const k of keys) {
    out.push([...prefix, k]);
    paths((v as any)[k], [...prefix, k], out, depth + 1);
  }
  return out;
}

function setAt(root: any, path: (string | number)[], value: unknown): void {
  let cur = root;
  for (const k of path.slice(0, -1)) {
    if (!cur || typeof cur !== "object") return;
    cur = cur[k];
  }
  const plain = (o: unknown) =>
    Array.isArray(o) ||
    (!!o && typeof o === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(o)));
  if (!plain(cur)) return;
  const last = path[path.length - 1];
  try {
    if (value === undefined) delete cur[last];
    else Object.defineProperty(cur, last, { value, enumerable: true, writable: true, configurable: true });
  } catch {
    // a frozen or exotic container produced by an earlier edit: leave it
  }
}

/** Applies edits to a deep copy of compliant props (edits may also land inside JSON-string fields). */
function applyEdits(props: Record<string, any>, list: Edit[]): Record<string, any> {
  const copy = JSON.parse(JSON.stringify(props));
  for (const e of list) {
    const all = paths(copy);
    if (all.length === 0) break;
    const p = all[e.at % all.length];
    const target = p.reduce((acc: any, k) => (acc && typeof acc === "object" ? acc[k] : undefined), copy);
    if (e.inJson && typeof target === "string" && /^[[{]/.test(target)) {
      try {
        const doc = JSON.parse(target);
        const inner = paths(doc);
        if (inner.length > 0) {
          setAt(doc, inner[e.at % inner.length], e.value);
          setAt(
            copy,
            p,
            JSON.stringify(doc, (_k, v) => (typeof v === "bigint" ? String(v) : v)),
          );
          continue;
        }
      } catch {
        // not JSON after all: replace the string itself
      }
    }
    setAt(copy, p, e.value);
  }
  return copy;
}

const GOOD = compliantStack();
const EXAMPLES = new Map<string, Record<string, any>[]>();
for (const r of GOOD.all) EXAMPLES.set(r.type, [...(EXAMPLES.get(r.type) ?? []), r.props]);

/** Arbitrary props for a type: anything, any object, or an edited compliant example. */
function propsFor(type: string): fc.Arbitrary<unknown> {
  const examples = EXAMPLES.get(type) ?? [{ tags: { owner: "x" } }];
  return fc.oneof(
    { weight: 1, arbitrary: anything },
    { weight: 1, arbitrary: fc.object({ maxDepth: 2, maxKeys: 6, values: [anything, sentinel] }) },
    {
      weight: 4,
      arbitrary: fc.tuple(fc.constantFrom(...examples), edits).map(([ex, e]) => applyEdits(ex, e)),
    },
  );
}

const providerProps = fc.oneof(
  fc.constant(GOOD.provider.props),
  fc.record({
    defaultTags: fc.oneof(anything, sentinel, fc.constant('{"tags":{"owner":""}}'), fc.constant("{not json")),
  }),
);

function checkClean(
  policy: string,
  result: { findings: { message: string }[]; unknownValueErrors: string[] },
): void {
  assert.deepStrictEqual(result.unknownValueErrors, [], policy);
  const internal = result.findings.find((f) => f.message.includes(INTERNAL_ERROR_PREFIX));
  assert.ok(!internal, internal?.message);
}

describe("policies never throw on arbitrary shapes (fast-check)", function () {
  this.timeout(60000);
  for (const policy of policies) {
    const types = typesOf(policy);
    it(`${policy.name}: ${RUNS} arbitrary resources of ${types.length} type(s)`, async () => {
      assert.ok(types.length > 0, `${policy.name} declares no resource types`);
      const isStack = "validateStack" in policy;
      const config = COMPLIANT_CONFIG[policy.name];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...types),
          fc.array(fc.constantFrom(...types), { maxLength: 3 }),
          propsFor(types[0]),
          fc.nat(),
          providerProps,
          async (type, extraTypes, firstProps, seed, provProps) => {
            const provider = { ...GOOD.provider, props: provProps as Record<string, any> };
            const props = type === types[0] ? firstProps : fc.sample(propsFor(type), { seed, numRuns: 1 })[0];
            const subject = res(type, `fuzzed-${seed % 97}`, props as Record<string, any>, { provider });
            if (!isStack) {
              checkClean(policy.name, await runResource(policy, subject, config));
              return;
            }
            // Stack policies: the fuzzed resource plus a few more, among the compliant stack.
            const extra: Res[] = extraTypes.map((t, i) =>
              res(
                t,
                `fuzzed-extra-${i}`,
                fc.sample(propsFor(t), { seed: seed + i + 1, numRuns: 1 })[0] as Record<string, any>,
                {
                  provider,
                  deps:
                    i === 0
                      ? {
                          bucket: [subject],
                          clusterId: [subject],
                          rule: [subject],
                          clusterIdentifier: [subject],
                        }
                      : {},
                },
              ),
            );
            checkClean(policy.name, await runStack(policy, [...GOOD.all, subject, ...extra], config));
          },
        ),
        { numRuns: RUNS },
      );
    });
  }

  for (const name of ["log-group-retention", "ecr-scan-immutable", "required-tags"]) {
    it(`${name}: remediation on ${RUNS} arbitrary resources`, async () => {
      const policy = policyByName(name);
      const types = typesOf(policy);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...types), fc.nat(), async (type, seed) => {
          const props = fc.sample(propsFor(type), { seed, numRuns: 1 })[0];
          const out = await runRemediate(
            policy,
            res(type, "fuzzed", props as Record<string, any>, { provider: GOOD.provider }),
          );
          assert.ok(out.props === undefined || typeof out.props === "object");
        }),
        { numRuns: RUNS },
      );
    });
  }
});
