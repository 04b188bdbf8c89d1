import { strict as assert } from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { resolveRef } from "../../tools/plan/base";
import {
  commentMarker,
  diffSnapshots,
  formatChangeMarkdown,
  formatChangeText,
  inputChanges,
  PlanSnapshot,
  relativeToRoot,
} from "../../tools/plan/change";
import { ROOT, runMain } from "./support";

const URN = (name: string) => `urn:pulumi:dev::p::aws:s3/bucket:Bucket::${name}`;

function snapshot(overrides: Partial<PlanSnapshot>): PlanSnapshot {
  return { stack: "dev", resources: [], findings: [], costs: null, ...overrides };
}

const bucket = (name: string, inputs: Record<string, unknown> = {}) => ({
  urn: URN(name),
  type: "aws:s3/bucket:Bucket",
  name,
  inputs,
});

describe("plan change: the difference between two snapshots", () => {
  const base = snapshot({
    resources: [bucket("kept", { tags: { owner: "a", team: "x" }, versioning: true }), bucket("gone")],
    findings: [
      { policy: "p1", level: "mandatory", urn: URN("gone"), message: "bad" },
      { policy: "p2", level: "advisory", urn: null, message: "stack-wide" },
    ],
    costs: { pipelines: { a: 1000, b: 500 }, sharedCents: 7000, totalCents: 8500 },
  });
  const head = snapshot({
    resources: [bucket("kept", { tags: { owner: "b", team: "x" } }), bucket("new")],
    findings: [
      { policy: "p2", level: "advisory", urn: null, message: "stack-wide" },
      { policy: "p3", level: "advisory", urn: URN("new"), message: "new one" },
    ],
    costs: { pipelines: { a: 1200, c: 300 }, sharedCents: 7000, totalCents: 8500 },
  });
  const change = diffSnapshots(base, head, "main");

  it("lists resources added, removed and changed, with the inputs that changed", () => {
    assert.deepEqual(
      change.added.map((r) => r.name),
      ["new"],
    );
    assert.deepEqual(
      change.removed.map((r) => r.name),
      ["gone"],
    );
    assert.deepEqual(change.changed, [
      {
        urn: URN("kept"),
        type: "aws:s3/bucket:Bucket",
        name: "kept",
        changes: [
          { path: "tags.owner", before: "a", after: "b" },
          { path: "versioning", before: true, after: undefined },
        ],
      },
    ]);
  });

  it("lists findings new and fixed", () => {
    assert.deepEqual(
      change.findings!.new.map((f) => f.policy),
      ["p3"],
    );
    assert.deepEqual(
      change.findings!.fixed.map((f) => f.policy),
      ["p1"],
    );
    assert.equal(diffSnapshots(snapshot({ findings: null }), head, "main").findings, null);
  });

  it("prices each pipeline before and after, new and removed ones too, and the shared components", () => {
    assert.deepEqual(change.cost!.rows, [
      { owner: "a", beforeCents: 1000, afterCents: 1200, differenceCents: 200 },
      { owner: "b", beforeCents: 500, afterCents: null, differenceCents: -500 },
      { owner: "c", beforeCents: null, afterCents: 300, differenceCents: 300 },
      { owner: "(shared)", beforeCents: 7000, afterCents: 7000, differenceCents: 0 },
    ]);
    assert.equal(
      change.cost!.differenceCents,
      change.cost!.rows.reduce((total, row) => total + row.differenceCents, 0),
    );
  });

  it("compares arrays whole and objects by key; equal inputs make no change", () => {
    assert.deepEqual(inputChanges({ a: [1, 2] }, { a: [1, 2] }), []);
    assert.deepEqual(inputChanges({ a: [1, 2] }, { a: [2, 1] }), [
      { path: "a", before: [1, 2], after: [2, 1], added: [], removed: [] },
    ]);
    assert.deepEqual(inputChanges({ a: [1, 2] }, { a: [2, 3] }), [
      { path: "a", before: [1, 2], after: [2, 3], added: [3], removed: [1] },
    ]);
    // A JSON document in a string is compared as a document.
    assert.deepEqual(inputChanges({ policy: '{"a":{"b":1}}' }, { policy: '{"a":{"b":2}}' }), [
      { path: "policy.a.b", before: 1, after: 2 },
    ]);
    assert.deepEqual(relativeToRoot({ source: "/r/jobs/x.py", list: ["/r/a"] }, "/r"), {
      source: "<repo>/jobs/x.py",
      list: ["<repo>/a"],
    });
  });

  it("renders text and a pull-request comment with a marker the workflow finds", () => {
    const text = formatChangeText(change);
    assert.match(
      text,
      /^Changes to stack dev since main: Resources 1 added, 1 removed, 1 changed; monthly cost \$0\.00; findings 1 new, 1 fixed$/m,
    );
    assert.match(text, /^ {4}tags\.owner: "a" → "b"$/m);
    assert.match(text, /^ {2}c +- +\$3\.00 +\+\$3\.00$/m);
    const markdown = formatChangeMarkdown(change);
    assert.ok(markdown.startsWith(`${commentMarker("dev")}\n`));
    assert.match(markdown, /^\| a \| \$10\.00 \| \$12\.00 \| \+\$2\.00 \|$/m);
    assert.match(markdown, /^\| b \| \$5\.00 \| - \| -\$5\.00 \|$/m);
    assert.match(markdown, /<summary>Changed resources \(1\)<\/summary>/);
    assert.match(markdown, /`tags\.owner` `"a"` → `"b"`/);
  });
});

describe("plan --base", function () {
  this.timeout(600_000);

  it("rejects a ref that names no commit, and markdown without --base, with clear errors", async () => {
    assert.throws(() => resolveRef(ROOT, "no-such-ref-xyz"), /--base no-such-ref-xyz: not a commit/);
    const run = await runMain(["--stack", "dev", "--format", "markdown"]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--format markdown writes the change since a base: add --base REF/);
    const json = await runMain(["--stack", "dev", "--base", "HEAD", "--format", "json"]);
    assert.equal(json.status, 2);
    assert.match(json.stderr, /--base reports its change as text or markdown, not --format json/);
    const program = await runMain(["--program", "examples/batch-on-upload", "--base", "HEAD"]);
    assert.equal(program.status, 2);
    assert.match(
      program.stderr,
      /--base plans this repository's stacks at a git ref; it cannot be combined with --program/,
    );
  });

  describe("against a commit before one pipeline was added (a temporary repository)", () => {
    let repo: string;
    let markdown: string;
    let status: number | null;
    let stderr = "";

    before(async () => {
      // A copy of this checkout (tracked and new files) as a repository of its own: the base commit
      // without the pipeline sales-replay-2, the head commit with it.
      repo = fs.mkdtempSync(path.join(os.tmpdir(), "bdp-plan-change-"));
      const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
        cwd: ROOT,
        encoding: "utf8",
      })
        .split("\0")
        .filter((file) => file && fs.existsSync(path.join(ROOT, file)));
      for (const file of files) {
        fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), path.join(repo, file));
      }
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
      const git = (...args: string[]) =>
        execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
          cwd: repo,
          stdio: "ignore",
        });
      git("init", "-q");
      git("add", "-A");
      git("commit", "-qm", "base");
      const stackFile = path.join(repo, "Pulumi.dev.yaml");
      const dev = fs.readFileSync(stackFile, "utf8");
      const start = dev.indexOf("    - name: sales-replay\n");
      const end = dev.indexOf("\n    # ", start);
      assert.ok(start > 0 && end > start);
      const copy = dev.slice(start, end).replace("name: sales-replay", "name: sales-replay-2");
      fs.writeFileSync(stackFile, `${dev.slice(0, end)}\n${copy}${dev.slice(end)}`);
      git("commit", "-qam", "add sales-replay-2");

      const child = spawn(
        process.execPath,
        [
          "-r",
          require.resolve("ts-node/register/transpile-only"),
          path.join(repo, "tools/plan/cli.ts"),
          ...["--stack", "dev", "--no-policies", "--base", "HEAD~1", "--format", "markdown"],
        ],
        { cwd: repo, env: { ...process.env, TS_NODE_PROJECT: path.join(repo, "tsconfig.json") } },
      );
      markdown = "";
      child.stdout.on("data", (data) => (markdown += String(data)));
      child.stderr.on("data", (data) => (stderr += String(data)));
      status = await new Promise((resolve) => child.on("close", resolve));
    });

    after(() => fs.rmSync(repo, { recursive: true, force: true }));

    it("reports the pipeline's resources as added and its monthly cost as the difference", () => {
      assert.equal(status, 0, stderr);
      assert.ok(markdown.startsWith(commentMarker("dev")), markdown);
      const added = /<summary>Added resources \((\d+)\)<\/summary>/.exec(markdown);
      assert.ok(added && Number(added[1]) > 0, markdown);
      assert.match(markdown, /`aws:glue\/job:Job` `bdp-dev-sales-replay-2[^`]*`/);
      // sales-replay runs as a Glue workflow.
      assert.match(markdown, /`aws:glue\/workflow:Workflow` `bdp-dev-sales-replay-2`/);
      // The failure rule now also matches the new job: the list names it.
      assert.match(
        markdown,
        /`bdp-dev-failures-glue-job-failed`: `eventPattern\.detail\.jobName` \+ `\["bdp-dev-sales-replay-2"\]`/,
      );
      assert.doesNotMatch(markdown, /Removed resources/);
      // The new pipeline costs what its twin costs; nothing else changes price.
      const twin = /^\| sales-replay \| (\$[\d.]+) \| (\$[\d.]+) \| \$0\.00 \|$/m.exec(markdown);
      assert.ok(twin, markdown);
      const row = /^\| sales-replay-2 \| - \| (\$[\d.]+) \| \+(\$[\d.]+) \|$/m.exec(markdown);
      assert.ok(row, markdown);
      assert.equal(row[1], twin[2]);
      assert.equal(row[2], twin[2]);
      // The total difference is the sum of the rows' (the new alarms are the shared monitoring's).
      const cents = (usd: string) => Math.round(Number(usd.replace(/[$,+]/g, "")) * 100);
      const differences = [
        ...markdown.matchAll(/^\| (?!\*\*Total)[^|]+ \| [^|]+ \| [^|]+ \| ([-+]?-?\$[\d,.]+) \|$/gm),
      ];
      const total = /^\| \*\*Total\*\* \| [^|]+ \| [^|]+ \| \*\*([-+]?\$[\d,.]+)\*\* \|$/m.exec(markdown);
      assert.ok(total && differences.length > 2, markdown);
      assert.equal(
        cents(total[1]),
        differences.reduce((sum, match) => sum + cents(match[1].replace("-$", "$-")), 0),
      );
    });

    it("removes its temporary worktree", () => {
      const worktrees = execFileSync("git", ["worktree", "list"], { cwd: repo, encoding: "utf8" });
      assert.equal(worktrees.trim().split("\n").length, 1, worktrees);
    });
  });
});
