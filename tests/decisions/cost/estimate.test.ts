import assert from "node:assert/strict";

import { estimateMonthlyCost, emrInstanceHourPrice } from "../../../decisions/cost/estimate";
import { approx, pipeline, workload } from "./helpers";

// Every expected figure below is worked out by hand from the price table of 2026-11-27; the arithmetic is in
// the comment next to it. us-east-1 unless a test says otherwise.

describe("cost estimate: Glue", () => {
  it("prices FLEX at the FLEX DPU-hour rate and the baseline at STANDARD", () => {
    const estimate = estimateMonthlyCost(
      workload([
        pipeline(
          { engine: "glue", workerType: "G.1X", numberOfWorkers: 2, executionClass: "FLEX" },
          { runsPerMonth: 30, expectedRuntimeMinutes: 30 },
        ),
      ]),
    );
    const [p] = estimate.pipelines;
    // 2 workers x 1 DPU x 0.5 h x 30 runs x $0.29 = $8.70
    approx(p.compute, 8.7, "compute");
    // 2 workers x 1 DPU x 0.5 h x 30 runs x $0.44 = $13.20
    approx(p.baselineCompute, 13.2, "baseline");
    // $13.20 - $8.70 = $4.50, 4.50 / 13.20 = 34.09%
    approx(p.saving, 4.5, "saving");
    approx(p.savingPercent, (4.5 / 13.2) * 100, "saving %");
    approx(estimate.components.compute.glue, 8.7, "glue component");
  });

  it("prices STANDARD with DPUs per worker type (G.2X = 2 DPU, G.8X = 8 DPU), no saving", () => {
    const estimate = estimateMonthlyCost(
      workload([
        pipeline(
          { engine: "glue", workerType: "G.2X", numberOfWorkers: 10, executionClass: "STANDARD" },
          { name: "g2", runsPerMonth: 100, expectedRuntimeMinutes: 12 },
        ),
        pipeline(
          { engine: "glue", workerType: "G.8X", numberOfWorkers: 3, executionClass: "STANDARD" },
          { name: "g8", runsPerMonth: 4, expectedRuntimeMinutes: 45 },
        ),
      ]),
    );
    // 10 workers x 2 DPU x 0.2 h x 100 runs x $0.44 = $176.00
    approx(estimate.pipelines[0].compute, 176, "G.2X");
    approx(estimate.pipelines[0].saving, 0, "G.2X saving");
    // 3 workers x 8 DPU x 0.75 h x 4 runs x $0.44 = $31.68
    approx(estimate.pipelines[1].compute, 31.68, "G.8X");
    // $176.00 + $31.68 = $207.68
    approx(estimate.components.compute.glue, 207.68, "glue component");
  });

  it("bills an auto-scaled job at its expected workers and the baseline at its maximum", () => {
    const estimate = estimateMonthlyCost(
      workload([
        pipeline(
          {
            engine: "glue",
            workerType: "G.2X",
            numberOfWorkers: 10,
            expectedWorkers: 4.5,
            executionClass: "STANDARD",
          },
          { runsPerMonth: 30, expectedRuntimeMinutes: 20 },
        ),
      ]),
    );
    const [p] = estimate.pipelines;
    // 4.5 workers x 2 DPU x (1/3) h x 30 runs x $0.44 = $39.60
    approx(p.compute, 39.6, "compute");
    // 10 workers x 2 DPU x (1/3) h x 30 runs x $0.44 = $88.00
    approx(p.baselineCompute, 88, "baseline");
    approx(p.saving, 48.4, "saving");
  });

  it("rejects expected workers outside 2..numberOfWorkers", () => {
    const usage = { engine: "glue" as const, workerType: "G.1X" as const, executionClass: "FLEX" as const };
    assert.throws(
      () => estimateMonthlyCost(workload([pipeline({ ...usage, numberOfWorkers: 4, expectedWorkers: 5 })])),
      /pipelines\[0\] \("p"\)\.usage\.expectedWorkers must be at most numberOfWorkers \(4\).*got 5/,
    );
    assert.throws(
      () => estimateMonthlyCost(workload([pipeline({ ...usage, numberOfWorkers: 4, expectedWorkers: 1 })])),
      /expectedWorkers must be a number of at least 2/,
    );
  });

  it("bills a run shorter than a minute as one minute", () => {
    const estimate = estimateMonthlyCost(
      workload([
        pipeline(
          { engine: "glue", workerType: "G.1X", numberOfWorkers: 2, executionClass: "STANDARD" },
          { runsPerMonth: 60, expectedRuntimeMinutes: 0.25 },
        ),
      ]),
    );
    // 2 workers x 1 DPU x (1/60) h x 60 runs x $0.44 = $0.88
    approx(estimate.pipelines[0].compute, 0.88);
  });
});

describe("cost estimate: EMR on EC2", () => {
  const graviton = {
    engine: "emr" as const,
    primary: { instanceType: "m7g.xlarge", count: 1, market: "ON_DEMAND" as const },
    core: { instanceType: "r7g.2xlarge", count: 2, market: "SPOT" as const },
  };

  it("adds the EMR charge to the EC2 price; Spot discounts only the EC2 part; baseline is on-demand x86", () => {
    const estimate = estimateMonthlyCost(
      workload([pipeline(graviton, { runsPerMonth: 10, expectedRuntimeMinutes: 60 })]),
    );
    const [p] = estimate.pipelines;
    // primary m7g.xlarge on-demand: ($0.1632 EC2 + $0.0408 EMR) x 1 x 1 h x 10 runs = $2.04
    // core r7g.2xlarge Spot:        ($0.4284 x 0.35 + $0.1071 EMR) = $0.25704 x 2 x 1 h x 10 runs = $5.1408
    // total $7.1808
    approx(p.compute, 7.1808, "compute");
    // baseline primary m7i.xlarge: ($0.2016 + $0.0504) x 10 = $2.52
    // baseline core r7i.2xlarge:   ($0.5292 + $0.1323) x 2 x 10 = $13.23; total $15.75
    approx(p.baselineCompute, 15.75, "baseline");
    // $15.75 - $7.1808 = $8.5692
    approx(p.saving, 8.5692, "saving");
    approx(estimate.components.compute.emr, 7.1808, "emr component");
  });

  it("uses the default Spot fraction 0.35 when none is given, and reports it", () => {
    const estimate = estimateMonthlyCost(workload([pipeline(graviton)]));
    assert.equal(estimate.spotPriceFraction, 0.35);
    // 1 run of 1 h: $0.204 + 2 x $0.25704 = $0.71808
    approx(estimate.pipelines[0].compute, 0.71808);
  });

  it("follows the Spot price fraction knob and leaves the baseline alone", () => {
    const estimate = estimateMonthlyCost(
      workload([pipeline(graviton, { runsPerMonth: 10, expectedRuntimeMinutes: 60 })], {
        spotPriceFraction: 0.5,
      }),
    );
    // core: ($0.4284 x 0.5 + $0.1071) = $0.3213 x 2 x 10 h = $6.426; + primary $2.04 = $8.466
    approx(estimate.pipelines[0].compute, 8.466, "compute");
    approx(estimate.pipelines[0].baselineCompute, 15.75, "baseline");
  });

  it("prices a task group and maps m6g to m5, c7g to c7i for the baseline", () => {
    const estimate = estimateMonthlyCost(
      workload([
        pipeline(
          {
            engine: "emr",
            primary: { instanceType: "m6g.xlarge", count: 1, market: "ON_DEMAND" },
            core: { instanceType: "m6g.2xlarge", count: 2, market: "ON_DEMAND" },
            task: { instanceType: "c7g.4xlarge", count: 3, market: "SPOT" },
          },
          { runsPerMonth: 8, expectedRuntimeMinutes: 30 },
        ),
      ]),
    );
    // 8 runs x 0.5 h = 4 h.
    // primary ($0.154 + $0.0385) x 1 x 4 = $0.77
    // core    ($0.308 + $0.077) x 2 x 4 = $3.08
    // task    ($0.58 x 0.35 + $0.145) = $0.348 x 3 x 4 = $4.176; total $8.026
    approx(estimate.pipelines[0].compute, 8.026, "compute");
    // baseline m5.xlarge ($0.192 + $0.048) x 4 = $0.96; m5.2xlarge ($0.384 + $0.096) x 2 x 4 = $3.84;
    // c7i.4xlarge ($0.714 + $0.1785) x 3 x 4 = $10.71; total $15.51
    approx(estimate.pipelines[0].baselineCompute, 15.51, "baseline");
  });

  it("compares x86 Spot with x86 on-demand, and x86 on-demand with itself", () => {
    const estimate = estimateMonthlyCost(
      workload([
        pipeline(
          {
            engine: "emr",
            primary: { instanceType: "m5.xlarge", count: 1, market: "ON_DEMAND" },
            core: { instanceType: "m5.xlarge", count: 4, market: "SPOT" },
          },
          { name: "x86-spot" },
        ),
        pipeline(
          {
            engine: "emr",
            primary: { instanceType: "m7i.xlarge", count: 1, market: "ON_DEMAND" },
            core: { instanceType: "m5.xlarge", count: 2, market: "ON_DEMAND" },
          },
          { name: "x86-on-demand" },
        ),
      ]),
    );
    // 1 run of 1 h. primary $0.192 + $0.048 = $0.24; core 4 x ($0.192 x 0.35 + $0.048) = 4 x $0.1152 = $0.4608
    approx(estimate.pipelines[0].compute, 0.7008, "x86 spot");
    // baseline: 5 x $0.24 = $1.20
    approx(estimate.pipelines[0].baselineCompute, 1.2, "x86 spot baseline");
    // ($0.2016 + $0.0504) + 2 x ($0.192 + $0.048) = $0.252 + $0.48 = $0.732, baseline the same
    approx(estimate.pipelines[1].compute, 0.732, "x86 on-demand");
    approx(estimate.pipelines[1].saving, 0, "x86 on-demand saving");
  });

  it("uses eu-west-1 prices in eu-west-1", () => {
    const estimate = estimateMonthlyCost(
      workload(
        [
          pipeline({
            engine: "emr",
            primary: { instanceType: "m7g.xlarge", count: 1, market: "ON_DEMAND" },
            core: { instanceType: "m7g.xlarge", count: 0, market: "ON_DEMAND" },
          }),
        ],
        { region: "eu-west-1" },
      ),
    );
    // m7g.xlarge: $0.1824 EC2 + $0.0456 EMR (25%) = $0.228 for 1 h
    approx(estimate.pipelines[0].compute, 0.228, "compute");
    // m7i.xlarge: $0.2247 + $0.056175 = $0.280875
    approx(estimate.pipelines[0].baselineCompute, 0.280875, "baseline");
  });

  it("exposes the instance-hour price", () => {
    // ($0.4284 x 0.35) + $0.1071 = $0.25704
    approx(emrInstanceHourPrice("us-east-1", "r7g.2xlarge", "SPOT", 0.35), 0.25704);
    // $0.4284 + $0.1071 = $0.5355
    approx(emrInstanceHourPrice("us-east-1", "r7g.2xlarge", "ON_DEMAND", 0.35), 0.5355);
  });
});

describe("cost estimate: EMR Serverless", () => {
  it("prices ARM64 per vCPU-hour and GB-hour; the baseline is x86", () => {
    const estimate = estimateMonthlyCost(
      workload([
        pipeline(
          { engine: "emrServerless", vcpu: 16, memoryGb: 64, architecture: "ARM64" },
          { runsPerMonth: 20, expectedRuntimeMinutes: 30 },
        ),
      ]),
    );
    // 20 runs x 0.5 h = 10 h. 16 vCPU x $0.042094 x 10 = $6.73504; 64 GB x $0.004628 x 10 = $2.96192
    approx(estimate.pipelines[0].compute, 9.69696, "compute");
    // 16 x $0.052624 x 10 = $8.41984; 64 x $0.0057785 x 10 = $3.69824
    approx(estimate.pipelines[0].baselineCompute, 12.11808, "baseline");
    approx(estimate.components.compute.emrServerless, 9.69696, "component");
  });

  it("has no saving on x86", () => {
    const estimate = estimateMonthlyCost(
      workload([
        pipeline(
          { engine: "emrServerless", vcpu: 16, memoryGb: 64, architecture: "X86_64" },
          { runsPerMonth: 20, expectedRuntimeMinutes: 30 },
        ),
      ]),
    );
    approx(estimate.pipelines[0].compute, 12.11808);
    approx(estimate.pipelines[0].saving, 0);
  });
});

describe("cost estimate: AWS Batch on Fargate", () => {
  const run = { runsPerMonth: 120, expectedRuntimeMinutes: 15 }; // 120 x 0.25 h = 30 h

  it("prices Fargate ARM64 on-demand; the baseline is Fargate x86 on-demand", () => {
    const estimate = estimateMonthlyCost(
      workload([
        pipeline({ engine: "batch", vcpu: 2, memoryGb: 4, architecture: "ARM64", spot: false }, run),
      ]),
    );
    // 2 vCPU x $0.03238 x 30 h = $1.9428; 4 GB x $0.00356 x 30 h = $0.4272; total $2.37
    approx(estimate.pipelines[0].compute, 2.37, "compute");
    // 2 x $0.04048 x 30 = $2.4288; 4 x $0.004445 x 30 = $0.5334; total $2.9622
    approx(estimate.pipelines[0].baselineCompute, 2.9622, "baseline");
    approx(estimate.components.compute.batch, 2.37, "component");
  });

  it("prices Fargate Spot per architecture", () => {
    const estimate = estimateMonthlyCost(
      workload([
        pipeline(
          { engine: "batch", vcpu: 2, memoryGb: 4, architecture: "X86_64", spot: true },
          { ...run, name: "x" },
        ),
        pipeline(
          { engine: "batch", vcpu: 2, memoryGb: 4, architecture: "ARM64", spot: true },
          { ...run, name: "a" },
        ),
      ]),
    );
    // x86 Spot: 2 x $0.012144 x 30 = $0.72864; 4 x $0.0013335 x 30 = $0.16002; total $0.88866
    approx(estimate.pipelines[0].compute, 0.88866, "x86 spot");
    approx(estimate.pipelines[0].baselineCompute, 2.9622, "x86 spot baseline");
    // ARM64 Spot: 2 x $0.009714 x 30 = $0.58284; 4 x $0.001068 x 30 = $0.12816; total $0.711
    approx(estimate.pipelines[1].compute, 0.711, "arm spot");
  });

  it("multiplies by jobs per run and bills at least a minute", () => {
    const estimate = estimateMonthlyCost(
      workload([
        pipeline(
          { engine: "batch", vcpu: 2, memoryGb: 4, architecture: "ARM64", spot: false, jobsPerRun: 5 },
          { ...run, name: "fan-out" },
        ),
        pipeline(
          { engine: "batch", vcpu: 1, memoryGb: 2, architecture: "X86_64", spot: false },
          { name: "short", runsPerMonth: 60, expectedRuntimeMinutes: 0.1 },
        ),
      ]),
    );
    // 5 jobs x $2.37 = $11.85; baseline 5 x $2.9622 = $14.811
    approx(estimate.pipelines[0].compute, 11.85, "fan-out");
    approx(estimate.pipelines[0].baselineCompute, 14.811, "fan-out baseline");
    // 60 runs x (1/60) h = 1 h: 1 x $0.04048 + 2 x $0.004445 = $0.04937
    approx(estimate.pipelines[1].compute, 0.04937, "short");
  });
});

describe("cost estimate: orchestration and fixed components", () => {
  it("prices Step Functions transitions per pipeline, in both the estimate and the baseline", () => {
    const estimate = estimateMonthlyCost(
      workload([
        pipeline(
          { engine: "glue", workerType: "G.1X", numberOfWorkers: 2, executionClass: "STANDARD" },
          { runsPerMonth: 1000, expectedRuntimeMinutes: 1, stateTransitionsPerRun: 25 },
        ),
      ]),
    );
    // 1,000 runs x 25 transitions = 25,000 = 25 x 1,000 x $0.025 = $0.625
    approx(estimate.pipelines[0].orchestration, 0.625, "orchestration");
    approx(estimate.components.orchestration, 0.625, "component");
    approx(estimate.baselineComponents.orchestration, 0.625, "baseline component");
    // compute 2 x 1 DPU x (1/60) h x 1,000 x $0.44 = $14.666...; total = compute + $0.625
    approx(estimate.pipelines[0].total, (2 * 1000 * 0.44) / 60 + 0.625, "pipeline total");
  });

  it("prices NAT gateways per hour and per GB processed", () => {
    const us = estimateMonthlyCost(workload([], { fixed: { natGateways: 1, natGbProcessedPerMonth: 100 } }));
    // 1 x 730 h x $0.045 = $32.85; 100 GB x $0.045 = $4.50; total $37.35
    approx(us.components.network, 37.35, "us-east-1");
    const eu = estimateMonthlyCost(
      workload([], { region: "eu-west-1", fixed: { natGateways: 2, natGbProcessedPerMonth: 50 } }),
    );
    // 2 x 730 h x $0.048 = $70.08; 50 GB x $0.048 = $2.40; total $72.48
    approx(eu.components.network, 72.48, "eu-west-1");
  });

  it("prices interface endpoints per endpoint-zone hour; without NAT the traffic goes through them", () => {
    const endpoints = { endpoints: 8, availabilityZones: 2 };
    const none = estimateMonthlyCost(
      workload([], { fixed: { natGateways: 0, natGbProcessedPerMonth: 50, interfaceEndpoints: endpoints } }),
    );
    // 8 x 2 x 730 h x $0.01 = $116.80; 50 GB x $0.01 = $0.50; total $117.30
    approx(none.components.network, 117.3, "us-east-1");
    approx(none.baselineComponents.network, 117.3, "no cheaper variant");
    const eu = estimateMonthlyCost(
      workload([], {
        region: "eu-west-1",
        fixed: {
          natGateways: 0,
          natGbProcessedPerMonth: 0,
          interfaceEndpoints: { endpoints: 3, availabilityZones: 3 },
        },
      }),
    );
    // 3 x 3 x 730 h x $0.011 = $72.27
    approx(eu.components.network, 72.27, "eu-west-1");
    // An existing VPC (no gateways, no endpoints of the stack's own) still pays its NAT per GB.
    const existing = estimateMonthlyCost(
      workload([], { fixed: { natGateways: 0, natGbProcessedPerMonth: 100 } }),
    );
    approx(existing.components.network, 4.5, "existing VPC");
  });

  it("prices S3 storage per class", () => {
    const estimate = estimateMonthlyCost(
      workload([], {
        fixed: {
          storageGbByClass: {
            STANDARD: 1000,
            STANDARD_IA: 1000,
            GLACIER_IR: 1000,
            GLACIER: 1000,
            DEEP_ARCHIVE: 1000,
          },
        },
      }),
    );
    // 1,000 GB x ($0.023 + $0.0125 + $0.004 + $0.0036 + $0.00099) = $23 + $12.50 + $4 + $3.60 + $0.99 = $44.09
    approx(estimate.components.storage, 44.09);
  });

  it("prices KMS keys, alarms and log ingestion", () => {
    const us = estimateMonthlyCost(workload([], { fixed: { kmsKeys: 3, alarms: 10, logsGbPerMonth: 5 } }));
    // 3 keys x $1 = $3
    approx(us.components.security, 3, "security");
    // 10 alarms x $0.10 = $1.00; 5 GB x $0.50 = $2.50; total $3.50
    approx(us.components.monitoring, 3.5, "monitoring");
    const eu = estimateMonthlyCost(
      workload([], { region: "eu-west-1", fixed: { alarms: 10, logsGbPerMonth: 5 } }),
    );
    // 10 x $0.10 = $1.00; 5 GB x $0.57 = $2.85; total $3.85
    approx(eu.components.monitoring, 3.85, "eu-west-1 monitoring");
    const composites = estimateMonthlyCost(workload([], { fixed: { alarms: 10, compositeAlarms: 2 } }));
    // 10 x $0.10 + 2 composite alarms x $0.50 = $2.00
    approx(composites.components.monitoring, 2, "composite alarms");
  });

  it("prices Redshift Serverless per RPU-hour and provisioned nodes per node-hour", () => {
    const cost = (warehouse: Parameters<typeof workload>[1]) => estimateMonthlyCost(workload([], warehouse));
    // 8 RPU x 100 h x $0.375 = $300
    approx(
      cost({ fixed: { warehouse: { kind: "serverless", baseRpu: 8, hoursPerMonth: 100 } } }).components
        .warehouse,
      300,
    );
    // 2 nodes x 730 h x $1.086 = $1,585.56
    approx(
      cost({ fixed: { warehouse: { kind: "provisioned", nodeType: "ra3.xlplus", nodes: 2 } } }).components
        .warehouse,
      1585.56,
    );
    // 2 nodes x 730 h x $3.26 = $4,759.60
    approx(
      cost({ fixed: { warehouse: { kind: "provisioned", nodeType: "ra3.4xlarge", nodes: 2 } } }).components
        .warehouse,
      4759.6,
    );
    // paused most of the month: 1 node x 200 h x $0.543 = $108.60
    approx(
      cost({
        fixed: { warehouse: { kind: "provisioned", nodeType: "ra3.large", nodes: 1, hoursPerMonth: 200 } },
      }).components.warehouse,
      108.6,
    );
    approx(cost({}).components.warehouse, 0, "no warehouse");
  });

  it("bills a paused cluster's running hours only; the baseline runs all month", () => {
    const estimate = estimateMonthlyCost(
      workload([], {
        fixed: { warehouse: { kind: "provisioned", nodeType: "ra3.xlplus", nodes: 2, hoursPerMonth: 400 } },
      }),
    );
    // 2 nodes x 400 h x $1.086 = $868.80; baseline 2 x 730 h x $1.086 = $1,585.56
    approx(estimate.components.warehouse, 868.8, "warehouse");
    approx(estimate.baselineComponents.warehouse, 1585.56, "baseline");
    approx(estimate.saving, 1585.56 - 868.8, "saving");
    assert.throws(
      () =>
        estimateMonthlyCost(
          workload([], {
            fixed: {
              warehouse: { kind: "provisioned", nodeType: "ra3.large", nodes: 1, hoursPerMonth: 731 },
            },
          }),
        ),
      /hoursPerMonth must be at most 730, got 731/,
    );
  });
});

describe("cost estimate: totals, baseline and saving", () => {
  it("splits compute by engine and sums every component", () => {
    const estimate = estimateMonthlyCost(
      workload(
        [
          pipeline(
            { engine: "glue", workerType: "G.1X", numberOfWorkers: 2, executionClass: "FLEX" },
            { name: "glue", runsPerMonth: 30, expectedRuntimeMinutes: 30 },
          ),
          pipeline(
            {
              engine: "emr",
              primary: { instanceType: "m7g.xlarge", count: 1, market: "ON_DEMAND" },
              core: { instanceType: "r7g.2xlarge", count: 2, market: "SPOT" },
            },
            { name: "emr", runsPerMonth: 10, expectedRuntimeMinutes: 60 },
          ),
          pipeline(
            { engine: "emrServerless", vcpu: 16, memoryGb: 64, architecture: "ARM64" },
            { name: "emr-serverless", runsPerMonth: 20, expectedRuntimeMinutes: 30 },
          ),
          pipeline(
            { engine: "batch", vcpu: 2, memoryGb: 4, architecture: "ARM64", spot: false },
            { name: "batch", runsPerMonth: 120, expectedRuntimeMinutes: 15 },
          ),
        ],
        {
          fixed: {
            natGateways: 1,
            natGbProcessedPerMonth: 100,
            kmsKeys: 3,
            alarms: 10,
            logsGbPerMonth: 5,
            storageGbByClass: { STANDARD: 1000 },
            warehouse: { kind: "serverless", baseRpu: 8, hoursPerMonth: 100 },
          },
        },
      ),
    );
    const { compute } = estimate.components;
    approx(compute.glue, 8.7, "glue");
    approx(compute.emr, 7.1808, "emr");
    approx(compute.emrServerless, 9.69696, "emr serverless");
    approx(compute.batch, 2.37, "batch");
    // compute $8.70 + $7.1808 + $9.69696 + $2.37 = $27.94776
    // fixed: network $37.35 + storage $23 + security $3 + monitoring $3.50 + warehouse $300 = $366.85
    approx(estimate.total, 27.94776 + 366.85, "total");
    // baseline compute $13.20 + $15.75 + $12.11808 + $2.9622 = $44.03028; fixed parts the same
    approx(estimate.baselineTotal, 44.03028 + 366.85, "baseline total");
    // saving $44.03028 - $27.94776 = $16.08252
    approx(estimate.saving, 16.08252, "saving");
    approx(estimate.savingPercent, (16.08252 / (44.03028 + 366.85)) * 100, "saving %");
    // fixed components are the same in the baseline
    assert.equal(estimate.baselineComponents.network, estimate.components.network);
    assert.equal(estimate.baselineComponents.warehouse, estimate.components.warehouse);
    assert.deepEqual(
      estimate.pipelines.map((p) => p.engine),
      ["glue", "emr", "emrServerless", "batch"],
    );
    assert.equal(estimate.priceTableDate, "2026-11-27");
    assert.equal(estimate.currency, "USD");
  });

  it("reports 0% saving for an empty workload instead of dividing by zero", () => {
    const estimate = estimateMonthlyCost(workload([]));
    assert.equal(estimate.total, 0);
    assert.equal(estimate.baselineTotal, 0);
    assert.equal(estimate.savingPercent, 0);
  });
});
