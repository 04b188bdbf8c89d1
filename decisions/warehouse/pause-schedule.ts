/**
 * A provisioned warehouse that sleeps: Redshift scheduled actions pause and resume the cluster on
 * cron() schedules in UTC, and while it is paused only its storage is billed
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/rs-mgmt-pause-resume-cluster.html). Pure
 * decisions over the schedule: what AWS accepts, the hours the cluster runs (the cost estimate),
 * and that no pipeline loads the warehouse while it is paused or still resuming.
 *
 * Times are simulated over four whole years (a leap year among them) after a year of warm-up, so
 * every weekday, month day, leap day and clock change of the pipelines' time zones occurs.
 */
import { ArgsProblem, FieldPath, formatPath } from "../problems";
import { loadsWarehouse, PipelineDefinition, PipelineTrigger } from "../pipeline";
import { cronFireTimes, DAY_MS, HOUR_MS, MINUTE_MS } from "../cron-calendar";
import { scheduleExpressionError, scheduleTimeWindow } from "../schedule";

/** When the cluster pauses and resumes: cron() expressions the Redshift scheduler evaluates in UTC. */
export interface PauseSchedule {
  pause: readonly string[];
  resume: readonly string[];
}

/** What a scheduled action does to the cluster: pause it or resume it. */
export type ClusterAction = keyof PauseSchedule;

/**
 * Minutes a cluster must have been resumed before a load starts. AWS publishes no duration for a
 * resume (a cluster takes minutes to become available again, longer after maintenance), so the
 * check leaves this much room and the README says so.
 */
export const RESUME_LEAD_MINUTES = 30;

/** The span every schedule is evaluated over: 2027-2030, with 2028 a leap year. */
export const SIMULATION_START = Date.UTC(2027, 0, 1);
export const SIMULATION_END = Date.UTC(2031, 0, 1);
const SIMULATED_MONTHS = 48;
/** Events this long before the span decide the cluster's state when the span begins. */
const WARM_UP_MS = 400 * DAY_MS;

/** One scheduled action firing: which list and entry it comes from, and when. */
export interface ClusterEvent {
  at: number;
  action: ClusterAction;
  index: number;
}

/** A pipeline with a `redshiftLoad` step, as the check needs it. */
export interface WarehouseLoader {
  /** Its index under `pipelines`. */
  index: number;
  name: string;
  trigger: PipelineTrigger;
  /** The whole run's limit: every step, retry and the load end within it. */
  timeoutMinutes: number;
  /** How late its schedule may start it (EventBridge Scheduler's flexible window), in minutes. */
  startWindowMinutes: number;
}

/**
 * EventBridge Scheduler invokes a target within the minute it is due (60-second precision), so a
 * run may start up to a minute after its time:
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
const START_PRECISION_MINUTES = 1;

const ACTIONS: readonly ClusterAction[] = ["pause", "resume"];

/** The pipelines with a `redshiftLoad` step, each with the span a run may take. */
export function warehouseLoaders(pipelines: readonly PipelineDefinition[]): WarehouseLoader[] {
  return pipelines.flatMap((pipeline, index) => {
    if (!loadsWarehouse(pipeline)) return [];
    const window = scheduleTimeWindow(pipeline.slaTier);
    return [
      {
        index,
        name: pipeline.name,
        trigger: pipeline.trigger,
        timeoutMinutes: pipeline.timeoutMinutes,
        startWindowMinutes: window.mode === "FLEXIBLE" ? window.maximumWindowInMinutes : 0,
      },
    ];
  });
}

/**
 * Why the schedule's expressions are not ones the Redshift scheduler runs as meant: each a valid
 * cron() (the platform takes no one-time at()), invocations of one action at least an hour apart
 * (https://docs.aws.amazon.com/redshift/latest/APIReference/API_ScheduledAction.html), firing at
 * least once, and never a pause and a resume at the same minute. Paths are relative to the schedule.
 */
export function pauseScheduleProblems(schedule: PauseSchedule): ArgsProblem[] {
  const problems: ArgsProblem[] = [];
  const fires = new Map<string, number[]>();
  for (const action of ACTIONS) {
    if (schedule[action].length === 0) {
      problems.push({ path: [action], message: "needs at least one cron() expression" });
    }
    schedule[action].forEach((expression, index) => {
      const problem = cronProblem(expression);
      if (problem) {
        problems.push({ path: [action, index], message: problem, given: expression });
        return;
      }
      const times = cronFireTimes(expression, "UTC", SIMULATION_START - WARM_UP_MS, SIMULATION_END);
      fires.set(`${action}[${index}]`, times);
      if (times.length === 0) {
        problems.push({ path: [action, index], message: "never fires from 2026 to 2030", given: expression });
      }
      const tooClose = times.findIndex((time, at) => at > 0 && time - times[at - 1] < HOUR_MS);
      if (tooClose > 0) {
        problems.push({
          path: [action, index],
          message:
            `fires at ${utc(times[tooClose - 1])} and again at ${utc(times[tooClose])}: ` +
            "the Redshift scheduler needs its invocations at least one hour apart",
          given: expression,
        });
      }
    });
  }
  schedule.pause.forEach((_, pauseIndex) => {
    const pauses = new Set(fires.get(`pause[${pauseIndex}]`) ?? []);
    schedule.resume.forEach((_, resumeIndex) => {
      const clash = (fires.get(`resume[${resumeIndex}]`) ?? []).find((time) => pauses.has(time));
      if (clash !== undefined) {
        problems.push({
          path: ["pause", pauseIndex],
          message: `fires at ${utc(clash)}, the same minute as resume[${resumeIndex}]: the cluster's state would be a race`,
          given: schedule.pause[pauseIndex],
        });
      }
    });
  });
  return problems;
}

function cronProblem(expression: string): string | undefined {
  if (!/^cron\(.*\)$/.test(expression.trim())) {
    return 'must be "cron(<6 fields>)" in UTC: the platform schedules recurring pauses and resumes only';
  }
  return scheduleExpressionError(expression);
}

/** Every pause and resume from `fromMs` to `toMs`, in time order. The schedule must be valid. */
export function clusterEvents(schedule: PauseSchedule, fromMs: number, toMs: number): ClusterEvent[] {
  return ACTIONS.flatMap((action) =>
    schedule[action].flatMap((expression, index) =>
      cronFireTimes(expression, "UTC", fromMs, toMs).map((at) => ({ at, action, index })),
    ),
  ).sort((a, b) => a.at - b.at);
}

/**
 * The simulated span's events; the last event at or before an instant (undefined: none yet); and
 * the events after one instant up to and including another.
 */
function timeline(schedule: PauseSchedule) {
  const events = clusterEvents(schedule, SIMULATION_START - WARM_UP_MS, SIMULATION_END + 7 * DAY_MS);
  /** Index of the first event after `instant`. */
  const firstAfter = (instant: number): number => {
    let low = 0;
    let high = events.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (events[middle].at <= instant) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const lastAtOrBefore = (instant: number): ClusterEvent | undefined => events[firstAfter(instant) - 1];
  const between = (after: number, until: number): ClusterEvent[] => {
    const found: ClusterEvent[] = [];
    for (let index = firstAfter(after); index < events.length && events[index].at <= until; index++) {
      found.push(events[index]);
    }
    return found;
  };
  return { events, lastAtOrBefore, between };
}

/**
 * Average hours a month the cluster runs (is not paused) under the schedule: what a provisioned
 * warehouse bills. A new cluster runs until the first pause.
 */
export function runningHoursPerMonth(schedule: PauseSchedule): number {
  const { events, lastAtOrBefore } = timeline(schedule);
  let running = lastAtOrBefore(SIMULATION_START)?.action !== "pause";
  let since = SIMULATION_START;
  let runningMs = 0;
  for (const event of events) {
    if (event.at <= SIMULATION_START) continue;
    const at = Math.min(event.at, SIMULATION_END);
    if (running) runningMs += at - since;
    since = at;
    running = event.action === "resume";
    if (event.at >= SIMULATION_END) break;
  }
  if (running) runningMs += SIMULATION_END - since;
  return runningMs / HOUR_MS / SIMULATED_MONTHS;
}

/**
 * Where a load would meet a paused cluster: a pipeline that starts at any time (on demand, on an
 * upload, on a rate()) while the cluster ever pauses; a scheduled run that starts while the
 * cluster is paused or resumed less than RESUME_LEAD_MINUTES before; a pause before the run's
 * timeout. One problem per pipeline and cause, naming its first occurrence. Paths are from the
 * stack config's root: the pipeline's trigger or the schedule entry to move.
 */
export function pauseConflicts(
  schedule: PauseSchedule,
  loaders: readonly WarehouseLoader[],
  schedulePath: FieldPath,
): ArgsProblem[] {
  if (loaders.length === 0) return [];
  const { lastAtOrBefore, between } = timeline(schedule);
  const problems: ArgsProblem[] = [];
  for (const loader of loaders) {
    const label = `pipeline "${loader.name}" (pipelines[${loader.index}])`;
    const trigger = loader.trigger;
    if (trigger.type !== "schedule" || !trigger.expression.trim().startsWith("cron(")) {
      problems.push({
        path: ["pipelines", loader.index, "trigger"],
        message:
          `${label} loads the warehouse, which pauses on a schedule (${formatPath(schedulePath)}), but its ` +
          `${describeTrigger(trigger)} may start it while the cluster is paused: give it a cron() schedule ` +
          "the pause schedule leaves running, or remove the pause schedule",
        given: trigger.type === "schedule" ? trigger.expression : trigger.type,
      });
      continue;
    }
    const reported = new Set<string>();
    const report = (key: string, problem: () => ArgsProblem) => {
      if (reported.has(key)) return;
      reported.add(key);
      problems.push(problem());
    };
    const runMinutes = loader.startWindowMinutes + START_PRECISION_MINUTES + loader.timeoutMinutes;
    for (const start of cronFireTimes(
      trigger.expression,
      trigger.timezone,
      SIMULATION_START,
      SIMULATION_END,
    )) {
      const ready = start - RESUME_LEAD_MINUTES * MINUTE_MS;
      const end = start + runMinutes * MINUTE_MS;
      // Built only for a problem: formatting every run would dominate the check's time.
      const run = () =>
        `its run of ${trigger.timezone === "UTC" ? utc(start) : `${local(start, trigger.timezone)} (${utc(start)})`}` +
        (loader.startWindowMinutes > 0
          ? `, which may start up to ${loader.startWindowMinutes} minutes late,`
          : "");
      const before = lastAtOrBefore(ready);
      const during = between(ready, end);
      if (before?.action === "pause") {
        const resumed = during.find((event) => event.at <= start && event.action === "resume");
        report("resume", () => ({
          path: [...schedulePath, "resume"],
          message: resumed
            ? `${label} starts ${run()} only ${(start - resumed.at) / MINUTE_MS} minutes after resume[${resumed.index}] ` +
              `resumes the cluster at ${utc(resumed.at)}; resume it at least ${RESUME_LEAD_MINUTES} minutes before a load`
            : `${label} starts ${run()} while the cluster is paused (pause[${before.index}] at ${utc(before.at)}); ` +
              `resume it at least ${RESUME_LEAD_MINUTES} minutes before a load`,
        }));
      }
      const pause = during.find((event) => event.action === "pause");
      if (pause) {
        report(`pause[${pause.index}]`, () => ({
          path: [...schedulePath, "pause", pause.index],
          message:
            `pauses the cluster at ${utc(pause.at)} while ${label} may still be loading it: ` +
            `${run()} may last until ${utc(end)} (timeoutMinutes ${loader.timeoutMinutes})`,
          given: schedule.pause[pause.index],
        }));
      }
    }
  }
  return problems;
}

function describeTrigger(trigger: PipelineTrigger): string {
  if (trigger.type === "schedule")
    return `schedule ${trigger.expression} (a rate() starts at any time of day)`;
  return trigger.type === "s3Upload" ? "upload trigger" : "on-demand trigger";
}

/** "2027-03-28 01:30 UTC" */
function utc(instant: number): string {
  return `${new Date(instant).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "2027-03-28 02:30 Europe/Dublin" */
function local(instant: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${timeZone}`;
}
