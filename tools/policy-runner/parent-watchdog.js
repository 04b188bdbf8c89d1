// Preloaded into a policy pack process (node -r) by pack-process.ts: ends the pack when the process
// that started it is gone, however it went (even SIGKILL, where no exit hook runs).
"use strict";
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500).unref();
