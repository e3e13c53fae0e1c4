/**
 * Two people, one browser: with A signed in to a client, B signs in to the same client
 * (prompt=login). node-oidc-provider ends A's session first (revoking A's grant) and then
 * resumes the sign-in; that sign-in must still exist afterwards, so B lands on the client.
 */
import { interactionPath } from "../support/browser-session.js";
import { redeemCode, userinfo } from "../support/code-exchange.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { h1Of, htmlForm } from "../support/page-text.js";
import { allowIfAsked, signUp } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera();
});
afterAll(async () => tessera?.close());

test("B signs in to a client in the browser where A is signed in to it, and the client receives B", async () => {
  const { session, callback } = await signUp(tessera);
  const { person: b } = await signUp(tessera);
  const aCode = new URL(callback.location!).searchParams.get("code")!;
  const aTokens = (await redeemCode(tessera, aCode)).tokens;

  const login = await session.follow(demoAuthorizeUrl(tessera, { prompt: "login" }));
  expect(h1Of(login.body)).toBe("Sign in");
  let hop = await session.follow(`${interactionPath(login)}/login`, { form: { email: b.email, password: b.password } });
  // Another account than the session's: the provider signs A out first, through a form
  // that a browser submits by itself.
  if (hop.status === 200 && hop.body.includes("/session/end/confirm")) {
    const logout = htmlForm(hop.body, /session\/end\/confirm/);
    hop = await session.follow(logout.action, { form: logout.fields });
  }
  hop = await allowIfAsked(session, hop);
  expect(hop.body).not.toContain("interaction session not found");
  expect(hop.location).toMatch(new RegExp(`^${tessera.issuer}/demo/callback\\?code=`));

  const { status, tokens } = await redeemCode(tessera, new URL(hop.location!).searchParams.get("code")!);
  expect(status).toBe(200);
  const me = await userinfo(tessera, tokens.access_token as string);
  expect(me.claims.email).toBe(b.email);
  // A's own tokens for the client ended with A's session in this browser.
  expect((await userinfo(tessera, aTokens.access_token as string)).status).toBe(401);
});

test("a sign-in in progress survives the revocation of the grant it carries (account page, another tab)", async () => {
  const { session } = await signUp(tessera);
  // A second sign-in to the same client starts in this browser and waits on its login page.
  const waiting = await session.follow(demoAuthorizeUrl(tessera, { prompt: "login" }));
  expect(h1Of(waiting.body)).toBe("Sign in");
  // Meanwhile the demo client's access is revoked from the account page.
  const account = await session.follow("/account");
  const revoke = htmlForm(account.body, /\/account\/applications\/demo\/revoke/);
  expect((await session.follow(revoke.action, { form: revoke.fields })).status).toBe(200);
  // The waiting sign-in is still there.
  expect(h1Of((await session.follow(`${interactionPath(waiting)}`)).body)).toBe("Sign in");
});
