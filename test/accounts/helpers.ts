/**
 * Helpers for the account-page and password-reset tests: sign up as a person would (through
 * the demo client, confirming the address from the real mailbox), read the account page's
 * rows, notice and field errors out of its HTML, wait for a mail that arrived after a given
 * moment, and get a fresh userinfo answer for the signed-in account.
 */
import { BrowserSession, interactionPath, newPerson, type Hop, type Person } from "../support/browser-session.js";
import type { ReceivedMail } from "../support/smtp.js";
import type { TestTessera } from "../support/tessera.js";
import { demoAuthorizeUrl, demoSecret } from "../support/demo.js";

export { demoAuthorizeUrl, demoSecret };

export { BrowserSession, newPerson, type Hop, type Person };


export function decodeEntities(value: string): string {
  return value
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The visible text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed. */
export function textOf(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ").trim();
}

/** A mark in a mailbox: mails that arrive after it can be waited for without matching older ones. */
export function mailMark(tessera: TestTessera): number {
  return tessera.mailbox.messages.length;
}

/** The first mail received after `mark` that matches (recipient compared case-insensitively). */
export function mailAfter(
  tessera: TestTessera,
  mark: number,
  match: { to: string; subject: string | RegExp },
  timeoutMs = 8000,
): Promise<ReceivedMail> {
  const { mailbox } = tessera;
  return mailbox.waitForMail((mail) => mailbox.messages.indexOf(mail) >= mark && mailMatches(mail, match), timeoutMs);
}

export function mailMatches(mail: ReceivedMail, match: { to: string; subject: string | RegExp }): boolean {
  const to = mail.to.toLowerCase().split(/,\s*/);
  const subjectOk = typeof match.subject === "string" ? mail.subject === match.subject : match.subject.test(mail.subject);
  return to.includes(match.to.toLowerCase()) && subjectOk;
}

/** Mails received after `mark` to `to` (case-insensitive). */
export function mailsSince(tessera: TestTessera, mark: number, to: string): ReceivedMail[] {
  return tessera.mailbox.messages.slice(mark).filter((mail) => mail.to.toLowerCase().split(/,\s*/).includes(to.toLowerCase()));
}

export function confirmLinkOf(mail: ReceivedMail): string {
  const link = mail.links.find((candidate) => candidate.includes("/confirm/"));
  if (!link) throw new Error(`no confirmation link in "${mail.subject}":\n${mail.text}`);
  return link;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Signs a new person up through the demo client: register, confirm the address from the
 * registration mail ("Confirm your email address", not an add-email mail to the same
 * address), consent. Leaves `session` signed in and returns the callback hop.
 */
export async function signUp(tessera: TestTessera, person: Person = newPerson(), session = new BrowserSession(tessera.issuer)) {
  const mark = mailMark(tessera);
  const login = await session.follow(demoAuthorizeUrl(tessera));
  expect(login.status).toBe(200);
  let hop = await session.follow(`${interactionPath(login)}/register`, { form: { name: person.name, email: person.email, password: person.password } });
  if (hop.status === 200 && hop.body.includes('/resend-verification"')) {
    const mail = await mailAfter(tessera, mark, { to: person.email, subject: "Confirm your email address" });
    const link = confirmLinkOf(mail);
    expect((await session.request(link)).status).toBe(200);
    hop = await session.follow(link, { form: {} });
  }
  if (hop.status === 200 && hop.body.includes('/consent"')) {
    hop = await session.follow(`${interactionPath(hop)}/consent`, { form: { decision: "allow" } });
  }
  if (!hop.location?.startsWith(`${tessera.issuer}/demo/callback?code=`)) {
    throw new Error(`sign-up did not reach the demo callback: ${hop.status} ${hop.url}\n${hop.body.slice(0, 1500)}`);
  }
  return { session, person, callback: hop };
}

/** Signs an existing person in through the demo client in `session` (a new one by default). */
export async function signIn(tessera: TestTessera, email: string, password: string, session = new BrowserSession(tessera.issuer)) {
  const login = await session.follow(demoAuthorizeUrl(tessera));
  let hop = await session.follow(`${interactionPath(login)}/login`, { form: { email, password } });
  if (hop.status === 200 && hop.body.includes('/consent"')) {
    hop = await session.follow(`${interactionPath(hop)}/consent`, { form: { decision: "allow" } });
  }
  return { session, hop };
}

/** GET /account following redirects; fails unless it ends on the account page. */
export async function openAccount(session: BrowserSession): Promise<Hop> {
  const hop = await session.follow("/account");
  if (hop.status !== 200 || new URL(hop.url).pathname !== "/account" || !hop.body.includes("<h1>Your account</h1>")) {
    throw new Error(`expected the account page, got ${hop.status} at ${hop.url}:\n${hop.body.slice(0, 1500)}`);
  }
  return hop;
}

export interface EmailRow {
  id: string;
  address: string;
  badges: string[];
  /** The actions offered as buttons (primary, remove, resend). */
  actions: string[];
}

/** The rows of the "Email addresses" list on the account page. */
export function emailRows(html: string): EmailRow[] {
  const list = /<ul class="emails">([\s\S]*?)<\/ul>/.exec(html);
  if (!list) throw new Error(`no email list on the page:\n${html.slice(0, 1500)}`);
  return [...list[1]!.matchAll(/<li>([\s\S]*?)<\/li>/g)].map(([, item]) => {
    const address = decodeEntities(/<span class="address">([^<]*)<\/span>/.exec(item!)?.[1] ?? "");
    const badges = [...item!.matchAll(/<span class="badge[^"]*">([^<]*)<\/span>/g)].map((m) => decodeEntities(m[1]!.trim()));
    const forms = [...item!.matchAll(/action="\/account\/emails\/([^/"]+)\/(\w+)"/g)];
    return { id: forms[0]?.[1] ?? "", address, badges, actions: forms.map((m) => m[2]!) };
  });
}

export function rowFor(html: string, address: string): EmailRow | undefined {
  return emailRows(html).find((row) => row.address.toLowerCase() === address.toLowerCase());
}

/** The text of the page's notice (role="status"), or undefined. */
export function noticeOf(html: string): string | undefined {
  const match = /<p class="notice" role="status">([\s\S]*?)<\/p>/.exec(html);
  return match ? textOf(match[1]!) : undefined;
}

/** The error message shown under a form field, or undefined. */
export function fieldErrorOf(html: string, name: string): string | undefined {
  const match = new RegExp(`<p class="error" id="${name}-error">([\\s\\S]*?)</p>`).exec(html);
  return match ? textOf(match[1]!).replace(/^⚠\s*/, "") : undefined;
}

/** The value attribute of the input named `name`. */
export function inputValueOf(html: string, name: string): string | undefined {
  const input = new RegExp(`<input id="${name}" name="${name}"[^>]*>`).exec(html)?.[0];
  if (!input) return undefined;
  const value = /value="([^"]*)"/.exec(input)?.[1];
  return value === undefined ? undefined : decodeEntities(value);
}

export function h1Of(html: string): string | undefined {
  const match = /<h1>([\s\S]*?)<\/h1>/.exec(html);
  return match ? textOf(match[1]!) : undefined;
}

/** A POST with the session's cookies (or none) and extra headers such as Origin. */
export async function rawPost(
  tessera: TestTessera,
  path: string,
  form: Record<string, string>,
  options: { cookie?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; location: string | null; body: string }> {
  const response = await fetch(new URL(path, tessera.issuer), {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
  return { status: response.status, location: response.headers.get("location"), body: await response.text() };
}

/**
 * Runs the demo client's authorization again in a signed-in `session` (no prompt expected
 * beyond consent), redeems the code and answers the userinfo response.
 */
export async function freshUserinfo(tessera: TestTessera, session: BrowserSession): Promise<Record<string, unknown>> {
  let hop = await session.follow(demoAuthorizeUrl(tessera));
  if (hop.status === 200 && hop.body.includes('/consent"')) {
    hop = await session.follow(`${interactionPath(hop)}/consent`, { form: { decision: "allow" } });
  }
  const callback = hop.location ? new URL(hop.location) : undefined;
  const code = callback?.searchParams.get("code");
  if (!code) throw new Error(`no code: ${hop.status} ${hop.url} ${hop.location ?? ""}\n${hop.body.slice(0, 1500)}`);
  const token = await fetch(new URL("/token", tessera.issuer), {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`demo:${demoSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: `${tessera.issuer}/demo/callback` }).toString(),
  });
  const tokens = (await token.json()) as { access_token?: string };
  if (token.status !== 200 || !tokens.access_token) throw new Error(`token request failed: ${token.status} ${JSON.stringify(tokens)}`);
  const userinfo = await fetch(new URL("/me", tessera.issuer), { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(userinfo.status).toBe(200);
  return (await userinfo.json()) as Record<string, unknown>;
}

/** Everything about an account's addresses that a refused action must leave as it was. */
export async function emailState(tessera: TestTessera, userId: string) {
  const rows = await tessera.db.prisma.email.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  return rows.map(({ id, address, normalized, owned, primary, verifiedAt }) => ({ id, address, normalized, owned, primary, verifiedAt }));
}

/** The id of the account that owns `address`. */
export async function accountIdOf(tessera: TestTessera, address: string): Promise<string> {
  const row = await tessera.db.prisma.email.findUnique({ where: { owned: address.toLowerCase() } });
  if (!row) throw new Error(`no account owns ${address}`);
  return row.userId;
}

let extra = 0;
export function newAddress(label = "extra"): string {
  extra += 1;
  return `${label}.${Date.now()}.${extra}@example.test`;
}
