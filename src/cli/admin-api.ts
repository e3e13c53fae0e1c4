/**
 * The admin API's contract, shared by its two ends (admin-api-client.ts in the `tessera`
 * process, admin-api-server.ts in Tessera): a Unix socket in DATA_DIR, one request shape and
 * one answer shape. Kept free of imports beyond Node's, so the CLI's fast path stays small.
 *
 * Why a socket and no HTTP endpoint: the socket's file permissions are the credential. Its
 * folder is 0700 and the socket 0600, so only the operator's user (the one Tessera runs as)
 * can connect; there is no token to generate, leak, rotate or compare, and nothing is
 * reachable from the network, behind a proxy or not. Containers work the same way
 * (`docker compose exec tessera tessera client list` runs beside the server, as its user).
 * With several instances on PostgreSQL every instance has its own socket, and any one will
 * do: they share the database, and the provider reads clients from it on each request.
 */
import path from "node:path";

/** The request's path: `POST` a JSON `AdminCommand`, get a JSON `AdminAnswer`. */
export const adminCommandPath = "/v1/commands";

export interface AdminCommand {
  /** The command line after `tessera`, as typed. */
  argv: string[];
}

/** What the command printed and the exit code it answered, exactly as a local run would. */
export interface AdminAnswer {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Where a Tessera with this DATA_DIR listens. */
export function adminSocketPath(dataDir: string): string {
  return path.join(dataDir, "admin", "tessera.sock");
}

/**
 * Commands the CLI always runs itself. Key commands work on KEYS_DIR's files alone and need
 * no database, so they never contend with a running Tessera; what they change reaches the
 * provider at its next start (node-oidc-provider fixes its key set when it is built).
 */
export function runsLocally(argv: readonly string[]): boolean {
  return argv[0] === "keys";
}
