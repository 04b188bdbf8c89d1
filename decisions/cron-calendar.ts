/**
 * When a cron() schedule fires: every invocation of an EventBridge / Redshift scheduler cron
 * expression in a span of time, as UTC instants, evaluated in a time zone. Pure (Intl for the
 * zone offsets); the expression is validated by decisions/schedule.ts first.
 *
 * Fields: minutes hours day-of-month month day-of-week year, with `*`, lists, ranges, steps and
 * names; `L` (last day of the month; alone in day-of-week, Saturday), `LW` (last weekday), `nW`
 * (the weekday nearest day n, in the same month), `nL` (the last weekday n of the month) and `n#k`
 * (the k-th weekday n): https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based
 *
 * Daylight saving time as EventBridge Scheduler handles it: a local time that does not exist
 * (clocks go forward) is skipped; a local time that happens twice (clocks go back) runs once, and
 * since AWS does not say which of the two, both are returned so a check covers either:
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#daylist-savings-time
 */
import { cronFieldValues, scheduleExpressionError } from "./schedule";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const SATURDAY = 7;

/** Days in a month (1-12) of a year. */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** AWS's day-of-week number (1 = SUN ... 7 = SAT) of a date. */
function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

function weekdayNumber(token: string): number {
  const index = DAY_NAMES.indexOf(token.toUpperCase());
  return index >= 0 ? index + 1 : Number(token);
}

/** Whether a date matches the day-of-month field (a list, range, step, `*`, `L`, `LW` or `nW`). */
function dayOfMonthMatcher(token: string): (year: number, month: number, day: number) => boolean {
  const upper = token.toUpperCase();
  if (upper === "L") return (year, month, day) => day === daysInMonth(year, month);
  if (upper === "LW") {
    return (year, month, day) => day === nearestWeekday(year, month, daysInMonth(year, month));
  }
  const nearest = /^(\d{1,2})W$/.exec(upper);
  if (nearest) {
    const target = Number(nearest[1]);
    return (year, month, day) =>
      target <= daysInMonth(year, month) && day === nearestWeekday(year, month, target);
  }
  const days = cronFieldValues(token, 2)!;
  return (_year, _month, day) => days.has(day);
}

/** The weekday (Monday to Friday) nearest day `target`, without leaving the month. */
function nearestWeekday(year: number, month: number, target: number): number {
  const dayOfWeek = weekday(year, month, target);
  const last = daysInMonth(year, month);
  if (dayOfWeek === SATURDAY) return target > 1 ? target - 1 : target + 2;
  if (dayOfWeek === 1) return target < last ? target + 1 : target - 2;
  return target;
}

/** Whether a date matches the day-of-week field (a list, range, `*`, `L`, `nL` or `n#k`). */
function dayOfWeekMatcher(token: string): (year: number, month: number, day: number) => boolean {
  const upper = token.toUpperCase();
  if (upper === "L") return (year, month, day) => weekday(year, month, day) === SATURDAY;
  const last = /^(\w+)L$/.exec(upper);
  if (last) {
    const wanted = weekdayNumber(last[1]);
    return (year, month, day) => weekday(year, month, day) === wanted && day + 7 > daysInMonth(year, month);
  }
  const nth = /^(\w+)#([1-5])$/.exec(upper);
  if (nth) {
    const wanted = weekdayNumber(nth[1]);
    const ordinal = Number(nth[2]);
    return (year, month, day) => weekday(year, month, day) === wanted && Math.ceil(day / 7) === ordinal;
  }
  const days = cronFieldValues(token, 4)!;
  return (year, month, day) => days.has(weekday(year, month, day));
}

/** A parsed cron() expression: the local times of day it fires and the dates it fires on. */
interface CronCalendar {
  /** Minutes after local midnight, sorted. */
  timesOfDay: number[];
  firesOn(year: number, month: number, day: number): boolean;
}

function parseCron(expression: string): CronCalendar {
  const problem = scheduleExpressionError(expression);
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  if (problem || !match) {
    throw new Error(`not a valid cron() expression: ${expression}${problem ? ` (${problem})` : ""}`);
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = match[1].trim().split(/\s+/);
  const timesOfDay = [...cronFieldValues(hours, 1)!]
    .flatMap((hour) => [...cronFieldValues(minutes, 0)!].map((minute) => hour * 60 + minute))
    .sort((a, b) => a - b);
  const months = cronFieldValues(month, 3)!;
  const years = cronFieldValues(year, 5)!;
  const dayMatches = dayOfMonth === "?" ? dayOfWeekMatcher(dayOfWeek) : dayOfMonthMatcher(dayOfMonth);
  return {
    timesOfDay,
    firesOn: (y, m, d) => years.has(y) && months.has(m) && dayMatches(y, m, d),
  };
}

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/** How far a zone's wall clock is ahead of UTC at an instant, in ms. */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  if (timeZone === "UTC") return 0;
  let formatter = FORMATTERS.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    FORMATTERS.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(
    formatter.formatToParts(new Date(utcMs)).map((part) => [part.type, Number(part.value)]),
  );
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The UTC instants at which a zone's clock shows `wallMs` (a local date and time written as if it
 * were UTC): none in a spring-forward gap, two in a fall-back overlap, else one.
 */
export function wallTimeInstants(wallMs: number, timeZone: string): number[] {
  const offsets = new Set([zoneOffsetMs(wallMs - DAY_MS, timeZone), zoneOffsetMs(wallMs + DAY_MS, timeZone)]);
  return [...offsets]
    .map((offset) => wallMs - offset)
    .filter((instant) => instant + zoneOffsetMs(instant, timeZone) === wallMs)
    .sort((a, b) => a - b);
}

/** Every invocation of a cron() expression evaluated in `timeZone`, at or after `fromMs` and before `toMs`, sorted. */
export function cronFireTimes(expression: string, timeZone: string, fromMs: number, toMs: number): number[] {
  const calendar = parseCron(expression);
  const fires: number[] = [];
  // Local dates from a day before to a day after the span cover every zone's offset.
  const first = new Date(fromMs - DAY_MS);
  let day = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate());
  for (; day < toMs + DAY_MS; day += DAY_MS) {
    const date = new Date(day);
    if (!calendar.firesOn(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())) continue;
    // The local day lies within 14 hours of the UTC day (the widest offsets): one offset over that
    // whole stretch means no clock change that day.
    const start = zoneOffsetMs(day - 14 * HOUR_MS, timeZone);
    const steady = start === zoneOffsetMs(day + DAY_MS + 14 * HOUR_MS, timeZone);
    for (const minuteOfDay of calendar.timesOfDay) {
      const wall = day + minuteOfDay * MINUTE_MS;
      const instants = steady ? [wall - start] : wallTimeInstants(wall, timeZone);
      for (const instant of instants) if (instant >= fromMs && instant < toMs) fires.push(instant);
    }
  }
  return fires.sort((a, b) => a - b);
}
