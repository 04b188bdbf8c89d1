/**
 * Readers of recorded resource inputs, shared by the diagram model: JSON-in-a-string inputs,
 * tags, physical names, S3 locations named in job arguments and container environments (and
 * which way the data moves, judged by the argument's name), Step Functions task calls, and the
 * values an EventBridge event pattern matches.
 */
import type { RecordedResource } from "../synth/mock-run";

export type Json = any;

export const str = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

export function parseJson(value: unknown): Json {
  if (typeof value !== "string") return value ?? undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

export function tagsOf(resource: RecordedResource): Record<string, string> {
  const tags = resource.inputs.tags;
  return tags && typeof tags === "object" ? (tags as Record<string, string>) : {};
}

/** The name the cloud knows a resource by (auto-named resources: what the mocks returned). */
export function physicalName(resource: RecordedResource): string {
  return str(resource.inputs.name) ?? str(resource.outputs.name) ?? resource.name;
}

const S3_URI = /^s3a?:\/\/([^/]+)\/?(.*)$/;

export function bucketOfUri(uri: string): { bucket: string; key: string } | undefined {
  const match = S3_URI.exec(uri);
  return match ? { bucket: match[1], key: match[2] } : undefined;
}

/** Which way data moves for a named argument or variable, judged by its name. */
export function directionOf(name: string): "in" | "out" | undefined {
  const n = name.replace(/^-+/, "").toLowerCase();
  const plumbing =
    /(^|[-_.])(temp|tmp|script|logs?($|[-_.])|jars?($|[-_.])|py-files|extra|checkpoint|entrypoint)/;
  if (plumbing.test(n)) return undefined;
  if (/source|input|from|src|read/.test(n)) return "in";
  if (/target|output|dest|sink|write|^to$/.test(n)) return "out";
  return undefined;
}

export interface DataRef {
  direction: "in" | "out";
  bucket: string;
  label: string;
}

/** S3 locations in a key/value map (Glue arguments, state machine parameters), by key name. */
export function dataRefsOfMap(map: Record<string, unknown>): DataRef[] {
  const refs: DataRef[] = [];
  for (const [key, value] of Object.entries(map)) {
    if (typeof value === "string") {
      const location = bucketOfUri(value);
      const direction = directionOf(key);
      if (location && direction) refs.push({ direction, bucket: location.bucket, label: location.key });
    } else if (Array.isArray(value)) {
      refs.push(...dataRefsOfArgs(value));
    } else if (value && typeof value === "object") {
      refs.push(...dataRefsOfMap(value as Record<string, unknown>));
    }
  }
  return refs;
}

/** S3 locations in a command line: `--source s3://...` pairs and `--target=s3://...`. */
export function dataRefsOfArgs(args: unknown[]): DataRef[] {
  const refs: DataRef[] = [];
  args.forEach((arg, index) => {
    if (typeof arg !== "string") {
      if (arg && typeof arg === "object") refs.push(...dataRefsOfMap(arg as Record<string, unknown>));
      return;
    }
    const inline = /^(--?[\w-]+)=(s3a?:\/\/.+)$/.exec(arg);
    const [name, value] = inline ? [inline[1], inline[2]] : [arg, args[index + 1]];
    if (!name.startsWith("-") || typeof value !== "string") return;
    const location = bucketOfUri(value);
    const direction = directionOf(name);
    if (location && direction) refs.push({ direction, bucket: location.bucket, label: location.key });
  });
  return refs;
}

/** `SOURCE_BUCKET` + `SOURCE_PREFIX` style container environment variables, and S3 URIs in values. */
export function dataRefsOfEnvironment(environment: Record<string, string>): DataRef[] {
  const refs: DataRef[] = [];
  for (const [name, value] of Object.entries(environment)) {
    const direction = directionOf(name);
    if (!direction) continue;
    if (/BUCKET$/i.test(name)) {
      const prefix = environment[name.replace(/BUCKET$/i, "PREFIX")] ?? "";
      refs.push({ direction, bucket: value, label: prefix });
    } else {
      const location = bucketOfUri(value);
      if (location) refs.push({ direction, bucket: location.bucket, label: location.key });
    }
  }
  return refs;
}

/** Every Task state of a definition, including those in Parallel branches and Map iterators. */
export function tasksOf(definition: Json): Json[] {
  const tasks: Json[] = [];
  const visit = (machine: Json) => {
    const states = machine?.States;
    if (!states || typeof states !== "object") return;
    for (const state of Object.values<Json>(states)) {
      if (state?.Type === "Task") tasks.push(state);
      for (const branch of Array.isArray(state?.Branches) ? state.Branches : []) visit(branch);
      if (state?.ItemProcessor) visit(state.ItemProcessor);
      if (state?.Iterator) visit(state.Iterator);
    }
  };
  visit(definition);
  return tasks;
}

/** `arn:aws:states:::glue:startJobRun.sync` -> {glue, startJobRun}; aws-sdk integrations too. */
export function taskCall(task: Json): { service: string; action: string } | undefined {
  const resource = str(task?.Resource);
  if (!resource) return undefined;
  const match = /^arn:[^:]+:states:::(?:aws-sdk:)?([\w-]+):(\w+)(?:\.\w+)?$/.exec(resource);
  return match ? { service: match[1], action: match[2] } : undefined;
}

/** Exact string values and `{prefix: ...}` matchers anywhere in an event pattern's detail. */
export function collectMatchers(value: Json, exact: Set<string>, prefixes: string[]): void {
  if (typeof value === "string") exact.add(value);
  else if (Array.isArray(value)) value.forEach((item) => collectMatchers(item, exact, prefixes));
  else if (value && typeof value === "object") {
    if (typeof value.prefix === "string") prefixes.push(value.prefix);
    else for (const inner of Object.values(value)) collectMatchers(inner, exact, prefixes);
  }
}
