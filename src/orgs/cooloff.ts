/**
 * Account-age cooloff: a client may refuse accounts younger than N hours (spam
 * protection). Answers when the account becomes old enough, or undefined if it already is.
 */
export function cooloffEndsAt(accountCreatedAt: Date, cooloffHours: number | null | undefined, now: Date): Date | undefined {
  if (!cooloffHours || cooloffHours <= 0) return undefined;
  const endsAt = new Date(accountCreatedAt.getTime() + cooloffHours * 3600_000);
  return endsAt > now ? endsAt : undefined;
}
