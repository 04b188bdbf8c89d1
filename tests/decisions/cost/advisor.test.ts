import assert from "node:assert/strict";

import {
  AdvisorInputs,
  estimateMonthlyCost,
  FixedWorkload,
  formatCostReport,
  PipelineWorkload,
  Saving,
} from "../../../decisions/cost/estimate";
import { redshiftServerlessRpuFor } from "../../../decisions/redshift";
import { approx, pipeline, workload } from "./helpers";

// Every amount is worked out by hand from the us-east-1 prices of the table; the arithmetic is in
// the comment next to it. A month is 730 hours: 730 / 24 = 30.41667 days.

function advise(
  pipelines: PipelineWorkload[],
  fixed: Partial<FixedWorkload>,
  advisor: AdvisorInputs = {},
): Saving[] {
  return estimateMonthlyCost({ ...workload(pipelines, { fixed }), advisor }).advice;
}

function only(savings: Saving[], id: string): Saving {
  const found = savings.filter((saving) => saving.id === id);
  assert.equal(found.length, 1, `${id} in ${JSON.stringify(savings.map((saving) => saving.id))}`);
  return found[0];
}

const CLUSTER = { kind: "provisioned", nodeType: "ra3.xlplus", nodes: 2, hoursPerMonth: 400 } as const;

describe("cost advisor: Redshift Serverless instead of a provisioned cluster", () => {
  it("prices the busy hours on Serverless against the hours the cluster runs", () => {
    const saving = only(
      advise([], { warehouse: CLUSTER }, { warehouseBusyHoursPerDay: 4 }),
      "warehouse.serverless",
    );
    // cluster: 2 nodes x 400 h x $1.086 = $868.80
    // Serverless: 2 x 32 GB = 64 GB = 4 RPU, at least 8: 8 RPU x (4 h x 30.41667 days) x $0.375 = $365.00
    approx(saving.monthlyUsd, 868.8 - 365, "saving");
    assert.equal(saving.upTo, false);
    assert.match(
      saving.change,
      /Serverless at 8 base RPUs instead of 2 x ra3\.xlplus running 13\.2 h a day for 4 busy hours/,
    );
    assert.match(
      saving.basis,
      /2 nodes x 400 h x \$1\.086 = \$868\.80 vs 8 RPU x 121\.7 h x \$0\.375 = \$365\.00/,
    );
    assert.match(saving.trade, /each query bills at least 60 seconds/);
  });

  it("sizes the base RPUs on the cluster's memory, 16 GB an RPU, in steps of 8", () => {
    assert.equal(redshiftServerlessRpuFor("ra3.large", 1), 8); // 16 GB -> 1 -> 8
    assert.equal(redshiftServerlessRpuFor("ra3.xlplus", 5), 16); // 160 GB -> 10 -> 16
    assert.equal(redshiftServerlessRpuFor("ra3.4xlarge", 4), 24); // 384 GB -> 24
  });

  it("says nothing without busy hours, for Serverless, or when Serverless would cost more", () => {
    assert.deepEqual(advise([], { warehouse: CLUSTER }), []);
    assert.deepEqual(
      advise(
        [],
        { warehouse: { kind: "serverless", baseRpu: 8, hoursPerMonth: 100 } },
        { warehouseBusyHoursPerDay: 2 },
      ),
      [],
    );
    // Busy all day: 8 RPU x 730 h x $0.375 = $2,190 > 2 x 730 h x $1.086 = $1,585.56.
    const allDay = { ...CLUSTER, hoursPerMonth: undefined };
    assert.deepEqual(advise([], { warehouse: allDay }, { warehouseBusyHoursPerDay: 24 }), []);
  });
});

describe("cost advisor: one NAT gateway instead of one per zone", () => {
  it("saves the other gateways' hours less the traffic that then crosses zones", () => {
    const saving = only(
      advise([], { natGateways: 3, natGbProcessedPerMonth: 300 }),
      "network.singleNatGateway",
    );
    // 2 x 730 h x $0.045 = $65.70; 300 GB x 2/3 cross zones x 2 directions x $0.01 = $4.00
    approx(saving.monthlyUsd, 61.7, "saving");
    assert.match(
      saving.basis,
      /2 x 730 h x \$0\.045 = \$65\.70, less 200 GB crossing zones x 2 x \$0\.01 = \$4\.00/,
    );
    assert.doesNotMatch(saving.trade, /critical/);
  });

  it("names the critical pipelines that depend on the gateway", () => {
    const critical = pipeline(
      { engine: "batch", vcpu: 1, memoryGb: 2, architecture: "ARM64", spot: false },
      { slaTier: "critical" },
    );
    const saving = only(advise([critical], { natGateways: 2 }), "network.singleNatGateway");
    assert.match(saving.trade, /1 critical pipeline depends on it here, so keep one per zone in production/);
  });

  it("says nothing with one gateway or none", () => {
    assert.deepEqual(advise([], { natGateways: 1, natGbProcessedPerMonth: 500 }), []);
    assert.deepEqual(advise([], { natGateways: 0, natGbProcessedPerMonth: 500 }), []);
  });
});

describe("cost advisor: Flex or Spot where the tier allows", () => {
  const glue = { engine: "glue", workerType: "G.1X", numberOfWorkers: 2 } as const;

  it("prices a standard pipeline's run-hours on the flexible tier's capacity", () => {
    const standard = pipeline(
      { ...glue, executionClass: "STANDARD" },
      {
        name: "replay",
        slaTier: "standard",
        runsPerMonth: 30,
        expectedRuntimeMinutes: 30,
        flexibleTierUsage: { ...glue, executionClass: "FLEX" },
      },
    );
    const saving = only(advise([standard], {}), "pipelines.replay.flexibleTier");
    // 2 DPU x 0.5 h x 30 runs = 30 DPU-hours: $0.44 -> $13.20 STANDARD, $0.29 -> $8.70 FLEX
    approx(saving.monthlyUsd, 4.5, "saving");
    assert.match(saving.change, /^replay on the flexible tier \(Glue FLEX\) instead of standard$/);
    assert.match(saving.basis, /15 run-hours a month: \$13\.20 now vs \$8\.70 on the flexible tier/);
  });

  it("says nothing when the flexible tier's capacity costs the same", () => {
    const batch = { engine: "batch", vcpu: 1, memoryGb: 2, architecture: "ARM64", spot: true } as const;
    const spotAlready = pipeline(batch, { slaTier: "standard", flexibleTierUsage: batch });
    assert.deepEqual(advise([spotAlready], {}), []);
  });
});

describe("cost advisor: S3 Intelligent-Tiering for zones without a lifecycle", () => {
  it("bounds the saving by the data older than 30 days in the Infrequent Access tier", () => {
    const savings = advise(
      [],
      {},
      {
        untieredZones: [
          { zone: "analytics", standardGb: 1000 },
          { zone: "curated", standardGb: 400, expireDays: 60 },
          { zone: "raw", standardGb: 900, expireDays: 30 },
        ],
      },
    );
    // analytics: nothing expires: 1,000 GB x ($0.023 - $0.0125) = $10.50
    const analytics = only(savings, "storage.analytics.intelligentTiering");
    approx(analytics.monthlyUsd, 10.5);
    assert.equal(analytics.upTo, true);
    // curated: half its data is older than 30 of its 60 days: 200 GB x $0.0105 = $2.10
    approx(only(savings, "storage.curated.intelligentTiering").monthlyUsd, 2.1);
    assert.match(
      only(savings, "storage.curated.intelligentTiering").basis,
      /200 of 400 GB older than 30 days/,
    );
    // raw: objects expire after 30 days, before they could move.
    assert.ok(!savings.some((saving) => saving.id.startsWith("storage.raw")));
  });
});

describe("cost advisor: the list and its report section", () => {
  const savings = () =>
    advise(
      [],
      { natGateways: 2, natGbProcessedPerMonth: 0, warehouse: CLUSTER },
      { warehouseBusyHoursPerDay: 4, untieredZones: [{ zone: "analytics", standardGb: 100 }] },
    );

  it("lists the largest saving first", () => {
    // $503.80 (warehouse), $32.85 (1 x 730 h x $0.045), $1.05 (100 GB x $0.0105)
    assert.deepEqual(
      savings().map((saving) => [saving.id, Number(saving.monthlyUsd.toFixed(2))]),
      [
        ["warehouse.serverless", 503.8],
        ["network.singleNatGateway", 32.85],
        ["storage.analytics.intelligentTiering", 1.05],
      ],
    );
  });

  it("prints each saving with its amount, what it trades and how it was priced", () => {
    const estimate = estimateMonthlyCost({
      ...workload([], { fixed: { natGateways: 2, warehouse: CLUSTER } }),
      advisor: { warehouseBusyHoursPerDay: 4, untieredZones: [{ zone: "analytics", standardGb: 100 }] },
    });
    const report = formatCostReport(estimate);
    assert.match(report, /^Cost advisor: savings still open, per month \(same workload and price table\)$/m);
    assert.match(report, /^ {6}\$503\.80 {2}Redshift Serverless at 8 base RPUs/m);
    assert.match(report, /^ {7}\$32\.85 {2}one NAT gateway instead of 2/m);
    assert.match(report, /^ {2}up to \$1\.05 {2}S3 Intelligent-Tiering for the analytics zone/m);
    assert.match(report, /^ {15}trades: when the gateway's zone fails/m);
    assert.match(report, /^ {15}basis: 1 x 730 h x \$0\.045 = \$32\.85/m);
  });

  it("says so when there is no saving to make", () => {
    const report = formatCostReport(estimateMonthlyCost(workload([])));
    assert.match(report, /^Cost advisor: no further saving found in this workload$/m);
  });
});
