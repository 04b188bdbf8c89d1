/**
 * Large stacks are declared in batches of pipelines.
 *
 * Until the engine answers a resource's registration, the Pulumi SDK holds promises and an Output
 * for every property of it. A program that declares everything in one synchronous run therefore
 * keeps every registration of the stack pending at once: for a stack of 1,000 pipelines (about
 * 23,000 resources) that was over 3 GB in the offline plan, whose mocks answer only once the
 * program yields, and most of the run went into garbage collection.
 *
 * The per-pipeline steps of the program (jobs, runs, grants, alarms) are generators that pause
 * after every PIPELINE_BATCH pipelines; the program gives the event loop a turn at each pause, so
 * the batch's registrations complete before the next batch is declared. A stack with at most
 * PIPELINE_BATCH pipelines never pauses and registers exactly as if built in one go.
 */

/** Pipelines declared between two pauses. */
export const PIPELINE_BATCH = 25;

/** What a paced step yields where it may pause. */
export const PAUSE: unique symbol = Symbol("pause between batches of pipelines");

/** A step of the program that may pause between batches and finally returns a T. */
export type Paced<T> = Generator<typeof PAUSE, T, void>;

/** `declare` for every item, in order, pausing after every `batch` items (not after the last). */
export function* declareInBatches<T, R>(
  items: Iterable<T>,
  declare: (item: T) => R,
  batch = PIPELINE_BATCH,
): Paced<R[]> {
  const declared: R[] = [];
  for (const item of items) {
    if (declared.length > 0 && declared.length % batch === 0) yield PAUSE;
    declared.push(declare(item));
  }
  return declared;
}

/** Runs a paced step, giving the event loop a turn at every pause. */
export async function runPaced<T>(step: Paced<T>): Promise<T> {
  let next = step.next();
  while (!next.done) {
    await new Promise((resolve) => setImmediate(resolve));
    next = step.next();
  }
  return next.value;
}
