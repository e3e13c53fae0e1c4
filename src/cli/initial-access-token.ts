/**
 * Initial access tokens for dynamic client registration (RFC 7591 §3: POST /reg carries one
 * as a bearer token; Tessera switches on `features.registration.initialAccessToken`, so the
 * provider looks each one up through its adapter). Rules:
 * - The token is saved through node-oidc-provider's own InitialAccessToken model, so the
 *   running provider finds it in the database exactly as it finds the ones it saves itself.
 * - It carries Tessera's registration policy (src/oidc/registration-policy.ts: https
 *   redirect URIs, no self-declared first party or cooloff), which node-oidc-provider runs on
 *   every registration made with it and passes on to the registration access token, so
 *   RFC 7592 updates are held to it too. Without it, only the provider's own checks apply.
 * - It always expires: the value is a bearer credential that registers any number of
 *   clients until then (node-oidc-provider does not consume it on use).
 * - The value is returned once, for the command to print; nothing shows it again.
 */
import type Provider from "oidc-provider";
import { registrationPolicyName } from "../oidc/index.js";

const day = 24 * 60 * 60;

export interface IssuedInitialAccessToken {
  token: string;
  expiresAt: Date;
}

export async function issueInitialAccessToken(provider: Provider, { expiresInDays }: { expiresInDays: number }): Promise<IssuedInitialAccessToken> {
  const token = await new provider.InitialAccessToken({ expiresIn: expiresInDays * day, policies: [registrationPolicyName] }).save();
  // Read back as the provider will at registration: proves it was stored, and gives its exp.
  const saved = await provider.InitialAccessToken.find(token);
  if (!saved?.exp) throw new Error("the initial access token was not stored");
  return { token, expiresAt: new Date(saved.exp * 1000) };
}
