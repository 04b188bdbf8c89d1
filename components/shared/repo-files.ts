/**
 * Files of this repository that components ship (job scripts, Python modules, Docker build
 * contexts). Paths in args and stack config are relative to the repository root, whatever the
 * current directory of the process that reads them (`npm run plan` from a subfolder, a test).
 */
import * as fs from "fs";
import * as path from "path";

/** The repository root: the Pulumi project directory, where `pulumi up` runs the program. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** A repository path as an absolute path. */
export function repoPath(relative: string): string {
  return path.resolve(REPO_ROOT, relative);
}

function statOf(relative: string): fs.Stats | undefined {
  try {
    return fs.statSync(repoPath(relative));
  } catch {
    return undefined;
  }
}

/** Why `relative` is not a file of the repository, or undefined when it is. */
export function repoFileError(relative: string): string | undefined {
  const stat = statOf(relative);
  if (stat === undefined) return "does not exist in the repository (paths are relative to its root)";
  return stat.isFile() ? undefined : "is a folder, not a file";
}

/**
 * Why `relative` is not a Docker build context of the repository: a folder holding a Dockerfile
 * (the file `docker build` reads by default), or undefined when it is.
 */
export function dockerBuildContextError(relative: string): string | undefined {
  const stat = statOf(relative);
  if (stat === undefined) return "does not exist in the repository (paths are relative to its root)";
  if (!stat.isDirectory()) return "is a file; give the folder that holds the Dockerfile";
  return statOf(path.join(relative, "Dockerfile"))?.isFile()
    ? undefined
    : "has no Dockerfile, which the image build needs";
}
