/**
 * Readable shades of an operator's brand colour. WCAG 2.2 SC 1.4.3 asks 4.5:1 between text
 * and its background; links and button labels use the brand colour, so where the given
 * colour is too close to the page (light on the white card, dark on the dark card) a shade
 * mixed toward black (or white) is used instead, in steps, until the contrast holds.
 * Contrast and relative luminance as WCAG 2.2 defines them (Understanding SC 1.4.3).
 */

type Rgb = [number, number, number];

const minimumContrast = 4.5;

function parseHex(hex: string): Rgb {
  const digits = hex.replace(/^#/, "");
  return [0, 2, 4].map((at) => parseInt(digits.slice(at, at + 2), 16)) as Rgb;
}

function toHex(rgb: Rgb): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, "0")).join("")}`;
}

function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two six-digit hex colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(parseHex(a)), luminance(parseHex(b))].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** `colour` mixed with `toward` by `share` (0–1). */
export function mix(colour: string, toward: string, share: number): string {
  const from = parseHex(colour);
  const to = parseHex(toward);
  return toHex(from.map((channel, index) => channel + (to[index]! - channel) * share) as Rgb);
}

/** The colour itself if text in it reads on `background` at 4.5:1; otherwise the nearest such shade toward `toward`. */
export function readableOn(colour: string, background: string, toward: "#000000" | "#ffffff"): string {
  for (let share = 0; share <= 1; share += 0.05) {
    const shade = mix(colour, toward, share);
    if (contrastRatio(shade, background) >= minimumContrast) return shade;
  }
  return toward;
}
