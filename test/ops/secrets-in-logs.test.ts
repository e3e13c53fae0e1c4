/**
 * What someone who can read the logs learns: following a confirmation link and a password
 * reset link, a whole code flow through the demo client (callback page, token, userinfo,
 * introspection, refresh, logout with an id_token_hint) and a refused cross-site post to a
 * link leave no key, code, token, client secret or password in any line, at debug level.
 */
import { Writable } from "node:stream";
import { createLogger } from "../../src/shared/log.js";
import { interactionPath } from "../support/browser-session.js";
import { demoClient, redeemCode, userinfo } from "../support/code-exchange.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { confirmLinkOf, keyOf, mailAfter, mailMark } from "../support/mailbox.js";
import { signUp } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString().split("\n").filter(Boolean));
    done();
  },
});

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera({ log: createLogger({ level: "debug", pretty: false }, sink) });
});
afterAll(async () => tessera?.close());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

async function clientPost(path: string, form: Record<string, string>): Promise<Response> {
  const client = demoClient(tessera);
  return fetch(`${tessera.issuer}${path}`, {
    method: "POST",
    headers: { authorization: basic(client.id, client.secret), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}

test("following links and a whole code flow writes no key, code, token, secret or password to the log", async () => {
  const secrets: Record<string, string> = { clientSecret: demoClient(tessera).secret };

  // Sign-up: the confirmation link is followed, the code lands on the demo callback page.
  const mark = mailMark(tessera);
  const { session, person, callback } = await signUp(tessera);
  secrets.password = person.password;
  secrets.confirmationKey = keyOf(confirmLinkOf(await mailAfter(tessera, mark, { to: person.email, subject: "Confirm your email address" })));
  expect((await session.request(callback.location!)).status).toBe(200);
  secrets.code = new URL(callback.location!).searchParams.get("code")!;

  const { status, tokens } = await redeemCode(tessera, secrets.code);
  expect(status).toBe(200);
  secrets.accessToken = tokens.access_token as string;
  secrets.idToken = tokens.id_token as string;
  expect((await userinfo(tessera, secrets.accessToken)).status).toBe(200);
  expect(await (await clientPost("/token/introspection", { token: secrets.accessToken })).json()).toMatchObject({ active: true });

  // Offline access for a refresh token, then its rotation.
  const offline = await session.follow(demoAuthorizeUrl(tessera, { scope: "openid offline_access", prompt: "consent" }));
  const consented = await session.follow(`${interactionPath(offline)}/consent`, { form: { decision: "allow" } });
  const offlineTokens = (await redeemCode(tessera, new URL(consented.location!).searchParams.get("code")!)).tokens;
  secrets.refreshToken = offlineTokens.refresh_token as string;
  const refreshed = await clientPost("/token", { grant_type: "refresh_token", refresh_token: secrets.refreshToken });
  expect(refreshed.status).toBe(200);
  secrets.rotatedRefreshToken = ((await refreshed.json()) as { refresh_token: string }).refresh_token;

  // Logout with the ID token as hint, in the query string.
  expect((await session.request(`/session/end?${new URLSearchParams({ id_token_hint: secrets.idToken })}`)).status).toBe(200);

  // A password reset through its link.
  const resetMark = mailMark(tessera);
  expect((await session.request("/password/forgot", { form: { email: person.email } })).status).toBe(200);
  const resetLink = confirmLinkOf(await mailAfter(tessera, resetMark, { to: person.email, subject: "Reset your Tessera password" }));
  secrets.resetKey = keyOf(resetLink);
  secrets.newPassword = "an entirely new passphrase";
  expect((await session.request(resetLink)).status).toBe(200);
  // A cross-site post to the link is refused and logged, by path.
  const crossSite = await fetch(resetLink, { method: "POST", headers: { origin: "https://elsewhere.example", "sec-fetch-site": "cross-site" } });
  expect(crossSite.status).toBe(403);
  expect((await session.request(resetLink, { form: { password: secrets.newPassword } })).status).toBeLessThan(400);

  await tessera.jobs.whenIdle();
  const requestLines = lines.filter((line) => line.includes('"msg":"request"'));
  expect(requestLines.some((line) => line.includes('"path":"/confirm/:redacted"'))).toBe(true);
  expect(lines.some((line) => line.includes("cross-site form post refused") && line.includes("/confirm/:redacted"))).toBe(true);
  for (const [name, value] of Object.entries(secrets)) {
    expect(value.length).toBeGreaterThan(8);
    expect({ name, lines: lines.filter((line) => line.includes(value)) }).toEqual({ name, lines: [] });
  }
});
