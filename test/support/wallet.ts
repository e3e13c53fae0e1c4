/**
 * A wallet in tests: a key made in the test signs real EIP-4361 messages, and the JSON API
 * of the wallet login method is called with the scripted browser's cookies, as the page's
 * script does.
 */
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { type BrowserSession, interactionPath } from "./browser-session.js";
import { codeClient, registerClient, type ClientMetadata } from "./clients.js";
import type { TestTessera } from "./tessera.js";

export const newWallet = (): PrivateKeyAccount => privateKeyToAccount(generatePrivateKey());

export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs JSON with the browser's cookies for the path (and any headers given). */
export async function postJson(session: BrowserSession, origin: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const response = await fetch(new URL(path, origin), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", cookie: session.cookieHeaderFor(path), ...headers },
    body: JSON.stringify(body),
    redirect: "manual",
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A first-party code client that does not require a verified email: wallet accounts without one reach it. */
export async function walletClient(tessera: TestTessera): Promise<ClientMetadata> {
  return registerClient(tessera, codeClient({ scope: "openid profile email" }), { firstParty: true });
}

export function authorizeUrl(client: ClientMetadata): string {
  return `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid profile email", redirect_uri: client.redirect_uris![0]!, state: "s" })}`;
}

/** Opens the sign-in page of a new authorization in `session`; answers its /interaction/:uid path. */
export async function openSignIn(session: BrowserSession, client: ClientMetadata): Promise<string> {
  const hop = await session.follow(authorizeUrl(client));
  if (hop.status !== 200) throw new Error(`expected the sign-in page, got ${hop.status} at ${hop.url}`);
  return interactionPath(hop);
}

export async function challenge(tessera: TestTessera, session: BrowserSession, challengePath: string, wallet: { address: string }, chainId: number | string = 1): Promise<JsonAnswer> {
  return postJson(session, tessera.issuer, challengePath, { address: wallet.address, chainId });
}

/** A challenge from the server, signed by the wallet (or by `signer`, another key). */
export async function signedChallenge(
  tessera: TestTessera,
  session: BrowserSession,
  challengePath: string,
  wallet: PrivateKeyAccount,
  signer: PrivateKeyAccount = wallet,
): Promise<{ message: string; signature: string }> {
  const answer = await challenge(tessera, session, challengePath, wallet);
  if (answer.status !== 200) throw new Error(`challenge refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  const message = answer.body.message as string;
  return { message, signature: await signer.signMessage({ message }) };
}

/** Follows the API's redirect_url to the relying party; answers the code it receives. */
export async function codeAfter(session: BrowserSession, redirectUrl: string, client: ClientMetadata): Promise<string> {
  const hop = await session.follow(redirectUrl);
  const location = hop.location ? new URL(hop.location) : undefined;
  const code = location && location.href.startsWith(client.redirect_uris![0]!) ? location.searchParams.get("code") : null;
  if (!code) throw new Error(`no code: ${hop.status} ${hop.url} ${hop.location ?? ""}\n${hop.body.slice(0, 800)}`);
  return code;
}

export async function tokensFor(tessera: TestTessera, client: ClientMetadata, code: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${tessera.issuer}/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret!)}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: client.redirect_uris![0]! }).toString(),
  });
  return (await response.json()) as Record<string, unknown>;
}

export async function claimsAfter(tessera: TestTessera, session: BrowserSession, redirectUrl: string, client: ClientMetadata): Promise<Record<string, unknown>> {
  const tokens = await tokensFor(tessera, client, await codeAfter(session, redirectUrl, client));
  const response = await fetch(`${tessera.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token as string}` } });
  return (await response.json()) as Record<string, unknown>;
}
