/**
 * Sign-in links from a client's backend (src/signin-links): a client the operator allowed
 * them, and asking for a link as its backend would, over HTTP with client_secret_basic.
 */
import { codeClient, registerClient, rpOrigin, type ClientMetadata } from "./clients.js";
import type { TestTessera } from "./tessera.js";

export const linkTargets = [`${rpOrigin}/billing/`, "https://other-page.example.test"];

/** A confidential client allowed sign-in links to `targets`, handing back through `initiateLoginUri`. */
export async function linkClient(
  tessera: TestTessera,
  options: { targets?: string[]; initiateLoginUri?: string; redirectUri?: string; allowed?: boolean; metadata?: Partial<ClientMetadata>; policy?: Parameters<typeof registerClient>[2] } = {},
): Promise<ClientMetadata> {
  const metadata = codeClient({
    client_name: "Billing",
    initiate_login_uri: options.initiateLoginUri ?? `${rpOrigin}/login`,
    ...(options.redirectUri && { redirect_uris: [options.redirectUri] }),
    ...options.metadata,
  });
  return registerClient(tessera, metadata, { ...options.policy, signInLinks: options.allowed ?? true, signInLinkTargets: options.targets ?? linkTargets });
}

export interface LinkAnswer {
  status: number;
  headers: Headers;
  json: { url?: string; expires_at?: string; expires_in?: number; error?: string; error_description?: string };
}

/** POST /api/sign-in-links as the client's backend, with its id and secret (or `secret`). */
export async function requestLink(tessera: TestTessera, client: ClientMetadata, body: Record<string, unknown>, secret = client.client_secret!): Promise<LinkAnswer> {
  const response = await fetch(`${tessera.issuer}/api/sign-in-links`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(secret)}`).toString("base64")}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as LinkAnswer["json"] };
}

/** A link for `email` to `target` (the first registered target by default); fails the test otherwise. */
export async function linkFor(tessera: TestTessera, client: ClientMetadata, email: string, target = `${rpOrigin}/billing/plans`, name?: string): Promise<string> {
  const answer = await requestLink(tessera, client, { email, target, ...(name && { name }) });
  if (answer.status !== 201 || !answer.json.url) throw new Error(`no link: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json.url;
}
