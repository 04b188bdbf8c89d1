/**
 * Files that components ship (job scripts, Python modules, Docker build contexts). A path is
 * absolute, or relative to the working directory, as Pulumi's own file assets are: Pulumi runs a
 * program in its project's folder (where Pulumi.yaml is), so relative paths name files of the
 * project that uses the components, wherever the components are installed.
 * https://www.pulumi.com/docs/iac/concepts/assets-archives/
 */
import * as fs from "fs";
import * as path from "path";

/** A project path as an absolute path (relative paths from the working directory). */
export function projectPath(relative: string): string {
  return path.resolve(relative);
}

function statOf(relative: string): fs.Stats | undefined {
  try {
    return fs.statSync(projectPath(relative));
  } catch {
    return undefined;
  }
}

/** Why `relative` is not a file of the project, or undefined when it is. */
export function projectFileError(relative: string): string | undefined {
  const stat = statOf(relative);
  if (stat === undefined) {
    return `does not exist (relative paths are looked up from the project folder, ${process.cwd()})`;
  }
  return stat.isFile() ? undefined : "is a folder, not a file";
}

/**
 * Why `relative` is not a Docker build context of the project: a folder holding a Dockerfile
 * (the file `docker build` reads by default), or undefined when it is.
 */
export function dockerBuildContextError(relative: string): string | undefined {
  const stat = statOf(relative);
  if (stat === undefined) {
    return `does not exist (relative paths are looked up from the project folder, ${process.cwd()})`;
  }
  if (!stat.isDirectory()) return "is a file; give the folder that holds the Dockerfile";
  return statOf(path.join(relative, "Dockerfile"))?.isFile()
    ? undefined
    : "has no Dockerfile, which the image build needs";
}
