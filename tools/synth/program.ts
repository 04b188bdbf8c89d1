/** Runs this repository's program (infra/) for a stack config under mocks. */
import { PROJECT, loadStackConfig } from "../../infra/config";
import { buildPlatform, platformOutputs } from "../../infra/platform";
import { SettledSynthesis, SynthesisResult, synthesize, synthesizeSettled } from "./mock-run";

/** The same steps as infra/index.ts: validate the config, then build the platform. */
const platformProgram = () => platformOutputs(buildPlatform(loadStackConfig()));

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
