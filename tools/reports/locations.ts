/**
 * Where a finding points in the repository:
 *   - the stack config file `Pulumi.<stack>.yaml`, at the entry of the pipeline (or crawler,
 *     connection) the resource belongs to, else at the config key of its component's area
 *     (network, dataLake, catalog, ...), else line 1;
 *   - the source file of the component that declared the resource, found by scanning components/
 *     for its type token (`super("bdp:glue:EtlJob", ...)`).
 */
import * as fs from "fs";
import * as path from "path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { RecordedResource } from "../synth/mock-run";
import { REPO_ROOT } from "../synth/stack-config";

export interface SourceLocation {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based line. */
  line: number;
}

export interface StackFileLocation extends SourceLocation {
  /** The config key (or list entry, e.g. `pipelines[name=daily-sales]`) the line belongs to; null for line 1. */
  key: string | null;
}

/** A path relative to the repository root (forward slashes); absolute when outside the repository. */
export function repoRelative(file: string, root = REPO_ROOT): string {
  const abs = path.resolve(file);
  const rel = path.relative(root, abs);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return abs.split(path.sep).join("/");
  return rel.split(path.sep).join("/");
}

const TYPE_TOKEN = /["'`](bdp:[A-Za-z0-9]+:[A-Za-z0-9]+)["'`]/g;

function listTs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTs(full));
    else if (entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out.sort();
}

/**
 * Component type token -> the file and line that declare it. Where a token appears in several
 * files, the line that registers the component (`super(`) wins, else the first occurrence.
 */
export function componentSourceIndex(root = REPO_ROOT): Map<string, SourceLocation> {
  const found = new Map<string, SourceLocation & { registers: boolean }>();
  for (const file of listTs(path.join(root, "components"))) {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    lines.forEach((text, i) => {
      for (const m of text.matchAll(TYPE_TOKEN)) {
        const registers = /\bsuper\s*\(/.test(text);
        const existing = found.get(m[1]);
        if (!existing || (registers && !existing.registers)) {
          found.set(m[1], { file: repoRelative(file, root), line: i + 1, registers });
        }
      }
    });
  }
  return new Map([...found].map(([token, { file, line }]) => [token, { file, line }]));
}

/** Top-level list keys whose entries are named (`- name: ...`) and own resources. */
const NAMED_LISTS = ["pipelines", "crawlers", "connections"];

/** Component area (bdp:<area>:Name) -> the config key that configures it. */
const AREA_KEYS: Record<string, string> = {
  network: "network",
  storage: "dataLake",
  catalog: "catalog",
  cost: "budget",
  warehouse: "warehouse",
  monitoring: "alerts",
};

export class StackFileIndex {
  /** Top-level config key (without the project namespace) -> line. */
  readonly keys = new Map<string, number>();
  /** list key -> entry name -> line of its `name:`. */
  readonly entries = new Map<string, Map<string, number>>();
  /** The stack file relative to the repository root. */
  readonly relative: string;

  constructor(
    readonly file: string,
    readonly project: string,
    root = REPO_ROOT,
  ) {
    this.relative = repoRelative(file, root);
    let text = "";
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      return;
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    const config = doc.get("config", true);
    if (!isMap(config)) return;
    const lineOf = (node: unknown) => {
      const range = (node as { range?: [number, number, number] } | null)?.range;
      return range ? lineCounter.linePos(range[0]).line : undefined;
    };
    for (const pair of config.items) {
      if (!isScalar(pair.key)) continue;
      const full = String(pair.key.value);
      const key = full.startsWith(`${project}:`) ? full.slice(project.length + 1) : full;
      const line = lineOf(pair.key);
      if (line !== undefined) this.keys.set(key, line);
      if (NAMED_LISTS.includes(key) && isSeq(pair.value)) {
        const names = new Map<string, number>();
        for (const item of pair.value.items) {
          if (!isMap(item)) continue;
          const namePair = item.items.find((p) => isScalar(p.key) && p.key.value === "name");
          if (namePair && isScalar(namePair.value)) {
            const at = lineOf(namePair.key) ?? lineOf(item);
            if (at !== undefined) names.set(String(namePair.value.value), at);
          }
        }
        this.entries.set(key, names);
      }
    }
  }

  at(line: number | undefined, key: string | null): StackFileLocation {
    return line === undefined
      ? { file: this.relative, line: 1, key: null }
      : { file: this.relative, line, key };
  }
}

/** The component (bdp:*) a resource belongs to: itself if it is one, else its nearest ancestor. */
export function owningComponent(
  resource: RecordedResource,
  byUrn: Map<string, RecordedResource>,
): RecordedResource | undefined {
  let current: RecordedResource | undefined = resource.custom ? undefined : resource;
  if (current && current.type.startsWith("bdp:")) return current;
  current = resource.parent ? byUrn.get(resource.parent) : undefined;
  for (let i = 0; current && i < 100; i++) {
    if (!current.custom && current.type.startsWith("bdp:")) return current;
    current = current.parent ? byUrn.get(current.parent) : undefined;
  }
  return undefined;
}

function tagValue(resource: RecordedResource, key: string): string | undefined {
  const tags = resource.inputs?.tags;
  const value = tags && typeof tags === "object" ? (tags as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" ? value : undefined;
}

function nameMatches(name: string, entry: string): boolean {
  return name === entry || name.endsWith(`-${entry}`) || name.includes(`-${entry}-`);
}

/**
 * The stack file line for a resource: its `pipeline` tag's entry, else the named list entry its
 * name (or an ancestor's) refers to, else its component area's key, else line 1.
 */
export function locateInStackFile(
  index: StackFileIndex,
  resource: RecordedResource | undefined,
  byUrn: Map<string, RecordedResource>,
): StackFileLocation & { pipeline: string | null } {
  if (!resource) return { ...index.at(undefined, null), pipeline: null };
  const pipelines = index.entries.get("pipelines") ?? new Map<string, number>();
  const chain: RecordedResource[] = [];
  for (let r: RecordedResource | undefined = resource, i = 0; r && i < 100; i++) {
    chain.push(r);
    r = r.parent ? byUrn.get(r.parent) : undefined;
  }
  const tagged = chain.map((r) => tagValue(r, "pipeline")).find((v) => v !== undefined);
  if (tagged && pipelines.has(tagged)) {
    return { ...index.at(pipelines.get(tagged), `pipelines[name=${tagged}]`), pipeline: tagged };
  }
  for (const list of NAMED_LISTS) {
    const names = [...(index.entries.get(list) ?? new Map<string, number>()).entries()].sort(
      ([a], [b]) => b.length - a.length,
    );
    for (const r of chain) {
      if (r.type === "pulumi:pulumi:Stack") continue;
      const hit = names.find(([name]) => nameMatches(r.name, name));
      if (hit) {
        return {
          ...index.at(hit[1], `${list}[name=${hit[0]}]`),
          pipeline: list === "pipelines" ? hit[0] : null,
        };
      }
    }
  }
  const component = owningComponent(resource, byUrn);
  const area = component ? component.type.split(":")[1] : undefined;
  const key = area
    ? AREA_KEYS[area]
    : resource.type.startsWith("pulumi:providers:")
      ? "aws:region"
      : undefined;
  if (key && index.keys.has(key)) return { ...index.at(index.keys.get(key), key), pipeline: null };
  return { ...index.at(undefined, null), pipeline: null };
}
