/**
 * Turns resources recorded by a mocked program run (tools/synth/mock-run.ts) into the analyzer
 * requests the engine sends: Analyze gets a custom resource's inputs, AnalyzeStack gets every
 * resource's outputs (after the step), each with options, parent, provider (type, name, URN and the
 * provider resource's inputs) and dependencies.
 *
 * The requests are handed to gRPC already encoded: the property bags by wire.ts, the few other
 * fields by the SDK's generated classes, each provider once per run.
 */
import * as pulumi from "@pulumi/pulumi";
import { isUnknown } from "@pulumi/pulumi/output";
import {
  AnalyzeRequest,
  AnalyzerPropertyDependencies,
  AnalyzerProviderResource,
  AnalyzerResource,
  AnalyzerResourceOptions,
} from "@pulumi/pulumi/proto/analyzer_pb";
import type { RecordedResource } from "../synth/mock-run";
import { encodeMessageFields, encodeStructField, WireValue } from "./wire";

// The wire signatures of secrets, assets and unknowns (internal but stable across Pulumi 3.x).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
  specialSigKey: string;
  specialAssetSig: string;
  specialArchiveSig: string;
  unknownValue: string;
};

/** A recorded resource may also carry property dependencies (property -> URNs), when the recorder has them. */
type WithPropertyDependencies = RecordedResource & { propertyDependencies?: Record<string, string[]> };

async function awaitValue(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    return new Promise((resolve) => (value as pulumi.Output<unknown>).apply((v) => resolve(v)));
  }
  return value;
}

/**
 * A JSON-able copy of a deserialized property value, in the engine's wire form: unknowns as the
 * unknown sentinel, assets and archives with their signatures, resource references as URNs,
 * undefined dropped (in arrays: null). Secrets keep their signature object.
 */
export async function toWireValue(value: unknown): Promise<unknown> {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value instanceof Promise) return toWireValue(await value);
  if (Array.isArray(value)) {
    const items = await Promise.all(value.map(toWireValue));
    return items.map((item) => (item === undefined ? null : item));
  }
  if (pulumi.Output.isInstance(value)) return toWireValue(await awaitValue(value));
  if (isUnknown(value)) return rpc.unknownValue;
  if (pulumi.asset.Asset.isInstance(value)) {
    const a = value as unknown as Record<string, unknown>;
    const wire: Record<string, unknown> = { [rpc.specialSigKey]: rpc.specialAssetSig };
    for (const key of ["path", "text", "uri"]) if (a[key] !== undefined) wire[key] = await a[key];
    return wire;
  }
  if (pulumi.asset.Archive.isInstance(value)) {
    const a = value as unknown as Record<string, unknown>;
    const wire: Record<string, unknown> = { [rpc.specialSigKey]: rpc.specialArchiveSig };
    for (const key of ["path", "uri"]) if (a[key] !== undefined) wire[key] = await a[key];
    if (a.assets !== undefined) wire.assets = await toWireValue(await a.assets);
    return wire;
  }
  if (pulumi.Resource.isInstance(value)) return toWireValue((value as pulumi.Resource).urn);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const wire = await toWireValue(inner);
      if (wire !== undefined) out[key] = wire;
    }
    return out;
  }
  return String(value);
}

/** Thrown by plainWireValue at a value only toWireValue can convert (it has to wait for it). */
const MUST_WAIT = Symbol("must wait");

/**
 * toWireValue for values with nothing to wait for, without a promise per value. Throws MUST_WAIT
 * at a Promise, an Output, a resource or an asset (whose fields are promises).
 */
function plainWireValue(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value instanceof Promise) throw MUST_WAIT;
  if (Array.isArray(value)) {
    return value.map((item) => {
      const wire = plainWireValue(item);
      return wire === undefined ? null : wire;
    });
  }
  if (pulumi.Output.isInstance(value)) throw MUST_WAIT;
  if (isUnknown(value)) return rpc.unknownValue;
  if (
    pulumi.asset.Asset.isInstance(value) ||
    pulumi.asset.Archive.isInstance(value) ||
    pulumi.Resource.isInstance(value)
  ) {
    throw MUST_WAIT;
  }
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const wire = plainWireValue(inner);
      if (wire !== undefined) out[key] = wire;
    }
    return out;
  }
  return String(value);
}

/** A property bag in wire form (what toWireValue gives), converted without waiting when possible. */
export async function wireProperties(props: Record<string, unknown>): Promise<Record<string, WireValue>> {
  try {
    return plainWireValue(props) as Record<string, WireValue>;
  } catch (error) {
    if (error !== MUST_WAIT) throw error;
    return ((await toWireValue(props)) ?? {}) as Record<string, WireValue>;
  }
}

/** `urn::id` (the engine's provider reference) -> urn. */
export function providerUrn(reference: string | undefined): string | undefined {
  if (!reference) return undefined;
  const at = reference.lastIndexOf("::");
  return at > 0 ? reference.slice(0, at) : reference;
}

/** A recorded resource's options as the analyzer receives them. */
export function analyzerOptions(resource: RecordedResource): AnalyzerResourceOptions {
  const opts = new AnalyzerResourceOptions();
  opts.setProtect(resource.options.protect);
  opts.setIgnorechangesList(resource.options.ignoreChanges ?? []);
  opts.setDeletebeforereplace(resource.options.deleteBeforeReplace);
  opts.setDeletebeforereplacedefined(true);
  opts.setAliasesList([]);
  opts.setAdditionalsecretoutputsList([]);
  if (resource.parent) opts.setParent(resource.parent);
  return opts;
}

export class ResourceIndex {
  readonly byUrn: Map<string, RecordedResource>;
  /** Provider URN -> its AnalyzerProviderResource, encoded as field 6 of a request. */
  private readonly providerFields = new Map<string, Promise<Buffer>>();

  constructor(resources: readonly RecordedResource[]) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
  }

  /** Adds a resource recorded later (the index of a run under way). */
  add(resource: RecordedResource): void {
    this.byUrn.set(resource.urn, resource);
  }

  /** Whether the resource's provider, if it names one, is in the index. */
  knowsProviderOf(resource: RecordedResource): boolean {
    return !providerUrn(resource.provider) || this.providerOf(resource) !== undefined;
  }

  providerOf(resource: RecordedResource): RecordedResource | undefined {
    const urn = providerUrn(resource.provider);
    return urn ? this.byUrn.get(urn) : undefined;
  }

  /** The provider field (type, name, URN and the provider's inputs), encoded once per provider. */
  private providerField(resource: RecordedResource): Promise<Buffer> | undefined {
    const p = this.providerOf(resource);
    if (!p) return undefined;
    let field = this.providerFields.get(p.urn);
    if (!field) {
      const provider = new AnalyzerProviderResource();
      provider.setType(p.type);
      provider.setName(p.name);
      provider.setUrn(p.urn);
      field = wireProperties(p.inputs).then((props) =>
        encodeMessageFields(6, [[provider.serializeBinary(), encodeStructField(2, props)]]),
      );
      this.providerFields.set(p.urn, field);
    }
    return field;
  }

  /** The Analyze request for one custom resource (its inputs, as in preview), encoded. */
  async analyzeRequest(resource: RecordedResource): Promise<Buffer> {
    const req = new AnalyzeRequest();
    req.setType(resource.type);
    req.setName(resource.name);
    req.setUrn(resource.urn);
    req.setOptions(analyzerOptions(resource));
    const props = await wireProperties(resource.inputs);
    const provider = await this.providerField(resource);
    return Buffer.concat([
      req.serializeBinary(),
      encodeStructField(2, props),
      ...(provider ? [provider] : []),
    ]);
  }

  /** One resource of the AnalyzeStack request (its outputs, which include the inputs), as parts to concatenate. */
  private async stackResourceParts(resource: RecordedResource): Promise<Buffer[]> {
    const r = new AnalyzerResource();
    r.setType(resource.type);
    r.setName(resource.name);
    r.setUrn(resource.urn);
    r.setOptions(analyzerOptions(resource));
    if (resource.parent) r.setParent(resource.parent);
    const dependencies = new Set(resource.options.dependsOn ?? []);
    const propertyDependencies = (resource as WithPropertyDependencies).propertyDependencies ?? {};
    const map = r.getPropertydependenciesMap();
    for (const [key, urns] of Object.entries(propertyDependencies)) {
      const deps = new AnalyzerPropertyDependencies();
      deps.setUrnsList(urns);
      map.set(key, deps);
      for (const urn of urns) dependencies.add(urn);
    }
    r.setDependenciesList([...dependencies]);
    const props = await wireProperties({ ...resource.inputs, ...resource.outputs });
    const provider = await this.providerField(resource);
    return [Buffer.from(r.serializeBinary()), encodeStructField(2, props), ...(provider ? [provider] : [])];
  }

  /**
   * The AnalyzeStack request for `resources`, encoded. Written into one buffer: for a large stack
   * the request is tens of megabytes, and building it by concatenation would hold three copies.
   */
  async stackRequest(resources: readonly RecordedResource[]): Promise<Buffer> {
    const parts = await Promise.all(resources.map((r) => this.stackResourceParts(r)));
    return encodeMessageFields(1, parts);
  }
}
