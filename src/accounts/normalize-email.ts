/**
 * The key under which an address is unique. Case-insensitive over the whole address: local
 * parts are case-sensitive in theory (RFC 5321 §2.4) but not at any provider people use, and
 * two accounts for Ann@ and ann@ would be the worse failure.
 */
export function normalizeEmail(address: string): string {
  return address.trim().toLowerCase();
}
