/** The offline policy runner: start a policy pack like the engine does and feed it a stack's resources. */
export * from "./config";
export * from "./errors";
export * from "./exemptions";
export { releaseGarbage } from "./memory";
export {
  assertPolicyPackDir,
  DEFAULT_START_TIMEOUT_MS,
  PACK_CHANNELS,
  PolicyPackProcess,
  StartOptions,
} from "./pack-process";
export * from "./resources";
export * from "./runner";
export * from "./types";
