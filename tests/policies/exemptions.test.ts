/**
 * Exemptions are config: `exemptions: [{ resource, reason }]` on every policy. An exempt resource
 * produces no violation; the exemption and its reason are recorded (appliedExemptions(), a log
 * line, the BDP_POLICY_EXEMPTIONS_FILE JSONL file, and the engine's not-applicable reason).
 * Every policy is checked against the non-compliant stack.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv from "ajv";
import { PolicyConfigError } from "../../policies/lib/errors";
import {
  appliedExemptions,
  clearAppliedExemptions,
  recordExemption,
  setExemptionSink,
} from "../../policies/lib/exemptions";
import { policies } from "../../policies/pack";
import { NONCOMPLIANT_CONFIG, noncompliantStack } from "./builders";
import { captureExemptionLog, policyByName, res, runPolicy, runResource } from "./harness";

const REASON = "accepted by the platform team until 2027-03 (ticket BDP-123)";

describe("exemptions", () => {
  for (const policy of policies) {
    it(`${policy.name}: an exempt resource is skipped and the reason is recorded`, async () => {
      const stack = noncompliantStack();
      const base = NONCOMPLIANT_CONFIG[policy.name] ?? {};
      const before = await runPolicy(policy, stack, base);
      const target = before.violations.find((v) => v.urn)!;
      assert.ok(target, `${policy.name} has no resource-attributed violation in the bad stack`);
      const victim = stack.find((r) => r.urn === target.urn)!;

      const {
        result: after,
        lines,
        records,
      } = await captureExemptionLog(() =>
        runPolicy(policy, stack, { ...base, exemptions: [{ resource: victim.name, reason: REASON }] }),
      );
      assert.ok(!after.violations.some((v) => v.urn === victim.urn), `${victim.name} is still reported`);
      assert.deepStrictEqual(
        records.map((r) => [r.policy, r.urn, r.reason]),
        [[policy.name, victim.urn, REASON]],
      );
      assert.ok(
        lines[0].includes(`policy=${policy.name}`) &&
          lines[0].includes(victim.urn) &&
          lines[0].includes(REASON),
      );
      assert.ok(appliedExemptions().some((e) => e.policy === policy.name && e.reason === REASON));
      // Other resources are still judged.
      const others = before.violations.filter((v) => v.urn !== victim.urn);
      assert.strictEqual(after.violations.length, others.length);
    });
  }

  it("matches URN globs and records the engine's not-applicable reason for resource policies", async () => {
    const policy = policyByName("sns-topic-encrypted");
    const topic = res("aws:sns/topic:Topic", "bdp-dev-legacy-alerts", {});
    const { result } = await captureExemptionLog(() =>
      runResource(policy, topic, {
        exemptions: [{ resource: "urn:pulumi:*::*::aws:sns/topic:Topic::*-legacy-*", reason: REASON }],
      }),
    );
    assert.strictEqual(result.findings.length, 0);
    assert.deepStrictEqual(result.notApplicable, [`exempted by config: ${REASON}`]);
  });

  it("rejects an exemption without a reason or with a short one (config error naming the fix)", async () => {
    const policy = policyByName("sns-topic-encrypted");
    const topic = res("aws:sns/topic:Topic", "t", {});
    await assert.rejects(runResource(policy, topic, { exemptions: [{ resource: "t" }] }), (e: Error) => {
      assert.ok(e instanceof PolicyConfigError);
      assert.match(e.message, /exemptions\[0\]\.reason.*Fix: add a "reason"/);
      return true;
    });
    await assert.rejects(
      runResource(policy, topic, { exemptions: [{ resource: "t", reason: "because" }] }),
      PolicyConfigError,
    );
    await assert.rejects(runResource(policy, topic, { exemptions: [{ reason: REASON }] }), PolicyConfigError);
    await assert.rejects(runResource(policy, topic, { exemptions: "t" }), PolicyConfigError);
  });

  it("the configSchema of every policy makes the engine reject reasonless exemptions", () => {
    const ajv = new Ajv({ strict: false });
    for (const p of policies) {
      const validate = ajv.compile({ type: "object", ...p.configSchema });
      assert.ok(validate({ exemptions: [{ resource: "x", reason: REASON }] }), p.name);
      assert.ok(!validate({ exemptions: [{ resource: "x" }] }), p.name);
      assert.ok(!validate({ exemptions: [{ resource: "x", reason: "short" }] }), p.name);
    }
  });

  it("writes a stderr line and a JSONL record with the default sink", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bdp-ex-")), "exemptions.jsonl");
    const written: string[] = [];
    const realWrite = process.stderr.write.bind(process.stderr);
    const prevEnv = process.env.BDP_POLICY_EXEMPTIONS_FILE;
    process.env.BDP_POLICY_EXEMPTIONS_FILE = file;
    const prevSink = setExemptionSink(undefined);
    (process.stderr as any).write = (chunk: string) => {
      written.push(String(chunk));
      return true;
    };
    try {
      clearAppliedExemptions();
      const subject = {
        type: "aws:sns/topic:Topic",
        name: "t",
        urn: "urn:pulumi:dev::p::aws:sns/topic:Topic::t",
      };
      recordExemption("sns-topic-encrypted", subject, { resource: "t", reason: REASON });
      recordExemption("sns-topic-encrypted", subject, { resource: "t", reason: REASON }); // recorded once
    } finally {
      (process.stderr as any).write = realWrite;
      setExemptionSink(prevSink);
      if (prevEnv === undefined) delete process.env.BDP_POLICY_EXEMPTIONS_FILE;
      else process.env.BDP_POLICY_EXEMPTIONS_FILE = prevEnv;
    }
    assert.strictEqual(written.length, 1);
    assert.match(
      written[0],
      /^\[bdp-policy\] exemption applied: policy=sns-topic-encrypted .*reason="accepted by/,
    );
    const lines = fs.readFileSync(file, "utf8").trim().split("\n");
    assert.strictEqual(lines.length, 1);
    assert.strictEqual(JSON.parse(lines[0]).reason, REASON);
  });
});
