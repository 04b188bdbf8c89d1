/**
 * `npm run plan -- --program DIR` for a program that imports batch-data-platform but has no copy
 * installed (this repository's examples/, a team's program next to a checkout): the package's
 * entries resolve to this checkout's source (index.ts, testing.ts), so the plan needs no build
 * and no install. A program that has the package installed keeps its own copy; `npm run examples`
 * plans the examples against the packed tarball.
 */
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import { REPO_ROOT } from "../synth/stack-config";

/** The package's entries (package.json `exports`) and this checkout's source of each. */
export const CHECKOUT_ENTRIES: Readonly<Record<string, string>> = {
  "batch-data-platform": path.join(REPO_ROOT, "index.ts"),
  "batch-data-platform/testing": path.join(REPO_ROOT, "testing.ts"),
};

type ResolveFilename = (request: string, parent: unknown, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: ResolveFilename };

/**
 * The folder of the copy of the package installed for `folder` (node_modules there or above, as
 * Node looks it up), if any. Read from disk: require.resolve from this module would find the
 * checkout itself through the package's self-reference.
 */
export function installedPackageFor(folder: string): string | undefined {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    const copy = path.join(dir, "node_modules", "batch-data-platform");
    if (fs.existsSync(path.join(copy, "package.json"))) return copy;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Runs the program in `folder` with the package's entries resolving to this checkout when it has
 * no copy installed; other imports, and programs that have a copy (even a broken one, whose
 * errors must show), resolve as usual. Node has no public hook for CommonJS resolution, so this
 * wraps the loader's resolver for the run only.
 */
export async function withCheckoutPackage<T>(folder: string, run: () => Promise<T>): Promise<T> {
  if (installedPackageFor(folder) !== undefined) return run();
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (this: unknown, request, parent, ...rest) {
    try {
      return resolve.call(this, request, parent, ...rest);
    } catch (error) {
      const local = CHECKOUT_ENTRIES[request];
      if (local === undefined || (error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
      return resolve.call(this, local, parent, ...rest);
    }
  };
  try {
    return await run();
  } finally {
    loader._resolveFilename = resolve;
  }
}

/** A missing import's name, from Node's "Cannot find module" error; undefined for other errors. */
export function missingModule(error: unknown): string | undefined {
  if ((error as NodeJS.ErrnoException)?.code !== "MODULE_NOT_FOUND") return undefined;
  return /Cannot find module '([^']+)'/.exec((error as Error).message)?.[1];
}
