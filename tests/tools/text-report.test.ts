/** The text report's list of policies that could not judge (tools/reports/text.ts). */
import { strict as assert } from "assert";
import { cannotJudgeMessage, label, STACK_SUBJECT, violationMessage } from "../../policies/lib/report";
import { policiesThatCouldNotJudge } from "../../tools/reports/text";
import type { ReportFinding } from "../../tools/reports/model";

const JOB = { type: "aws:glue/job:Job", name: "etl", urn: "urn:pulumi:sandbox::p::aws:glue/job:Job::etl" };

function finding(policy: string, message: string): ReportFinding {
  return {
    policy,
    enforcementLevel: "advisory",
    severity: "medium",
    message,
    resource: null,
    component: null,
    pipeline: null,
    location: { file: "Pulumi.sandbox.yaml", line: 1, key: null },
  };
}

describe("text report: the policies that could not judge", () => {
  it("counts the pack's cannot-judge findings per policy, by name, and nothing else", () => {
    const findings = [
      finding(
        "flexible-tier-spot-or-graviton",
        cannotJudgeMessage(JOB, "the SLA tier", "no tier tag", "Tag it."),
      ),
      finding("estimated-cost-within-budget", cannotJudgeMessage(STACK_SUBJECT, "the estimate", "no budget")),
      finding("flexible-tier-spot-or-graviton", cannotJudgeMessage(JOB, "the SLA tier", "tags unknown")),
      finding("glue-job-timeout", violationMessage(JOB, "job has no timeout", "set timeout")),
      // A violation that quotes the words is still a violation.
      finding("required-tags", violationMessage(JOB, 'tag note is "cannot judge it"', "fix it")),
    ];
    assert.deepEqual(policiesThatCouldNotJudge({ findings }), [
      { policy: "estimated-cost-within-budget", findings: 1 },
      { policy: "flexible-tier-spot-or-graviton", findings: 2 },
    ]);
  });

  it("recognises every subject label the pack writes", () => {
    for (const subject of [
      JOB,
      STACK_SUBJECT,
      { ...JOB, type: "aws:s3/bucketV2:BucketV2", name: "a.b-c_d" },
    ]) {
      const message = cannotJudgeMessage(subject, "x", "y");
      assert.ok(message.startsWith(`${label(subject)}: cannot judge`), message);
      assert.deepEqual(policiesThatCouldNotJudge({ findings: [finding("p", message)] }), [
        { policy: "p", findings: 1 },
      ]);
    }
  });

  it("finds none in a report without cannot-judge findings", () => {
    assert.deepEqual(policiesThatCouldNotJudge({ findings: [] }), []);
  });
});
