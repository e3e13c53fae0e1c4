/**
 * What a relying party does with an authorization code, by hand: the token endpoint with
 * HTTP Basic client authentication, then userinfo (/me) with the access token.
 */
import type { BrowserSession } from "./browser-session.js";
import { demoAuthorizeUrl, demoSecret } from "./demo.js";
import { allowIfAsked } from "./sign-up.js";
import type { TestTessera } from "./tessera.js";

export interface CodeClient {
  id: string;
  secret: string;
  redirectUri: string;
}

/** The demo client, as the README's httpie walk-through uses it. */
export function demoClient(tessera: Pick<TestTessera, "issuer">): CodeClient {
  return { id: "demo", secret: demoSecret, redirectUri: `${tessera.issuer}/demo/callback` };
}

/** The token endpoint's answer to an authorization_code grant. */
export async function redeemCode(tessera: Pick<TestTessera, "issuer">, code: string, client: CodeClient = demoClient(tessera)): Promise<{ status: number; tokens: Record<string, unknown> }> {
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

export async function userinfo(tessera: Pick<TestTessera, "issuer">, accessToken: string): Promise<{ status: number; claims: Record<string, unknown> }> {
  const response = await fetch(`${tessera.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: response.status, claims: (await response.json()) as Record<string, unknown> };
}

/**
 * Runs the demo client's authorization again in a signed-in `session` (no prompt expected
 * beyond consent), redeems the code and answers the userinfo response.
 */
export async function freshUserinfo(tessera: TestTessera, session: BrowserSession): Promise<Record<string, unknown>> {
  const hop = await allowIfAsked(session, await session.follow(demoAuthorizeUrl(tessera)));
  const code = hop.location ? new URL(hop.location).searchParams.get("code") : undefined;
  if (!code) throw new Error(`no code: ${hop.status} ${hop.url} ${hop.location ?? ""}\n${hop.body.slice(0, 1500)}`);
  const { status, tokens } = await redeemCode(tessera, code);
  if (status !== 200 || typeof tokens.access_token !== "string") throw new Error(`token request failed: ${status} ${JSON.stringify(tokens)}`);
  const answer = await userinfo(tessera, tokens.access_token);
  expect(answer.status).toBe(200);
  return answer.claims;
}
