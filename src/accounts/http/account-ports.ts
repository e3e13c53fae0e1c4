/**
 * What the account page shows and changes outside the accounts room: consents kept by the
 * organisations room, and grants and sessions kept in the provider's table. The composition
 * root passes the implementations (orgs' repository, oidc/grants.ts, oidc/account-sessions.ts),
 * so accounts import neither room. Other rooms add panels of their own (AccountPanel).
 * organisations room, grants and sessions kept in the provider's table, and the audit trail
 * kept by the security room. The composition root passes the implementations (orgs'
 * repository, oidc/grants.ts, oidc/account-sessions.ts, security/audit/activity.ts), so
 * accounts import none of these rooms.
 */
import type { FieldErrors } from "../../http/edge/index.js";
import type { AccountContext, AccountRouter } from "./signed-in.js";

export interface OrganisationConsents {
  /** The organisations the user currently shares data with (withdrawn consents left out). */
  listConsents(userId: string): Promise<Array<{ organisation: { id: string; name: string; privacyPolicyUrl: string | undefined }; grantedAt: Date }>>;
  /** Answers whether there was a consent to withdraw. */
  withdrawConsent(userId: string, organisationId: string, at: Date): Promise<boolean>;
  /** The ids of the organisation's clients. */
  clientIdsOf(organisationId: string): Promise<string[]>;
}

export interface ConnectedApplications {
  list(accountId: string): Promise<Array<{ clientId: string; name: string; scopes: string[]; since: Date }>>;
  /** Ends the application's access at once; answers undefined if it had none. */
  revoke(accountId: string, clientId: string): Promise<{ name: string } | undefined>;
}

export interface AccountSessions {
  /** `handle` stands for a session in the page; `current` marks the one of `currentId`. */
  list(
    accountId: string,
    currentId?: string,
  ): Promise<Array<{ handle: string; signedInAt: Date; current: boolean; applications: string[]; lastUsed?: { at: Date; ip?: string; userAgent?: string } }>>;
  /** Signs the session out; answers whether there was one. */
  end(accountId: string, handle: string): Promise<boolean>;
}

export interface AccountPageState {
  notice?: string;
  /** Messages by field name: `name` (profile) or `email` (add an address). */
  errors?: FieldErrors;
  /** The submitted values to show again next to their errors. */
  newEmail?: string;
  name?: string;
}

/** Shows the account page, with a notice or refused fields. */
export type AccountPageRenderer = (ctx: AccountContext, accountId: string, state?: AccountPageState) => Promise<void>;

/**
 * A part of the account page another room keeps (wallets, …): its view (rendered with its
 * locals and the page's), and its own routes on the signed-in /account router, which may
 * answer with the page itself.
 */
export interface AccountPanel {
  view: string;
  locals(accountId: string): Promise<Record<string, unknown>>;
  mount?(router: AccountRouter, page: AccountPageRenderer): void;
}

export interface SecurityActivity {
  /** How long records are kept, said on the page. */
  retentionDays: number;
  /** How many records `recent` answers at most. */
  limit: number;
  /** The account's latest security events in plain words, newest first. */
  recent(accountId: string): Promise<Array<{ what: string; at: Date; ip: string | undefined; browser: string }>>;
}
