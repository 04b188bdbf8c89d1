/**
 * Alarm thresholds and evaluation windows as pure functions, so the numbers CloudWatch gets are
 * unit-tested and the monitoring components only turn them into resources.
 *
 * CloudWatch limits honoured here (PutMetricAlarm): a period is a multiple of 60 seconds (we never
 * use high-resolution periods); period x evaluationPeriods is at most 7 days, and at most 1 day
 * when the period is shorter than 1 hour; we keep single periods at or below 1 day.
 */
import { cronFieldValues, scheduleExpressionError } from "./schedule";

/** Share of a run's timeout after which a run counts as "close to its timeout". */
export const NEAR_TIMEOUT_SHARE = 0.8;

/**
 * Slack added to the longest gap between scheduled runs before "did not run" fires: covers the
 * hour a daylight-saving change can add to a gap (schedules run in a time zone) and start delays.
 */
export const DID_NOT_RUN_GRACE_MINUTES = 60;

export const MINUTE_SECONDS = 60;
export const HOUR_SECONDS = 3600;
export const DAY_SECONDS = 86_400;
/** Longest total evaluation range of an alarm (period x evaluationPeriods). */
export const MAX_EVALUATION_SECONDS = 7 * DAY_SECONDS;
/** Longest total evaluation range when the period is shorter than one hour. */
export const MAX_SHORT_PERIOD_EVALUATION_SECONDS = DAY_SECONDS;
/** Longest single period we use. */
export const MAX_PERIOD_SECONDS = DAY_SECONDS;

/** Period of the alarms on per-run signals (failures, run durations): short, so alerts are prompt. */
export const RUN_SIGNAL_PERIOD_SECONDS = 300;
/** EMR publishes cluster metrics every 5 minutes. */
export const EMR_METRIC_GRANULARITY_SECONDS = 300;

/** How EventBridge retries delivering a failure alert before it goes to the dead-letter queue. */
export const FAILURE_ALERT_RETRY_POLICY = {
  /** Enough for SNS throttling or a brief KMS outage; AWS allows 0 to 185. */
  maximumRetryAttempts: 20,
  /** An alert older than 6 hours goes to the dead-letter queue instead (AWS allows 60 s to 24 h). */
  maximumEventAgeInSeconds: 6 * HOUR_SECONDS,
} as const;

/** How a metric alarm evaluates: `datapointsToAlarm` of the last `evaluationPeriods` periods must breach. */
export interface AlarmWindow {
  /** Seconds per datapoint. */
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
}

/** Threshold in milliseconds (the unit of AWS/States ExecutionTime and Glue elapsedTime) for "close to timeout". */
export function nearTimeoutThresholdMs(timeoutMinutes: number, share: number = NEAR_TIMEOUT_SHARE): number {
  if (!(timeoutMinutes > 0)) throw new Error(`timeoutMinutes must be greater than 0, got ${timeoutMinutes}`);
  if (!(share > 0 && share < 1)) throw new Error(`share must be between 0 and 1, got ${share}`);
  return Math.round(timeoutMinutes * 60_000 * share);
}

/** Why a period/evaluation combination would be rejected by CloudWatch, or undefined when valid. */
export function alarmWindowError(window: AlarmWindow): string | undefined {
  const { period, evaluationPeriods, datapointsToAlarm } = window;
  if (!Number.isInteger(period) || period < MINUTE_SECONDS || period % MINUTE_SECONDS !== 0) {
    return `period ${period} must be a positive multiple of 60 seconds`;
  }
  if (period > MAX_PERIOD_SECONDS) return `period ${period} is longer than one day`;
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    return `evaluationPeriods ${evaluationPeriods} must be a positive integer`;
  }
  if (
    !Number.isInteger(datapointsToAlarm) ||
    datapointsToAlarm < 1 ||
    datapointsToAlarm > evaluationPeriods
  ) {
    return `datapointsToAlarm ${datapointsToAlarm} must be between 1 and evaluationPeriods`;
  }
  const total = period * evaluationPeriods;
  const limit = period < HOUR_SECONDS ? MAX_SHORT_PERIOD_EVALUATION_SECONDS : MAX_EVALUATION_SECONDS;
  if (total > limit) return `period x evaluationPeriods = ${total} s exceeds ${limit} s`;
  return undefined;
}

/**
 * The window that covers at least `minutes`: one period when that fits in a day (a Sum or
 * Minimum over the period then answers "anything in the window?"), otherwise hourly periods that
 * must all breach. `granularitySeconds` is the metric's publishing interval (60, or 300 for EMR).
 * Throws when the window is longer than the 7 days CloudWatch can evaluate.
 */
export function alarmWindow(minutes: number, granularitySeconds = MINUTE_SECONDS): AlarmWindow {
  if (!(minutes > 0)) throw new Error(`window must be longer than 0 minutes, got ${minutes}`);
  if (granularitySeconds % MINUTE_SECONDS !== 0 || HOUR_SECONDS % granularitySeconds !== 0) {
    throw new Error(`granularity ${granularitySeconds} s must be a multiple of 60 that divides an hour`);
  }
  const seconds = Math.ceil((minutes * MINUTE_SECONDS) / granularitySeconds) * granularitySeconds;
  if (seconds <= MAX_PERIOD_SECONDS) return { period: seconds, evaluationPeriods: 1, datapointsToAlarm: 1 };
  const hours = Math.ceil(seconds / HOUR_SECONDS);
  if (hours * HOUR_SECONDS > MAX_EVALUATION_SECONDS) {
    throw new Error(`a ${minutes}-minute window is longer than the 7 days a CloudWatch alarm can evaluate`);
  }
  return { period: HOUR_SECONDS, evaluationPeriods: hours, datapointsToAlarm: hours };
}

/** Whether `alarmWindow(minutes)` can cover the window at all. */
export function fitsInAlarmWindow(minutes: number): boolean {
  return minutes > 0 && minutes * MINUTE_SECONDS <= MAX_EVALUATION_SECONDS;
}

const RATE_MINUTES: Record<string, number> = { minute: 1, hour: 60, day: 1440 };
/** Days simulated for cron schedules: four years, so every weekday/month-day combination and a leap day occur. */
const SIMULATED_DAYS = 4 * 366;
const SIMULATION_START = Date.UTC(2024, 0, 1);
/** Days from one 29 February to the next. */
const LEAP_CYCLE_DAYS = 4 * 365 + 1;
/**
 * The longest schedule gap a did-not-run check watches. A pipeline that runs less often than once
 * a year (a leap-day schedule) gets no such check: a year-long wait would hide a broken alarm
 * rather than report a missed run.
 */
export const MAX_WATCHED_GAP_MINUTES = 366 * 1440;
const DAY_MS = DAY_SECONDS * 1000;

/** Largest gap in a sorted cyclic list of values with the given cycle length. */
function largestCyclicGap(sorted: number[], cycle: number): number {
  let gap = sorted[0] + cycle - sorted[sorted.length - 1];
  for (let index = 1; index < sorted.length; index++) gap = Math.max(gap, sorted[index] - sorted[index - 1]);
  return gap;
}

/**
 * The longest time in minutes between two consecutive runs of a schedule expression. rate() is
 * exact; cron() is simulated day by day over four years (the year field is ignored). Day fields
 * with L, W or # are bounded generously by the month gap (such schedules run monthly at most).
 */
export function scheduleMaxGapMinutes(expression: string): number {
  const error = scheduleExpressionError(expression);
  if (error) throw new Error(`invalid schedule expression ${expression}: ${error}`);
  const [, kind, body] = /^(cron|rate)\((.*)\)$/.exec(expression.trim())!;
  if (kind === "rate") {
    const [value, unit] = body.trim().split(/\s+/);
    return Number(value) * RATE_MINUTES[unit.replace(/s$/, "")];
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek] = body.trim().split(/\s+/);
  const months = [...cronFieldValues(month, 3)!].sort((a, b) => a - b);
  if (/[LW#]/i.test(dayOfMonth) || /[L#]/i.test(dayOfWeek)) {
    const monthGap = months.length === 1 ? 12 : largestCyclicGap(months, 12);
    return (monthGap + 1) * 31 * 1440;
  }
  const times = [...cronFieldValues(hours, 1)!]
    .flatMap((hour) => [...cronFieldValues(minutes, 0)!].map((minute) => hour * 60 + minute))
    .sort((a, b) => a - b);
  const monthSet = new Set(months);
  const dayMatches =
    dayOfMonth === "?"
      ? (
          (weekdays) => (date: Date) =>
            weekdays.has(date.getUTCDay() + 1)
        )(cronFieldValues(dayOfWeek, 4)!)
      : (
          (monthDays) => (date: Date) =>
            monthDays.has(date.getUTCDate())
        )(cronFieldValues(dayOfMonth, 2)!);
  const runDays: number[] = [];
  for (let day = 0; day < SIMULATED_DAYS; day++) {
    const date = new Date(SIMULATION_START + day * DAY_MS);
    if (monthSet.has(date.getUTCMonth() + 1) && dayMatches(date)) runDays.push(day);
  }
  // Once in four years (a leap day): the gap is the whole leap cycle.
  if (runDays.length === 1) return LEAP_CYCLE_DAYS * 1440;
  let gap = 0;
  for (let index = 1; index < times.length; index++) gap = Math.max(gap, times[index] - times[index - 1]);
  const [first, last] = [times[0], times[times.length - 1]];
  for (let index = 1; index < runDays.length; index++) {
    gap = Math.max(gap, (runDays[index] - runDays[index - 1]) * 1440 - last + first);
  }
  return gap;
}

/** Period of the "a run started" alarm that confirms a long did-not-run window (see DidNotRunCheck). */
export const RUN_STARTED_PERIOD_SECONDS = HOUR_SECONDS;

/**
 * How the "did not run" alarm of a scheduled pipeline decides. It fires when no run started within
 * the longest gap between two scheduled runs plus the grace. When that is longer than the 7 days
 * CloudWatch can evaluate (weekly and monthly schedules), `window` is the longest window it can
 * (all periods without a run) and `confirmSeconds` says how much longer to wait before notifying:
 * a composite alarm notifies only if no "a run started" alarm fires in that time (composite alarm
 * action suppression, whose WaitPeriod exists to wait for such a state change:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html).
 */
export interface DidNotRunCheck {
  window: AlarmWindow;
  /** Seconds the notification waits for a run after the window alarm fires; absent when the window covers the gap. */
  confirmSeconds?: number;
}

/**
 * The did-not-run check of a schedule expression. A window alarm of hourly periods can fire up to
 * one period early (a period holding the last run may be only partly in the window), so the wait
 * adds that period: the notification never comes before the gap plus the grace has passed.
 */
export function didNotRunCheck(
  expression: string,
  graceMinutes: number = DID_NOT_RUN_GRACE_MINUTES,
): DidNotRunCheck | undefined {
  const gap = scheduleMaxGapMinutes(expression);
  if (gap > MAX_WATCHED_GAP_MINUTES) return undefined;
  const minutes = gap + graceMinutes;
  if (fitsInAlarmWindow(minutes)) return { window: alarmWindow(minutes) };
  const window = alarmWindow(MAX_EVALUATION_SECONDS / MINUTE_SECONDS);
  const evaluated = window.period * window.evaluationPeriods - window.period;
  return { window, confirmSeconds: minutes * MINUTE_SECONDS - evaluated };
}

/**
 * Window of the idle alarm of a long-running EMR cluster: idle for longer than its auto-termination
 * timeout means auto-termination did not happen and the cluster costs money doing nothing.
 * IsIdle is published every 5 minutes, so one extra datapoint is added for the timeout to elapse.
 */
export function emrIdleWindow(idleTimeoutMinutes: number): AlarmWindow {
  const minutes = Math.min(
    idleTimeoutMinutes + EMR_METRIC_GRANULARITY_SECONDS / MINUTE_SECONDS,
    MAX_EVALUATION_SECONDS / MINUTE_SECONDS,
  );
  return alarmWindow(minutes, EMR_METRIC_GRANULARITY_SECONDS);
}
