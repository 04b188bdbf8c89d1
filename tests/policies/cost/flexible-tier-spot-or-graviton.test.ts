/** flexible-tier-spot-or-graviton (policies/cost/flexible-tier-spot-or-graviton.ts) on a compliant stack of emr, batch, glue. */
import { EMR_CLUSTER, GLUE_JOB, stackWith } from "../builders";
import { cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("flexible-tier-spot-or-graviton", () => stackWith("emr", "batch", "glue"), [
  { name: "passes the compliant stack (Spot+Graviton EMR, FARGATE_SPOT, ARM64, FLEX)", expect: CLEAN },
  {
    name: "fails a flexible EMR core fleet with neither Spot nor Graviton",
    stack: mutate(EMR_CLUSTER, (p) => {
      p.coreInstanceFleet.targetSpotCapacity = 0;
      p.coreInstanceFleet.targetOnDemandCapacity = 4;
      p.coreInstanceFleet.instanceTypeConfigs = [{ instanceType: "m5.2xlarge" }];
    }),
    expect: violation(EMR_CLUSTER, "coreInstanceFleet", "m5.2xlarge"),
  },
  {
    name: "passes an on-demand all-Graviton core fleet (Graviton alone is enough)",
    stack: mutate(EMR_CLUSTER, (p) => {
      p.coreInstanceFleet.targetSpotCapacity = 0;
    }),
    expect: CLEAN,
  },
  {
    name: "knob requireSpotAndGraviton fails the on-demand Graviton fleet",
    stack: mutate(EMR_CLUSTER, (p) => {
      p.coreInstanceFleet.targetSpotCapacity = 0;
    }),
    config: { requireSpotAndGraviton: true },
    expect: violation(EMR_CLUSTER, "Spot and Graviton are both"),
  },
  {
    name: "fails a flexible core instance group without bid price on x86",
    stack: mutate(EMR_CLUSTER, (p) => {
      delete p.coreInstanceFleet;
      p.coreInstanceGroup = { instanceType: "m5.xlarge", instanceCount: 2 };
    }),
    expect: violation(EMR_CLUSTER, "coreInstanceGroup"),
  },
  {
    name: "fails a task fleet of a flexible cluster (tier inherited via clusterId) on x86 on-demand",
    stack: mutate("bdp-dev-sales-emr-task", (p) => {
      p.targetSpotCapacity = 0;
      p.targetOnDemandCapacity = 2;
      p.instanceTypeConfigs = [{ instanceType: "c5.2xlarge" }];
    }),
    expect: violation("bdp-dev-sales-emr-task", "task instance fleet"),
  },
  {
    name: "fails a flexible FARGATE (on-demand) compute environment",
    stack: mutate("bdp-dev-batch-spot", (p) => {
      p.computeResources.type = "FARGATE";
    }),
    expect: violation("bdp-dev-batch-spot", "FARGATE_SPOT"),
  },
  {
    name: "fails a flexible EC2 compute environment with x86 types",
    stack: mutate("bdp-dev-batch-ec2", (p) => {
      p.tags["sla-tier"] = "flexible";
      p.computeResources.type = "EC2";
      p.computeResources.instanceTypes = ["m5.large"];
    }),
    expect: violation("bdp-dev-batch-ec2", "non-Graviton"),
  },
  {
    name: "fails a flexible Fargate job definition on X86_64",
    stack: mutate("bdp-dev-aggregator", (p) => {
      const c = JSON.parse(p.containerProperties);
      c.runtimePlatform.cpuArchitecture = "X86_64";
      p.containerProperties = JSON.stringify(c);
    }),
    expect: violation("bdp-dev-aggregator", "cpuArchitecture"),
  },
  {
    name: "fails a flexible Glue job on the STANDARD execution class",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.executionClass;
    }),
    expect: violation(GLUE_JOB, "FLEX"),
  },
  {
    name: "fails a flexible EMR Serverless application on X86_64",
    stack: mutate("bdp-dev-sales-serverless", (p) => {
      p.architecture = "X86_64";
    }),
    expect: violation("bdp-dev-sales-serverless", "ARM64"),
  },
  {
    name: "ignores standard-tier work",
    stack: mutate(GLUE_JOB, (p) => {
      p.tags["sla-tier"] = "standard";
      delete p.executionClass;
    }),
    expect: CLEAN,
  },
  {
    name: "knob flexibleTierValues widens the rule to other tiers",
    stack: mutate(GLUE_JOB, (p) => {
      p.tags["sla-tier"] = "batch";
      delete p.executionClass;
    }),
    config: { flexibleTierValues: ["flexible", "batch"] },
    expect: violation(GLUE_JOB, "FLEX"),
  },
  {
    name: "cannot judge work without a tier tag (a program that does not tag tiers)",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.tags["sla-tier"];
      delete p.executionClass;
    }),
    expect: cannotJudge(GLUE_JOB, "carry no tier tag"),
  },
  {
    name: "says which tag would let it judge untagged work, by the knob tierTagKey",
    stack: mutate(GLUE_JOB, (p) => {
      delete p.tags["sla-tier"];
    }),
    config: { tierTagKey: "workload-tier" },
    expect: cannotJudge(GLUE_JOB, "Tag it (or its cluster) workload-tier=<tier> to have it judged"),
  },
  {
    name: "cannot judge when the tier tag is unknown",
    stack: mutate(GLUE_JOB, (p) => {
      p.tags = UNKNOWN.object;
    }),
    expect: cannotJudge(GLUE_JOB, "SLA tier"),
  },
]);
