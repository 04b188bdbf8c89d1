/** budget-with-notifications (policies/cost/budget-with-notifications.ts) on a compliant stack of cost. */
import { stackWith } from "../builders";
import { cannotJudge, CLEAN, drop, mutate, policyCases, violation } from "../cases";
import { UNKNOWN } from "../harness";

policyCases("budget-with-notifications", () => stackWith("cost"), [
  { name: "passes a COST budget with notifications", expect: CLEAN },
  {
    name: "fails a stack without a budget",
    stack: drop("bdp-dev-budget"),
    expect: violation("stack", "no AWS cost budget"),
  },
  {
    name: "fails a budget without notifications",
    stack: mutate("bdp-dev-budget", (p) => {
      p.notifications = [];
    }),
    expect: violation("bdp-dev-budget", "0 notification"),
  },
  {
    name: "fails a notification without subscribers",
    stack: mutate("bdp-dev-budget", (p) => {
      delete p.notifications[1].subscriberEmailAddresses;
    }),
    expect: violation("bdp-dev-budget", "notification 1 has no subscriber"),
  },
  {
    name: "fails a budget without a limit",
    stack: mutate("bdp-dev-budget", (p) => {
      delete p.limitAmount;
    }),
    expect: violation("bdp-dev-budget", "limitAmount"),
  },
  {
    name: "knob requireForecastedNotification fails ACTUAL-only budgets",
    stack: mutate("bdp-dev-budget", (p) => {
      p.notifications = [p.notifications[1]];
    }),
    config: { requireForecastedNotification: true },
    expect: violation("bdp-dev-budget", "FORECASTED"),
  },
  {
    name: "knob minNotifications raises the count",
    config: { minNotifications: 3 },
    expect: violation("bdp-dev-budget", "fewer than 3"),
  },
  {
    name: "cannot judge unknown notifications",
    stack: mutate("bdp-dev-budget", (p) => {
      p.notifications = UNKNOWN.array;
    }),
    expect: cannotJudge("bdp-dev-budget", "notifications"),
  },
]);
