/**
 * Signing up and signing in through Tessera's pages as a person does, over the scripted
 * browser: `register` submits the registration form of an authorization request (which
 * answers "Check your email"); `signUp` goes all the way through the demo client (the
 * registration link from the real mailbox, in the same browser, then consent) and `signIn`
 * signs an existing person in.
 */
import { BrowserSession, confirmRegistration, interactionPath, isCheckEmailPage, newPerson, type Hop, type Person } from "./browser-session.js";
import { demoAuthorizeUrl } from "./demo.js";
import type { TestTessera } from "./tessera.js";

/** Starts the authorization request and submits the registration form; returns the page that follows ("Check your email"). */
export async function register(session: BrowserSession, authorizationUrl: string, person: Person): Promise<Hop> {
  const login = await session.follow(authorizationUrl);
  if (login.status !== 200 || !login.body.includes('action="/interaction/')) {
    throw new Error(`expected the sign-in page, got ${login.status} at ${login.url}`);
  }
  return session.follow(`${interactionPath(login)}/register`, { form: { name: person.name, email: person.email, password: person.password } });
}

/** `register`, then the mailed link in the same browser: answers the page after the account was created. */
export async function registerAndConfirm(session: BrowserSession, authorizationUrl: string, person: Person): Promise<Hop> {
  const sent = await register(session, authorizationUrl, person);
  return isCheckEmailPage(sent) ? confirmRegistration(session, person.email) : sent;
}

/** Answers the consent page with "allow" when it is the page shown; otherwise returns `hop`. */
export async function allowIfAsked(session: BrowserSession, hop: Hop): Promise<Hop> {
  if (hop.status === 200 && hop.body.includes('/consent"')) {
    return session.follow(`${interactionPath(hop)}/consent`, { form: { decision: "allow" } });
  }
  return hop;
}

/**
 * Signs a new person up through the demo client: register, open the link of the
 * registration mail in the same browser (which creates the account and continues the
 * sign-in), consent. Leaves `session` signed in and returns the callback hop.
 */
export async function signUp(tessera: TestTessera, person: Person = newPerson(), session = new BrowserSession(tessera.issuer)) {
  let hop = await register(session, demoAuthorizeUrl(tessera), person);
  if (!isCheckEmailPage(hop)) throw new Error(`registration did not answer "Check your email": ${hop.status} ${hop.url}\n${hop.body.slice(0, 1500)}`);
  hop = await confirmRegistration(session, person.email, tessera.mailbox);
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
