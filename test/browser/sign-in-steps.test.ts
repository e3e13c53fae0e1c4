/**
 * The sign-in steps between "create an account" and the relying party, in a real browser
 * (Debian Chromium through playwright-core), as a person sees and uses them:
 *   - organisation consent: who asks, for which application, what is shared, the privacy
 *     policy, who is signed in; Allow and Deny reached by keyboard in a sensible order;
 *     Deny → access_denied, Allow → a code; "Not you?" switches to another account;
 *   - account-age cooloff: when the account becomes old enough, in a <time>; "Return to …"
 *     → access_denied;
 *   - terms of service ("Confirm your details"): the name pre-filled and editable, the
 *     checkbox and its label linking to the terms; an unticked submit flags and focuses the
 *     checkbox and keeps the edited name; ticked → a code;
 *   - the whole chain in order for a third-party client: terms → one consent page that
 *     records the organisation's consent and the application's.
 * Each page runs on a desktop and on a 375px phone: no horizontal scroll, no console error,
 * no CSP violation, readable contrast (light and dark); each is saved as
 * test-results/screenshots/steps-*.png for a person to look at.
 *
 * The terms of service are global: once published, every sign-up meets them. The terms
 * tests therefore run last (Jest runs the blocks in order).
 */
import type { Page } from "playwright-core";
import { linkFromMail, newPerson, type Person } from "../support/browser-session.js";
import { desktop, phone, screenshot, startBrowser, type OpenedPage, type PageWatcher, type TestBrowser } from "../support/chromium.js";
import { codeClient, registerClient, rpOrigin, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
let browser: TestBrowser;

beforeAll(async () => {
  [tessera, browser] = await Promise.all([startTestTessera(), startBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await tessera?.close();
});

type Variant = "desktop" | "mobile";
const variants: Variant[] = ["desktop", "mobile"];

/**
 * A browser context whose requests to the relying party (never reachable) are answered by
 * a tiny page, so the browser really lands there and the test reads the URL it landed on.
 */
function openPage(variant: Variant): Promise<OpenedPage> {
  return browser.openPage(variant === "mobile" ? phone : desktop, (context) =>
    context.route(`${rpOrigin}/**`, (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/html; charset=utf-8",
        body: '<!DOCTYPE html><html lang="en"><head><title>Relying party</title></head><body><h1>Back at the relying party</h1></body></html>',
      }),
    ),
  );
}

/** Evaluates `expression` in the page; a string, since tests compile without the DOM lib. */
function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

function authorizeUrl(client: ClientMetadata, extra: Record<string, string> = {}): string {
  return `${tessera.issuer}/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid profile email", redirect_uri: rpRedirectUri, state: "st-browser", ...extra })}`;
}

/**
 * Waits until the browser has left Tessera for the relying party's redirect URI; answers
 * what it received. Not page.waitForURL: when a redirect (Tessera's 303) leads into a
 * routed cross-site origin, this Chromium first fails the request unrouted
 * (ERR_NAME_NOT_RESOLVED, a chrome-error page) and then retries it through the route,
 * and waitForURL gives up at the first failure. The committed navigation is what counts.
 */
async function landedOnRp(page: Page): Promise<URLSearchParams> {
  const atRp = (url: string) => url.startsWith(`${rpOrigin}/`);
  if (!atRp(page.url())) {
    await page.waitForEvent("framenavigated", { predicate: (frame) => frame === page.mainFrame() && atRp(frame.url()) });
  }
  await page.waitForLoadState();
  expect(await page.locator("h1").innerText()).toBe("Back at the relying party");
  const url = new URL(page.url());
  expect(`${url.origin}${url.pathname}`).toBe(rpRedirectUri);
  return url.searchParams;
}

/**
 * From the authorization request through "Create an account" and the registration link
 * (opened in the same browser) to the first step after it.
 * Each page is let finish loading (watcher.take waits for the favicon) before leaving it,
 * or Chromium reports the favicon request as aborted.
 */
async function signUp(page: Page, client: ClientMetadata, person: Person, watcher: PageWatcher) {
  await page.goto(authorizeUrl(client));
  await page.waitForURL(/\/interaction\/[\w-]+$/);
  expect(await watcher.take()).toEqual([]);
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.waitForURL(/\/interaction\/[\w-]+\/register$/);
  expect(await watcher.take()).toEqual([]);
  await page.getByLabel("Name", { exact: true }).fill(person.name);
  await page.getByLabel("Email", { exact: true }).fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/interaction\/[\w-]+\/register\/sent$/);
  expect(await watcher.take()).toEqual([]);
  await page.goto(await linkFromMail(tessera.mailbox, person.email, /^Confirm your email address$/));
  expect(await watcher.take()).toEqual([]);
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await page.waitForURL(/\/interaction\/[\w-]+$/);
  expect(await watcher.take()).toEqual([]);
}

/**
 * Elements and text runs sticking out past `width` CSS pixels (on a phone the layout
 * viewport widens to fit what overflows, so the viewport's own width is no yardstick).
 */
function overflowing(page: Page, width: number): Promise<string[]> {
  return inPage<string[]>(
    page,
    `(() => {
      const found = [];
      const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : "");
      for (const el of document.querySelectorAll("body *")) {
        if (el.closest(".skip-link")) continue;
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > ${width} + 0.5) found.push(describe(el) + " right=" + Math.round(r.right));
      }
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim() || node.parentElement.closest(".skip-link")) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const r = range.getBoundingClientRect();
        if (r.width > 0 && r.right > ${width} + 0.5) found.push("text " + JSON.stringify(node.textContent.trim().slice(0, 60)) + " right=" + Math.round(r.right));
      }
      return found;
    })()`,
  );
}

/**
 * Text whose colour against the background behind it is below WCAG AA (4.5:1, or 3:1 for
 * large text), and control borders below 3:1 (WCAG 1.4.11), as "text: ratio" lines.
 */
function lowContrast(page: Page): Promise<string[]> {
  return inPage<string[]>(
    page,
    `(() => {
      const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null; const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
      const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
      const ratio = (x, y) => { const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };
      const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.99) return c; } return parse(getComputedStyle(document.documentElement).backgroundColor) || { r: 255, g: 255, b: 255, a: 1 }; };
      const found = [];
      const seen = new Set();
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || seen.has(el) || el.closest(".skip-link, .visually-hidden")) continue;
        seen.add(el);
        const style = getComputedStyle(el);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        const r = ratio(parse(style.color), background(el));
        if (r < (large ? 3 : 4.5)) found.push(JSON.stringify(node.textContent.trim().slice(0, 40)) + ": " + r.toFixed(2));
      }
      for (const el of document.querySelectorAll("input:not([type=hidden]):not([type=checkbox]), button.secondary")) {
        const style = getComputedStyle(el);
        const r = ratio(parse(style.borderTopColor), background(el.parentElement));
        if (r < 3) found.push(el.tagName.toLowerCase() + "#" + (el.id || el.textContent.trim()) + " border: " + r.toFixed(2));
      }
      return found;
    })()`,
  );
}

/** The page's fit, contrast (light and dark) and DevTools problems, collected before any assertion. */
async function inspect(page: Page, watcher: PageWatcher, name: string, variant: Variant) {
  const file = `steps-${name}-${variant}`;
  await screenshot(page, file);
  const width = variant === "mobile" ? 375 : 1280;
  const found = {
    scrollWidth: await inPage<number>(page, "document.documentElement.scrollWidth"),
    overflow: await overflowing(page, width),
    contrast: await lowContrast(page),
    darkContrast: [] as string[],
    problems: await watcher.take(),
  };
  // The same page in dark mode: a screenshot to look at, and the same contrast check.
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, `${file}-dark`);
  found.darkContrast = await lowContrast(page);
  await page.emulateMedia({ colorScheme: "light" });
  expect(found).toEqual({ scrollWidth: width, overflow: [], contrast: [], darkContrast: [], problems: [] });
  if (variant === "mobile") {
    const buttons = await page.locator("main button:not(.link)").all();
    for (const button of buttons) expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  }
}

/**
 * Presses Tab from the top of the page until focus leaves the page or comes round again;
 * answers what received focus, as "tag: accessible text".
 */
async function tabOrder(page: Page): Promise<string[]> {
  await inPage(page, `(document.activeElement && document.activeElement.blur(), window.getSelection().removeAllRanges(), 0)`);
  const order: string[] = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    const focused = await inPage<string | null>(
      page,
      `(() => { const el = document.activeElement; if (!el || el === document.body) return null; return el.tagName.toLowerCase() + ": " + (el.innerText || el.value || el.getAttribute("aria-label") || "").replace(/\\s+/g, " ").trim(); })()`,
    );
    if (!focused || order.includes(focused)) break;
    order.push(focused);
  }
  return order;
}

const focusedId = (page: Page) => inPage<string>(page, "document.activeElement.id");
const h1 = (page: Page) => page.locator("h1").innerText();

let organisations = 0;
async function organisation(requireConsent = true) {
  organisations += 1;
  return tessera.db.prisma.organisation.create({
    data: { slug: `acme-${organisations}`, name: "Acme Cooperative", requireConsent, privacyPolicyUrl: "https://acme.example/privacy" },
  });
}

describe("organisation consent", () => {
  test.each(variants)("names the organisation and the application, is usable by keyboard; Deny → access_denied, Allow → a code (%s)", async (variant) => {
    const org = await organisation();
    const client = await registerClient(tessera, codeClient({ client_name: "Acme Shop" }), { organisationId: org.id, firstParty: true });
    const { page, watcher } = await openPage(variant);
    const person = newPerson();
    await signUp(page, client, person, watcher);

    expect(await h1(page)).toBe("Share your data with Acme Cooperative?");
    expect(await page.title()).toBe("Share your data with Acme Cooperative? · Tessera");
    const main = await page.locator("main").innerText();
    expect(main).toContain("Acme Shop is run by Acme Cooperative");
    expect(main.replace(/\s+/g, " ")).toContain(`Signed in as ${person.name} (${person.email.toLowerCase()}). Not you? Use another account`);
    expect(await page.locator("ul.permissions li").allInnerTexts()).toEqual([
      "Who you are, so it recognises you when you come back",
      "Your name",
      "Your email address, and whether it is confirmed",
    ]);
    const policy = page.getByRole("link", { name: /privacy policy/ });
    expect(await policy.getAttribute("href")).toBe("https://acme.example/privacy");
    await inspect(page, watcher, "organisation", variant);

    // Keyboard only: the skip link, the account switch, the privacy policy, then Allow before Deny.
    expect(await tabOrder(page)).toEqual([
      "a: Skip to content",
      "button: Not you? Use another account",
      "a: its privacy policy (opens in a new tab)",
      "button: Allow",
      "button: Deny",
      "a: your account page",
    ]);
    // The focused button shows a focus ring.
    await page.getByRole("button", { name: "Allow" }).focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    expect(await inPage(page, "document.activeElement.textContent")).toBe("Allow");
    expect(await inPage(page, "getComputedStyle(document.activeElement).outlineStyle")).toBe("solid");
    await page.keyboard.press("Tab");
    expect(await inPage(page, "document.activeElement.textContent")).toBe("Deny");

    // Deny: by keyboard on the desktop, by a tap on the phone.
    if (variant === "desktop") await page.keyboard.press("Enter");
    else await page.getByRole("button", { name: "Deny" }).click();
    const denied = await landedOnRp(page);
    expect(denied.get("error")).toBe("access_denied");
    expect(denied.get("state")).toBe("st-browser");
    expect(denied.get("code")).toBeNull();
    expect(await watcher.take()).toEqual([]);

    // Start again: still signed in, asked again. "Not you?" leads to the login page of the
    // same sign-in; signing in there comes back to the question.
    await page.goto(authorizeUrl(client));
    await page.waitForURL(/\/interaction\/[\w-]+$/);
    expect(await h1(page)).toBe("Share your data with Acme Cooperative?");
    await page.getByRole("button", { name: "Not you? Use another account" }).click();
    await page.waitForURL(/\/interaction\/[\w-]+$/);
    expect(await h1(page)).toBe("Sign in");
    expect(await watcher.take()).toEqual([]);
    await page.getByLabel("Email", { exact: true }).fill(person.email);
    await page.getByLabel("Password", { exact: true }).fill(person.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/interaction\/[\w-]+$/);
    expect(await h1(page)).toBe("Share your data with Acme Cooperative?");
    expect(await watcher.take()).toEqual([]);
    await page.getByRole("button", { name: "Allow" }).click();
    const allowed = await landedOnRp(page);
    expect(allowed.get("code")).toMatch(/^[\w-]+$/);
    expect(allowed.get("state")).toBe("st-browser");
    expect(allowed.get("error")).toBeNull();
    expect(await watcher.take()).toEqual([]);
  });
});

describe("cooloff", () => {
  test.each(variants)("a new account sees when it may sign in, in a <time>; Return → access_denied (%s)", async (variant) => {
    const client = await registerClient(tessera, codeClient({ client_name: "Quiet Forum" }), { cooloffHours: 48, firstParty: true });
    const { page, watcher } = await openPage(variant);
    const signedUpAt = Date.now();
    await signUp(page, client, newPerson(), watcher);

    expect(await h1(page)).toBe("Your account is too new for this site");
    expect(await page.locator("main").innerText()).toContain("Quiet Forum only accepts accounts that have existed for a while");
    const time = page.locator("main time");
    expect(await time.count()).toBe(1);
    const datetime = new Date((await time.getAttribute("datetime"))!);
    expect(Math.abs(datetime.getTime() - (signedUpAt + 48 * 3600_000))).toBeLessThan(5 * 60_000);
    // What a person reads ("Monday, 23 November 2026 at 07:02 UTC") is that instant to the
    // minute, rounded up: never a time at which signing in would still be refused.
    const shown = await time.innerText();
    const parts = /^(\w+),? (\d{1,2}) (\w+) (\d{4}) at (\d\d):(\d\d) UTC$/.exec(shown);
    expect(parts).not.toBeNull();
    const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    const [, weekday, day, month, year, hour, minute] = parts!;
    const shownAt = Date.UTC(Number(year), months.indexOf(month!), Number(day), Number(hour), Number(minute));
    expect(shownAt - datetime.getTime()).toBeGreaterThanOrEqual(0);
    expect(shownAt - datetime.getTime()).toBeLessThan(60_000);
    expect(weekday).toBe(new Date(shownAt).toLocaleString("en-GB", { weekday: "long", timeZone: "UTC" }));
    await inspect(page, watcher, "cooloff", variant);

    await page.getByRole("button", { name: "Return to Quiet Forum" }).click();
    const answer = await landedOnRp(page);
    expect(answer.get("error")).toBe("access_denied");
    expect(answer.get("state")).toBe("st-browser");
    expect(answer.get("code")).toBeNull();
    expect(await watcher.take()).toEqual([]);
  });
});

describe("terms of service", () => {
  beforeAll(async () => {
    await tessera.db.prisma.termsVersion.create({ data: { version: "2025-06", url: "https://tessera.example/terms/2025-06", publishedAt: new Date() } });
  });

  test.each(variants)("'Confirm your details': name pre-filled, unticked submit flags and focuses the checkbox, ticked → a code (%s)", async (variant) => {
    const client = await registerClient(tessera, codeClient({ client_name: "Members Area" }), { firstParty: true });
    const { page, watcher } = await openPage(variant);
    const person = newPerson();
    await signUp(page, client, person, watcher);

    expect(await h1(page)).toBe("Confirm your details");
    expect(await page.locator("main .lead").innerText()).toContain("Members Area");
    const name = page.getByLabel("Name", { exact: true });
    expect(await name.inputValue()).toBe(person.name);
    const accept = page.getByRole("checkbox", { name: /I accept the terms of service/ });
    expect(await accept.isChecked()).toBe(false);
    const termsLink = page.locator('label[for="accept"] a');
    expect((await termsLink.innerText()).replace(/\s+/g, " ")).toBe("terms of service (opens in a new tab)");
    expect(await termsLink.getAttribute("href")).toBe("https://tessera.example/terms/2025-06");
    // The checkbox sits on the first line of its label, beside it.
    const alignment = await inPage<{ checkboxCenter: number; firstLineCenter: number; gap: number }>(
      page,
      `(() => {
        const box = document.querySelector("#accept").getBoundingClientRect();
        const label = document.querySelector('label[for="accept"]');
        const range = document.createRange();
        range.selectNodeContents(label);
        const first = range.getClientRects()[0];
        return { checkboxCenter: box.top + box.height / 2, firstLineCenter: first.top + first.height / 2, gap: label.getBoundingClientRect().left - box.right };
      })()`,
    );
    expect(Math.abs(alignment.checkboxCenter - alignment.firstLineCenter)).toBeLessThanOrEqual(2);
    expect(alignment.gap).toBeGreaterThanOrEqual(6);
    expect(alignment.gap).toBeLessThanOrEqual(16);
    await inspect(page, watcher, "terms", variant);

    // Continue without ticking: the message beside the checkbox, which is flagged and
    // focused; the edited name is kept.
    await name.fill("Ada Lovelace");
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByRole("button", { name: "Continue" }).click()]);
    expect(response.status()).toBe(400);
    await page.waitForLoadState();
    expect(await page.title()).toBe("Error: Confirm your details · Tessera");
    const error = page.locator("#accept-error");
    expect(await error.isVisible()).toBe(true);
    expect(await error.innerText()).toContain("Tick the box to accept the terms of service, or cancel the sign-in.");
    expect(await accept.getAttribute("aria-invalid")).toBe("true");
    expect((await accept.getAttribute("aria-describedby"))!.split(/\s+/)).toContain("accept-error");
    expect(await focusedId(page)).toBe("accept");
    expect(await name.inputValue()).toBe("Ada Lovelace");
    expect(await name.getAttribute("aria-invalid")).toBeNull();
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(1);
    // "Next to the checkbox": in the same block, right under the checkbox and its label.
    expect(await inPage(page, `document.querySelector("#accept-error").closest(".field").contains(document.querySelector("#accept"))`)).toBe(true);
    const [labelBox, errorBox] = [await page.locator('label[for="accept"]').boundingBox(), await error.boundingBox()];
    expect(errorBox!.y).toBeGreaterThanOrEqual(labelBox!.y + labelBox!.height - 1);
    expect(errorBox!.y - (labelBox!.y + labelBox!.height)).toBeLessThan(16);
    await inspect(page, watcher, "terms-error", variant);

    // Tick (with the keyboard: focus is already on the checkbox) and continue → a code.
    await page.keyboard.press("Space");
    expect(await accept.isChecked()).toBe(true);
    await page.getByRole("button", { name: "Continue" }).click();
    const answer = await landedOnRp(page);
    expect(answer.get("code")).toMatch(/^[\w-]+$/);
    expect(answer.get("state")).toBe("st-browser");
    expect(await watcher.take()).toEqual([]);

    const user = await tessera.db.prisma.email.findUniqueOrThrow({ where: { owned: person.email.toLowerCase() }, include: { user: { include: { terms: true } } } });
    expect(user.user.name).toBe("Ada Lovelace");
    expect(user.user.terms.map((acceptance) => acceptance.version)).toEqual(["2025-06"]);
  });

  test.each(variants)("the whole chain for a third-party client, in order: terms → one consent page for the organisation and the application → a code (%s)", async (variant) => {
    const org = await organisation();
    const client = await registerClient(tessera, codeClient({ client_name: "Partner Portal", policy_uri: "https://partner.example/privacy" }), { organisationId: org.id });
    const { page, watcher } = await openPage(variant);
    await signUp(page, client, newPerson(), watcher);

    expect(await h1(page)).toBe("Confirm your details");
    expect(await watcher.take()).toEqual([]);
    await page.getByRole("checkbox", { name: /I accept the terms of service/ }).check();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/\/interaction\/[\w-]+$/);
    expect(await h1(page)).toBe("Share your data with Acme Cooperative?");
    expect(await watcher.take()).toEqual([]);
    // One page asks for both: what the application receives and the organisation's policy.
    expect(await page.locator("ul.permissions li").allInnerTexts()).toEqual([
      "Who you are, so it recognises you when you come back",
      "Your name",
      "Your email address, and whether it is confirmed",
    ]);
    expect(await page.getByRole("link", { name: "privacy policy", exact: true }).getAttribute("href")).toBe("https://partner.example/privacy");
    expect(await tabOrder(page)).toEqual([
      "a: Skip to content",
      "button: Not you? Use another account",
      "a: its privacy policy (opens in a new tab)",
      "a: privacy policy",
      "button: Allow",
      "button: Deny",
      "a: your account page",
    ]);
    await inspect(page, watcher, "consent", variant);
    await page.getByRole("button", { name: "Allow" }).click();
    const answer = await landedOnRp(page);
    expect(answer.get("code")).toMatch(/^[\w-]+$/);
    expect(await watcher.take()).toEqual([]);
  });
});
