import { DEFAULT_ALLOWED_INSTANCE_TYPES } from "../../policies/cost/instance-types-allowed";
import { T } from "../../policies/lib/types";
import { add, CLEAN, cannotJudge, drop, mutate, policyCases, violation } from "./cases";
import { res, UNKNOWN } from "./harness";

const EMR = "bdp-dev-sales-emr";
const JOB = "bdp-dev-sales-etl";

policyCases("flexible-tier-spot-or-graviton", [
  { name: "passes the compliant stack (Spot+Graviton EMR, FARGATE_SPOT, ARM64, FLEX)", expect: CLEAN },
  {
    name: "fails a flexible EMR core fleet with neither Spot nor Graviton",
    stack: mutate(EMR, (p) => {
      p.coreInstanceFleet.targetSpotCapacity = 0;
      p.coreInstanceFleet.targetOnDemandCapacity = 4;
      p.coreInstanceFleet.instanceTypeConfigs = [{ instanceType: "m5.2xlarge" }];
    }),
    expect: violation(EMR, "coreInstanceFleet", "m5.2xlarge"),
  },
  {
    name: "passes an on-demand all-Graviton core fleet (Graviton alone is enough)",
    stack: mutate(EMR, (p) => {
      p.coreInstanceFleet.targetSpotCapacity = 0;
    }),
    expect: CLEAN,
  },
  {
    name: "knob requireSpotAndGraviton fails the on-demand Graviton fleet",
    stack: mutate(EMR, (p) => {
      p.coreInstanceFleet.targetSpotCapacity = 0;
    }),
    config: { requireSpotAndGraviton: true },
    expect: violation(EMR, "Spot and Graviton are both"),
  },
  {
    name: "fails a flexible core instance group without bid price on x86",
    stack: mutate(EMR, (p) => {
      delete p.coreInstanceFleet;
      p.coreInstanceGroup = { instanceType: "m5.xlarge", instanceCount: 2 };
    }),
    expect: violation(EMR, "coreInstanceGroup"),
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
    stack: mutate(JOB, (p) => {
      delete p.executionClass;
    }),
    expect: violation(JOB, "FLEX"),
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
    stack: mutate(JOB, (p) => {
      p.tags["sla-tier"] = "standard";
      delete p.executionClass;
    }),
    expect: CLEAN,
  },
  {
    name: "knob flexibleTierValues widens the rule to other tiers",
    stack: mutate(JOB, (p) => {
      p.tags["sla-tier"] = "batch";
      delete p.executionClass;
    }),
    config: { flexibleTierValues: ["flexible", "batch"] },
    expect: violation(JOB, "FLEX"),
  },
  {
    name: "cannot judge when the tier tag is unknown",
    stack: mutate(JOB, (p) => {
      p.tags = UNKNOWN.object;
    }),
    expect: cannotJudge(JOB, "SLA tier"),
  },
]);

policyCases("emr-auto-termination", [
  { name: "passes a cluster with a 30-minute idle timeout", expect: CLEAN },
  {
    name: "passes a transient cluster",
    stack: mutate(EMR, (p) => {
      delete p.autoTerminationPolicy;
      p.keepJobFlowAliveWhenNoSteps = false;
    }),
    expect: CLEAN,
  },
  {
    name: "fails a long-running cluster without auto-termination",
    stack: mutate(EMR, (p) => {
      delete p.autoTerminationPolicy;
    }),
    expect: violation(EMR, "stays up when idle", "idleTimeout"),
  },
  {
    name: "fails an idle timeout above the limit",
    stack: mutate(EMR, (p) => {
      p.autoTerminationPolicy.idleTimeout = 14400;
    }),
    expect: violation(EMR, "14400"),
  },
  {
    name: "knob maxIdleTimeoutSeconds tightens the limit",
    config: { maxIdleTimeoutSeconds: 900 },
    expect: violation(EMR, "1800", "900"),
  },
  {
    name: "cannot judge an unknown idle timeout",
    stack: mutate(EMR, (p) => {
      p.autoTerminationPolicy.idleTimeout = UNKNOWN.number;
    }),
    expect: cannotJudge(EMR, "idleTimeout"),
  },
]);

policyCases("emr-managed-scaling", [
  { name: "passes a long-running cluster with a managed scaling policy", expect: CLEAN },
  {
    name: "fails a long-running cluster without a managed scaling policy",
    stack: drop("bdp-dev-sales-emr-scaling"),
    expect: violation(EMR, "ManagedScalingPolicy"),
  },
  {
    name: "passes a transient cluster without one",
    stack: (s) =>
      drop("bdp-dev-sales-emr-scaling")(s).map((r) =>
        r.name === EMR ? { ...r, props: { ...r.props, keepJobFlowAliveWhenNoSteps: false } } : r,
      ),
    expect: CLEAN,
  },
  {
    name: "correlates by clusterId value when dependencies are missing",
    stack: (s) => s.all.map((r) => (r.name === "bdp-dev-sales-emr-scaling" ? { ...r, deps: {} } : r)),
    expect: CLEAN,
  },
  {
    name: "knob maxCapacityUnits bounds the policy's maximum",
    config: { maxCapacityUnits: 8 },
    expect: violation(EMR, "16", "8"),
  },
  {
    name: "cannot judge when the policy's clusterId is unknown and has no dependencies",
    stack: (s) =>
      s.all.map((r) =>
        r.name === "bdp-dev-sales-emr-scaling"
          ? { ...r, deps: {}, props: { ...r.props, clusterId: UNKNOWN.string } }
          : r,
      ),
    expect: cannotJudge(EMR, "managed scaling"),
  },
]);

policyCases("instance-types-allowed", [
  { name: "passes Graviton types within the size limit (and Batch families/keywords)", expect: CLEAN },
  {
    name: "fails a type that is not on the allow list",
    stack: mutate(EMR, (p) => {
      p.masterInstanceFleet.instanceTypeConfigs = [{ instanceType: "p4d.24xlarge" }];
    }),
    expect: violation(EMR, "p4d.24xlarge", "allow list"),
  },
  {
    name: "fails a type above the maximum size",
    stack: mutate("bdp-dev-sales-emr-task", (p) => {
      p.instanceTypeConfigs = [{ instanceType: "c7g.16xlarge" }];
    }),
    expect: violation("bdp-dev-sales-emr-task", "c7g.16xlarge", "maximum size"),
  },
  {
    name: "knob maxInstanceSize (dev: 2xlarge) fails a 4xlarge core type",
    stack: mutate(EMR, (p) => {
      p.coreInstanceFleet.instanceTypeConfigs = [{ instanceType: "r7g.4xlarge" }];
    }),
    config: { maxInstanceSize: "2xlarge" },
    expect: violation(EMR, "r7g.4xlarge"),
  },
  {
    name: "knob allowedInstanceTypes admits a new family",
    stack: mutate("bdp-dev-batch-ec2", (p) => {
      p.computeResources.instanceTypes = ["m5.large"];
    }),
    config: { allowedInstanceTypes: [...DEFAULT_ALLOWED_INSTANCE_TYPES, "m5.*"] },
    expect: CLEAN,
  },
  {
    name: "knob allowedInstanceTypes without the family fails it",
    stack: mutate("bdp-dev-batch-ec2", (p) => {
      p.computeResources.instanceTypes = ["m5.large"];
    }),
    expect: violation("bdp-dev-batch-ec2", "m5.large", "allow list"),
  },
  {
    name: "fails Batch 'optimal' unless allowed as a keyword",
    stack: mutate("bdp-dev-batch-ec2", (p) => {
      p.computeResources.instanceTypes = ["optimal"];
    }),
    expect: violation("bdp-dev-batch-ec2", "optimal"),
  },
  {
    name: "fails an instance group type off the list",
    stack: add((s) => [
      res(
        T.emrInstanceGroup,
        "bdp-dev-task-group",
        { clusterId: "j-1", instanceType: "x1e.32xlarge", instanceCount: 1 },
        { provider: s.provider },
      ),
    ]),
    expect: violation("bdp-dev-task-group", "x1e.32xlarge"),
  },
  {
    name: "cannot judge unknown Batch instance types",
    stack: mutate("bdp-dev-batch-ec2", (p) => {
      p.computeResources.instanceTypes = UNKNOWN.array;
    }),
    expect: cannotJudge("bdp-dev-batch-ec2", "instanceTypes"),
  },
]);

policyCases("glue-job-worker-limits", [
  { name: "passes 4 G.1X workers", expect: CLEAN },
  {
    name: "fails a job that does not declare its capacity",
    stack: mutate(JOB, (p) => {
      delete p.numberOfWorkers;
      delete p.workerType;
    }),
    expect: violation(JOB, "does not declare its capacity"),
  },
  {
    name: "fails too many workers",
    stack: mutate(JOB, (p) => {
      p.numberOfWorkers = 100;
    }),
    expect: violation(JOB, "numberOfWorkers is 100"),
  },
  {
    name: "fails a disallowed worker type",
    stack: mutate(JOB, (p) => {
      p.workerType = "G.8X";
    }),
    expect: violation(JOB, "G.8X"),
  },
  {
    name: "fails numberOfWorkers without workerType",
    stack: mutate(JOB, (p) => {
      delete p.workerType;
    }),
    expect: violation(JOB, "without workerType"),
  },
  {
    name: "fails maxCapacity above the DPU limit",
    stack: mutate(JOB, (p) => {
      delete p.numberOfWorkers;
      delete p.workerType;
      p.maxCapacity = 40;
    }),
    expect: violation(JOB, "maxCapacity is 40"),
  },
  {
    name: "knob maxWorkers lowers the limit",
    config: { maxWorkers: 2 },
    expect: violation(JOB, "above the limit of 2"),
  },
  {
    name: "cannot judge an unknown worker count",
    stack: mutate(JOB, (p) => {
      p.numberOfWorkers = UNKNOWN.number;
    }),
    expect: cannotJudge(JOB, "numberOfWorkers"),
  },
]);

policyCases("log-group-retention", [
  { name: "passes 14 days", expect: CLEAN },
  {
    name: "fails a log group without retention",
    stack: mutate("bdp-dev-sfn-logs", (p) => {
      delete p.retentionInDays;
    }),
    expect: violation("bdp-dev-sfn-logs", "kept forever", "retentionInDays"),
  },
  {
    name: "fails retention 0 (never expire)",
    stack: mutate("bdp-dev-sfn-logs", (p) => {
      p.retentionInDays = 0;
    }),
    expect: violation("bdp-dev-sfn-logs", "kept forever"),
  },
  {
    name: "fails a value CloudWatch does not accept",
    stack: mutate("bdp-dev-sfn-logs", (p) => {
      p.retentionInDays = 10;
    }),
    expect: violation("bdp-dev-sfn-logs", "not a value CloudWatch accepts"),
  },
  {
    name: "knob maxRetentionDays fails a long retention",
    stack: mutate("bdp-dev-sfn-logs", (p) => {
      p.retentionInDays = 365;
    }),
    config: { maxRetentionDays: 30 },
    expect: violation("bdp-dev-sfn-logs", "exceeds the maximum of 30"),
  },
  {
    name: "cannot judge unknown retention",
    stack: mutate("bdp-dev-sfn-logs", (p) => {
      p.retentionInDays = UNKNOWN.number;
    }),
    expect: cannotJudge("bdp-dev-sfn-logs", "retentionInDays"),
  },
]);

const BUCKET = "bdp-dev-lake-raw";

policyCases("bucket-lifecycle-rules", [
  { name: "passes a bucket with an enabled rule that aborts uploads", expect: CLEAN },
  {
    name: "fails a bucket without lifecycle configuration",
    stack: drop("bdp-dev-lake-raw-lifecycle"),
    expect: violation(BUCKET, "no lifecycle rules"),
  },
  {
    name: "fails when no rule is enabled",
    stack: mutate("bdp-dev-lake-raw-lifecycle", (p) => {
      p.rules[0].status = "Disabled";
    }),
    expect: violation(BUCKET, "no rule is enabled"),
  },
  {
    name: "fails when no rule aborts incomplete uploads",
    stack: mutate("bdp-dev-lake-raw-lifecycle", (p) => {
      delete p.rules[0].abortIncompleteMultipartUpload;
    }),
    expect: violation(BUCKET, "abort"),
  },
  {
    name: "knob requireAbortIncompleteUploads=false accepts it",
    stack: mutate("bdp-dev-lake-raw-lifecycle", (p) => {
      delete p.rules[0].abortIncompleteMultipartUpload;
    }),
    config: { requireAbortIncompleteUploads: false },
    expect: CLEAN,
  },
  {
    name: "knob onlyBucketsTagged skips untagged buckets",
    stack: drop("bdp-dev-lake-raw-lifecycle"),
    config: { onlyBucketsTagged: { "data-zone": "raw" } },
    expect: CLEAN,
  },
  {
    name: "accepts legacy inline lifecycleRules",
    stack: (s) =>
      drop("bdp-dev-lake-raw-lifecycle")(s).map((r) =>
        r.name === BUCKET
          ? {
              ...r,
              props: {
                ...r.props,
                lifecycleRules: [
                  { enabled: true, abortIncompleteMultipartUploadDays: 3, expiration: { days: 30 } },
                ],
              },
            }
          : r,
      ),
    expect: CLEAN,
  },
  {
    name: "cannot judge when the configuration's bucket reference is unknown",
    stack: (s) =>
      s.all.map((r) =>
        r.name === "bdp-dev-lake-raw-lifecycle"
          ? { ...r, deps: {}, props: { ...r.props, bucket: UNKNOWN.string } }
          : r,
      ),
    expect: cannotJudge(BUCKET, "lifecycle rules"),
  },
]);

policyCases("budget-with-notifications", [
  { name: "passes a COST budget with notifications", expect: CLEAN },
  {
    name: "fails a stack without a budget",
    stack: drop("bdp-dev-budget"),
    expect: violation("stack", "no AWS cost budget"),
  },
  {
    name: "fails a budget without notifications",
    stack: mutate("bdp-dev-budget", (p) => {
      p.notifications = [];
    }),
    expect: violation("bdp-dev-budget", "0 notification"),
  },
  {
    name: "fails a notification without subscribers",
    stack: mutate("bdp-dev-budget", (p) => {
      delete p.notifications[1].subscriberEmailAddresses;
    }),
    expect: violation("bdp-dev-budget", "notification 1 has no subscriber"),
  },
  {
    name: "fails a budget without a limit",
    stack: mutate("bdp-dev-budget", (p) => {
      delete p.limitAmount;
    }),
    expect: violation("bdp-dev-budget", "limitAmount"),
  },
  {
    name: "knob requireForecastedNotification fails ACTUAL-only budgets",
    stack: mutate("bdp-dev-budget", (p) => {
      p.notifications = [p.notifications[1]];
    }),
    config: { requireForecastedNotification: true },
    expect: violation("bdp-dev-budget", "FORECASTED"),
  },
  {
    name: "knob minNotifications raises the count",
    config: { minNotifications: 3 },
    expect: violation("bdp-dev-budget", "fewer than 3"),
  },
  {
    name: "cannot judge unknown notifications",
    stack: mutate("bdp-dev-budget", (p) => {
      p.notifications = UNKNOWN.array;
    }),
    expect: cannotJudge("bdp-dev-budget", "notifications"),
  },
]);

policyCases("estimated-cost-within-budget", [
  { name: "passes an estimate of $250 against a $400 budget", expect: CLEAN },
  {
    name: "fails an estimate above the budget",
    config: { estimatedMonthlyUsd: 900 },
    expect: violation("bdp-dev-budget", "$900.00", "exceeds"),
  },
  {
    name: "knob maxBudgetUtilizationPercent keeps headroom",
    config: { estimatedMonthlyUsd: 350, maxBudgetUtilizationPercent: 80 },
    expect: violation("bdp-dev-budget", "80%"),
  },
  {
    name: "sums estimated-monthly-usd tags when no estimate is configured",
    stack: (s) =>
      s.all.map((r) =>
        r.name === EMR
          ? { ...r, props: { ...r.props, tags: { ...r.props.tags, "estimated-monthly-usd": "512.5" } } }
          : r,
      ),
    config: { estimatedMonthlyUsd: undefined },
    expect: violation("bdp-dev-budget", "$512.50", "tag"),
  },
  {
    name: "converts an annual budget to a monthly amount",
    stack: mutate("bdp-dev-budget", (p) => {
      p.timeUnit = "ANNUALLY";
      p.limitAmount = "2400";
    }),
    expect: violation("bdp-dev-budget", "$200.00 per month"),
  },
  {
    name: "cannot judge without any estimate",
    config: { estimatedMonthlyUsd: undefined },
    expect: cannotJudge("stack", "no estimate"),
  },
  {
    name: "cannot judge an unknown limit",
    stack: mutate("bdp-dev-budget", (p) => {
      p.limitAmount = UNKNOWN.string;
    }),
    expect: cannotJudge("bdp-dev-budget", "limitAmount"),
  },
]);
