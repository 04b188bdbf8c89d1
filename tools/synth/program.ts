/** Runs this repository's program (infra/) for a stack config under mocks. */
import { PROJECT } from "../../infra/config";
import { platformProgram } from "../../infra/platform";
import { SettledSynthesis, SynthesisResult, synthesize, synthesizeSettled } from "./mock-run";

export async function synthesizePlatform(
  config: Record<string, string>,
  stack = "test",
): Promise<SynthesisResult> {
  return synthesize(platformProgram, { project: PROJECT, stack, config });
}

/** Like synthesizePlatform, but returns a failure together with what was registered before it. */
export async function synthesizePlatformSettled(
  config: Record<string, string>,
  stack = "test",
): Promise<SettledSynthesis> {
  return synthesizeSettled(platformProgram, { project: PROJECT, stack, config });
}
