/**
 * The Security Event Token event types Tessera transmits (SSF 1.0 with CAEP 1.0 and RISC
 * 1.0), and which domain event each comes from.
 */
export const eventTypes = {
  tokenClaimsChange: "https://schemas.openid.net/secevent/caep/event-type/token-claims-change",
  sessionRevoked: "https://schemas.openid.net/secevent/caep/event-type/session-revoked",
  credentialChange: "https://schemas.openid.net/secevent/caep/event-type/credential-change",
  accountPurged: "https://schemas.openid.net/secevent/risc/event-type/account-purged",
  verification: "https://schemas.openid.net/secevent/ssf/event-type/verification",
} as const;

export type EventTypeUri = (typeof eventTypes)[keyof typeof eventTypes];

/** What a receiver can ask for in events_requested (verification is always delivered). */
export const eventsSupported: readonly EventTypeUri[] = [eventTypes.tokenClaimsChange, eventTypes.sessionRevoked, eventTypes.credentialChange, eventTypes.accountPurged];

/** OIDC Core §5.4: which scope lets a client see each claim a token-claims-change may carry. */
export const claimScopes = { name: "profile", email: "email", email_verified: "email", plan: "plan", plan_expires_at: "plan" } as const;

export type PushedClaim = keyof typeof claimScopes;

export function isSupportedEvent(value: string): value is EventTypeUri {
  return (eventsSupported as readonly string[]).includes(value);
}
