/**
 * Helpers shared by the confirmation-link tests: a clock the tests can move, the demo
 * client's authorization URL, and the relying party's side (code → tokens → /me).
 */
import { type BrowserSession, interactionPath, type Hop, type Person } from "../support/browser-session.js";
import type { ReceivedMail, TestSmtpServer } from "../support/smtp.js";
import type { TestTessera } from "../support/tessera.js";
import { demoAuthorizeUrl, demoSecret } from "../support/demo.js";

export { demoAuthorizeUrl, demoSecret };


/** A clock that runs with real time plus an offset the test moves forward. */
export interface MovableClock {
  now(): Date;
  advance(seconds: number): void;
}

export function movableClock(): MovableClock {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(seconds: number) {
      offsetMs += seconds * 1000;
    },
  };
}


/** Starts the authorization request and creates an account; returns the page that follows. */
export async function signUp(session: BrowserSession, authorizationUrl: string, person: Person): Promise<Hop> {
  const login = await session.follow(authorizationUrl);
  if (login.status !== 200 || !login.body.includes('action="/interaction/')) {
    throw new Error(`expected the sign-in page, got ${login.status} at ${login.url}`);
  }
  return session.follow(`${interactionPath(login)}/register`, { form: { name: person.name, email: person.email, password: person.password } });
}

/** The text of the page's <h1>, to say which page a hop is in failure messages. */
export function heading(hop: Hop): string {
  return /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(hop.body)?.[1]?.replace(/<[^>]+>/g, "").trim() ?? `(no h1; status ${hop.status}, location ${hop.location ?? "-"})`;
}

/** Every mail received so far for `address`, oldest first. */
export function mailsTo(mailbox: TestSmtpServer, address: string): ReceivedMail[] {
  return mailbox.messages.filter((mail) => mail.to.includes(address));
}

/** Waits for the `count`-th mail to `address` (1-based) and returns it. */
export async function nthMailTo(mailbox: TestSmtpServer, address: string, count: number, timeoutMs = 10_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = mailsTo(mailbox, address);
    if (mails.length >= count) return mails[count - 1]!;
    if (Date.now() > deadline) {
      throw new Error(`expected ${count} mail(s) to ${address}, got ${mails.length}: ${mails.map((mail) => mail.subject).join(" | ")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function confirmLink(mail: ReceivedMail): string {
  const link = mail.links.find((candidate) => candidate.includes("/confirm/"));
  if (!link) throw new Error(`no /confirm/ link in "${mail.subject}": ${mail.text}`);
  return link;
}

/** The key at the end of a /confirm/<key> link. */
export function keyOf(link: string): string {
  return new URL(link).pathname.split("/").pop()!;
}

/** The form action of the page's "Send me a new link" button, when there is one. */
export function resendAction(hop: Hop): string | undefined {
  const match = /<form[^>]*action="([^"]+\/resend)"[^>]*>\s*<button[^>]*>Send me a new link<\/button>/.exec(hop.body);
  return match?.[1];
}

/** What the relying party does with a code: the token endpoint, then /me. */
export async function redeemCode(
  tessera: TestTessera,
  code: string,
  client: { id: string; secret: string; redirectUri: string } = { id: "demo", secret: demoSecret, redirectUri: `${tessera.issuer}/demo/callback` },
): Promise<{ status: number; tokens: Record<string, unknown> }> {
  const response = await fetch(`${tessera.issuer}/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: client.redirectUri }).toString(),
  });
  return { status: response.status, tokens: (await response.json()) as Record<string, unknown> };
}

export async function userinfo(tessera: TestTessera, accessToken: string): Promise<{ status: number; claims: Record<string, unknown> }> {
  const response = await fetch(`${tessera.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: response.status, claims: (await response.json()) as Record<string, unknown> };
}

/** Polls `probe` until it answers something truthy, or fails after timeoutMs. */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

