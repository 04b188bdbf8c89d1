/** Runs this repository's program (infra/) for a stack config under mocks. */
import { PROJECT, loadStackConfig } from "../../infra/config";
import { buildPlatform, platformOutputs } from "../../infra/platform";
import { SynthesisResult, synthesize } from "./mock-run";

export async function synthesizePlatform(config: Record<string, string>, stack = "test"): Promise<SynthesisResult> {
  return synthesize(() => platformOutputs(buildPlatform(loadStackConfig())), { project: PROJECT, stack, config });
}
