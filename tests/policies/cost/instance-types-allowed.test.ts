/** instance-types-allowed (policies/cost/instance-types-allowed.ts) on a compliant stack of emr, batch. */
import { DEFAULT_ALLOWED_INSTANCE_TYPES } from "../../../policies/cost/instance-types-allowed";
import { T } from "../../../policies/lib/types";
import { EMR_CLUSTER, stackWith } from "../builders";
import { add, cannotJudge, CLEAN, mutate, policyCases, violation } from "../cases";
import { res, UNKNOWN } from "../harness";

policyCases("instance-types-allowed", () => stackWith("emr", "batch"), [
  { name: "passes Graviton types within the size limit (and Batch families/keywords)", expect: CLEAN },
  {
    name: "fails a type that is not on the allow list",
    stack: mutate(EMR_CLUSTER, (p) => {
      p.masterInstanceFleet.instanceTypeConfigs = [{ instanceType: "p4d.24xlarge" }];
    }),
    expect: violation(EMR_CLUSTER, "p4d.24xlarge", "allow list"),
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
    stack: mutate(EMR_CLUSTER, (p) => {
      p.coreInstanceFleet.instanceTypeConfigs = [{ instanceType: "r7g.4xlarge" }];
    }),
    config: { maxInstanceSize: "2xlarge" },
    expect: violation(EMR_CLUSTER, "r7g.4xlarge"),
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
