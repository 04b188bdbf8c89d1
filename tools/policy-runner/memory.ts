/**
 * Handing memory back between the plan's stages.
 *
 * The plan's peak is two processes at once: the policy pack decoding and judging the whole stack
 * in AnalyzeStack while the plan waits. By then the plan holds little, but V8 keeps the pages of
 * what it has stopped using (the synthesis, the request just sent) until its next full
 * collection, which an idle process does not reach. `npm run plan` runs with `--expose-gc` so that
 * the plan can collect at these points; without the flag (tests, library use) this does nothing.
 */
export function releaseGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === "function") gc();
}
