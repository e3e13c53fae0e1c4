/**
 * Refresh tokens: each use rotates them and gives a fresh sliding lifetime, but never beyond
 * the absolute lifetime counted from the first sign-in; then the user must sign in again.
 */
import { refreshTokenAbsoluteLifetime } from "../../src/oidc/configuration.js";
import { authorize, BrowserSession, newPerson } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
const day = 24 * 3600_000;

beforeAll(async () => {
  tessera = await startTestTessera({ clock });
});
afterAll(async () => tessera?.close());

async function token(client: { client_id: string; client_secret?: string }, body: Record<string, string>) {
  const response = await fetch(`${tessera.issuer}/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
  });
  return { status: response.status, body: (await response.json()) as { refresh_token?: string; error?: string } };
}

test("rotating refresh tokens stop working 90 days after the first sign-in", async () => {
  const client = await registerClient(tessera, codeClient({ grant_types: ["authorization_code", "refresh_token"] }));
  const url = `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid offline_access", prompt: "consent", redirect_uri: rpRedirectUri })}`;
  const hop = await authorize(new BrowserSession(tessera.issuer), url, newPerson());
  const code = new URL(hop.location!).searchParams.get("code")!;
  let refresh = (await token(client, { grant_type: "authorization_code", code, redirect_uri: rpRedirectUri })).body.refresh_token!;
  expect(refresh).toBeTruthy();

  // Used every 13 days, within the 14-day sliding lifetime, it keeps rotating…
  const step = 13 * day;
  let elapsed = 0;
  while (elapsed + step < refreshTokenAbsoluteLifetime * 1000) {
    offsetMs += step;
    elapsed += step;
    const answer = await token(client, { grant_type: "refresh_token", refresh_token: refresh });
    expect(answer.status).toBe(200);
    expect(answer.body.refresh_token).not.toBe(refresh);
    refresh = answer.body.refresh_token!;
  }
  // …until the absolute lifetime is over.
  offsetMs += step;
  const late = await token(client, { grant_type: "refresh_token", refresh_token: refresh });
  expect(late.status).toBe(400);
  expect(late.body.error).toBe("invalid_grant");
});

test("a refresh token unused for longer than its sliding lifetime has expired", async () => {
  const client = await registerClient(tessera, codeClient({ grant_types: ["authorization_code", "refresh_token"] }));
  const url = `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid offline_access", prompt: "consent", redirect_uri: rpRedirectUri })}`;
  const hop = await authorize(new BrowserSession(tessera.issuer), url, newPerson());
  const code = new URL(hop.location!).searchParams.get("code")!;
  const refresh = (await token(client, { grant_type: "authorization_code", code, redirect_uri: rpRedirectUri })).body.refresh_token!;
  offsetMs += 15 * day;
  const answer = await token(client, { grant_type: "refresh_token", refresh_token: refresh });
  expect(answer.body.error).toBe("invalid_grant");
});
