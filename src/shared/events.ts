import type { RequestContext } from "./request-context.js";

/** The login methods a sign-in event names. */
export type SignInMethod = "password" | "wallet" | "sign-in-link";

/**
 * What happened to an account (or, for operator actions, to a client or the signing keys),
 * as the services that make the change record it (in the change's own transaction).
 * Subscribers — mail, the account-update push, the audit trail, plans — react to these
 * instead of being called by every writer. Values are the state after the change; nothing
 * secret (no password, hash, token, key or link) is ever part of one.
 */
export type DomainEvent =
  /** `email` is absent for an account made with a wallet and no address. */
  | { type: "account.registered"; accountId: string; email?: string }
  | { type: "account.signed-in"; accountId: string; method: SignInMethod; clientId?: string }
  /**
   * A refused sign-in. `accountId` when the identifier names an account; `identifier` is
   * what was typed as the email address (only when it has an address's shape: a password
   * typed into the wrong field is never kept), or the wallet's address. Nothing is created
   * for an unknown identifier.
   */
  | { type: "account.sign-in-failed"; accountId?: string; identifier?: string; method: SignInMethod; reason: "unknown-account" | "wrong-password"; clientId?: string }
  /** The browser's Tessera session ended at the user's request (RP-initiated logout). */
  | { type: "account.signed-out"; accountId: string; clientId?: string }
  | { type: "account.name-changed"; accountId: string; name: string }
  /** `previousEmail`: the address that was primary before, when another one takes its place. */
  | { type: "account.primary-email-changed"; accountId: string; email: string; emailVerified: boolean; previousEmail?: string }
  | { type: "account.email-added"; accountId: string; email: string }
  | { type: "account.email-verified"; accountId: string; email: string }
  | { type: "account.email-removed"; accountId: string; email: string }
  | { type: "account.password-changed"; accountId: string; via: "reset" | "set" }
  /** A password change on the account page refused: the current password given was wrong. */
  | { type: "account.password-change-failed"; accountId: string }
  /**
   * password-reset / password-change: every session but the browser that made the change;
   * account-page: the one the user chose.
   */
  | { type: "account.sessions-ended"; accountId: string; reason: "password-reset" | "password-change" | "account-page" }
  | { type: "account.organisation-consent-given"; accountId: string; organisationId: string }
  | { type: "account.organisation-consent-withdrawn"; accountId: string; organisationId: string }
  /** The user allowed an application these OIDC scopes (and claims) on the consent page. */
  | { type: "account.application-consent-given"; accountId: string; clientId: string; scopes: string[]; claims: string[] }
  | { type: "account.application-revoked"; accountId: string; clientId: string }
  /** A wallet (EIP-55 address) that signs in to the account was added or removed. */
  | { type: "account.wallet-linked"; accountId: string; address: string }
  | { type: "account.wallet-unlinked"; accountId: string; address: string }
  /** The plan in force or its end date changed (src/billing); `expiresAt` is null on the free plan. */
  | { type: "account.plan-changed"; accountId: string; plan: string; expiresAt: string | null }
  /**
   * `clientIds`: the clients connected to the account when it went (signed in to, holding
   * a grant, consent not withdrawn), captured in the deleting transaction because the
   * records that say so are deleted with it.
   */
  | { type: "account.deleted"; accountId: string; clientIds: string[] }
  /**
   * A client's backend asked for a sign-in link for `email` (src/signin-links); `accountId`
   * when an account owns that confirmed address, so its owner sees it on the account page.
   */
  | { type: "sign-in-link.issued"; accountId?: string; clientId: string; email: string; linkId: string }
  /** A browser used the link (its single use); `accountId` when the address is already an account's. */
  | { type: "sign-in-link.used"; accountId?: string; clientId: string; email: string; linkId: string }
  /** Operator actions (CLI): no account is involved. */
  | { type: "client.secret-rotated"; accountId?: undefined; clientId: string }
  | { type: "keys.rotated"; accountId?: undefined; added: string[] }
  | { type: "keys.retired"; accountId?: undefined; kid: string };

export type DomainEventType = DomainEvent["type"];

/**
 * A recorded event as subscribers receive it, with where the change came from (the request's
 * IP and user agent, or the operator) when it was made on behalf of a request or command.
 */
export type RecordedEvent<T extends DomainEventType = DomainEventType> = Extract<DomainEvent, { type: T }> & {
  id: string;
  occurredAt: string;
  context?: RequestContext;
};
