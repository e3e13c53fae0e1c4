import { priceLabel } from "./price-labels.js";

const recurring = (interval: "month" | "year", interval_count = 1) => ({ interval, interval_count, meter: null, usage_type: "licensed" as const, trial_period_days: null });

test("an amount in the currency's smallest unit, with the currency's own decimals, and the period", () => {
  expect(priceLabel({ unit_amount: 300, currency: "eur", recurring: recurring("month") })).toBe("€3.00 a month");
  expect(priceLabel({ unit_amount: 3000, currency: "usd", recurring: recurring("year") })).toBe("US$30.00 a year");
  expect(priceLabel({ unit_amount: 500, currency: "jpy", recurring: recurring("month") })).toBe("JP¥500 a month");
  expect(priceLabel({ unit_amount: 1500, currency: "gbp", recurring: recurring("month", 3) })).toBe("£15.00 every 3 months");
});

test("a price without one fixed amount, or not recurring, has no label", () => {
  expect(priceLabel({ unit_amount: null, currency: "eur", recurring: recurring("month") })).toBeUndefined();
  expect(priceLabel({ unit_amount: 300, currency: "eur", recurring: null })).toBeUndefined();
});
