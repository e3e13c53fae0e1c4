/** Kept in the job row and the log: code and message only, with credentials in a URL masked. */
export function describeJobError(error: unknown): string {
  // Duck-typed rather than instanceof: errors from another realm (a vm context) are not
  // instances of this realm's Error.
  if (typeof error !== "object" || error === null || !("message" in error) || typeof error.message !== "string") {
    return "unknown error";
  }
  const code = "code" in error && typeof error.code === "string" ? `${error.code}: ` : "";
  return `${code}${error.message}`.replace(/\/\/[^\s/@]+@/g, "//***@").slice(0, 500);
}
