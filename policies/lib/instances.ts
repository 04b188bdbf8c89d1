/** EC2 instance type names: family, size, Graviton detection, size ordering. */

/** Graviton families: a1, and every family whose generation digit is followed by "g" (m7g, c6gn, r8gd, t4g, x2gd, im4gn). */
export const DEFAULT_GRAVITON_FAMILY_PATTERN = "^(a1|[a-z]+[0-9]+g[a-z]*)$";

export function family(instanceType: string): string {
  const i = instanceType.indexOf(".");
  return (i < 0 ? instanceType : instanceType.slice(0, i)).toLowerCase();
}

export function size(instanceType: string): string | undefined {
  const i = instanceType.indexOf(".");
  return i < 0 ? undefined : instanceType.slice(i + 1).toLowerCase();
}

export function isGraviton(instanceType: string, familyPattern: RegExp): boolean {
  return familyPattern.test(family(instanceType));
}

const NAMED: Record<string, number> = {
  nano: 1 / 32,
  micro: 1 / 16,
  small: 1 / 8,
  medium: 1 / 4,
  large: 1 / 2,
  xlarge: 1,
  metal: Number.POSITIVE_INFINITY,
};

/** Relative size (xlarge = 1, 8xlarge = 8, metal = infinity); undefined when not a size name. */
export function sizeRank(sizeName: string): number | undefined {
  const s = sizeName.toLowerCase();
  if (s in NAMED) return NAMED[s];
  const n = /^(\d+)xlarge$/.exec(s);
  if (n) return Number(n[1]);
  const metal = /^metal-(\d+)xl$/.exec(s);
  if (metal) return Number(metal[1]);
  return undefined;
}
