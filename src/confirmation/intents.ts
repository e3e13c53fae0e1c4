/**
 * Every kind of confirmation link and how long it stays valid. Adding an intent is a line
 * here plus a handler registered by the room that owns the confirmed object.
 * Validity is stored on each link when it is made, so changing it here does not alter
 * links already sent.
 */
const hour = 3600;

export const intents = {
  /** Confirms the address an account was registered with (an account made with a wallet). */
  registration: { validitySeconds: 24 * hour },
  /**
   * Proves the address of a pending registration: using it creates the account
   * (src/accounts/registration.ts); before that, no account exists.
   */
  "sign-up": { validitySeconds: 24 * hour },
  /** Confirms an address added to an existing account. */
  "add-email": { validitySeconds: 24 * hour },
  /** Lets the holder of an account's address choose a new password. */
  "password-reset": { validitySeconds: 1 * hour },
  /**
   * Confirms the address of a person arriving by an application's sign-in link for the first
   * time (src/signin-links). As long as a registration link: opened after the browser's flow
   * ended, it still makes the account, and the browser goes back to the application.
   */
  "sign-in-link": { validitySeconds: 24 * hour },
} as const satisfies Record<string, { validitySeconds: number }>;

export type Intent = keyof typeof intents;

export function isIntent(value: string): value is Intent {
  return Object.hasOwn(intents, value);
}

/** "24 hours", "1 hour", "30 minutes": how mails state a link's validity. */
export function describeValidity(intent: Intent): string {
  const seconds = intents[intent].validitySeconds;
  if (seconds % hour === 0) return seconds === hour ? "1 hour" : `${seconds / hour} hours`;
  return `${Math.round(seconds / 60)} minutes`;
}
