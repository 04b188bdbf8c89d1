/**
 * Program entry (Pulumi.yaml `main`): validate the stack config, then build the platform.
 * A config error stops here, before any resource is declared, with every problem listed.
 */
import { loadStackConfig } from "./config";
import { buildPlatform, platformOutputs } from "./platform";

export = async () => platformOutputs(buildPlatform(loadStackConfig()));
