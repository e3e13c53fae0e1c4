import { contrastRatio, readableOn } from "./colour.js";

test("contrast ratios are WCAG's: black on white 21:1, a colour on itself 1:1", () => {
  expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
  expect(contrastRatio("#7a1f5c", "#7a1f5c")).toBe(1);
});

test("a colour readable on the background is kept; a pale one is darkened (or lightened) until text in it reads at 4.5:1", () => {
  expect(readableOn("#7a1f5c", "#ffffff", "#000000")).toBe("#7a1f5c");
  const yellow = readableOn("#ffd400", "#ffffff", "#000000");
  expect(yellow).not.toBe("#ffd400");
  expect(contrastRatio(yellow, "#ffffff")).toBeGreaterThanOrEqual(4.5);
  const navyOnDark = readableOn("#1b2a4a", "#211f1c", "#ffffff");
  expect(contrastRatio(navyOnDark, "#211f1c")).toBeGreaterThanOrEqual(4.5);
});
