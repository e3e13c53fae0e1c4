/**
 * "This sign-in has expired" on ordinary paths — the back button after consent, reloading a
 * tab whose sign-in finished in another — should not end in a dead end. When its sign-in
 * ends, an Interaction's row is kept for a day as an ended sign-in holding only the client's
 * id (adapter.ts), so the page can name the application and offer to start again
 * (its initiate_login_uri, OIDC Core §4) or go back to it (its client_uri, or the site its
 * first redirect URI belongs to). Only http(s) addresses the client registered are offered:
 * the uid in the path picks a client, never an address.
 */
import type { Adapter } from "oidc-provider";
import type Provider from "oidc-provider";
import { accountClientId } from "./account-client.js";

export const endedSignInModel = "EndedInteraction";
export const endedSignInTtlSeconds = 24 * 60 * 60;

export interface ExpiredSignInView {
  applicationName: string;
  /** Where "Start again" goes: the client's own sign-in start. */
  startAgainUrl?: string;
  /** Where "Go back to …" goes. */
  backUrl?: string;
}

const web = (url: unknown): string | undefined => (typeof url === "string" && /^https?:\/\//i.test(url) ? url : undefined);

export function expiredSignIns(provider: Provider, adapter: (model: string) => Adapter) {
  const ended = adapter(endedSignInModel);
  return {
    /** What the expired page offers for the sign-in `uid` was, when its client is known. */
    async describe(uid: string | undefined): Promise<ExpiredSignInView | undefined> {
      if (!uid || !/^[\w-]{1,64}$/.test(uid)) return undefined;
      const clientId = (await ended.find(uid))?.clientId;
      const client = typeof clientId === "string" ? await provider.Client.find(clientId) : undefined;
      if (!client) return undefined;
      if (client.clientId === accountClientId) return { applicationName: "your account", backUrl: "/account" };
      const initiate = web(client.initiateLoginUri);
      const firstRedirect = web(client.redirectUris?.[0]);
      return {
        applicationName: client.clientName ?? client.clientId,
        startAgainUrl: initiate && `${initiate}${initiate.includes("?") ? "&" : "?"}${new URLSearchParams({ iss: provider.issuer })}`,
        backUrl: web(client.clientUri) ?? (firstRedirect && `${new URL(firstRedirect).origin}/`),
      };
    },
  };
}

export type ExpiredSignIns = ReturnType<typeof expiredSignIns>;

/** The uid in an interaction or resume path (/interaction/UID…, /auth/UID). */
export function signInUidOf(path: string): string | undefined {
  return /^\/(?:interaction|auth)\/([\w-]+)/.exec(path)?.[1];
}
