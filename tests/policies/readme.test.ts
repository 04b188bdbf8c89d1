/**
 * policies/README.md documents every policy of the pack: one row in "The policies" table with its
 * severity and its enforcement level by default and in each environment, and one section. The
 * values are read from the pack and from policies/config/<env>.json, so the README cannot drift.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { EnforcementLevel } from "@pulumi/policy";
import { PackPolicy, policies } from "../../policies/pack";

const POLICIES = path.resolve(__dirname, "../../policies");
const README = fs.readFileSync(path.join(POLICIES, "README.md"), "utf8");
const ENVIRONMENTS = ["dev", "prod"] as const;

/** The rows of the first table after `heading`, keyed by the first column, cells by header name. */
function tableAfter(markdown: string, heading: string): Map<string, Record<string, string>> {
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `README has no "${heading}" section`);
  const table: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("|")) table.push(line);
    else if (table.length > 0) break;
  }
  const cells = (line: string) =>
    line
      .slice(1, line.endsWith("|") ? -1 : undefined)
      .split("|")
      .map((c) => c.trim());
  const [header, , ...rows] = table.map(cells);
  assert.ok(header, `no table after "${heading}"`);
  const out = new Map<string, Record<string, string>>();
  for (const row of rows) {
    const key = /^\[([^\]]+)\]\(#([^)]+)\)$/.exec(row[0]);
    assert.ok(key && key[1] === key[2], `the first cell of a row links to its section: ${row[0]}`);
    assert.ok(!out.has(key[1]), `${key[1]} is listed twice`);
    out.set(key[1], Object.fromEntries(header.map((h, i) => [h, row[i] ?? ""])));
  }
  return out;
}

/** The level the engine applies with `--policy-pack-config policies/config/<env>.json`. */
function levelIn(env: string, policy: PackPolicy): EnforcementLevel | undefined {
  const config = JSON.parse(fs.readFileSync(path.join(POLICIES, "config", `${env}.json`), "utf8"));
  const own = config[policy.name];
  const ownLevel = typeof own === "object" && own !== null ? own.enforcementLevel : own;
  return ownLevel ?? config.all ?? policy.enforcementLevel;
}

describe("policies/README.md", () => {
  const rows = tableAfter(README, "## The policies");

  it("lists every policy of the pack, and no other", () => {
    assert.deepStrictEqual([...rows.keys()].sort(), policies.map((p) => p.name).sort());
  });

  for (const p of policies) {
    it(`${p.name}: states its severity and its level by default, in dev and in prod`, () => {
      const row = rows.get(p.name);
      assert.ok(row, `${p.name} is not in the table`);
      assert.strictEqual(row["severity"], p.severity, "severity");
      assert.strictEqual(row["default level"], p.enforcementLevel, "default level");
      for (const env of ENVIRONMENTS) assert.strictEqual(row[env], levelIn(env, p), `${env} level`);
    });
  }

  it("has a section for every policy (the table links to it)", () => {
    const sections = README.split("\n").filter((l) => l.startsWith("#### "));
    for (const p of policies) assert.ok(sections.includes(`#### ${p.name}`), `no "#### ${p.name}" section`);
  });
});
