/** SLA tiers (see docs/architecture.md): the tier decides how much availability risk a pipeline may take for price. */
export const SLA_TIERS = ["flexible", "standard", "critical"] as const;
/** A pipeline's SLA tier: flexible (may run late, safe to rerun), standard (due the same day), critical (due on time). */
export type SlaTier = (typeof SLA_TIERS)[number];

/** Whether reruns are cheap enough that interruptible (Spot, Flex) capacity is allowed at all. */
export function allowsInterruptibleCapacity(tier: SlaTier): boolean {
  return tier !== "critical";
}
