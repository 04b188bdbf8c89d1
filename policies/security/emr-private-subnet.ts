/**
 * emr-private-subnet: EMR nodes run in private subnets, never in public ones (or the default VPC),
 * so no node gets a public IP. A subnet is public when it is listed in the `publicSubnetIds` knob,
 * or when it is a subnet of this stack with mapPublicIpOnLaunch true or the public subnet tag
 * (awsx tags its subnets SubnetType=Public).
 */
import { stringList, text } from "../lib/config";
import { stackPolicy, StackResource } from "../lib/define";
import { identifiers } from "../lib/refs";
import { effectiveTags, tagValue } from "../lib/tags";
import { T } from "../lib/types";
import { get, isUnknown, readBool, unwrap } from "../lib/values";

export interface PrivateSubnetConfig {
  publicSubnetIds: string[];
  publicSubnetTagKey: string;
  publicSubnetTagValues: string[];
}

function isPublicSubnet(s: StackResource, cfg: PrivateSubnetConfig): boolean {
  const map = readBool(get(s.props, "mapPublicIpOnLaunch"));
  if (map.state === "ok" && map.value) return true;
  const tag = tagValue(effectiveTags(s.props, s.provider).tags, cfg.publicSubnetTagKey);
  return tag !== undefined && cfg.publicSubnetTagValues.some((v) => v.toLowerCase() === tag.toLowerCase());
}

export const emrPrivateSubnet = stackPolicy<PrivateSubnetConfig>({
  name: "emr-private-subnet",
  description:
    "Every EMR cluster sets ec2Attributes.subnetId or subnetIds, and none of them is public (listed in " +
    "publicSubnetIds, or a stack subnet with mapPublicIpOnLaunch or the public subnet tag).",
  remediationSteps:
    "Set ec2Attributes.subnetIds to the network component's privateSubnetIds (with an S3 gateway endpoint and NAT " +
    "for AWS APIs).",
  severity: "high",
  enforcementLevel: "mandatory",
  tags: ["security", "network"],
  types: [T.emrCluster, T.ec2Subnet],
  knobs: {
    publicSubnetIds: stringList("Subnet ids known to be public", []),
    publicSubnetTagKey: text("Tag key that marks public subnets", "SubnetType"),
    publicSubnetTagValues: stringList("Tag values that mark public subnets", ["Public"]),
  },
  defaults: { publicSubnetIds: [], publicSubnetTagKey: "SubnetType", publicSubnetTagValues: ["Public"] },
  check: (ctx) => {
    const subnets = ctx.ofType(T.ec2Subnet);
    for (const cluster of ctx.subjects(T.emrCluster)) {
      const attrs = unwrap(get(cluster.props, "ec2Attributes"));
      if (isUnknown(attrs)) {
        ctx.report.cannotJudge(cluster, "ec2Attributes", "value unknown during preview");
        continue;
      }
      const raw = [
        unwrap(get(attrs, "subnetId")),
        ...(() => {
          const l = unwrap(get(attrs, "subnetIds"));
          return isUnknown(l) ? [l] : Array.isArray(l) ? l.map(unwrap) : [];
        })(),
      ].filter((v) => v !== undefined && v !== null && v !== "");
      // Dependency evidence: subnets the ec2Attributes were computed from.
      const depSubnets = (cluster.propertyDependencies["ec2Attributes"] ?? []).filter(
        (d) => d.type === T.ec2Subnet,
      );
      const publicDeps = depSubnets.filter((s) => isPublicSubnet(s, ctx.config));
      if (publicDeps.length > 0) {
        ctx.report.violation(
          cluster,
          `runs in public subnet(s) ${publicDeps.map((s) => `"${s.name}"`).join(", ")}`,
          "use the private subnets (network.privateSubnetIds)",
        );
        continue;
      }
      if (raw.length === 0) {
        ctx.report.violation(
          cluster,
          "sets no ec2Attributes.subnetId/subnetIds, so it launches into the default VPC's public subnets",
          "set ec2Attributes.subnetIds to the private subnets",
        );
        continue;
      }
      const unknown = raw.some((v) => isUnknown(v));
      const ids = raw.filter((v): v is string => typeof v === "string" && !isUnknown(v));
      const bad = ids.filter(
        (id) =>
          ctx.config.publicSubnetIds.includes(id) ||
          subnets.some((s) => identifiers(s).has(id) && isPublicSubnet(s, ctx.config)),
      );
      if (bad.length > 0) {
        ctx.report.violation(
          cluster,
          `runs in public subnet(s) ${bad.join(", ")}`,
          "use the private subnets (network.privateSubnetIds)",
        );
      } else if (unknown && depSubnets.length === 0) {
        ctx.report.cannotJudge(cluster, "its subnets", "subnet ids unknown during preview");
      }
    }
  },
});
