/**
 * Redshift capacity rules AWS applies when it creates the warehouse: RPU ranges of a serverless
 * workgroup, node counts per RA3 node type, and which clusters concurrency scaling serves.
 */
import { REDSHIFT_NODE_TYPES, RedshiftNodeType } from "./cost/prices";

export { REDSHIFT_NODE_TYPES };
export type { RedshiftNodeType };

/** Node counts CreateCluster accepts per node type. */
export interface NodeCountRange {
  /** A single-node cluster (leader and compute on one node) is allowed. */
  singleNode: boolean;
  /** Multi-node clusters: 2 up to this many nodes at creation. */
  maxNodesAtCreate: number;
  /** What elastic resize can grow a cluster to later, when larger than the creation limit. */
  maxNodesByResize?: number;
}

/**
 * "Node range with create cluster" of the RA3 node types:
 * https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-clusters.html#rs-ra3-node-types
 * (ra3.xlplus: single-node, or 2-16 nodes, elastic resize to 32; ra3.4xlarge: 2-32 nodes, elastic
 * resize to 64; ra3.large: single-node, or 2-16 nodes).
 */
export const RA3_NODE_COUNTS: Readonly<Record<RedshiftNodeType, NodeCountRange>> = {
  "ra3.large": { singleNode: true, maxNodesAtCreate: 16 },
  "ra3.xlplus": { singleNode: true, maxNodesAtCreate: 16, maxNodesByResize: 32 },
  "ra3.4xlarge": { singleNode: false, maxNodesAtCreate: 32, maxNodesByResize: 64 },
};

/** Why a new cluster cannot have `nodes` nodes of `nodeType`, or undefined when it can. */
export function nodeCountError(nodeType: RedshiftNodeType, nodes: number): string | undefined {
  const range = RA3_NODE_COUNTS[nodeType];
  const allowed = `${range.singleNode ? "1 (single-node) or " : ""}2 to ${range.maxNodesAtCreate}`;
  const resize = range.maxNodesByResize
    ? `; elastic resize can grow it to ${range.maxNodesByResize} later`
    : "";
  const fits =
    Number.isInteger(nodes) &&
    (nodes === 1 ? range.singleNode : nodes >= 2 && nodes <= range.maxNodesAtCreate);
  return fits ? undefined : `a ${nodeType} cluster is created with ${allowed} nodes${resize}`;
}

/**
 * Why concurrency scaling cannot serve this cluster, or undefined when it can (or is off). It needs
 * a multi-node cluster of at most 32 compute nodes, and not of ra3.large:
 * https://docs.aws.amazon.com/redshift/latest/dg/concurrency-scaling-candidates.html
 */
export function concurrencyScalingError(
  nodeType: RedshiftNodeType,
  nodes: number,
  maxClusters: number,
): string | undefined {
  if (maxClusters === 0) return undefined;
  const reason =
    nodeType === "ra3.large"
      ? "ra3.large clusters"
      : nodes < 2
        ? "single-node clusters"
        : nodes > 32
          ? "clusters of more than 32 nodes"
          : undefined;
  return reason && `concurrency scaling does not serve ${reason}; set 0 or change the cluster`;
}

/**
 * Why a serverless workgroup's maximum capacity is below its base, or undefined. The maximum caps
 * what the workgroup scales up to from its base:
 * https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-capacity.html
 */
export function rpuRangeError(baseCapacityRpu: number, maxCapacityRpu: number): string | undefined {
  return maxCapacityRpu < baseCapacityRpu
    ? `must be at least baseCapacityRpu (${baseCapacityRpu}): the workgroup scales up from its base`
    : undefined;
}

/**
 * Memory per node of the RA3 node types (GiB), from the node type table:
 * https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-clusters.html#rs-ra3-node-types
 */
export const RA3_NODE_MEMORY_GB: Readonly<Record<RedshiftNodeType, number>> = {
  "ra3.large": 16,
  "ra3.xlplus": 32,
  "ra3.4xlarge": 96,
};

/** Memory of one Redshift Serverless RPU: https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-capacity.html */
export const REDSHIFT_RPU_MEMORY_GB = 16;
/** Base capacity of a workgroup: 8 RPUs or more, in steps of 8 (same page). */
const RPU_STEP = 8;

/**
 * The base RPUs of a workgroup with a cluster's memory: its nodes' memory in 16 GB RPUs, rounded
 * up to a step of 8, at least 8. A sizing to start from, not a performance promise.
 */
export function redshiftServerlessRpuFor(nodeType: RedshiftNodeType, nodes: number): number {
  const rpus = (RA3_NODE_MEMORY_GB[nodeType] * nodes) / REDSHIFT_RPU_MEMORY_GB;
  return Math.max(RPU_STEP, Math.ceil(rpus / RPU_STEP) * RPU_STEP);
}
