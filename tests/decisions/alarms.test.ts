import { strict as assert } from "assert";
import {
  alarmWindow,
  alarmWindowError,
  didNotRunCheck,
  DID_NOT_RUN_GRACE_MINUTES,
  emrIdleWindow,
  FAILURE_ALERT_RETRY_POLICY,
  fitsInAlarmWindow,
  nearTimeoutThresholdMs,
  scheduleMaxGapMinutes,
} from "../../decisions/alarms";

describe("alarm decisions", () => {
  describe("nearTimeoutThresholdMs", () => {
    it("is 80% of the timeout in milliseconds", () => {
      assert.equal(nearTimeoutThresholdMs(60), 2_880_000);
      assert.equal(nearTimeoutThresholdMs(2880), 138_240_000);
      assert.equal(nearTimeoutThresholdMs(7), 336_000);
    });

    it("takes another share and rejects nonsense", () => {
      assert.equal(nearTimeoutThresholdMs(100, 0.5), 3_000_000);
      assert.throws(() => nearTimeoutThresholdMs(0), /greater than 0/);
      assert.throws(() => nearTimeoutThresholdMs(10, 1), /between 0 and 1/);
    });
  });

  describe("scheduleMaxGapMinutes", () => {
    it("is exact for rate()", () => {
      assert.equal(scheduleMaxGapMinutes("rate(1 minute)"), 1);
      assert.equal(scheduleMaxGapMinutes("rate(6 hours)"), 360);
      assert.equal(scheduleMaxGapMinutes("rate(2 days)"), 2880);
    });

    it("is a day for a daily cron and the largest gap for several times a day", () => {
      assert.equal(scheduleMaxGapMinutes("cron(0 2 * * ? *)"), 1440);
      assert.equal(scheduleMaxGapMinutes("cron(15 6,18 * * ? *)"), 720);
      // 08:00 to 17:00 hourly: the gap is the night, 17:00 to 08:00.
      assert.equal(scheduleMaxGapMinutes("cron(0 8-17 * * ? *)"), 15 * 60);
      assert.equal(scheduleMaxGapMinutes("cron(0/15 * * * ? *)"), 15);
    });

    it("counts the weekend for weekday schedules", () => {
      // Friday 06:00 to Monday 06:00.
      assert.equal(scheduleMaxGapMinutes("cron(0 6 ? * MON-FRI *)"), 3 * 1440);
      assert.equal(scheduleMaxGapMinutes("cron(0 6 ? * 2-6 *)"), 3 * 1440);
      assert.equal(scheduleMaxGapMinutes("cron(30 4 ? * SUN *)"), 7 * 1440);
    });

    it("handles month days, short months and month lists", () => {
      // The 1st and 15th: the longest gap is from the 15th of a 31-day month to the 1st.
      assert.equal(scheduleMaxGapMinutes("cron(0 0 1,15 * ? *)"), 17 * 1440);
      // The 31st only exists in 7 months: Aug 31 to Oct 31 is 61 days.
      assert.equal(scheduleMaxGapMinutes("cron(0 0 31 * ? *)"), 61 * 1440);
      assert.equal(scheduleMaxGapMinutes("cron(0 0 1 JAN,JUL ? *)"), 184 * 1440);
    });

    it("bounds L, W and # schedules by the month gap", () => {
      assert.equal(scheduleMaxGapMinutes("cron(0 0 L * ? *)"), 2 * 31 * 1440);
      assert.ok(scheduleMaxGapMinutes("cron(0 0 ? * 6#3 *)") >= 35 * 1440);
    });

    it("rejects invalid expressions", () => {
      assert.throws(() => scheduleMaxGapMinutes("rate(1 hours)"), /invalid schedule expression/);
      assert.throws(() => scheduleMaxGapMinutes("cron(0 0 30 FEB ? *)"), /never fires/);
    });

    it("measures a leap-day schedule's gap as the four-year leap cycle, which no did-not-run check watches", () => {
      assert.equal(scheduleMaxGapMinutes("cron(0 0 29 2 ? *)"), (4 * 365 + 1) * 1440);
      assert.equal(didNotRunCheck("cron(0 0 29 2 ? *)"), undefined);
      assert.ok(didNotRunCheck("cron(0 0 1 JAN ? *)"), "a yearly schedule is still watched");
    });
  });

  describe("alarmWindow", () => {
    it("uses one period of the window when it fits in a day", () => {
      assert.deepEqual(alarmWindow(61), { period: 3660, evaluationPeriods: 1, datapointsToAlarm: 1 });
      assert.deepEqual(alarmWindow(1440), { period: 86_400, evaluationPeriods: 1, datapointsToAlarm: 1 });
      assert.deepEqual(alarmWindow(0.5), { period: 60, evaluationPeriods: 1, datapointsToAlarm: 1 });
    });

    it("uses hourly periods that must all breach beyond a day", () => {
      assert.deepEqual(alarmWindow(1500), { period: 3600, evaluationPeriods: 25, datapointsToAlarm: 25 });
      assert.deepEqual(alarmWindow(7 * 1440), {
        period: 3600,
        evaluationPeriods: 168,
        datapointsToAlarm: 168,
      });
    });

    it("rounds up to the metric's granularity", () => {
      assert.deepEqual(alarmWindow(62, 300), { period: 3900, evaluationPeriods: 1, datapointsToAlarm: 1 });
    });

    it("refuses windows CloudWatch cannot evaluate", () => {
      assert.throws(() => alarmWindow(7 * 1440 + 1), /7 days/);
      assert.throws(() => alarmWindow(0), /longer than 0/);
      assert.throws(() => alarmWindow(10, 90), /granularity/);
      assert.equal(fitsInAlarmWindow(7 * 1440), true);
      assert.equal(fitsInAlarmWindow(7 * 1440 + 1), false);
    });

    it("always produces windows CloudWatch accepts", () => {
      for (const minutes of [1, 7, 59, 60, 61, 119, 1439, 1440, 1441, 2000, 5000, 10_080]) {
        for (const granularity of [60, 300]) {
          const window = alarmWindow(minutes, granularity);
          assert.equal(alarmWindowError(window), undefined, `${minutes} min / ${granularity} s`);
          assert.ok(window.period * window.evaluationPeriods >= minutes * 60, `${minutes} min covered`);
        }
      }
    });
  });

  describe("alarmWindowError", () => {
    it("knows CloudWatch's limits", () => {
      assert.match(
        alarmWindowError({ period: 90, evaluationPeriods: 1, datapointsToAlarm: 1 })!,
        /multiple of 60/,
      );
      assert.match(
        alarmWindowError({ period: 90_000, evaluationPeriods: 1, datapointsToAlarm: 1 })!,
        /one day/,
      );
      assert.match(alarmWindowError({ period: 300, evaluationPeriods: 289, datapointsToAlarm: 1 })!, /86400/);
      assert.match(
        alarmWindowError({ period: 3600, evaluationPeriods: 169, datapointsToAlarm: 1 })!,
        /604800/,
      );
      assert.match(
        alarmWindowError({ period: 60, evaluationPeriods: 2, datapointsToAlarm: 3 })!,
        /datapoints/,
      );
      assert.equal(
        alarmWindowError({ period: 300, evaluationPeriods: 288, datapointsToAlarm: 288 }),
        undefined,
      );
    });
  });

  describe("didNotRunCheck", () => {
    const windowOf = (expression: string, grace?: number) => {
      const check = didNotRunCheck(expression, grace);
      assert.ok(check, `${expression} is watched`);
      assert.equal(check.confirmSeconds, undefined, `${expression} needs no confirmation`);
      return check.window;
    };

    it("is the longest schedule gap plus the grace when CloudWatch can evaluate that", () => {
      assert.equal(DID_NOT_RUN_GRACE_MINUTES, 60);
      // Daily: 25 hours without a start.
      assert.deepEqual(windowOf("cron(0 2 * * ? *)"), {
        period: 3600,
        evaluationPeriods: 25,
        datapointsToAlarm: 25,
      });
      // Every 6 hours: one 7-hour period.
      assert.deepEqual(windowOf("rate(6 hours)"), {
        period: 25_200,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      });
      // Weekdays: 73 hours, so a weekend does not fire.
      assert.equal(windowOf("cron(0 6 ? * MON-FRI *)").evaluationPeriods, 73);
      assert.deepEqual(windowOf("rate(5 minutes)", 10), {
        period: 900,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      });
    });

    it("covers 7 days and waits for the rest when the gap is longer than CloudWatch evaluates", () => {
      const sevenDays = { period: 3600, evaluationPeriods: 168, datapointsToAlarm: 168 };
      // Weekly: 7 days + 1 hour of grace; the window alarm may fire one hourly period early.
      assert.deepEqual(didNotRunCheck("cron(30 4 ? * SUN *)"), {
        window: sevenDays,
        confirmSeconds: 2 * 3600,
      });
      // Monthly: bounded by the longest month gap (31 days) plus the grace.
      const monthly = didNotRunCheck("cron(0 0 1 * ? *)");
      assert.ok(monthly);
      assert.deepEqual(monthly.window, sevenDays);
      assert.equal(monthly.confirmSeconds, (31 * 1440 + 60) * 60 - 167 * 3600);
    });

    it("never notifies before the gap plus the grace has passed", () => {
      for (const expression of ["cron(30 4 ? * SUN *)", "cron(0 0 1 * ? *)", "rate(8 days)"]) {
        const check = didNotRunCheck(expression);
        assert.ok(check, expression);
        const { window, confirmSeconds } = check;
        const earliestWindowFiring = (window.evaluationPeriods - 1) * window.period;
        assert.ok(
          earliestWindowFiring + confirmSeconds! >= (scheduleMaxGapMinutes(expression) + 60) * 60,
          expression,
        );
        assert.equal(alarmWindowError(window), undefined);
      }
    });
  });

  describe("emrIdleWindow", () => {
    it("covers the idle timeout plus one EMR datapoint", () => {
      assert.deepEqual(emrIdleWindow(60), { period: 3900, evaluationPeriods: 1, datapointsToAlarm: 1 });
      assert.deepEqual(emrIdleWindow(1440), { period: 3600, evaluationPeriods: 25, datapointsToAlarm: 25 });
      assert.equal(emrIdleWindow(10_080).evaluationPeriods, 168);
    });
  });

  it("retries failure alerts within the limits EventBridge allows", () => {
    assert.ok(FAILURE_ALERT_RETRY_POLICY.maximumRetryAttempts >= 0);
    assert.ok(FAILURE_ALERT_RETRY_POLICY.maximumRetryAttempts <= 185);
    assert.ok(FAILURE_ALERT_RETRY_POLICY.maximumEventAgeInSeconds >= 60);
    assert.ok(FAILURE_ALERT_RETRY_POLICY.maximumEventAgeInSeconds <= 86_400);
  });
});
