/** Types of cache.js (plain JavaScript, since it is what loads the TypeScript). */

/** The repository root (where tsconfig.json is). */
export const ROOT: string;

/** Where compiled modules are kept: $BDP_COMPILE_CACHE, else node_modules/.cache/bdp-compile. */
export function cacheDir(): string;

/** The JavaScript for one TypeScript file, from the cache or transpiled and stored. */
export function compile(source: string, filename: string): string;

/** Makes this process load .ts modules through the cache (taking the extension back from ts-node). */
export function register(): void;

/** Whether `file` is this repository's own code (inside ROOT, not under node_modules). */
export function isProjectFile(file: string): boolean;
