// @ts-check
/**
 * `node -r ./tools/compile/register.js file.ts`, how npm run plan and npm run bench start: .ts
 * modules load through the compile cache (cache.js), and the parts of @pulumi/pulumi they never use
 * load on first use (defer.js).
 */
"use strict";
require("./cache").register();
require("./defer").deferModules();
