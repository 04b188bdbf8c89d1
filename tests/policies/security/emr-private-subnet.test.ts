/** emr-private-subnet (policies/security/emr-private-subnet.ts) on a compliant stack of emr, network. */
import { EMR_CLUSTER, stackWith } from "../builders";
import { cannotJudge, CLEAN, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("emr-private-subnet", () => stackWith("emr", "network"), [
  { name: "passes a cluster in a private subnet", expect: CLEAN },
  {
    name: "fails a cluster in a stack subnet that maps public IPs",
    stack: (s) =>
      s.all.map((r) =>
        r.name === EMR_CLUSTER
          ? {
              ...r,
              deps: { ec2Attributes: [s.byName["bdp-dev-network-public-1"]] },
              props: { ...r.props, ec2Attributes: { subnetIds: ["subnet-0public1"] } },
            }
          : r,
      ),
    expect: violation(EMR_CLUSTER, "public subnet"),
  },
  {
    name: "fails a public subnet found by id without dependencies",
    stack: (s) =>
      s.all.map((r) =>
        r.name === EMR_CLUSTER
          ? { ...r, deps: {}, props: { ...r.props, ec2Attributes: { subnetId: "subnet-0public1" } } }
          : r,
      ),
    expect: violation(EMR_CLUSTER, "subnet-0public1"),
  },
  {
    name: "fails a cluster without subnets (default VPC)",
    stack: (s) =>
      s.all.map((r) =>
        r.name === EMR_CLUSTER
          ? { ...r, deps: {}, props: { ...r.props, ec2Attributes: { instanceProfile: "p" } } }
          : r,
      ),
    expect: violation(EMR_CLUSTER, "default VPC"),
  },
  {
    name: "knob publicSubnetIds marks subnets outside the stack as public",
    stack: (s) =>
      s.all.map((r) =>
        r.name === EMR_CLUSTER
          ? { ...r, deps: {}, props: { ...r.props, ec2Attributes: { subnetIds: ["subnet-0shared9"] } } }
          : r,
      ),
    config: { publicSubnetIds: ["subnet-0shared9"] },
    expect: violation(EMR_CLUSTER, "subnet-0shared9"),
  },
  {
    name: "knob publicSubnetTagKey/Values reads another tag",
    stack: (s) =>
      s.all.map((r) =>
        r.name === "bdp-dev-network-private-1" ? { ...r, props: { ...r.props, tags: { tier: "dmz" } } } : r,
      ),
    config: { publicSubnetTagKey: "tier", publicSubnetTagValues: ["dmz"] },
    expect: violation(EMR_CLUSTER, "public subnet"),
  },
  {
    name: "cannot judge unknown subnet ids without dependencies",
    stack: (s) =>
      s.all.map((r) =>
        r.name === EMR_CLUSTER
          ? { ...r, deps: {}, props: { ...r.props, ec2Attributes: { subnetIds: UNKNOWN.array } } }
          : r,
      ),
    expect: cannotJudge(EMR_CLUSTER, "subnets"),
  },
]);
