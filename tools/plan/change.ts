/**
 * What a change does to a stack (`npm run plan -- --base REF`): the plan of the stack at the base
 * ref and at the working tree, each reduced to a snapshot, and the difference between them:
 * resources added, removed and changed (with the inputs that changed), policy findings new and
 * fixed, and the monthly cost per pipeline before, after and the difference. Pure functions; the
 * base snapshot comes from ./base.ts.
 */
import type { CostEstimate } from "../../decisions/cost/estimate";
import { costLedger } from "../../decisions/cost/ledger";
import { formatUsd } from "../../decisions/cost/report";
import { remoteChildren } from "../reports/remote-children";
import { sortKeysDeep } from "../reports/stable-json";
import type { RecordedResource } from "../synth/mock-run";

export interface SnapshotResource {
  urn: string;
  type: string;
  name: string;
  /** Inputs as JSON, repository paths made relative; {} for what remote components create. */
  inputs: Record<string, unknown>;
}

export interface SnapshotFinding {
  policy: string;
  level: string;
  /** The resource's URN, or null for findings about the stack as a whole. */
  urn: string | null;
  message: string;
}

/**
 * A policy report's findings as a snapshot keeps them. Structural, so that a base checkout's
 * report (./base-child.ts) maps the same way as this one's.
 */
export function snapshotFindings(
  findings: readonly {
    policy: string;
    enforcementLevel: string;
    resource: { urn: string } | null;
    message: string;
  }[],
): SnapshotFinding[] {
  return findings.map((finding) => ({
    policy: finding.policy,
    level: finding.enforcementLevel,
    urn: finding.resource?.urn ?? null,
    message: finding.message,
  }));
}

export interface PlanSnapshot {
  stack: string;
  resources: SnapshotResource[];
  /** null when the policy check did not run. */
  findings: SnapshotFinding[] | null;
  /** Monthly cost in cents, per pipeline, of the shared components and in total; null without an estimate. */
  costs: { pipelines: Record<string, number>; sharedCents: number; totalCents: number } | null;
}

/** Replaces `root` (the checkout the plan ran in) in every string, so two checkouts compare equal. */
export function relativeToRoot(value: unknown, root: string): unknown {
  if (typeof value === "string") return value.split(root).join("<repo>");
  if (Array.isArray(value)) return value.map((item) => relativeToRoot(item, root));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
        key,
        relativeToRoot(inner, root),
      ]),
    );
  }
  return value;
}

/** The snapshot of a plan: its cloud resources (and what remote components create), findings and costs. */
export function snapshotOf(
  stack: string,
  resources: RecordedResource[],
  estimate: CostEstimate | null,
  findings: SnapshotFinding[] | null,
  root: string,
): PlanSnapshot {
  const listed: SnapshotResource[] = [];
  for (const resource of resources) {
    if (resource.custom) {
      const inputs = JSON.parse(JSON.stringify(relativeToRoot(resource.inputs, root)) ?? "{}");
      listed.push({
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        inputs: sortKeysDeep(inputs) as Record<string, unknown>,
      });
    } else {
      for (const child of remoteChildren(resource)) {
        listed.push({ urn: `${resource.urn}$${child.type}::${child.name}`, ...child, inputs: {} });
      }
    }
  }
  const ledger = estimate ? costLedger(estimate) : null;
  return {
    stack,
    resources: listed,
    findings,
    costs: ledger
      ? {
          pipelines: Object.fromEntries(ledger.pipelines.map((row) => [row.name, row.cents])),
          sharedCents: ledger.sharedCents,
          totalCents: ledger.totalCents,
        }
      : null,
  };
}

export interface InputChange {
  /** Dotted path of the input, e.g. `tags.owner` or `defaultArguments.--job-bookmark-option`. */
  path: string;
  before: unknown;
  after: unknown;
  /** For lists: the elements only `after` has and only `before` has (the whole lists are before/after). */
  added?: unknown[];
  removed?: unknown[];
}

export interface ChangedResource {
  urn: string;
  type: string;
  name: string;
  changes: InputChange[];
}

export interface CostChange {
  /** A pipeline name, or "(shared)" for the shared components. */
  owner: string;
  /** null: the owner does not exist on that side. */
  beforeCents: number | null;
  afterCents: number | null;
  differenceCents: number;
}

export interface PlanChange {
  stack: string;
  base: string;
  added: SnapshotResource[];
  removed: SnapshotResource[];
  changed: ChangedResource[];
  /** null when either side ran without the policy check. */
  findings: { new: SnapshotFinding[]; fixed: SnapshotFinding[] } | null;
  /** null when either side has no cost estimate. */
  cost: { rows: CostChange[]; beforeCents: number; afterCents: number; differenceCents: number } | null;
}

/** A string input that holds a JSON document (policies, event patterns, dashboards), parsed. */
function parsedJson(value: unknown): unknown {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * The leaves in which two JSON values differ, by dotted path. Strings holding JSON documents are
 * compared as documents; lists whole, naming the elements added and removed.
 */
export function inputChanges(rawBefore: unknown, rawAfter: unknown, prefix = ""): InputChange[] {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === "object" && !Array.isArray(value);
  const [before, after] = [parsedJson(rawBefore), parsedJson(rawAfter)];
  if (Array.isArray(before) && Array.isArray(after)) {
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    const has = (list: unknown[]) => new Set(list.map((item) => JSON.stringify(item)));
    const [inBefore, inAfter] = [has(before), has(after)];
    return [
      {
        path: prefix || "(inputs)",
        before,
        after,
        added: after.filter((item) => !inBefore.has(JSON.stringify(item))),
        removed: before.filter((item) => !inAfter.has(JSON.stringify(item))),
      },
    ];
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => inputChanges(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: prefix || "(inputs)", before, after }];
}

const findingKey = (finding: SnapshotFinding) =>
  `${finding.policy}\u0000${finding.urn ?? ""}\u0000${finding.message}`;

/** The difference from `base` (at `ref`) to `head`. */
export function diffSnapshots(base: PlanSnapshot, head: PlanSnapshot, ref: string): PlanChange {
  const before = new Map(base.resources.map((resource) => [resource.urn, resource]));
  const after = new Map(head.resources.map((resource) => [resource.urn, resource]));
  const changed: ChangedResource[] = [];
  for (const [urn, resource] of after) {
    const old = before.get(urn);
    const changes = old ? inputChanges(old.inputs, resource.inputs) : [];
    if (changes.length > 0) changed.push({ urn, type: resource.type, name: resource.name, changes });
  }
  let findings: PlanChange["findings"] = null;
  if (base.findings && head.findings) {
    const baseKeys = new Set(base.findings.map(findingKey));
    const headKeys = new Set(head.findings.map(findingKey));
    findings = {
      new: head.findings.filter((finding) => !baseKeys.has(findingKey(finding))),
      fixed: base.findings.filter((finding) => !headKeys.has(findingKey(finding))),
    };
  }
  let cost: PlanChange["cost"] = null;
  if (base.costs && head.costs) {
    const names = [...new Set([...Object.keys(base.costs.pipelines), ...Object.keys(head.costs.pipelines)])];
    const row = (owner: string, beforeCents: number | null, afterCents: number | null): CostChange => ({
      owner,
      beforeCents,
      afterCents,
      differenceCents: (afterCents ?? 0) - (beforeCents ?? 0),
    });
    const rows = [
      ...names.map((name) =>
        row(name, base.costs!.pipelines[name] ?? null, head.costs!.pipelines[name] ?? null),
      ),
      row("(shared)", base.costs.sharedCents, head.costs.sharedCents),
    ];
    cost = {
      rows,
      beforeCents: base.costs.totalCents,
      afterCents: head.costs.totalCents,
      differenceCents: head.costs.totalCents - base.costs.totalCents,
    };
  }
  return {
    stack: head.stack,
    base: ref,
    added: head.resources.filter((resource) => !before.has(resource.urn)),
    removed: base.resources.filter((resource) => !after.has(resource.urn)),
    changed,
    findings,
    cost,
  };
}

// ---------------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------------

/** The hidden line a pull-request comment starts with, so the workflow updates it in place. */
export const commentMarker = (stack: string) => `<!-- bdp-plan-change:${stack} -->`;

const MAX_VALUE = 80;

function show(value: unknown): string {
  const text = value === undefined ? "(unset)" : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 3)}...` : text;
}

/** "before -> after", or for a list the elements added (+) and removed (-). */
function describeChange(change: InputChange, quote: (text: string) => string): string {
  if (change.added || change.removed) {
    const parts: string[] = [];
    if (change.added?.length) parts.push(`+ ${quote(show(change.added))}`);
    if (change.removed?.length) parts.push(`- ${quote(show(change.removed))}`);
    return parts.length > 0 ? parts.join(" ") : "reordered";
  }
  return `${quote(show(change.before))} → ${quote(show(change.after))}`;
}

const signedUsd = (cents: number) => `${cents > 0 ? "+" : ""}${formatUsd(cents / 100)}`;
const usdOrNone = (cents: number | null) => (cents === null ? "-" : formatUsd(cents / 100));
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

function headline(change: PlanChange): string {
  const parts = [
    `${change.added.length} added`,
    `${change.removed.length} removed`,
    `${change.changed.length} changed`,
  ];
  const cost = change.cost ? `; monthly cost ${signedUsd(change.cost.differenceCents)}` : "";
  const findings = change.findings
    ? `; findings ${change.findings.new.length} new, ${change.findings.fixed.length} fixed`
    : "";
  return `Resources ${parts.join(", ")}${cost}${findings}`;
}

const resourceLine = (resource: { type: string; name: string }) => `${resource.type}  ${resource.name}`;
const findingLine = (finding: SnapshotFinding) =>
  `[${finding.level}] ${finding.policy}: ${finding.urn ? `${finding.urn.split("::").pop()}: ` : ""}${finding.message.split("\n")[0]}`;

/** The change as plain text, for the terminal. */
export function formatChangeText(change: PlanChange): string {
  const lines = [`Changes to stack ${change.stack} since ${change.base}: ${headline(change)}`];
  const section = (title: string, items: string[], count = items.length) => {
    if (items.length === 0) return;
    lines.push("", `${title} (${count})`, ...items.map((item) => `  ${item}`));
  };
  section("Added", change.added.map(resourceLine));
  section("Removed", change.removed.map(resourceLine));
  section(
    "Changed",
    change.changed.flatMap((resource) => [
      resourceLine(resource),
      ...resource.changes.map((c) => `  ${c.path}: ${describeChange(c, (x) => x)}`),
    ]),
    change.changed.length,
  );
  if (change.findings) {
    section("New findings", change.findings.new.map(findingLine));
    section("Fixed findings", change.findings.fixed.map(findingLine));
  }
  if (change.cost) {
    lines.push("", "Monthly cost         before      after   difference");
    const rows = change.cost.rows.filter((row) => row.differenceCents !== 0 || row.beforeCents === null);
    for (const row of [
      ...rows,
      {
        owner: "Total",
        beforeCents: change.cost.beforeCents,
        afterCents: change.cost.afterCents,
        differenceCents: change.cost.differenceCents,
      },
    ]) {
      lines.push(
        `  ${row.owner.padEnd(18)} ${usdOrNone(row.beforeCents).padStart(9)} ${usdOrNone(row.afterCents).padStart(10)} ${signedUsd(row.differenceCents).padStart(12)}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Folds a long list into a <details> block. */
function details(summary: string, body: string[]): string[] {
  return ["<details>", `<summary>${summary}</summary>`, "", ...body, "", "</details>"];
}

/** The change as a pull-request comment (GitHub markdown), starting with its marker. */
export function formatChangeMarkdown(change: PlanChange): string {
  const lines = [
    commentMarker(change.stack),
    `### Plan of \`${change.stack}\`: changes since \`${change.base}\``,
    "",
    `**${headline(change)}**`,
  ];
  if (change.cost) {
    lines.push("", "| Monthly cost | Before | After | Difference |", "| --- | ---: | ---: | ---: |");
    for (const row of change.cost.rows) {
      lines.push(
        `| ${cell(row.owner)} | ${usdOrNone(row.beforeCents)} | ${usdOrNone(row.afterCents)} | ${signedUsd(row.differenceCents)} |`,
      );
    }
    lines.push(
      `| **Total** | ${usdOrNone(change.cost.beforeCents)} | ${usdOrNone(change.cost.afterCents)} | **${signedUsd(change.cost.differenceCents)}** |`,
    );
  }
  const list = (title: string, items: string[]) => {
    if (items.length > 0)
      lines.push(
        "",
        ...details(
          `${title} (${items.length})`,
          items.map((item) => `- ${item}`),
        ),
      );
  };
  list(
    "Added resources",
    change.added.map((r) => `${code(r.type)} ${code(r.name)}`),
  );
  list(
    "Removed resources",
    change.removed.map((r) => `${code(r.type)} ${code(r.name)}`),
  );
  list(
    "Changed resources",
    change.changed.map(
      (r) =>
        `${code(r.type)} ${code(r.name)}: ` +
        r.changes.map((c) => `${code(c.path)} ${describeChange(c, code)}`).join("; "),
    ),
  );
  if (change.findings) {
    list(
      "New findings",
      change.findings.new.map((f) => cell(findingLine(f))),
    );
    list(
      "Fixed findings",
      change.findings.fixed.map((f) => cell(findingLine(f))),
    );
  } else {
    lines.push("", "_Policy findings not compared: the policy check did not run on both sides._");
  }
  if (change.added.length + change.removed.length + change.changed.length === 0) {
    lines.push("", `No resource changes: the stack plans the same as at ${code(change.base)}.`);
  }
  lines.push(
    "",
    `<sub>${plural(change.added.length + change.removed.length + change.changed.length, "resource change")}; offline plan under mocks (\`npm run plan -- --stack ${change.stack} --base ${change.base}\`).</sub>`,
  );
  return `${lines.join("\n")}\n`;
}
