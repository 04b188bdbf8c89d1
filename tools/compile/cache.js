// @ts-check
/**
 * The compile cache: this repository's TypeScript loaded as JavaScript compiled once and kept, so
 * the offline plan and the policy pack start without the TypeScript compiler (and without
 * source-map-support rewriting every stack trace). `node -r ./tools/compile/register.js file.ts`
 * turns it on; register() does the same from code.
 *
 * Each .ts module is transpiled on its own with the compiler options of tsconfig.json (what
 * `ts-node --transpile-only` does, no type check: `npm run typecheck` does that). The JavaScript is
 * stored under node_modules/.cache/bdp-compile/ (or $BDP_COMPILE_CACHE), one file per source file,
 * headed by a hash of the source, the options and the compiler version; a module whose hash still
 * matches is loaded without loading TypeScript at all. Modules keep their .ts file name, so
 * __dirname, relative requires and stack traces name the source file. The cached code carries an
 * inline source map: run with `NODE_OPTIONS=--enable-source-maps` for exact line numbers.
 *
 * Plain JavaScript (CommonJS) because it is what loads the TypeScript.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const TSCONFIG = path.join(ROOT, "tsconfig.json");
/** Bump when the way code is emitted changes, so old cache entries are not reused. */
const FORMAT = "1";

/** @returns {string} */
function cacheDir() {
  return process.env.BDP_COMPILE_CACHE || path.join(ROOT, "node_modules", ".cache", "bdp-compile");
}

/** @type {string | undefined} */
let settingsHash;

/** What besides the source decides the output: tsconfig.json, the TypeScript version, this loader. */
function settings() {
  if (settingsHash === undefined) {
    const tsVersion = JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8")).version;
    settingsHash = sha256(`${FORMAT}\0${tsVersion}\0${fs.readFileSync(TSCONFIG, "utf8")}`);
  }
  return settingsHash;
}

/** @param {string} text */
function sha256(text) {
  return crypto.createHash("sha256").update(text).digest("hex");
}

/** @type {{ ts: typeof import("typescript"), options: import("typescript").CompilerOptions } | undefined} */
let compiler;

/** TypeScript and the options of tsconfig.json, loaded only when something has to be compiled. */
function loadCompiler() {
  if (!compiler) {
    const ts = require("typescript");
    const read = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
    if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, TSCONFIG);
    const options = {
      ...parsed.options,
      // One module at a time, as ts-node --transpile-only does; nothing but JavaScript comes out.
      isolatedModules: true,
      declaration: false,
      declarationMap: false,
      composite: false,
      incremental: false,
      noEmit: false,
      sourceMap: false,
      inlineSourceMap: true,
      inlineSources: false,
    };
    delete options.outDir;
    delete options.tsBuildInfoFile;
    compiler = { ts, options };
  }
  return compiler;
}

/**
 * The JavaScript for one TypeScript file: from the cache when its header matches, else transpiled
 * and stored (written to a temporary file and renamed, so parallel processes never read half a file).
 * @param {string} source
 * @param {string} filename absolute path of the .ts file
 * @returns {string}
 */
function compile(source, filename) {
  const key = `//bdp-compile ${sha256(`${settings()}\0${filename}\0${source}`)}\n`;
  const file = path.join(cacheDir(), `${sha256(filename).slice(0, 32)}.js`);
  try {
    const cached = fs.readFileSync(file, "utf8");
    if (cached.startsWith(key)) return cached.slice(key.length);
  } catch {
    // Not cached yet.
  }
  const { ts, options } = loadCompiler();
  const output = ts.transpileModule(source, { compilerOptions: options, fileName: filename }).outputText;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, key + output);
    fs.renameSync(temporary, file);
  } catch {
    // A read-only cache only costs speed.
  }
  return output;
}

/**
 * Loads .ts modules through the cache. Called again after another loader (ts-node) has claimed
 * .ts, it takes the extension back.
 */
function register() {
  require.extensions[".ts"] = function loadTypeScript(module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    // Module#_compile runs the code as this module (what ts-node does with its output, too).
    /** @type {any} */ (module)._compile(compile(source, filename), filename);
  };
}

/**
 * Whether `file` is this repository's own TypeScript (what tsconfig.json type-checks), as opposed
 * to code under node_modules or outside the repository.
 * @param {string} file
 */
function isProjectFile(file) {
  const relative = path.relative(ROOT, path.resolve(file));
  return (
    relative !== "" &&
    !relative.startsWith("..") &&
    !path.isAbsolute(relative) &&
    !relative.split(path.sep).includes("node_modules")
  );
}

module.exports = { register, compile, cacheDir, isProjectFile, ROOT };
