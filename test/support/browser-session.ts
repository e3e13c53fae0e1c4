import type { TestSmtpServer } from "./smtp.js";

/**
 * A scripted browser over fetch: keeps cookies, follows redirects one hop at a time, and
 * stops when a redirect leaves Tessera (the relying party's redirect URI), so tests can
 * read what the relying party would receive.
 */
export interface Hop {
  status: number;
  url: string;
  location?: string;
  body: string;
  /** The response's headers (Retry-After, Set-Cookie …). */
  headers?: Headers;
}

export class BrowserSession {
  /** Cookies by name and path, sent only under their path, as a browser does. */
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  /**
   * `headers` go with every request: an X-Forwarded-For, with TRUST_PROXY set, makes this
   * browser come from that address (the address a proxy would have seen); a User-Agent names
   * its browser.
   */
  constructor(
    private readonly origin: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Hop> {
    const absolute = new URL(url, this.origin).toString();
    const headers: Record<string, string> = { ...this.headers, cookie: this.cookieHeaderFor(new URL(absolute).pathname) };
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(absolute, { method: init.method ?? (init.form ? "POST" : "GET"), headers, body, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      const pathAttribute = attributes.map((attribute) => attribute.trim()).find((attribute) => /^path=/i.test(attribute));
      const path = pathAttribute ? pathAttribute.slice(5) : "/";
      const key = `${name};${path}`;
      if (/expires=Thu, 01 Jan 1970/i.test(cookie) || value === "") this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
    const location = response.headers.get("location") ?? undefined;
    return { status: response.status, url: absolute, location: location && new URL(location, absolute).toString(), body: await response.text(), headers: response.headers };
  }

  /** Follows redirects while they stay on Tessera; returns the last hop. */
  async follow(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Hop> {
    let hop = await this.request(url, init);
    for (let i = 0; i < 20 && hop.location && hop.location.startsWith(this.origin) && !this.isRelyingParty(hop.location); i++) {
      hop = await this.request(hop.location);
    }
    return hop;
  }

  /** The Tessera this browser talks to. */
  get issuer(): string {
    return this.origin;
  }

  /** Tessera's own demo callback counts as a relying party, not as Tessera. */
  private isRelyingParty(url: string): boolean {
    return new URL(url).pathname === "/demo/callback";
  }

  /** The Cookie header this browser would send to `path`, for hand-made requests. */
  cookieHeaderFor(path: string): string {
    return [...this.cookies.values()]
      .filter((cookie) => path === cookie.path || path.startsWith(cookie.path.endsWith("/") ? cookie.path : `${cookie.path}/`))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join("; ");
  }

  /** Every cookie this browser holds, whatever its path, for hand-made requests. */
  get cookieHeader(): string {
    return [...this.cookies.values()].map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
  }

  /** Drops every cookie but those named, as if only they had been kept. */
  keepOnlyCookies(names: readonly string[]): void {
    for (const [key, cookie] of this.cookies) if (!names.includes(cookie.name)) this.cookies.delete(key);
  }

  get cookieNames(): string[] {
    return [...new Set([...this.cookies.values()].map((cookie) => cookie.name))];
  }
}

/** The interaction uid a page's form posts to. */
export function interactionPath(hop: Hop): string {
  const match = /\/interaction\/([\w-]+)/.exec(hop.url);
  if (!match) throw new Error(`not an interaction page: ${hop.url} (${hop.status})`);
  return `/interaction/${match[1]}`;
}

export interface Person {
  name: string;
  email: string;
  password: string;
}

let counter = 0;
export function newPerson(): Person {
  counter += 1;
  return { name: `Ada Tester ${counter}`, email: `ada.${Date.now()}.${counter}@example.test`, password: "correct horse battery staple" };
}

/** The mailbox of each running test Tessera, by issuer: sign-up helpers read the registration mail from it. */
export const mailboxes = new Map<string, TestSmtpServer>();

/** Whether the page is "Check your email" after a registration. */
export function isCheckEmailPage(hop: Hop): boolean {
  return hop.status === 200 && /action="\/interaction\/[\w-]+\/register\/resend"/.test(hop.body);
}

/**
 * After registering in `session`: opens the link of the newest registration mail to
 * `address` in the same browser, presses its button, and returns where the sign-in goes.
 */
export async function confirmRegistration(session: BrowserSession, address: string, mailbox = mailboxes.get(session.issuer)): Promise<Hop> {
  if (!mailbox) throw new Error(`no mailbox known for ${session.issuer}`);
  const linkOf = (mail: { links: string[] }) => mail.links.find((candidate) => candidate.includes("/confirm/"));
  // A mail whose link this helper has not opened yet: an address may register again.
  const isNewRegistrationMail = (mail: { to: string; subject: string; links: string[] }) =>
    mail.to.toLowerCase().split(/,\s*/).includes(address.toLowerCase()) && mail.subject === "Confirm your email address" && !openedRegistrationLinks.has(linkOf(mail) ?? "");
  await mailbox.waitForMail(isNewRegistrationMail);
  const mail = mailbox.messages.filter(isNewRegistrationMail).at(-1)!;
  const found = linkOf(mail);
  if (!found) throw new Error(`no confirmation link in "${mail.subject}"`);
  openedRegistrationLinks.add(found);
  // Tessera processes sharing a database each write their own issuer into the mails they
  // send (one issuer in production, a port each in tests): open it at this browser's.
  const link = new URL(new URL(found).pathname, session.issuer).toString();
  const page = await session.request(link);
  if (page.status !== 200) throw new Error(`registration link page answered ${page.status}: ${page.body.slice(0, 500)}`);
  return session.follow(link, { form: {} });
}

const openedRegistrationLinks = new Set<string>();

/**
 * Submits the registration form of the sign-in at `path` (/interaction/<uid>) and opens the
 * mailed link in the same browser; answers where the sign-in goes once the account exists
 * (or the refused form, when it is refused).
 */
export async function registerAt(session: BrowserSession, path: string, person: Person): Promise<Hop> {
  const sent = await session.follow(`${path}/register`, { form: { name: person.name, email: person.email, password: person.password } });
  return isCheckEmailPage(sent) ? confirmRegistration(session, person.email) : sent;
}

/**
 * Runs an authorization request through sign-up (or sign-in for `existing`) and consent,
 * and returns the redirect to the relying party.
 */
export async function authorize(
  session: BrowserSession,
  authorizationUrl: string,
  person: Person,
  options: { existing?: boolean; consent?: "allow" | "deny"; mailbox?: TestSmtpServer } = {},
): Promise<Hop> {
  let hop = await session.follow(authorizationUrl);
  if (hop.status === 200 && hop.body.includes('action="/interaction/')) {
    const path = interactionPath(hop);
    hop = options.existing
      ? await session.follow(`${path}/login`, { form: { email: person.email, password: person.password } })
      : await session.follow(`${path}/register`, { form: { name: person.name, email: person.email, password: person.password } });
  }
  if (isCheckEmailPage(hop)) hop = await confirmRegistration(session, person.email, options.mailbox ?? mailboxes.get(session.issuer));
  if (hop.status === 200 && hop.body.includes("/resend-verification\"")) {
    if (!options.mailbox) throw new Error("the client requires a verified email: pass the mailbox");
    hop = await confirmByMail(session, options.mailbox, person.email);
  }
  if (hop.status === 200 && hop.body.includes("/consent\"")) {
    hop = await session.follow(`${interactionPath(hop)}/consent`, { form: { decision: options.consent ?? "allow" } });
  }
  return hop;
}

/** The confirmation link in the newest mail to `address` whose subject matches. */
export async function linkFromMail(mailbox: TestSmtpServer, address: string, subject: RegExp): Promise<string> {
  const mail = await mailbox.waitForMail((received) => received.to.includes(address) && subject.test(received.subject));
  const link = mail.links.find((candidate) => candidate.includes("/confirm/"));
  if (!link) throw new Error(`no confirmation link in "${mail.subject}"`);
  return link;
}

/** Opens the address-confirmation link from the mailbox and presses its button, as a person would. */
export async function confirmByMail(session: BrowserSession, mailbox: TestSmtpServer, address: string): Promise<Hop> {
  const link = await linkFromMail(mailbox, address, /confirm/i);
  const page = await session.request(link);
  if (page.status !== 200) throw new Error(`confirmation page answered ${page.status}`);
  return session.follow(link, { form: {} });
}
