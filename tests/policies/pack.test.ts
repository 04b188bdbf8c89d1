/**
 * The pack as a whole: metadata of every policy, one policy per file, the per-environment config
 * files, and the pack served over the analyzer gRPC protocol the way the Pulumi engine starts it.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import * as aws from "@pulumi/aws";
import { UNKNOWN_SENTINELS } from "../../policies/lib/values";
import { T } from "../../policies/lib/types";
import { PACK_NAME, policies } from "../../policies/pack";
import { PolicyPackProcess } from "../../tools/policy-runner";
import { sdkProxy } from "./harness";

const ROOT = path.resolve(__dirname, "../..");
const POLICIES = path.join(ROOT, "policies");
const CONCERNS = ["cost", "operations", "catalog", "security", "tagging"];

describe("policy pack", () => {
  it("has uniquely, stably named policies with description, remediation steps, severity and level", () => {
    const names = policies.map((p) => p.name);
    assert.strictEqual(new Set(names).size, names.length);
    for (const p of policies) {
      assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, p.name);
      assert.ok(p.description.length > 40, p.name);
      assert.ok((p.remediationSteps ?? "").length > 20, p.name);
      assert.ok(["low", "medium", "high", "critical"].includes(p.severity ?? ""), p.name);
      assert.ok(["advisory", "mandatory"].includes(p.enforcementLevel ?? ""), p.name);
      assert.ok(p.configSchema?.properties.exemptions, p.name);
      assert.ok(!("enforcementLevel" in (p.configSchema?.properties ?? {})), p.name);
    }
  });

  it("keeps one policy per file, grouped by concern, each file's name being its policy's name", () => {
    const files = CONCERNS.flatMap((c) =>
      fs
        .readdirSync(path.join(POLICIES, c))
        .filter((f) => f.endsWith(".ts"))
        .map((f) => path.join(c, f)),
    );
    assert.strictEqual(files.length, policies.length);
    for (const f of files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = Object.values(require(path.join(POLICIES, f))).filter(
        (v: any) => v && typeof v.name === "string" && "configSchema" in v,
      );
      assert.strictEqual(exported.length, 1, f);
      assert.strictEqual((exported[0] as any).name, path.basename(f, ".ts"), f);
    }
  });

  it("keeps one test file per policy, mirroring policies/ (tests/policies/<concern>/<name>.test.ts)", () => {
    const TESTS = path.join(ROOT, "tests", "policies");
    for (const c of CONCERNS) {
      const sources = fs
        .readdirSync(path.join(POLICIES, c))
        .filter((f) => f.endsWith(".ts"))
        .map((f) => path.basename(f, ".ts"));
      const tests = fs.existsSync(path.join(TESTS, c))
        ? fs
            .readdirSync(path.join(TESTS, c))
            .filter((f) => f.endsWith(".test.ts"))
            .map((f) => path.basename(f, ".test.ts"))
        : [];
      assert.deepStrictEqual(
        tests.sort(),
        sources.sort(),
        `tests/policies/${c} does not mirror policies/${c}`,
      );
      for (const name of tests) {
        const text = fs.readFileSync(path.join(TESTS, c, `${name}.test.ts`), "utf8");
        assert.ok(
          new RegExp(`policyCases\\(\\s*"${name}"`).test(text),
          `${c}/${name}.test.ts declares no cases of ${name}`,
        );
      }
    }
  });

  it("gives every knob a JSON schema with a default the code agrees with", () => {
    const ajv = new Ajv({ strict: false });
    for (const p of policies) {
      const validate = ajv.compile({ type: "object", ...p.configSchema });
      assert.ok(validate({}), `${p.name}: ${ajv.errorsText(validate.errors)}`);
      const defaults = Object.fromEntries(
        Object.entries(p.configSchema!.properties)
          .filter(([, s]) => typeof s === "object" && "default" in s)
          .map(([k, s]) => [k, (s as any).default]),
      );
      assert.ok(validate(defaults), `${p.name} defaults: ${ajv.errorsText(validate.errors)}`);
    }
  });

  it("declares the resource types of every policy as known type tokens", () => {
    const known = new Set<string>(Object.values(T));
    for (const p of policies) {
      if (p.resourceTypes === "any") continue;
      assert.ok(p.resourceTypes.length > 0, `${p.name} declares no resource types`);
      assert.strictEqual(new Set(p.resourceTypes).size, p.resourceTypes.length, `${p.name}: duplicates`);
      for (const t of p.resourceTypes)
        assert.ok(known.has(t), `${p.name}: ${t} is not in policies/lib/types.ts`);
    }
  });

  it("maps type tokens to the @pulumi/aws classes", () => {
    for (const token of Object.values(T)) {
      const [, mod, cls] = /^aws:([a-zA-Z0-9]+)\/[a-zA-Z0-9]+:([A-Za-z0-9]+)$/.exec(token) ?? [];
      const found = (aws as unknown as Record<string, Record<string, any>>)[mod]?.[cls];
      assert.strictEqual(found?.__pulumiType, token, token);
    }
  });

  it("mirrors the engine's unknown sentinels", () => {
    assert.deepStrictEqual(
      [...UNKNOWN_SENTINELS].sort(),
      [
        sdkProxy.unknownBooleanValue,
        sdkProxy.unknownNumberValue,
        sdkProxy.unknownStringValue,
        sdkProxy.unknownArrayValue,
        (sdkProxy as any).unknownAssetValue,
        (sdkProxy as any).unknownArchiveValue,
        sdkProxy.unknownObjectValue,
      ].sort(),
    );
  });

  it("ships PulumiPolicy.yaml for the nodejs runtime", () => {
    const yaml = fs.readFileSync(path.join(POLICIES, "PulumiPolicy.yaml"), "utf8");
    assert.match(yaml, /^runtime: nodejs$/m);
    assert.match(yaml, /^description: .+/m);
  });
});

describe("policy config files", () => {
  const ajv = new Ajv({ strict: false });
  const byName = new Map(policies.map((p) => [p.name, p]));
  for (const [env, level] of [
    ["dev", "advisory"],
    ["prod", "mandatory"],
  ] as const) {
    it(`${env}.json sets ${level} for all and valid knobs for known policies`, () => {
      const config = JSON.parse(fs.readFileSync(path.join(POLICIES, "config", `${env}.json`), "utf8"));
      assert.strictEqual(config.all, level);
      for (const [name, value] of Object.entries(config)) {
        if (name === "all") continue;
        const p = byName.get(name);
        assert.ok(p, `${env}.json: unknown policy ${name}`);
        const { enforcementLevel, ...knobs } = value as Record<string, unknown>;
        assert.ok(
          enforcementLevel === undefined ||
            ["advisory", "mandatory", "remediate", "disabled"].includes(String(enforcementLevel)),
        );
        const validate = ajv.compile({ type: "object", additionalProperties: false, ...p.configSchema });
        assert.ok(validate(knobs), `${env}.json ${name}: ${ajv.errorsText(validate.errors)}`);
      }
    });
  }
});

describe("serving the pack", function () {
  this.timeout(60000);

  it("imports pack.ts without starting a server (the process exits on its own)", () => {
    const r = spawnSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "-e", 'require("./policies/pack.ts")'],
      {
        cwd: ROOT,
        timeout: 20000,
        encoding: "utf8",
      },
    );
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout.trim(), "");
  });

  describe("index.ts over the analyzer gRPC protocol", () => {
    let pack: PolicyPackProcess | undefined;
    let client: any;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pb = require("@pulumi/pulumi/proto/analyzer_pb");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

    before(async () => {
      // Started the way the Pulumi CLI starts a nodejs policy pack: the SDK's run-policy-pack runner,
      // which registers ts-node with type checking, runs index.ts and prints the gRPC port
      // (tools/policy-runner, shared with `npm run plan`).
      pack = await PolicyPackProcess.start(POLICIES);
      client = pack.client;
    });

    after(async () => {
      await pack?.stop();
    });

    const call = <T>(method: string, req: unknown) =>
      new Promise<T>((resolve, reject) =>
        client[method](req, (e: Error | null, res: T) => (e ? reject(e) : resolve(res))),
      );

    it("announces the pack name and all policies with their config schemas", async () => {
      const info: any = await call("getAnalyzerInfo", new Empty());
      assert.strictEqual(info.getName(), PACK_NAME);
      const served = info.getPoliciesList().map((p: any) => p.getName());
      assert.deepStrictEqual(
        served,
        policies.map((p) => p.name),
      );
      assert.ok(info.getPoliciesList().every((p: any) => p.getConfigschema()));
    });

    it("analyzes a resource and reports a violation", async () => {
      const req = new pb.AnalyzeRequest();
      req.setType("aws:sns/topic:Topic");
      req.setName("plain-topic");
      req.setUrn("urn:pulumi:dev::batch-data-platform::aws:sns/topic:Topic::plain-topic");
      req.setProperties(Struct.fromJavaScript({ name: "plain" }));
      req.setOptions(new pb.AnalyzerResourceOptions());
      const res: any = await call("analyze", req);
      const diags = res.getDiagnosticsList().map((d: any) => [d.getPolicyname(), d.getMessage()]);
      const sns = diags.find((d: string[]) => d[0] === "sns-topic-encrypted");
      assert.ok(sns, JSON.stringify(diags));
      assert.match(sns[1], /"plain-topic": topic is not encrypted\. Fix:/);
      assert.strictEqual(
        res
          .getDiagnosticsList()
          .find((d: any) => d.getPolicyname() === "sns-topic-encrypted")
          .getEnforcementlevel(),
        pb.EnforcementLevel.MANDATORY,
      );
    });

    it("reports preview-time unknowns as advisory 'cannot judge', even from a mandatory policy", async () => {
      const req = new pb.AnalyzeRequest();
      req.setType("aws:sns/topic:Topic");
      req.setName("new-topic");
      req.setUrn("urn:pulumi:dev::batch-data-platform::aws:sns/topic:Topic::new-topic");
      req.setProperties(Struct.fromJavaScript({ kmsMasterKeyId: sdkProxy.unknownStringValue }));
      req.setOptions(new pb.AnalyzerResourceOptions());
      const res: any = await call("analyze", req);
      const d = res.getDiagnosticsList().find((x: any) => x.getPolicyname() === "sns-topic-encrypted");
      assert.ok(d);
      assert.match(d.getMessage(), /cannot judge kmsMasterKeyId/);
      assert.strictEqual(d.getEnforcementlevel(), pb.EnforcementLevel.ADVISORY);
    });

    it("applies per-environment config sent by the engine (level and knobs)", async () => {
      const cfg = new pb.ConfigureAnalyzerRequest();
      const glue = new pb.PolicyConfig();
      glue.setEnforcementlevel(pb.EnforcementLevel.MANDATORY);
      glue.setProperties(Struct.fromJavaScript({ maxTimeoutMinutes: 30 }));
      cfg.getPolicyconfigMap().set("glue-job-timeout", glue);
      await call("configure", cfg);
      const req = new pb.AnalyzeRequest();
      req.setType("aws:glue/job:Job");
      req.setName("slow-job");
      req.setUrn("urn:pulumi:prod::batch-data-platform::aws:glue/job:Job::slow-job");
      req.setProperties(Struct.fromJavaScript({ timeout: 60, command: { name: "glueetl" } }));
      req.setOptions(new pb.AnalyzerResourceOptions());
      const res: any = await call("analyze", req);
      const d = res.getDiagnosticsList().find((x: any) => x.getPolicyname() === "glue-job-timeout");
      assert.ok(d);
      assert.match(d.getMessage(), /timeout is 60 minutes, outside 1\.\.30/);
      assert.strictEqual(d.getEnforcementlevel(), pb.EnforcementLevel.MANDATORY);
    });
  });
});
