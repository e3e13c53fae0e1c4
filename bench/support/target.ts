/**
 * What the benchmark asks of a server it started in a child process (bench/hot-paths.ts):
 * the child sends `ready` with what the load needs, then answers each `stats` request with
 * its CPU time, peak memory and statements so far.
 */
export interface Ready {
  type: "ready";
  issuer: string;
  client: { id: string; secret: string };
  /** An opaque access token of `client` with openid profile email, for userinfo. */
  accessToken: string;
  /** A token to introspect, issued to `client`. */
  introspected: string;
  /** Refresh tokens of `client`, one per chain of rotations. */
  refreshTokens: string[];
  /** An account that signs in with a password, and an authorization URL for it (sign-in flows). */
  signIn?: { email: string; password: string; authorizeUrl: string; redirectUri: string; argon2VerifyMs: number };
}

export interface Stats {
  type: "stats";
  cpuMicros: number;
  statements: number;
  rss: number;
  maxRss: number;
}

/** Answers the parent's `stats` requests. */
export function answerStats(statements: () => number): void {
  process.on("message", (message: { type?: string }) => {
    if (message.type !== "stats") return;
    const cpu = process.cpuUsage();
    const stats: Stats = { type: "stats", cpuMicros: cpu.user + cpu.system, statements: statements(), rss: process.memoryUsage.rss(), maxRss: process.resourceUsage().maxRSS * 1024 };
    process.send?.(stats);
  });
}
