// @ts-check
/**
 * Loads two parts of @pulumi/pulumi on first use instead of when the SDK loads: the TypeScript
 * compiler (typescript-shim.js; it parses functions that are serialized into closures) and the
 * code-path finder (runtime/closure/codePaths.js; @npmcli/arborist, pacote and friends find the
 * packages a serialized closure needs). Neither the offline plan nor a policy pack serializes a
 * closure, and loading the two took about a third of each process's start (0.4 s of CPU).
 *
 * A deferred module is a stand-in until something reads it: reading one of its exported functions
 * gives a function that loads the module when called (the SDK copies such exports while it loads),
 * anything else loads it at once. Code that does use them works as before, a little later.
 *
 * Plain JavaScript (CommonJS), like cache.js: it runs before any TypeScript is loaded.
 */
"use strict";
const Module = require("module");
const path = require("path");

/**
 * @typedef {{ esModule: boolean, functions: string[] }} Deferral
 *   esModule: what `__esModule` reads before the module is loaded (TypeScript's import helpers ask);
 *   functions: exports that are functions and may be read without calling them
 */

/** @returns {Map<string, Deferral>} resolved file name -> how to stand in for it */
function pulumiDeferrals() {
  const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  return new Map([
    // `module.exports = require("typescript")`: typescript.js marks itself as an ES module.
    [path.join(sdk, "typescript-shim.js"), { esModule: true, functions: [] }],
    [
      path.join(sdk, "runtime", "closure", "codePaths.js"),
      { esModule: true, functions: ["computeCodePaths", "findWorkspaceRoot"] },
    ],
  ]);
}

/**
 * @param {() => any} load
 * @param {Deferral} deferral
 */
function standIn(load, deferral) {
  /** @type {any} */
  let real;
  const module = () => (real === undefined ? (real = load()) : real);
  return new Proxy(
    {},
    {
      get(_target, name) {
        if (real === undefined && name === "__esModule") return deferral.esModule;
        if (real === undefined && typeof name === "string" && deferral.functions.includes(name)) {
          return (/** @type {any[]} */ ...args) => module()[name](...args);
        }
        return Reflect.get(module(), name);
      },
      set: (_target, name, value) => Reflect.set(module(), name, value),
      has: (_target, name) => Reflect.has(module(), name),
      ownKeys: () => Reflect.ownKeys(module()),
      // Reported as configurable: the stand-in's own (empty) target does not have the property.
      getOwnPropertyDescriptor(_target, name) {
        const descriptor = Reflect.getOwnPropertyDescriptor(module(), name);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
}

/**
 * Makes require() return stand-ins for `deferrals` (default: the two parts of @pulumi/pulumi).
 * @param {Map<string, Deferral>} [deferrals]
 */
function deferModules(deferrals = pulumiDeferrals()) {
  const names = new Set([...deferrals.keys()].map((file) => path.basename(file, ".js")));
  /** @type {Map<string, any>} */
  const standIns = new Map();
  const anyModule = /** @type {any} */ (Module);
  const load = anyModule._load;
  anyModule._load = function (/** @type {string} */ request, /** @type {any} */ parent, isMain) {
    // Only requests that can name a deferred file are resolved here (the loader resolves again).
    if (!names.has(path.basename(request, ".js"))) return load.call(this, request, parent, isMain);
    const file = anyModule._resolveFilename(request, parent, isMain);
    const deferral = deferrals.get(file);
    if (!deferral || require.cache[file]) return load.call(this, request, parent, isMain);
    let proxy = standIns.get(file);
    if (!proxy) {
      proxy = standIn(() => load.call(this, request, parent, isMain), deferral);
      standIns.set(file, proxy);
    }
    return proxy;
  };
}

module.exports = { deferModules, pulumiDeferrals };
