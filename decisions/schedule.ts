/**
 * EventBridge / EventBridge Scheduler schedule expressions, validated the way AWS does at
 * create time, so a typo fails `pulumi preview` with the pipeline's key instead of failing
 * the deployment.
 *
 * cron(minutes hours day-of-month month day-of-week year): six fields; exactly one of
 * day-of-month and day-of-week must be `?`. rate(value unit): value >= 1, unit singular only
 * for 1 (`rate(1 hour)`, `rate(5 hours)`).
 */
import { SlaTier } from "./sla-tier";

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Extra single-token forms AWS allows in this field (`L`, `W`, `#`). */
  special?: RegExp;
  allowsQuestionMark?: boolean;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

const CRON_FIELDS: readonly CronField[] = [
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  {
    name: "day-of-month",
    min: 1,
    max: 31,
    special: /^(L|LW|([1-9]|[12]\d|3[01])W)$/,
    allowsQuestionMark: true,
  },
  { name: "month", min: 1, max: 12, names: MONTHS },
  {
    name: "day-of-week",
    min: 1,
    max: 7,
    names: DAYS,
    special: /^([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5])$|^L$/,
    allowsQuestionMark: true,
  },
  { name: "year", min: 1970, max: 2199 },
];

function parseValue(token: string, field: CronField): number | undefined {
  if (/^\d+$/.test(token)) {
    const value = Number(token);
    return value >= field.min && value <= field.max ? value : undefined;
  }
  const index = field.names?.indexOf(token.toUpperCase()) ?? -1;
  return index >= 0 ? index + field.min : undefined;
}

function checkCronField(token: string, field: CronField): string | undefined {
  const allowed = `${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : ""}`;
  if (token === "?") return field.allowsQuestionMark ? undefined : `${field.name} cannot be "?"`;
  if (field.special?.test(token.toUpperCase())) return undefined;
  for (const part of token.split(",")) {
    const pieces = part.split("/");
    if (pieces.length > 2) return `${field.name}: "${part}" has more than one "/"`;
    const [range, step] = pieces;
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) {
      return `${field.name}: step "${step}" must be a number of at least 1`;
    }
    if (range === "*") continue;
    const bounds = range.split("-");
    if (bounds.length > 2) return `${field.name}: "${part}" is not a value or range`;
    const values = bounds.map((bound) => parseValue(bound, field));
    if (values.some((value) => value === undefined)) {
      return `${field.name}: "${part}" is outside ${allowed}`;
    }
  }
  return undefined;
}

/** Returns why a cron expression is invalid, or undefined when AWS will accept it. */
export function cronExpressionError(body: string): string | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return `cron() takes 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
  }
  for (const [index, field] of CRON_FIELDS.entries()) {
    const problem = checkCronField(fields[index], field);
    if (problem) return problem;
  }
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
    return 'exactly one of day-of-month and day-of-week must be "?"';
  }
  return neverFiresError(fields);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * Why fixed days of the month never occur in the selected months and years (31 in April, 30
 * February, 29 February of 2027 only), or undefined. Such an expression is valid syntax, but the
 * schedule would never start its pipeline; a leap day in a year range with a leap year is fine.
 */
function neverFiresError(fields: string[]): string | undefined {
  const [, , dayOfMonth, month, , year] = fields;
  const days = selectedValues(dayOfMonth, CRON_FIELDS[2]);
  if (days === undefined || days.size === 0) return undefined;
  const months = selectedValues(month, CRON_FIELDS[3]) ?? new Set<number>();
  const years = selectedValues(year, CRON_FIELDS[5]) ?? new Set<number>();
  const leapYearSelected = [...years].some(isLeapYear);
  const occurs = [...months].some((selected) => {
    const last = selected === 2 && !leapYearSelected ? 28 : DAYS_IN_MONTH[selected - 1];
    return [...days].some((day) => day <= last);
  });
  if (occurs) return undefined;
  const monthNames = [...months].map((selected) => MONTHS[selected - 1]).join(",");
  const inYears = leapYearSelected ? "" : ` of ${year}`;
  return `never fires: day-of-month ${dayOfMonth} does not occur in ${monthNames}${inYears}`;
}

const RATE_UNITS = ["minute", "hour", "day"] as const;

/** Returns why a rate expression is invalid, or undefined when AWS will accept it. */
export function rateExpressionError(body: string): string | undefined {
  const match = /^(\d+)\s+([a-z]+)$/.exec(body.trim());
  if (!match) return 'rate() takes "<value> <unit>", for example rate(6 hours)';
  const value = Number(match[1]);
  const unit = match[2];
  if (value < 1) return "rate value must be at least 1";
  const singular = unit.replace(/s$/, "");
  if (!(RATE_UNITS as readonly string[]).includes(singular))
    return `rate unit must be minute(s), hour(s) or day(s)`;
  if (value === 1 && unit !== singular) return `use the singular unit for 1: rate(1 ${singular})`;
  if (value > 1 && unit === singular) return `use the plural unit for ${value}: rate(${value} ${singular}s)`;
  return undefined;
}

/** Returns why a schedule expression is invalid, or undefined when it is a valid cron() or rate(). */
export function scheduleExpressionError(expression: string): string | undefined {
  const match = /^(cron|rate)\((.*)\)$/.exec(expression.trim());
  if (!match) return 'must be "cron(<6 fields>)" or "rate(<value> <unit>)"';
  return match[1] === "cron" ? cronExpressionError(match[2]) : rateExpressionError(match[2]);
}

/** How many times a schedule fires in an average month; used by the cost estimate and alarms. */
export function runsPerMonth(expression: string): number {
  const error = scheduleExpressionError(expression);
  if (error) throw new Error(`invalid schedule expression ${expression}: ${error}`);
  const [, kind, body] = /^(cron|rate)\((.*)\)$/.exec(expression.trim())!;
  const minutesPerMonth = 30.4375 * 24 * 60;
  if (kind === "rate") {
    const [value, unit] = body.trim().split(/\s+/);
    const minutes = { minute: 1, hour: 60, day: 1440 }[unit.replace(/s$/, "") as (typeof RATE_UNITS)[number]];
    return minutesPerMonth / (Number(value) * minutes);
  }
  const tokens = body.trim().split(/\s+/);
  const [, , dayOfMonth, , dayOfWeek] = tokens;
  const count = (index: number) => countMatches(tokens[index], CRON_FIELDS[index]);
  const perDay = count(0) * count(1);
  // "MON#2" (second Monday) and "6L" (last Friday) select one day a month, not one a week.
  const oncePerMonth = /#|^.+L$/i.test(dayOfWeek);
  const daysPerMonth =
    dayOfMonth === "?"
      ? oncePerMonth
        ? 1
        : (count(4) * 30.4375) / 7
      : dayOfMonth === "*"
        ? 30.4375
        : count(2);
  const shareOfMonths = count(3) / 12;
  return perDay * daysPerMonth * shareOfMonths;
}

/**
 * The values field `index` (0 minutes, 1 hours, 2 day-of-month, 3 month, 4 day-of-week, 5 year) of
 * a valid cron() body selects, names as numbers (JAN = 1, SUN = 1); undefined for "?" and the
 * special forms L, W and #.
 */
export function cronFieldValues(token: string, index: number): Set<number> | undefined {
  return selectedValues(token, CRON_FIELDS[index]);
}

/** Counts the values a cron field selects (the special forms L, W and # count as one). */
function countMatches(token: string, field: CronField): number {
  return selectedValues(token, field)?.size ?? 1;
}

/** The values a valid cron field selects; undefined for "?" and the special forms L, W and #. */
function selectedValues(token: string, field: CronField): Set<number> | undefined {
  // Only whole-token specials: month and day names such as JUL or WED contain L and W too.
  if (token === "?" || field.special?.test(token.toUpperCase())) return undefined;
  const selected = new Set<number>();
  for (const part of token.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText ? Number(stepText) : 1;
    const [from, to] =
      range === "*"
        ? [field.min, field.max]
        : ((bounds) => [bounds[0], bounds[1] ?? (stepText ? field.max : bounds[0])])(
            range.split("-").map((bound) => parseValue(bound, field)!),
          );
    for (let value = from; value <= to; value += step) selected.add(value);
  }
  return selected;
}

/**
 * IANA time zone names (zones and their links, such as Asia/Kolkata, Europe/Kyiv and US/Eastern)
 * from the `tzdata` package, which follows the IANA releases; Node's ICU lists only one name per
 * zone and may lag a release. EventBridge Scheduler evaluates schedules in any tz database name:
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#time-zones
 * "Factory" is a placeholder zone, not a place.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const TZDATA = require("tzdata") as { zones: Record<string, unknown>; version?: string };
const TIME_ZONES = new Set(
  [...Object.keys(TZDATA.zones), ...Intl.supportedValuesOf("timeZone")].filter((zone) => zone !== "Factory"),
);

/** Why a schedule time zone is not an IANA name Scheduler accepts, or undefined when it is. */
export function timeZoneError(timezone: string): string | undefined {
  if (TIME_ZONES.has(timezone)) return undefined;
  const sameButCase = [...TIME_ZONES].find((zone) => zone.toLowerCase() === timezone.toLowerCase());
  return sameButCase
    ? `must be written "${sameButCase}": time zone names are case-sensitive`
    : 'must be an IANA time zone name such as "UTC", "Europe/Dublin" or "America/New_York"';
}

/** EventBridge Scheduler's flexible time window for a schedule of this tier. */
export type ScheduleTimeWindow = { mode: "OFF" } | { mode: "FLEXIBLE"; maximumWindowInMinutes: number };

/** Default window in which a flexible-tier schedule may start (spreads load, same price). */
export const DEFAULT_FLEXIBLE_WINDOW_MINUTES = 60;

/** Why a flexible window is not one EventBridge Scheduler accepts (1 to 1440 minutes), or undefined. */
export function flexibleWindowError(windowMinutes: number): string | undefined {
  return Number.isInteger(windowMinutes) && windowMinutes >= 1 && windowMinutes <= 1440
    ? undefined
    : "must be an integer from 1 to 1440 minutes";
}

/** flexible: may start up to `windowMinutes` late (1 to 1440); standard, critical: on time. */
export function scheduleTimeWindow(
  tier: SlaTier,
  windowMinutes = DEFAULT_FLEXIBLE_WINDOW_MINUTES,
): ScheduleTimeWindow {
  if (tier !== "flexible") return { mode: "OFF" };
  const problem = flexibleWindowError(windowMinutes);
  if (problem) throw new Error(`flexible window ${problem}, got ${windowMinutes}`);
  return { mode: "FLEXIBLE", maximumWindowInMinutes: windowMinutes };
}
