/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI does and turns it into the flat config
 * map the language runtime receives: `namespace:key` -> string, structured values as JSON.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export class StackFileError extends Error {}

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export function stackFilePath(stack: string, root = REPO_ROOT): string {
  return path.join(root, `Pulumi.${stack}.yaml`);
}

/** Stack names that have a Pulumi.<stack>.yaml in the repository. */
export function knownStacks(root = REPO_ROOT): string[] {
  return fs
    .readdirSync(root)
    .map((file) => /^Pulumi\.([\w.-]+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** Flattens a decoded stack file's `config:` block to the runtime's string map. */
export function toRuntimeConfig(config: Record<string, unknown>, project: string): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    flat[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return flat;
}

export function readStackConfig(stack: string, project: string, root = REPO_ROOT): Record<string, string> {
  const file = stackFilePath(stack, root);
  if (!fs.existsSync(file)) {
    const stacks = knownStacks(root);
    throw new StackFileError(
      `unknown stack "${stack}": no ${path.basename(file)}; known stacks: ${stacks.join(", ")}`,
    );
  }
  let document: unknown;
  try {
    document = parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new StackFileError(`${path.basename(file)} is not valid YAML: ${(error as Error).message}`);
  }
  const config = (document as { config?: unknown } | null)?.config;
  if (!config || typeof config !== "object" || Array.isArray(config)) {
    throw new StackFileError(`${path.basename(file)} has no "config:" mapping`);
  }
  return toRuntimeConfig(config as Record<string, unknown>, project);
}
