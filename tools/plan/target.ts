/**
 * What `npm run plan` plans: this repository's program for one of its stacks (`--stack NAME`), or
 * any Pulumi Node.js program folder (`--program DIR [--stack NAME]`). Either way the plan is a
 * synthesis under the same mocks, the same deploy rules, the same policy pack and the same
 * reports; the targets differ in where the project, the stack config and the default policy
 * config come from.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../infra/config";
import { readStackConfig } from "../synth/stack-config";
import {
  CONFIGLESS_STACK,
  defaultStack,
  ProjectError,
  projectStackConfig,
  PulumiProject,
  readProject,
  synthesizeProject,
} from "../synth/project";
import { PlanReport, PlanUsageError, planReport, ResourceObserver, runPlan } from "./plan";
import { missingModule, withCheckoutPackage } from "./checkout-package";

export interface PlanTarget {
  /** The Pulumi project name: the namespace of its config keys, part of every URN. */
  project: string;
  stack: string;
  /** The stack's flat config map, as the policy pack receives it. */
  stackConfig: Record<string, string>;
  /**
   * The policy config to use when --policy-config is not given, or a note saying why there is
   * none (the pack's own levels apply then).
   */
  defaultPolicyConfig(packDir: string): { file: string } | { note: string };
  /** Synthesizes the stack (telling `onResource` of each resource recorded) and runs the deploy rules over it. */
  plan(onResource?: ResourceObserver): Promise<PlanReport>;
}

/** Config and project errors are the user's to fix: reported without a stack trace. */
function usageErrorOf(error: unknown): never {
  throw new PlanUsageError((error as Error).message);
}

/** This repository's program for `stack` (Pulumi.<stack>.yaml at the root). */
export function repositoryTarget(stack: string): PlanTarget {
  let stackConfig: Record<string, string>;
  try {
    stackConfig = readStackConfig(stack, PROJECT);
  } catch (error) {
    usageErrorOf(error);
  }
  return {
    project: PROJECT,
    stack,
    stackConfig,
    defaultPolicyConfig: (packDir) => {
      const file = path.join(packDir, "config", `${stack}.json`);
      return fs.existsSync(file)
        ? { file }
        : { note: `No policy config ${path.relative(process.cwd(), file)}: the pack's default levels apply` };
    },
    plan: (onResource) => runPlan(stack, stackConfig, onResource),
  };
}

/**
 * Why a program failed, for the report: its own message, and its stack trace unless it is a
 * RunError, or the import it lacks.
 */
function programFailure(error: unknown, folder: string): string {
  if (error instanceof pulumi.RunError || error instanceof ProjectError) return error.message;
  const missing = missingModule(error);
  if (missing !== undefined) {
    return `it imports "${missing}", which is not installed for it: run npm install in ${folder}`;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Any Pulumi Node.js program folder (its Pulumi.yaml and Pulumi.<stack>.yaml; `stack` defaults to
 * the folder's only stack file). The program runs in its folder, with its own dependencies, and
 * with this checkout as batch-data-platform when it has none installed (checkout-package.ts).
 */
export function programTarget(dir: string, stack?: string): PlanTarget {
  let project: PulumiProject;
  let chosen: string;
  let stackConfig: Record<string, string>;
  try {
    project = readProject(dir);
    chosen = stack ?? defaultStack(project);
    stackConfig = projectStackConfig(project, chosen);
  } catch (error) {
    usageErrorOf(error);
  }
  const folder = project.dir;
  const stackFile =
    chosen === CONFIGLESS_STACK && !fs.existsSync(path.join(folder, `Pulumi.${chosen}.yaml`))
      ? path.join(folder, "Pulumi.yaml")
      : path.join(folder, `Pulumi.${chosen}.yaml`);
  return {
    project: project.name,
    stack: chosen,
    stackConfig,
    defaultPolicyConfig: () => ({
      note: "No --policy-config: the pack's own levels apply (security policies mandatory, the others advisory)",
    }),
    plan: async (onResource) => {
      const synthesis = await withCheckoutPackage(folder, () =>
        synthesizeProject(folder, { stack: chosen, config: stackConfig, onResource }),
      );
      if (synthesis.error !== undefined) {
        const shown = path.relative(process.cwd(), folder) || ".";
        throw new PlanUsageError(`${shown}: the program failed: ${programFailure(synthesis.error, shown)}`);
      }
      // Report paths are relative to the program's folder, as its own repository would see them.
      const { resources, stackOutputs } = synthesis;
      return planReport(
        { stack: chosen, stackFile, config: stackConfig, root: folder, resources, stackOutputs },
        {},
        project.name,
      );
    },
  };
}
