// @ts-check
/**
 * `node compiled-pack.js <engine-address>` from a pack directory of this repository: what the SDK's
 * run-policy-pack does with "." as the program (its run(): working directory, argv, error handlers,
 * then the pack's package.json `main`, whose `new PolicyPack(...)` prints the port), except that the
 * pack's TypeScript comes from the compile cache (tools/compile) instead of ts-node with type
 * checking; `npm run typecheck` checks the pack's types. Started by pack-process.ts.
 */
"use strict";
require("../compile/cache").register();
// A pack serializes no closures: the SDK's TypeScript and code-path finder load only if used.
require("../compile/defer").deferModules();

/** @type {{ run(options: object): Promise<unknown> }} */
const runPolicyPack = require("@pulumi/pulumi/cmd/run-policy-pack/run");

runPolicyPack.run({
  argv: { _: [process.cwd()] },
  programStarted: () => undefined,
  // run() has logged an error the pack threw (say, while loading): end with a failure, as the SDK's
  // entry does, instead of exiting 0 without a port.
  reportLoggedError: () => {
    process.exitCode = 1;
  },
  // The compile cache has taken .ts; run-policy-pack would register ts-node over it.
  typeScript: false,
});
