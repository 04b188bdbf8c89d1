/**
 * S3 lifecycle rules per data zone: abort forgotten multipart uploads, tier data down as it
 * cools, expire what the zone no longer needs, and drop old versions (versioning stays on).
 */

export interface ZoneLifecycle {
  transitionToInfrequentAccessDays?: number;
  transitionToGlacierDays?: number;
  expireDays?: number;
  noncurrentVersionExpireDays: number;
}

/** One S3 lifecycle rule in the provider's shape. */
export interface LifecycleRule {
  id: string;
  status: "Enabled";
  filter: Record<string, never>;
  abortIncompleteMultipartUpload: { daysAfterInitiation: number };
  transitions?: { days: number; storageClass: "STANDARD_IA" | "GLACIER_IR" }[];
  expiration?: { days: number };
  noncurrentVersionExpiration: { noncurrentDays: number };
}

/** One rule for the whole bucket; S3 applies transitions in order of days. */
export function zoneLifecycleRules(zone: ZoneLifecycle, abortIncompleteUploadDays: number): LifecycleRule[] {
  const transitions: NonNullable<LifecycleRule["transitions"]> = [];
  if (zone.transitionToInfrequentAccessDays !== undefined) {
    transitions.push({ days: zone.transitionToInfrequentAccessDays, storageClass: "STANDARD_IA" });
  }
  if (zone.transitionToGlacierDays !== undefined) {
    // Glacier Instant Retrieval: archive pricing, but Spark and Athena can still read it directly.
    transitions.push({ days: zone.transitionToGlacierDays, storageClass: "GLACIER_IR" });
  }
  const rule: LifecycleRule = {
    id: "zone-lifecycle",
    status: "Enabled",
    filter: {},
    abortIncompleteMultipartUpload: { daysAfterInitiation: abortIncompleteUploadDays },
    noncurrentVersionExpiration: { noncurrentDays: zone.noncurrentVersionExpireDays },
  };
  if (transitions.length > 0) rule.transitions = transitions;
  if (zone.expireDays !== undefined) rule.expiration = { days: zone.expireDays };
  return [rule];
}
