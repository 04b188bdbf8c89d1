import assert from "node:assert/strict";

import { EngineUsage, estimateMonthlyCost } from "../../../decisions/cost/estimate";
import { emrInstancePrice, regionPrices, x86Counterpart } from "../../../decisions/cost/prices";
import { pipeline, workload } from "./helpers";

const glue: EngineUsage = {
  engine: "glue",
  workerType: "G.1X",
  numberOfWorkers: 2,
  executionClass: "STANDARD",
};

function emrWith(instanceType: string): EngineUsage {
  return {
    engine: "emr",
    primary: { instanceType, count: 1, market: "ON_DEMAND" },
    core: { instanceType: "m7g.xlarge", count: 1, market: "ON_DEMAND" },
  };
}

describe("cost estimate: unknown values are errors, never a silent zero", () => {
  it("names an unknown region and lists the known ones", () => {
    assert.throws(
      () => estimateMonthlyCost(workload([], { region: "ap-south-7" })),
      (error: Error) =>
        error.message.includes('"ap-south-7"') &&
        error.message.includes("us-east-1, eu-west-1") &&
        error.message.includes("2026-11-27"),
    );
    assert.throws(() => regionPrices("US-EAST-1"), /"US-EAST-1".*known regions: us-east-1, eu-west-1/);
  });

  it("names an unknown instance type and lists the known ones", () => {
    assert.throws(
      () => estimateMonthlyCost(workload([pipeline(emrWith("m9z.xlarge"))])),
      (error: Error) =>
        error.message.includes('"m9z.xlarge"') &&
        error.message.includes("us-east-1") &&
        error.message.includes("m7g.xlarge, m7g.2xlarge"),
    );
    assert.throws(() => emrInstancePrice("eu-west-1", "toString"), /"toString"/);
    assert.throws(() => x86Counterpart("us-east-1", "r6g.xlarge"), /"r6g.xlarge"/);
  });

  it("rejects an unknown Glue worker type, FLEX on a worker type FLEX cannot run, and an unknown class", () => {
    assert.throws(
      () => estimateMonthlyCost(workload([pipeline({ ...glue, workerType: "G.025X" as never })])),
      /workerType "G.025X" is not priced; known worker types: G.1X, G.2X, G.4X, G.8X/,
    );
    assert.throws(
      () =>
        estimateMonthlyCost(workload([pipeline({ ...glue, workerType: "G.4X", executionClass: "FLEX" })])),
      /FLEX execution class runs only G.1X or G.2X workers, got G.4X/,
    );
    assert.throws(
      () => estimateMonthlyCost(workload([pipeline({ ...glue, executionClass: "flex" as never })])),
      /executionClass must be FLEX or STANDARD, got "flex"/,
    );
  });

  it("rejects an unknown engine, market, architecture, storage class, warehouse node type and tier", () => {
    assert.throws(
      () => estimateMonthlyCost(workload([pipeline({ engine: "lambda" } as never)])),
      /usage\.engine must be one of glue, emr, emrServerless, batch, got "lambda"/,
    );
    assert.throws(
      () =>
        estimateMonthlyCost(
          workload([
            pipeline({
              engine: "emr",
              primary: { instanceType: "m7g.xlarge", count: 1, market: "RESERVED" as never },
              core: { instanceType: "m7g.xlarge", count: 1, market: "SPOT" },
            }),
          ]),
        ),
      /primary\.market must be one of ON_DEMAND, SPOT, got "RESERVED"/,
    );
    assert.throws(
      () =>
        estimateMonthlyCost(
          workload([
            pipeline({ engine: "batch", vcpu: 1, memoryGb: 2, architecture: "arm" as never, spot: false }),
          ]),
        ),
      /architecture must be one of ARM64, X86_64, got "arm"/,
    );
    assert.throws(
      () =>
        estimateMonthlyCost(
          workload([], { fixed: { storageGbByClass: { INTELLIGENT_TIERING: 10 } as never } }),
        ),
      /unknown S3 storage class "INTELLIGENT_TIERING"; known: STANDARD, STANDARD_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE/,
    );
    assert.throws(
      () =>
        estimateMonthlyCost(
          workload([], {
            fixed: { warehouse: { kind: "provisioned", nodeType: "dc2.large" as never, nodes: 2 } },
          }),
        ),
      /nodeType "dc2.large" is not priced; known node types: ra3.large, ra3.xlplus, ra3.4xlarge/,
    );
    assert.throws(
      () => estimateMonthlyCost(workload([pipeline(glue, { slaTier: "gold" as never })])),
      /slaTier must be one of flexible, standard, critical, got "gold"/,
    );
  });
});

describe("cost estimate: negative and NaN inputs are errors", () => {
  it("names the pipeline and field of a NaN or negative number", () => {
    assert.throws(
      () => estimateMonthlyCost(workload([pipeline(glue, { name: "orders", runsPerMonth: NaN })])),
      /pipelines\[0\] \("orders"\)\.runsPerMonth must be a finite number >= 0, got NaN/,
    );
    assert.throws(
      () => estimateMonthlyCost(workload([pipeline(glue, { stateTransitionsPerRun: -1 })])),
      /stateTransitionsPerRun must be a finite number >= 0, got -1/,
    );
    assert.throws(
      () => estimateMonthlyCost(workload([pipeline(glue, { expectedRuntimeMinutes: 0 })])),
      /expectedRuntimeMinutes must be a finite number > 0, got 0/,
    );
    assert.throws(
      () => estimateMonthlyCost(workload([pipeline({ ...glue, numberOfWorkers: -2 })])),
      /usage\.numberOfWorkers must be a whole number >= 0, got -2/,
    );
    assert.throws(
      () =>
        estimateMonthlyCost(
          workload([
            pipeline({
              engine: "emr",
              primary: { instanceType: "m7g.xlarge", count: 1.5, market: "ON_DEMAND" },
              core: { instanceType: "m7g.xlarge", count: 1, market: "SPOT" },
            }),
          ]),
        ),
      /usage\.primary\.count must be a whole number >= 0, got 1.5/,
    );
    assert.throws(
      () =>
        estimateMonthlyCost(
          workload([
            pipeline({ engine: "emrServerless", vcpu: Infinity, memoryGb: 8, architecture: "ARM64" }),
          ]),
        ),
      /usage\.vcpu must be a finite number >= 0, got Infinity/,
    );
    assert.throws(
      () =>
        estimateMonthlyCost(
          workload([
            pipeline({ engine: "batch", vcpu: 1, memoryGb: -2, architecture: "ARM64", spot: false }),
          ]),
        ),
      /usage\.memoryGb must be a finite number >= 0, got -2/,
    );
  });

  it("names the fixed field of a NaN or negative number", () => {
    assert.throws(
      () => estimateMonthlyCost(workload([], { fixed: { natGateways: -1 } })),
      /fixed\.natGateways must be a finite number >= 0, got -1/,
    );
    assert.throws(
      () => estimateMonthlyCost(workload([], { fixed: { logsGbPerMonth: NaN } })),
      /fixed\.logsGbPerMonth must be a finite number >= 0, got NaN/,
    );
    assert.throws(
      () => estimateMonthlyCost(workload([], { fixed: { storageGbByClass: { STANDARD: -5 } } })),
      /fixed\.storageGbByClass\.STANDARD must be a finite number >= 0, got -5/,
    );
    assert.throws(
      () =>
        estimateMonthlyCost(
          workload([], { fixed: { warehouse: { kind: "serverless", baseRpu: NaN, hoursPerMonth: 10 } } }),
        ),
      /fixed\.warehouse\.baseRpu must be a finite number >= 0, got NaN/,
    );
  });

  it("requires a Spot price fraction in (0, 1]", () => {
    for (const fraction of [0, -0.2, 1.5, NaN]) {
      assert.throws(
        () => estimateMonthlyCost(workload([], { spotPriceFraction: fraction })),
        /spotPriceFraction must be a number in \(0, 1\]/,
        `fraction ${fraction}`,
      );
    }
    assert.doesNotThrow(() => estimateMonthlyCost(workload([], { spotPriceFraction: 1 })));
  });
});
