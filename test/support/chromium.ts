/**
 * Headless Debian Chromium (`apt-get install -y chromium`) driven by playwright-core, for
 * tests that look at Tessera's pages as a person would: real layout, real CSP, real focus.
 * No browser is downloaded; CHROMIUM_PATH overrides where the binary is.
 */
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type ConsoleMessage, type Page } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where full-page screenshots go (test-results/ is git-ignored). */
export const screenshotDir = path.resolve(import.meta.dirname, "../../test-results/screenshots");

/** `args` are added to the usual ones (a test trusting its own certificate, say). */
export async function launchChromium(args: readonly string[] = []): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: browser tests need Debian's Chromium (apt-get install -y chromium)`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      ...args,
    ],
  });
}

/** A desktop window, and a phone (touch, 2x pixels) for the small-screen checks. */
export const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
export const phone: BrowserContextOptions = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  watcher: PageWatcher;
}

/** One Chromium for a test file: every page in a fresh context, all closed with it. */
export interface TestBrowser {
  /**
   * A page in a new context (a desktop window in the light scheme unless `options` say
   * otherwise; 15 s per action), watched by a PageWatcher. `prepare` runs on the context
   * before the page opens (routes, say).
   */
  openPage(options?: BrowserContextOptions, prepare?: (context: BrowserContext) => Promise<unknown>): Promise<OpenedPage>;
  close(): Promise<void>;
}

export async function startBrowser(options: { args?: readonly string[] } = {}): Promise<TestBrowser> {
  const browser = await launchChromium(options.args);
  const contexts: BrowserContext[] = [];
  return {
    async openPage(options = {}, prepare) {
      const context = await browser.newContext({ ...desktop, colorScheme: "light", ...options });
      contexts.push(context);
      await prepare?.(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return { context, page, watcher: await PageWatcher.attach(page) };
    },
    async close() {
      await Promise.all(contexts.map((context) => context.close()));
      await browser.close();
    },
  };
}

export interface PageProblem {
  kind: "console" | "pageerror" | "csp" | "requestfailed" | "http";
  url: string;
  text: string;
}

/**
 * Collects what a developer would see in DevTools and should not: console errors and
 * warnings, uncaught exceptions, CSP violations (from the `securitypolicyviolation` event,
 * which does not depend on how Chromium words its console message), failed subresource
 * loads. The main document's own status is left to the test: an error page answering
 * 400 is expected, and Chromium's "Failed to load resource" line for it is not a problem.
 */
export class PageWatcher {
  private problems: PageProblem[] = [];
  private readonly documents = new Set<string>();

  private constructor(private readonly page: Page) {}

  static async attach(page: Page): Promise<PageWatcher> {
    const watcher = new PageWatcher(page);
    await page.exposeBinding("__tesseraReportCsp", (_source, violation: { directive: string; blocked: string; source: string; line: number }) => {
      watcher.add("csp", page.url(), `${violation.directive} blocked ${violation.blocked || "(inline)"} at ${violation.source}:${violation.line}`);
    });
    await page.addInitScript(`
      document.addEventListener("securitypolicyviolation", (e) => {
        window.__tesseraReportCsp({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber });
      });
    `);
    page.on("console", (message) => watcher.onConsole(message));
    page.on("pageerror", (error) => watcher.add("pageerror", page.url(), error.message));
    page.on("request", (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) watcher.documents.add(request.url());
    });
    page.on("requestfailed", (request) => {
      if (!watcher.documents.has(request.url())) watcher.add("requestfailed", request.url(), request.failure()?.errorText ?? "failed");
    });
    page.on("response", (response) => {
      if (response.status() >= 400 && !watcher.documents.has(response.url())) {
        watcher.add("http", response.url(), `${response.status()} for a ${response.request().resourceType()}`);
      }
    });
    return watcher;
  }

  private onConsole(message: ConsoleMessage) {
    if (message.type() !== "error" && message.type() !== "warning") return;
    const where = message.location().url;
    if (/^Failed to load resource/.test(message.text()) && this.documents.has(where)) return;
    this.add("console", where || this.page.url(), `${message.type()}: ${message.text()}`);
  }

  private add(kind: PageProblem["kind"], url: string, text: string) {
    this.problems.push({ kind, url, text });
  }

  /**
   * The problems seen since the last call, as readable lines (empty when all is well).
   * Waits for the network to settle first: Chromium fetches /favicon.ico after the load.
   */
  async take(): Promise<string[]> {
    await this.page.waitForLoadState("networkidle");
    const lines = this.problems.map((p) => `[${p.kind}] ${p.url}: ${p.text}`);
    this.problems = [];
    return lines;
  }
}

/** A full-page PNG at test-results/screenshots/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await fs.mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: "disabled", caret: "hide" });
  return file;
}
