/**
 * Tokens at rest: after a sign-in and a code flow with offline access, the database (read
 * directly, as from a stolen backup) holds none of the values a client or browser holds —
 * the code, the access and refresh tokens, the session cookie's id, the client's secret —
 * and all of them still work: userinfo, introspection, refresh rotation (with reuse refused), revocation.
 */
import { redeemCode, userinfo, demoClient } from "../support/code-exchange.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { interactionPath } from "../support/browser-session.js";
import { signUp } from "../support/sign-up.js";
import { storedCopiesOf } from "../support/stored-secrets.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera();
});
afterAll(async () => tessera?.close());

async function clientPost(path: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const client = demoClient(tessera);
  const response = await fetch(`${tessera.issuer}${path}`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

const introspect = async (token: string) => (await clientPost("/token/introspection", { token })).body.active;

test("no code, token or session id is stored as itself, and each still works", async () => {
  const { session } = await signUp(tessera);
  const sessionId = /(?:^|; )_session=([^;]+)/.exec(session.cookieHeaderFor("/"))?.[1];
  expect(sessionId).toBeDefined();

  const offline = await session.follow(demoAuthorizeUrl(tessera, { scope: "openid email offline_access", prompt: "consent" }));
  const callback = await session.follow(`${interactionPath(offline)}/consent`, { form: { decision: "allow" } });
  const code = new URL(callback.location!).searchParams.get("code")!;
  expect(await storedCopiesOf(tessera.db.prisma, { code, sessionId })).toEqual([]);

  const { status, tokens } = await redeemCode(tessera, code);
  expect(status).toBe(200);
  const accessToken = tokens.access_token as string;
  const refreshToken = tokens.refresh_token as string;
  // Nor is the client's secret, which authenticated the redemption (HTTP Basic).
  const clientSecret = demoClient(tessera).secret;
  expect(await storedCopiesOf(tessera.db.prisma, { code, sessionId, accessToken, refreshToken, clientSecret })).toEqual([]);

  // The same browser is still signed in (its session is found by the cookie's id).
  expect((await session.follow(demoAuthorizeUrl(tessera))).location).toMatch(/\/demo\/callback\?code=/);
  expect((await userinfo(tessera, accessToken)).status).toBe(200);
  expect(await introspect(accessToken)).toBe(true);
  expect(await introspect(refreshToken)).toBe(true);

  const rotated = await clientPost("/token", { grant_type: "refresh_token", refresh_token: refreshToken });
  expect(rotated.status).toBe(200);
  const newAccessToken = rotated.body.access_token as string;
  const newRefreshToken = rotated.body.refresh_token as string;
  expect(newRefreshToken).not.toBe(refreshToken);
  expect(await storedCopiesOf(tessera.db.prisma, { newAccessToken, newRefreshToken })).toEqual([]);
  expect((await userinfo(tessera, newAccessToken)).status).toBe(200);

  expect((await clientPost("/token/revocation", { token: newAccessToken })).status).toBe(200);
  expect(await introspect(newAccessToken)).toBe(false);
  expect((await userinfo(tessera, newAccessToken)).status).toBe(401);

  // The rotated-out refresh token is refused, and its reuse ends the grant (RFC 9700 §4.14.2).
  const reuse = await clientPost("/token", { grant_type: "refresh_token", refresh_token: refreshToken });
  expect(reuse.body.error).toBe("invalid_grant");
  expect(await introspect(newRefreshToken)).toBe(false);
});
