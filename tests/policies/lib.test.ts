/** Unit tests of the shared helpers in policies/lib. */
import * as assert from "assert";
import { Secret } from "@pulumi/policy";
import * as aws from "@pulumi/aws";
import { configRegExp, readConfig } from "../../policies/lib/config";
import { resourcePolicy, sharedStackResources, stackPolicy } from "../../policies/lib/define";
import { PolicyConfigError } from "../../policies/lib/errors";
import { findExemption } from "../../policies/lib/exemptions";
import { globMatch } from "../../policies/lib/glob";
import { isWildcardAction, readPolicyDocument } from "../../policies/lib/iam";
import { DEFAULT_GRAVITON_FAMILY_PATTERN, isGraviton, sizeRank } from "../../policies/lib/instances";
import { INTERNAL_ERROR_PREFIX } from "../../policies/lib/report";
import { effectiveTags, providerDefaultTags } from "../../policies/lib/tags";
import {
  describe as show,
  get,
  readBool,
  readJson,
  readNumber,
  readString,
  unwrap,
  UNKNOWN,
} from "../../policies/lib/values";
import { urnTypeChain } from "../../policies/catalog/central-catalog-ownership";
import { T } from "../../policies/lib/types";
import { shareDeserializedProperties } from "../../policies/lib/shared-properties";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { res, resourceArgs, runResource, runStack, sdkProxy, UNKNOWN as SENTINEL } from "./harness";

describe("policies/lib", () => {
  describe("values", () => {
    it("unwraps the engine's proxy and secrets without tripping over unknowns", () => {
      const proxied = sdkProxy.unknownCheckingProxy({ a: { b: SENTINEL.string }, s: new Secret("x") });
      assert.throws(() => proxied.a.b); // what the engine's proxy does
      const raw = unwrap(proxied);
      assert.strictEqual(get(raw, "a", "b"), UNKNOWN);
      assert.strictEqual(get(raw, "a", "b", "c"), UNKNOWN);
      assert.strictEqual(get(raw, "s"), "x");
      assert.strictEqual(get(raw, "missing", "deeper"), undefined);
      assert.strictEqual(get({ toString: 1 }, "constructor"), undefined);
    });

    it("reads values into explicit states", () => {
      assert.deepStrictEqual(readNumber("42"), { state: "ok", value: 42 });
      assert.deepStrictEqual(readNumber(""), { state: "invalid", got: '""' });
      assert.deepStrictEqual(readNumber(undefined), { state: "absent" });
      assert.deepStrictEqual(readNumber(SENTINEL.number), { state: "unknown" });
      assert.deepStrictEqual(readBool("TRUE"), { state: "ok", value: true });
      assert.deepStrictEqual(readString(7), { state: "ok", value: "7" });
      assert.strictEqual(readString({}).state, "invalid");
      assert.strictEqual(readJson("{x").state, "invalid");
      assert.strictEqual(readJson(`{"a":"${SENTINEL.string}"}`).state, "unknown");
      assert.deepStrictEqual(readJson({ a: 1 }), { state: "ok", value: { a: 1 } });
    });

    it("describes any value without throwing", () => {
      const nullProto = Object.create(null);
      nullProto.k = 1n;
      for (const v of [nullProto, 1n, Symbol("s"), () => 1, [1, 2], "x".repeat(100), SENTINEL.object]) {
        assert.strictEqual(typeof show(v), "string");
      }
    });
  });

  it("matches globs", () => {
    assert.ok(globMatch("*-logs", "bdp-dev-lake-logs"));
    assert.ok(
      globMatch(
        "urn:pulumi:*::*aws:s3/bucket:Bucket::*",
        "urn:pulumi:dev::p::bdp:storage:DataLake$aws:s3/bucket:Bucket::x",
      ),
    );
    assert.ok(!globMatch("a.b", "axb"));
    assert.ok(globMatch("M7G.*", "m7g.xlarge", true));
  });

  it("finds exemptions by name, URN or glob", () => {
    const s = { type: "t", name: "bdp-dev-logs", urn: "urn:pulumi:dev::p::t::bdp-dev-logs" };
    const reason = "a reason long enough";
    assert.ok(findExemption([{ resource: "bdp-dev-logs", reason }], s));
    assert.ok(findExemption([{ resource: s.urn, reason }], s));
    assert.ok(findExemption([{ resource: "*-logs", reason }], s));
    assert.ok(!findExemption([{ resource: "other", reason }], s));
  });

  it("recognises Graviton families and orders sizes", () => {
    const re = new RegExp(DEFAULT_GRAVITON_FAMILY_PATTERN, "i");
    for (const t of [
      "m7g.xlarge",
      "c6gn.large",
      "r8gd.metal",
      "t4g.small",
      "x2gd.xlarge",
      "im4gn.large",
      "a1.large",
    ])
      assert.ok(isGraviton(t, re), t);
    for (const t of ["m5.xlarge", "g4dn.xlarge", "c7i.large", "p4d.24xlarge", "m7i-flex.large"])
      assert.ok(!isGraviton(t, re), t);
    assert.ok(sizeRank("large")! < sizeRank("xlarge")!);
    assert.strictEqual(sizeRank("8xlarge"), 8);
    assert.strictEqual(sizeRank("metal-24xl"), 24);
    assert.strictEqual(sizeRank("huge"), undefined);
  });

  it("parses IAM documents and spots wildcard actions", () => {
    const doc = readPolicyDocument(
      JSON.stringify({ Statement: { Effect: "Allow", Action: ["s3:*", "s3:Get*"], NotAction: "iam:*" } }),
    );
    assert.strictEqual(doc.state, "ok");
    if (doc.state === "ok") {
      assert.deepStrictEqual(doc.value[0].actions, ["s3:*", "s3:Get*"]);
      assert.deepStrictEqual(doc.value[0].notActions, ["iam:*"]);
    }
    assert.ok(isWildcardAction("*") && isWildcardAction("s3:*") && isWildcardAction("*:*"));
    assert.ok(!isWildcardAction("s3:Get*") && !isWildcardAction("s3:*Object"));
  });

  it("reads provider default tags from a JSON string or an object, and merges own tags over them", () => {
    const provider = (defaultTags: unknown) => ({
      type: "pulumi:providers:aws",
      name: "aws",
      urn: "u",
      props: { defaultTags },
    });
    assert.strictEqual(
      providerDefaultTags(provider(JSON.stringify({ tags: { owner: "a" } }))).tags.get("owner"),
      "a",
    );
    assert.strictEqual(providerDefaultTags(provider({ tags: { owner: "b" } })).tags.get("owner"), "b");
    assert.ok(providerDefaultTags(provider(SENTINEL.string)).unknown);
    assert.ok(providerDefaultTags(provider("{bad")).odd);
    const merged = effectiveTags(
      { tags: { owner: "own" } },
      provider(JSON.stringify({ tags: { owner: "p", environment: "dev" } })),
    );
    assert.deepStrictEqual([...merged.tags.entries()].sort(), [
      ["environment", "dev"],
      ["owner", "own"],
    ]);
  });

  it("merges config over defaults and rejects wrong kinds and bad regular expressions", () => {
    const c = readConfig("p", { a: 5 }, { a: 1, b: ["x"] });
    assert.deepStrictEqual(c, { a: 5, b: ["x"], exemptions: [] });
    assert.throws(() => readConfig("p", { b: "x" }, { a: 1, b: ["x"] }), PolicyConfigError);
    assert.throws(() => configRegExp("p", "k", "("), /not a valid regular expression/);
  });

  it("splits URN type chains", () => {
    assert.deepStrictEqual(
      urnTypeChain(
        "urn:pulumi:dev::proj::bdp:catalog:CentralCatalog$aws:glue/catalogDatabase:CatalogDatabase::db",
      ),
      ["bdp:catalog:CentralCatalog", "aws:glue/catalogDatabase:CatalogDatabase"],
    );
    assert.deepStrictEqual(urnTypeChain("nonsense"), []);
  });

  describe("define: declared resource types", () => {
    const meta = {
      description: "A policy defined by this test to exercise the builders in policies/lib/define.ts.",
      remediationSteps: "None: it only exists in this test.",
      severity: "low" as const,
      enforcementLevel: "advisory" as const,
      knobs: {},
      defaults: {},
      tags: ["test"],
    };
    const topic = res(T.snsTopic, "alerts", { name: "alerts" });
    const queue = res(T.sqsQueue, "dlq", { name: "dlq" });

    it("publishes a resource policy's types as type tokens and judges only those", async () => {
      const seen: string[] = [];
      const policy = resourcePolicy({
        ...meta,
        name: "test-resource-types",
        types: [aws.sns.Topic, aws.sqs.Queue],
        check: ({ subject }) => void seen.push(subject.type),
      });
      assert.deepStrictEqual(policy.resourceTypes, [T.snsTopic, T.sqsQueue]);
      for (const r of [topic, queue, res(T.logGroup, "logs", {})]) await runResource(policy, r);
      assert.deepStrictEqual(seen, [T.snsTopic, T.sqsQueue]);
      const any = resourcePolicy({ ...meta, name: "test-any", types: "any", check: () => undefined });
      assert.strictEqual(any.resourceTypes, "any");
    });

    it("tells a resource of another type it does not apply, without a stack trace", () => {
      const policy = resourcePolicy({
        ...meta,
        name: "test-not-applicable",
        types: [aws.sns.Topic, aws.sqs.Queue],
        check: () => undefined,
      });
      const limit = Error.stackTraceLimit;
      let thrown: Error | undefined;
      const args = {
        ...resourceArgs(res(T.logGroup, "logs", {})),
        notApplicable: (reason?: string): never => {
          thrown = new Error(reason);
          throw thrown;
        },
      };
      const validate = policy.validateResource as (a: typeof args, report: () => void) => void;
      assert.throws(() => validate(args, () => undefined));
      assert.strictEqual(
        thrown?.message,
        `Policy only applies to resources of type ${T.snsTopic}, ${T.sqsQueue}`,
      );
      assert.doesNotMatch(thrown?.stack ?? "", /\n\s+at /);
      assert.strictEqual(Error.stackTraceLimit, limit);
    });

    it("publishes a stack policy's types and lets it read only those", async () => {
      const read = (types: string[]) =>
        stackPolicy({
          ...meta,
          name: "test-stack-types",
          types: [T.snsTopic],
          check: (ctx) => {
            for (const r of ctx.ofType(...types)) ctx.report.violation(r, "seen", "nothing");
          },
        });
      assert.deepStrictEqual(read([]).resourceTypes, [T.snsTopic]);
      const declared = await runStack(read([T.snsTopic]), [topic, queue]);
      assert.deepStrictEqual(
        declared.violations.map((v) => v.urn),
        [topic.urn],
      );
      const undeclared = await runStack(read([T.snsTopic, T.sqsQueue]), [topic, queue]);
      assert.strictEqual(undeclared.violations.length, 0);
      assert.strictEqual(undeclared.advisories.length, 1);
      assert.ok(undeclared.advisories[0].message.includes(INTERNAL_ERROR_PREFIX));
      assert.match(
        undeclared.advisories[0].message,
        /reads aws:sqs\/queue:Queue, which its types do not declare/,
      );
    });
  });

  describe("shared-properties", () => {
    const struct = () => Struct.fromJavaScript({ tags: { owner: "team" }, names: ["a", "b"] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const deserialize = require("@pulumi/policy/deserialize") as {
      deserializeProperties(s: object, proxySecrets: boolean): Record<string, any>;
    };

    it("deserializes a request's properties once for every policy, frozen, and can be undone", () => {
      const original = deserialize.deserializeProperties;
      const restore = shareDeserializedProperties(deserialize);
      try {
        const one = struct();
        const first = deserialize.deserializeProperties(one, false);
        assert.strictEqual(deserialize.deserializeProperties(one, false), first);
        assert.deepStrictEqual(first, { tags: { owner: "team" }, names: ["a", "b"] });
        assert.ok(Object.isFrozen(first) && Object.isFrozen(first.tags) && Object.isFrozen(first.names));
        assert.throws(() => {
          "use strict";
          first.tags.owner = "someone else";
        }, TypeError);
        // Another request's Struct: its own copy.
        assert.notStrictEqual(deserialize.deserializeProperties(struct(), false), first);
        // Remediation (secrets proxied) may replace what it gets: a fresh copy each time.
        const remediation = deserialize.deserializeProperties(one, true);
        assert.notStrictEqual(remediation, deserialize.deserializeProperties(one, true));
      } finally {
        restore();
      }
      assert.strictEqual(deserialize.deserializeProperties, original);
    });

    describe("sharedStackResources", () => {
      // What the SDK gives each stack policy: its own resource objects and proxies around the
      // request's shared, frozen property bags.
      const bags = [Object.freeze({ bucket: "lake" }), Object.freeze({ bucket: "raw" })];
      const sdkList = (props: readonly object[], urns = ["urn:a", "urn:b"]) => {
        const parent = {
          urn: urns[0],
          type: "bdp:lake:DataLake",
          name: "a",
          props: sdkProxy.unknownCheckingProxy(props[0]),
          dependencies: [],
          propertyDependencies: {},
        };
        const child = {
          urn: urns[1],
          type: "aws:s3/bucketV2:BucketV2",
          name: "b",
          props: sdkProxy.unknownCheckingProxy(props[1]),
          parent,
          dependencies: [parent],
          propertyDependencies: {},
        };
        return [parent, child] as any[];
      };

      it("converts one request once for all its stack policies, frozen", () => {
        const first = sharedStackResources(sdkList(bags));
        assert.strictEqual(sharedStackResources(sdkList(bags)), first);
        assert.deepStrictEqual(
          first.map((r) => [r.urn, r.props.bucket, r.parent?.urn, r.dependencies.map((d) => d.urn)]),
          [
            ["urn:a", "lake", undefined, []],
            ["urn:b", "raw", "urn:a", ["urn:a"]],
          ],
        );
        assert.ok(
          Object.isFrozen(first) && Object.isFrozen(first[1]) && Object.isFrozen(first[1].dependencies),
        );
        assert.throws(() => (first as any[]).push(first[0]), TypeError);
      });

      it("converts again for other property bags, other URNs or property bags that are not shared", () => {
        const first = sharedStackResources(sdkList(bags));
        assert.notStrictEqual(sharedStackResources(sdkList(bags.map((b) => Object.freeze({ ...b })))), first);
        const renamed = sharedStackResources(sdkList(bags, ["urn:a", "urn:c"]));
        assert.deepStrictEqual(
          renamed.map((r) => r.urn),
          ["urn:a", "urn:c"],
        );
        const unfrozen = bags.map((b) => ({ ...b }));
        assert.notStrictEqual(
          sharedStackResources(sdkList(unfrozen)),
          sharedStackResources(sdkList(unfrozen)),
        );
      });

      it("drops the conversion at the next turn of the event loop", async () => {
        const first = sharedStackResources(sdkList(bags));
        await new Promise((resolve) => setImmediate(resolve));
        assert.notStrictEqual(sharedStackResources(sdkList(bags)), first);
      });
    });
  });
});
