/** A link's target: only the client's registered origins and path prefixes, and only in canonical form. */
import { checkTarget } from "./targets.js";

const registered = ["https://billing.example/manage/", "https://docs.example", "https://app.example/one?page=1"];

test.each([
  ["https://billing.example/manage/", "https://billing.example/manage/"],
  ["https://billing.example/manage/plans?year=2026", "https://billing.example/manage/plans?year=2026"],
  ["https://docs.example", "https://docs.example/"],
  ["https://docs.example/any/page", "https://docs.example/any/page"],
  ["https://app.example/one?page=1", "https://app.example/one?page=1"],
])("%s is allowed, as %s", (requested, canonical) => {
  expect(checkTarget(requested, registered)).toEqual({ ok: true, target: canonical });
});

test.each([
  "https://billing.example/manage",
  "https://billing.example/managers/",
  "https://billing.example/manage/../admin",
  "https://billing.example/manage/%2e%2e/admin",
  "https://billing.example/manage/..%2Fadmin",
  "https://billing.example/manage/%5c..%5cadmin",
  "https://BILLING.example/manage/",
  "https://billing%2Eexample/manage/",
  "https://billing.example:443/manage/",
  "https://evil.example@billing.example/manage/",
  "https://billing.example/manage/#top",
  "http://billing.example/manage/",
  "https://app.example/one?page=2",
  "https://docs.example.evil.test/",
  "//billing.example/manage/",
  "",
  7,
])("%s is refused", (requested) => {
  expect(checkTarget(requested, registered).ok).toBe(false);
});
