/**
 * Program entry (Pulumi.yaml `main`): validate the stack config, then build the platform.
 * A config error stops here, before any resource is declared, with every problem listed.
 */
import { platformProgram } from "./platform";

export = async () => platformProgram();
