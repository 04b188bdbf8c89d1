/**
 * The analyzer requests the runner encodes itself (tools/policy-runner/wire.ts, resources.ts) decode,
 * with the SDK's generated classes, to exactly what google-protobuf's own message objects encode.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
  AnalyzeRequest,
  AnalyzerPropertyDependencies,
  AnalyzerProviderResource,
  AnalyzerResource,
  AnalyzeStackRequest,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import {
  analyzerOptions,
  ResourceIndex,
  toWireValue,
  wireProperties,
} from "../../tools/policy-runner/resources";
import { encodeStructField, WireValue } from "../../tools/policy-runner/wire";
import type { RecordedResource } from "../../tools/synth/mock-run";
import { synthesizeCommittedStack } from "../support/synth";

const VALUES: Record<string, WireValue> = {
  empty: {},
  scalars: { s: "text", e: "", n: 42, neg: -7.25, zero: 0, big: 2 ** 53, t: true, f: false, nothing: null },
  unicode: { "clé ünïcode 🚀": "värde — ✓ 漢字", "": "empty key" },
  nested: { a: { b: { c: [1, "two", { three: [null, false, []] }] } }, list: [] },
  // Lengths above 127 and 16,383 bytes take two- and three-byte varints.
  long: {
    medium: "x".repeat(200),
    large: "y".repeat(20_000),
    many: Array.from({ length: 300 }, (_, i) => i),
  },
};

/** The request encoded the way resources.ts did before: google-protobuf messages throughout. */
async function referenceStruct(props: Record<string, unknown>): Promise<Struct> {
  return Struct.fromJavaScript(((await toWireValue(props)) ?? {}) as Record<string, any>);
}

async function referenceProvider(
  index: ResourceIndex,
  resource: RecordedResource,
): Promise<AnalyzerProviderResource | undefined> {
  const p = index.providerOf(resource);
  if (!p) return undefined;
  const provider = new AnalyzerProviderResource();
  provider.setType(p.type);
  provider.setName(p.name);
  provider.setUrn(p.urn);
  provider.setProperties(await referenceStruct(p.inputs));
  return provider;
}

async function referenceAnalyze(index: ResourceIndex, resource: RecordedResource): Promise<AnalyzeRequest> {
  const req = new AnalyzeRequest();
  req.setType(resource.type);
  req.setName(resource.name);
  req.setUrn(resource.urn);
  req.setProperties(await referenceStruct(resource.inputs));
  req.setOptions(analyzerOptions(resource));
  const provider = await referenceProvider(index, resource);
  if (provider) req.setProvider(provider);
  return req;
}

async function referenceStackResource(
  index: ResourceIndex,
  resource: RecordedResource,
): Promise<AnalyzerResource> {
  const r = new AnalyzerResource();
  r.setType(resource.type);
  r.setName(resource.name);
  r.setUrn(resource.urn);
  r.setProperties(await referenceStruct({ ...resource.inputs, ...resource.outputs }));
  r.setOptions(analyzerOptions(resource));
  const provider = await referenceProvider(index, resource);
  if (provider) r.setProvider(provider);
  if (resource.parent) r.setParent(resource.parent);
  const dependencies = new Set(resource.options.dependsOn ?? []);
  for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
    const deps = new AnalyzerPropertyDependencies();
    deps.setUrnsList(urns);
    r.getPropertydependenciesMap().set(key, deps);
    for (const urn of urns) dependencies.add(urn);
  }
  r.setDependenciesList([...dependencies]);
  return r;
}

describe("policy runner: wire encoding", () => {
  for (const [name, value] of Object.entries(VALUES)) {
    it(`decodes a Struct of ${name} values to the values google-protobuf encodes`, () => {
      const decoded = AnalyzeRequest.deserializeBinary(
        encodeStructField(2, value as Record<string, WireValue>),
      );
      const reference = AnalyzeRequest.deserializeBinary(
        (() => {
          const req = new AnalyzeRequest();
          req.setProperties(Struct.fromJavaScript(value as Record<string, any>));
          return req.serializeBinary();
        })(),
      );
      assert.deepEqual(decoded.getProperties()!.toJavaScript(), reference.getProperties()!.toJavaScript());
      assert.deepEqual(decoded.getProperties()!.toJavaScript(), value);
    });
  }

  it("converts plain values without waiting, and values with promises, outputs and assets as before", async () => {
    const asset = new pulumi.asset.StringAsset("print('hi')");
    for (const props of [
      { a: 1, b: [undefined, 2, Infinity], c: { d: undefined, e: "x" } },
      { script: asset, later: Promise.resolve("done"), out: pulumi.output("value") },
    ]) {
      assert.deepEqual(await wireProperties(props), await toWireValue(props));
    }
  });

  describe("the dev stack's requests", function () {
    this.timeout(60_000);
    let resources: RecordedResource[];
    let index: ResourceIndex;
    before(async () => {
      resources = (await synthesizeCommittedStack("dev")).resources;
      index = new ResourceIndex(resources);
    });

    it("encodes every Analyze request as google-protobuf would", async () => {
      for (const resource of resources.filter((r) => r.custom)) {
        const decoded = AnalyzeRequest.deserializeBinary(await index.analyzeRequest(resource));
        const reference = AnalyzeRequest.deserializeBinary(
          (await referenceAnalyze(index, resource)).serializeBinary(),
        );
        assert.deepEqual(decoded.toObject(), reference.toObject(), resource.urn);
      }
    });

    it("encodes the AnalyzeStack request as google-protobuf would", async () => {
      const decoded = AnalyzeStackRequest.deserializeBinary(await index.stackRequest(resources));
      const reference = new AnalyzeStackRequest();
      reference.setResourcesList(await Promise.all(resources.map((r) => referenceStackResource(index, r))));
      const expected = AnalyzeStackRequest.deserializeBinary(reference.serializeBinary()).toObject();
      assert.equal(decoded.getResourcesList().length, resources.length);
      assert.deepEqual(decoded.toObject(), expected);
    });
  });
});
