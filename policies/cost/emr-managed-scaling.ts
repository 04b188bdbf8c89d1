/**
 * emr-managed-scaling: a long-running EMR cluster (not transient) must scale with its load, so it
 * needs an aws.emr.ManagedScalingPolicy attached to it, with bounded maximum capacity.
 */
import { integer } from "../lib/config";
import { stackPolicy } from "../lib/define";
import { referrers } from "../lib/refs";
import { T } from "../lib/types";
import { get, readBool, readArray, readNumber } from "../lib/values";

export interface EmrManagedScalingConfig {
  /** Upper bound for computeLimits.maximumCapacityUnits; 0 means no bound. */
  maxCapacityUnits: number;
}

export const emrManagedScaling = stackPolicy<EmrManagedScalingConfig>({
  name: "emr-managed-scaling",
  description:
    "Long-running EMR clusters (keepJobFlowAliveWhenNoSteps not false) have an aws.emr.ManagedScalingPolicy " +
    "whose clusterId is the cluster, with computeLimits.maximumCapacityUnits within maxCapacityUnits (0: no bound).",
  remediationSteps:
    "Declare new aws.emr.ManagedScalingPolicy({ clusterId: cluster.id, computeLimits: [{ unitType: " +
    '"InstanceFleetUnits", minimumCapacityUnits, maximumCapacityUnits }] }), or make the cluster transient.',
  severity: "medium",
  enforcementLevel: "advisory",
  tags: ["cost"],
  types: [T.emrCluster, T.emrManagedScalingPolicy],
  knobs: { maxCapacityUnits: integer("Largest allowed maximumCapacityUnits (0: no bound)", 0, 0) },
  defaults: { maxCapacityUnits: 0 },
  check: (ctx) => {
    const policies = ctx.ofType(T.emrManagedScalingPolicy);
    for (const cluster of ctx.subjects(T.emrCluster)) {
      const keepAlive = readBool(get(cluster.props, "keepJobFlowAliveWhenNoSteps"));
      if (keepAlive.state === "ok" && !keepAlive.value) continue;
      const { matches, unresolved } = referrers(policies, "clusterId", cluster);
      if (matches.length === 0) {
        if (unresolved.length > 0) {
          ctx.report.cannotJudge(
            cluster,
            "managed scaling",
            "the clusterId of a ManagedScalingPolicy is unknown during preview",
          );
        } else {
          ctx.report.violation(
            cluster,
            "long-running cluster has no aws.emr.ManagedScalingPolicy",
            "add an aws.emr.ManagedScalingPolicy with clusterId: cluster.id and computeLimits, or set keepJobFlowAliveWhenNoSteps: false",
          );
        }
        continue;
      }
      if (ctx.config.maxCapacityUnits <= 0) continue;
      for (const p of matches) {
        const limits = readArray(get(p.props, "computeLimits"));
        if (ctx.report.unclear(p, "computeLimits", limits)) continue;
        const max = readNumber(get(limits.state === "ok" ? limits.value : [], 0, "maximumCapacityUnits"));
        if (ctx.report.unclear(p, "computeLimits.maximumCapacityUnits", max)) continue;
        if (max.state === "absent" || max.value > ctx.config.maxCapacityUnits) {
          ctx.report.violation(
            cluster,
            `managed scaling policy "${p.name}" allows ${max.state === "ok" ? max.value : "unbounded"} capacity units, above ${ctx.config.maxCapacityUnits}`,
            `set computeLimits[0].maximumCapacityUnits to at most ${ctx.config.maxCapacityUnits}`,
          );
        }
      }
    }
  },
});
