/** Runs this repository's program (infra/) for a stack config under mocks. */
import { PROJECT } from "../../infra/config";
import { platformProgram } from "../../infra/platform";
import { AnyEngineModule } from "../../engines/contract";
import { ENGINES } from "../../engines/registry";
import {
  SettledSynthesis,
  SynthesisOptions,
  SynthesisResult,
  synthesize,
  synthesizeSettled,
} from "./mock-run";

export async function synthesizePlatform(
  config: Record<string, string>,
  stack = "test",
  engines: readonly AnyEngineModule[] = ENGINES,
  onResource?: SynthesisOptions["onResource"],
): Promise<SynthesisResult> {
  return synthesize(() => platformProgram(engines), { project: PROJECT, stack, config, onResource });
}

/** Like synthesizePlatform, but returns a failure together with what was registered before it. */
export async function synthesizePlatformSettled(
  config: Record<string, string>,
  stack = "test",
  engines: readonly AnyEngineModule[] = ENGINES,
): Promise<SettledSynthesis> {
  return synthesizeSettled(() => platformProgram(engines), { project: PROJECT, stack, config });
}
