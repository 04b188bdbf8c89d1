/**
 * A stack is the provider plus the resources of the areas a test composes. Names are stable, so
 * tests can replace or drop one resource by name.
 */
import { Res } from "../harness";
import { Area, Env } from "./env";

export interface Stack {
  all: Res[];
  provider: Res;
  byName: Record<string, Res>;
}

export function stackOf(env: Env, ...areas: Area[]): Stack {
  const all = [env.provider, ...areas.flatMap((a) => a.resources)];
  const byName: Record<string, Res> = {};
  for (const r of all) {
    if (byName[r.name]) throw new Error(`two resources named ${r.name} in the stack`);
    byName[r.name] = r;
  }
  return { all, provider: env.provider, byName };
}

/** The stack's resources with resource `name` replaced (or removed); dependencies on it follow. */
export function replaceIn(stack: Stack, name: string, next: Res | undefined): Res[] {
  const old = stack.byName[name];
  if (!old) throw new Error(`no resource ${name} in the stack`);
  return stack.all
    .filter((r) => r !== old || next !== undefined)
    .map((r) => {
      if (r === old) return next as Res;
      // Re-point dependencies on the old resource to the replacement.
      const deps: Record<string, Res[]> = {};
      let changed = false;
      for (const [k, list] of Object.entries(r.deps)) {
        deps[k] = list.flatMap((d) => (d === old ? (next ? [next] : []) : [d]));
        changed = changed || deps[k].length !== list.length || deps[k].some((d, i) => d !== list[i]);
      }
      return changed ? { ...r, deps } : r;
    });
}
