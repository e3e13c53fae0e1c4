/**
 * How each value type reads what an operator types and what a client sends: `""` removes an
 * optional value, a malformed one is refused (undefined) before anything is written, and
 * metadata of the wrong shape is not valid.
 */
import { booleanSetting, referenceSetting, textSetting, urlListSetting, urlSetting, wholeNumberSetting } from "./setting-types.js";

test("whole numbers: digits only, up to what the database's integer holds; \"\" unsets", () => {
  const hours = wholeNumberSetting({ unit: "hours" });
  expect(hours.argument).toBe("<hours>");
  expect([hours.fromText("24"), hours.fromText("0"), hours.fromText("")]).toEqual([24, 0, null]);
  for (const bad of ["-3", "abc", "1.5", "1234567890"]) expect(hours.fromText(bad)).toBeUndefined();
  expect([hours.isMetadata(3), hours.isMetadata(-1), hours.isMetadata("3"), hours.isMetadata(2 ** 31)]).toEqual([true, false, false, false]);
  expect([hours.toMetadata(null), hours.fromMetadata(undefined)]).toEqual([undefined, null]);
});

test("switches are booleans in metadata, nothing else", () => {
  const flag = booleanSetting();
  expect(flag.argument).toBeUndefined();
  expect([flag.isMetadata(true), flag.isMetadata("yes"), flag.isMetadata(1)]).toEqual([true, false, false]);
  expect(flag.fromMetadata(undefined)).toBe(false);
});

test("text is trimmed, not empty, and bounded", () => {
  const text = textSetting({ max: 10 });
  expect([text.fromText("  shop "), text.fromText(""), text.fromText("   "), text.fromText("x".repeat(11))]).toEqual(["shop", null, undefined, undefined]);
  expect([text.isMetadata("shop"), text.isMetadata(""), text.isMetadata(5)]).toEqual([true, false, false]);
});

test("URLs are absolute http(s) without fragment; lists repeat and \"\" empties them", () => {
  const url = urlSetting();
  expect([url.fromText("https://app.example/x"), url.fromText("")]).toEqual(["https://app.example/x", null]);
  for (const bad of ["app.example/x", "ftp://app.example/x", "https://app.example/x#top"]) expect(url.fromText(bad)).toBeUndefined();
  expect(url.urls?.("https://app.example/x")).toEqual(["https://app.example/x"]);

  const list = urlListSetting();
  expect(list.repeatable).toBe(true);
  expect([list.fromText("https://app.example/a"), list.fromText(""), list.fromText("nope")]).toEqual([["https://app.example/a"], [], undefined]);
  expect([list.isMetadata(["https://app.example/a"]), list.isMetadata("https://app.example/a"), list.isMetadata(["nope"])]).toEqual([true, false, false]);
  expect(list.toMetadata([])).toBeUndefined();
});

test("references are non-empty ids", () => {
  const reference = referenceSetting();
  expect([reference.isMetadata("org-1"), reference.isMetadata(""), reference.isMetadata(7)]).toEqual([true, false, false]);
});
