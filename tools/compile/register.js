// @ts-check
/** `node -r ./tools/compile/register.js file.ts`: loads .ts modules through the compile cache (cache.js). */
"use strict";
require("./cache").register();
