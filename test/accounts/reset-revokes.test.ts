/**
 * A password reset takes everything back: tokens issued before it are dead after it
 * (introspection inactive, userinfo 401, refresh invalid_grant, an unredeemed code
 * refused). And the takeover of an address held before its owner arrives is impossible.
 * Registering someone else's address no longer gives an account at all (the account is
 * made by the link mailed to the address); but accounts with an address never confirmed
 * still exist (made before that, or by a wallet sign-up, which does not confirm its
 * address): their holder signs in to an application that does not ask for a verified
 * address, even adds and confirms an address of their own; the owner resets the password
 * and the holder is left with nothing.
 */
import { createPasswords } from "../../src/accounts/index.js";
import { openAccount, rowFor } from "../support/account-page.js";
import { authorize, BrowserSession, confirmByMail, isCheckEmailPage, newPerson, type Person } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { userinfo } from "../support/code-exchange.js";
import { confirmLinkOf, mailAfter, mailMark, mailsSince } from "../support/mailbox.js";
import { h1Of } from "../support/page-text.js";
import { signIn, signUp } from "../support/sign-up.js";
import { jobsDone, passwordResetRequests } from "../support/jobs.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
let client: ClientMetadata;
beforeAll(async () => {
  tessera = await startTestTessera();
  // An application that does not ask for a verified address, with refresh tokens.
  client = await registerClient(tessera, codeClient({ grant_types: ["authorization_code", "refresh_token"] }));
});
afterAll(async () => tessera?.close());

const authorizeUrl = (extra: Record<string, string> = {}) =>
  `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid email profile offline_access", prompt: "consent", redirect_uri: rpRedirectUri, ...extra })}`;

const basic = () => `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`;

async function post(path: string, body: Record<string, string>) {
  const response = await fetch(`${tessera.issuer}${path}`, {
    method: "POST",
    headers: { authorization: basic(), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const codeOf = (location: string | undefined) => {
  const code = location ? new URL(location).searchParams.get("code") : null;
  if (!code) throw new Error(`no code in ${location}`);
  return code;
};

async function tokensFor(session: BrowserSession, person: Person, existing: boolean) {
  const hop = await authorize(session, authorizeUrl(), person, { existing });
  const { status, body } = await post("/token", { grant_type: "authorization_code", code: codeOf(hop.location), redirect_uri: rpRedirectUri });
  expect(status).toBe(200);
  return { access: body.access_token as string, refresh: body.refresh_token as string };
}

/** Asks for a reset link for `address` and sets `password` with it, in `browser`. */
async function resetPassword(browser: BrowserSession, address: string, password: string) {
  const mark = mailMark(tessera);
  expect((await browser.request("/password/forgot", { form: { email: address } })).status).toBe(200);
  const link = confirmLinkOf(await mailAfter(tessera, mark, { to: address, subject: "Reset your Tessera password" }));
  const changed = await browser.request(link, { form: { password } });
  expect(h1Of(changed.body)).toBe("Password changed");
}

/** What the holder of these tokens can still do: nothing, once they are revoked. */
async function expectDead(tokens: { access: string; refresh: string }) {
  expect((await post("/token/introspection", { token: tokens.access })).body.active).toBe(false);
  expect((await post("/token/introspection", { token: tokens.refresh })).body.active).toBe(false);
  expect((await userinfo(tessera, tokens.access)).status).toBe(401);
  const refreshed = await post("/token", { grant_type: "refresh_token", refresh_token: tokens.refresh });
  expect(refreshed.status).toBe(400);
  expect(refreshed.body.error).toBe("invalid_grant");
}

test("tokens issued before a password reset are dead after it, codes too", async () => {
  const { session, person } = await signUp(tessera);
  const tokens = await tokensFor(session, person, true);
  // A code issued before the reset and not redeemed yet.
  const pending = codeOf((await authorize(session, authorizeUrl(), person, { existing: true })).location);
  expect((await post("/token/introspection", { token: tokens.access })).body.active).toBe(true);
  expect((await userinfo(tessera, tokens.access)).status).toBe(200);

  await resetPassword(new BrowserSession(tessera.issuer), person.email, "a fresh passphrase for the reset");

  await expectDead(tokens);
  const late = await post("/token", { grant_type: "authorization_code", code: pending, redirect_uri: rpRedirectUri });
  expect(late.body.error).toBe("invalid_grant");
});

test("an address held before its owner arrives: the owner's reset leaves the holder nothing", async () => {
  const owner = newPerson();
  const holder = new BrowserSession(tessera.issuer);
  const held: Person = { name: "Not The Owner", email: owner.email, password: "the holder's own password" };

  // Registering the owner's address gets the holder nothing: "Check your email", no account.
  const login = await holder.follow(authorizeUrl());
  const registered = await holder.follow(`${/action="(\/interaction\/[\w-]+)\/login"/.exec(login.body)![1]}/register`, { form: { ...held } });
  expect(isCheckEmailPage(registered)).toBe(true);
  expect(await tessera.db.prisma.email.count({ where: { owned: owner.email.toLowerCase() } })).toBe(0);
  expect((await signIn(tessera, owner.email, held.password)).hop.status).toBe(401);

  // An account that holds the address unconfirmed (as one made before registration needed
  // the link did, or a wallet sign-up with an address) signs in to an application that does
  // not ask for a verified address.
  await tessera.db.prisma.user.create({
    data: {
      name: held.name,
      passwordHash: await createPasswords(tessera.config.passwords).hash(held.password),
      emails: { create: { address: owner.email, normalized: owner.email.toLowerCase(), owned: owner.email.toLowerCase(), primary: true } },
    },
  });
  const tokens = await tokensFor(holder, held, true);
  const before = await userinfo(tessera, tokens.access);
  expect(before.claims).toMatchObject({ email: owner.email, email_verified: false, name: "Not The Owner" });

  // The holder adds an address of their own, confirms it and makes it primary: a way back
  // in once the owner resets the password, were it left on the account.
  const holdersOwn = `holder.${Date.now()}@example.test`;
  await openAccount(holder);
  expect((await holder.follow("/account/emails", { form: { email: holdersOwn } })).status).toBe(200);
  await confirmByMail(holder, tessera.mailbox, holdersOwn);
  const row = rowFor((await openAccount(holder)).body, holdersOwn);
  expect((await holder.follow(`/account/emails/${row!.id}/primary`, { form: {} })).status).toBe(200);
  const later = await tokensFor(holder, held, true);
  expect((await userinfo(tessera, later.access)).claims).toMatchObject({ email: holdersOwn, email_verified: true });
  const account = await tessera.db.prisma.user.findFirstOrThrow({ where: { emails: { some: { normalized: owner.email.toLowerCase() } } } });
  // And a wallet of theirs signs in to the account too (a wallet sign-up gives an address
  // without confirming it).
  const wallet = "0x52908400098527886E0F7030069857D2E4169EE7";
  await tessera.db.prisma.walletAddress.create({ data: { normalized: wallet.toLowerCase(), address: wallet, userId: account.id, createdAt: new Date() } });

  // The owner proves the mailbox with a reset and takes the account.
  const ownerBrowser = new BrowserSession(tessera.issuer);
  await resetPassword(ownerBrowser, owner.email, owner.password);

  // The holder's tokens, session and password are dead.
  await expectDead(tokens);
  await expectDead(later);
  expect(h1Of((await holder.follow(authorizeUrl())).body)).toBe("Sign in");
  expect((await signIn(tessera, owner.email, held.password)).hop.status).toBe(401);
  expect((await signIn(tessera, holdersOwn, held.password)).hop.status).toBe(401);
  // The holder's own address is gone from the account: no reset through it.
  const mark = mailMark(tessera);
  expect((await holder.request("/password/forgot", { form: { email: holdersOwn } })).status).toBe(200);
  await jobsDone(tessera, passwordResetRequests);
  expect(mailsSince(tessera, mark, holdersOwn)).toEqual([]);
  expect(await tessera.db.prisma.email.count({ where: { userId: account.id } })).toBe(1);
  expect(await tessera.db.prisma.walletAddress.count({ where: { userId: account.id } })).toBe(0);

  // The owner signs in with the new password; the address now counts as confirmed.
  const mine = await tokensFor(ownerBrowser, owner, true);
  expect((await userinfo(tessera, mine.access)).claims).toMatchObject({ email: owner.email, email_verified: true });
});
