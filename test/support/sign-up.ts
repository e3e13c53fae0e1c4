/**
 * Signing up and signing in through Tessera's pages as a person does, over the scripted
 * browser: `register` submits the registration form of an authorization request;
 * `signUp` goes all the way through the demo client (confirming the address from the real
 * mailbox, consenting) and `signIn` signs an existing person in.
 */
import { BrowserSession, interactionPath, newPerson, type Hop, type Person } from "./browser-session.js";
import { demoAuthorizeUrl } from "./demo.js";
import { confirmLinkOf, mailAfter, mailMark } from "./mailbox.js";
import type { TestTessera } from "./tessera.js";

/** Starts the authorization request and creates an account; returns the page that follows. */
export async function register(session: BrowserSession, authorizationUrl: string, person: Person): Promise<Hop> {
  const login = await session.follow(authorizationUrl);
  if (login.status !== 200 || !login.body.includes('action="/interaction/')) {
    throw new Error(`expected the sign-in page, got ${login.status} at ${login.url}`);
  }
  return session.follow(`${interactionPath(login)}/register`, { form: { name: person.name, email: person.email, password: person.password } });
}

/** Answers the consent page with "allow" when it is the page shown; otherwise returns `hop`. */
export async function allowIfAsked(session: BrowserSession, hop: Hop): Promise<Hop> {
  if (hop.status === 200 && hop.body.includes('/consent"')) {
    return session.follow(`${interactionPath(hop)}/consent`, { form: { decision: "allow" } });
  }
  return hop;
}

/**
 * Signs a new person up through the demo client: register, confirm the address from the
 * registration mail ("Confirm your email address", not an add-email mail to the same
 * address), consent. Leaves `session` signed in and returns the callback hop.
 */
export async function signUp(tessera: TestTessera, person: Person = newPerson(), session = new BrowserSession(tessera.issuer)) {
  const mark = mailMark(tessera);
  let hop = await register(session, demoAuthorizeUrl(tessera), person);
  if (hop.status === 200 && hop.body.includes('/resend-verification"')) {
    const mail = await mailAfter(tessera, mark, { to: person.email, subject: "Confirm your email address" });
    const link = confirmLinkOf(mail);
    expect((await session.request(link)).status).toBe(200);
    hop = await session.follow(link, { form: {} });
  }
  hop = await allowIfAsked(session, hop);
  if (!hop.location?.startsWith(`${tessera.issuer}/demo/callback?code=`)) {
    throw new Error(`sign-up did not reach the demo callback: ${hop.status} ${hop.url}\n${hop.body.slice(0, 1500)}`);
  }
  return { session, person, callback: hop };
}

/** Signs an existing person in through the demo client in `session` (a new one by default). */
export async function signIn(tessera: TestTessera, email: string, password: string, session = new BrowserSession(tessera.issuer)) {
  const login = await session.follow(demoAuthorizeUrl(tessera));
  const hop = await allowIfAsked(session, await session.follow(`${interactionPath(login)}/login`, { form: { email, password } }));
  return { session, hop };
}
