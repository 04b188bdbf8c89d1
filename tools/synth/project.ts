/**
 * Runs any Pulumi Node.js project folder under mocks, the way `pulumi preview` runs it: its
 * `Pulumi.yaml` names the project and the entry point, `Pulumi.<stack>.yaml` holds the stack's
 * config, the program runs with the folder as working directory, and what its entry module
 * exports (or what the function it exports returns) are the stack outputs.
 * https://www.pulumi.com/docs/iac/concepts/projects/project-file/
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { SettledSynthesis, SynthesisOptions, synthesizeSettled } from "./mock-run";
import { knownStacks, readStackConfig, StackFileError } from "./stack-config";

/** A project folder that cannot run here; the message says why and what to fix. */
export class ProjectError extends Error {}

/** A Pulumi project folder as Pulumi.yaml describes it. */
export interface PulumiProject {
  /** The project folder (absolute). */
  dir: string;
  /** `name` of Pulumi.yaml: the namespace of its config keys and part of every URN. */
  name: string;
  /** The entry point Pulumi.yaml `main` names, or the folder itself. */
  main: string;
}

/** Stack name used for a project folder without any Pulumi.<stack>.yaml. */
export const CONFIGLESS_STACK = "offline";

/** Reads `dir/Pulumi.yaml`; only Node.js projects run here. */
export function readProject(dir: string): PulumiProject {
  const folder = path.resolve(dir);
  const file = path.join(folder, "Pulumi.yaml");
  if (!fs.existsSync(file)) {
    throw new ProjectError(`${folder} is not a Pulumi project: it has no Pulumi.yaml`);
  }
  let document: unknown;
  try {
    document = parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ProjectError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  const project = (document ?? {}) as { name?: unknown; runtime?: unknown; main?: unknown };
  if (typeof project.name !== "string" || project.name === "") {
    throw new ProjectError(`${file}: "name" must name the project`);
  }
  const runtime =
    typeof project.runtime === "object" ? (project.runtime as { name?: unknown })?.name : project.runtime;
  if (runtime !== "nodejs") {
    throw new ProjectError(
      `${file}: runtime is ${JSON.stringify(runtime)}; only Node.js programs (runtime: nodejs) run under these mocks`,
    );
  }
  if (project.main !== undefined && typeof project.main !== "string") {
    throw new ProjectError(`${file}: "main" must be a path relative to the project folder`);
  }
  return { dir: folder, name: project.name, main: path.resolve(folder, project.main ?? ".") };
}

/**
 * The stack to run when none is named: the folder's only `Pulumi.<stack>.yaml`, or
 * CONFIGLESS_STACK when it has none. Several stack files need a choice.
 */
export function defaultStack(project: PulumiProject): string {
  const stacks = knownStacks(project.dir);
  if (stacks.length === 0) return CONFIGLESS_STACK;
  if (stacks.length === 1) return stacks[0];
  throw new ProjectError(`${project.dir} has several stacks (${stacks.join(", ")}): name one with --stack`);
}

/** The stack's flat config map (`project:key` -> string); none for a stack without a stack file. */
export function projectStackConfig(project: PulumiProject, stack: string): Record<string, string> {
  const stacks = knownStacks(project.dir);
  if (stacks.length === 0 && stack === CONFIGLESS_STACK) return {};
  try {
    return readStackConfig(stack, project.name, project.dir);
  } catch (error) {
    if (error instanceof StackFileError) throw new ProjectError(error.message);
    throw error;
  }
}

/** Forgets the project's own modules, so each run loads the program afresh (as each `pulumi` run does). */
function forgetProjectModules(dir: string): void {
  const inside = (file: string) => {
    const relative = path.relative(dir, file);
    return (
      !relative.startsWith("..") &&
      !path.isAbsolute(relative) &&
      !relative.split(path.sep).includes("node_modules")
    );
  };
  for (const file of Object.keys(require.cache)) if (inside(file)) delete require.cache[file];
}

/** Loads the entry module and returns its outputs: the exports, or what an exported function returns. */
async function runEntryModule(project: PulumiProject): Promise<Record<string, unknown>> {
  let entry: string;
  try {
    entry = require.resolve(project.main);
  } catch {
    throw new ProjectError(
      `${project.dir}: no entry point at ${path.relative(project.dir, project.main) || "."} ` +
        "(Pulumi.yaml main, or index.ts / index.js in the folder)",
    );
  }
  forgetProjectModules(project.dir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported: unknown = require(entry);
  const outputs = typeof exported === "function" ? await (exported as () => unknown)() : exported;
  return (outputs ?? {}) as Record<string, unknown>;
}

/** Options of synthesizeProject: the stack, its config, the account or mocks to run with, and a recorder hook. */
export interface ProjectSynthesisOptions extends Partial<
  Pick<SynthesisOptions, "accountId" | "mocks" | "onResource">
> {
  /** The stack (default: defaultStack). */
  stack?: string;
  /** Config to run with instead of the stack file's (flat map, `project:key` -> string). */
  config?: Record<string, string>;
}

/** A project's run under mocks: what it registered, its outputs or its failure, and what ran. */
export interface ProjectSynthesis extends SettledSynthesis {
  project: PulumiProject;
  stack: string;
  config: Record<string, string>;
}

/**
 * Runs the project folder `dir` under mocks with its working directory as the current one, and
 * returns what it registered. A program error is returned, not thrown; a folder that is no
 * runnable project throws a ProjectError.
 */
export async function synthesizeProject(
  dir: string,
  options: ProjectSynthesisOptions = {},
): Promise<ProjectSynthesis> {
  const project = readProject(dir);
  const stack = options.stack ?? defaultStack(project);
  const config = options.config ?? projectStackConfig(project, stack);
  const home = process.cwd();
  process.chdir(project.dir);
  try {
    const settled = await synthesizeSettled(() => runEntryModule(project), {
      project: project.name,
      stack,
      config,
      accountId: options.accountId,
      mocks: options.mocks,
      onResource: options.onResource,
    });
    return { ...settled, project, stack, config };
  } finally {
    process.chdir(home);
  }
}
