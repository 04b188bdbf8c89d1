/**
 * Runs in a child process inside the base checkout (see ./base.ts): plans the stack with that
 * checkout's own code (tools/plan/plan.ts runPlan, its policy pack), and writes the snapshot
 * (./change.ts) to a file. Arguments: CHECKOUT STACK OUT_FILE policies|no-policies.
 */
import * as fs from "fs";
import * as path from "path";
import { costEstimateOf } from "../reports/json-report";
import { monthlyTotalUsd } from "../reports/summary";
import { SnapshotFinding, snapshotFindings, snapshotOf } from "./change";

interface BasePlan {
  resources: Parameters<typeof snapshotOf>[1];
  stackOutputs: Record<string, unknown>;
  stackFile: string;
  stack: string;
}

async function main([checkout, stack, out, policies]: string[]): Promise<void> {
  const stackFile = path.join(checkout, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile)) {
    // The stack is new in this change: everything it declares is added.
    fs.writeFileSync(
      out,
      JSON.stringify(snapshotOf(stack, [], null, policies === "policies" ? [] : null, checkout)),
    );
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runPlan } = require(path.join(checkout, "tools/plan/plan")) as {
    runPlan(stack: string): Promise<BasePlan>;
  };
  const plan = await runPlan(stack);
  const estimate = costEstimateOf(plan);
  let findings: SnapshotFinding[] | null = null;
  if (policies === "policies") findings = await baseFindings(checkout, stack, plan);
  fs.writeFileSync(out, JSON.stringify(snapshotOf(stack, plan.resources, estimate, findings, checkout)));
}

/** The base's own policy pack over the base's plan, as the plan CLI runs it. */
async function baseFindings(checkout: string, stack: string, plan: BasePlan): Promise<SnapshotFinding[]> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { PolicySession } = require(path.join(checkout, "tools/policy-runner"));
  const { buildPolicyReport } = require(path.join(checkout, "tools/reports/model"));
  const { readStackConfig } = require(path.join(checkout, "tools/synth/stack-config"));
  const { PROJECT } = require(path.join(checkout, "infra/config"));
  /* eslint-enable @typescript-eslint/no-require-imports */
  const configFile = path.join(checkout, "policies", "config", `${stack}.json`);
  const session = await PolicySession.start(path.join(checkout, "policies"));
  try {
    const result = await session.evaluate({
      stack,
      project: PROJECT,
      resources: plan.resources,
      configFile: fs.existsSync(configFile) ? configFile : undefined,
      // The figure the head gives its pack: a budget finding prints it, so both sides must agree.
      estimatedMonthlyUsd: monthlyTotalUsd(plan),
      stackConfig: readStackConfig(stack, PROJECT),
    });
    return snapshotFindings(buildPolicyReport(plan, result).findings);
  } finally {
    await session.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
