/**
 * The account page's "Active sessions": the provider sessions of an account, and signing
 * one of them out by deleting its row (the browser holding its cookie is then signed out
 * at its next request, as the provider finds no session behind the cookie).
 * - The page never sees a session's id: it is the value of that browser's session cookie
 *   (signed, but still not something to print in pages and request logs), and the table
 *   only holds its hash (stored-id.ts). Each session is shown under a handle derived from
 *   that by SHA-256.
 * - Only the account's own, unexpired sessions are listed or ended.
 */
import { createHash } from "node:crypto";
import type { PrismaClient } from "../db/index.js";
import type { EventRecorder } from "../jobs/index.js";
import type { Clock } from "../shared/index.js";
import { accountClientId } from "./account-client.js";
import { storedIdOf } from "./stored-id.js";

export interface AccountSession {
  /** Stands for the session in pages and form actions. */
  handle: string;
  signedInAt: Date;
  /** Whether it is the session of the browser asking. */
  current: boolean;
  /** Names of the applications signed in to with it (Tessera's own pages left out). */
  applications: string[];
  /** Where and when it was last used (a sign-in or an authorization), where known. */
  lastUsed?: { at: Date; ip?: string; userAgent?: string };
}

interface SessionPayload {
  loginTs?: number;
  iat?: number;
  authorizations?: Record<string, unknown>;
  seen?: { at?: string; ip?: string; userAgent?: string };
}

const handleOf = (sessionId: string) => createHash("sha256").update(sessionId).digest("base64url").slice(0, 22);

export function accountSessions(prisma: PrismaClient, clock: Clock, events: EventRecorder) {
  function rowsOf(accountId: string) {
    return prisma.oidcModel.findMany({
      where: {
        model: "Session",
        payload: { path: ["accountId"], equals: accountId },
        OR: [{ expiresAt: null }, { expiresAt: { gt: clock.now() } }],
      },
      select: { id: true, payload: true },
    });
  }

  return {
    /** Newest sign-in first, with the asking browser's session (`currentId`) at the top. */
    async list(accountId: string, currentId?: string): Promise<AccountSession[]> {
      const rows = await rowsOf(accountId);
      const current = currentId && storedIdOf("Session", currentId);
      const clientIds = new Set(rows.flatMap((row) => Object.keys((row.payload as SessionPayload).authorizations ?? {})));
      clientIds.delete(accountClientId);
      const clients = await prisma.client.findMany({ where: { id: { in: [...clientIds] } }, select: { id: true, metadata: true } });
      const names = new Map(clients.map((client) => [client.id, (client.metadata as { client_name?: string }).client_name ?? client.id]));
      return rows
        .map((row) => {
          const payload = row.payload as SessionPayload;
          return {
            handle: handleOf(row.id),
            signedInAt: new Date((payload.loginTs ?? payload.iat ?? 0) * 1000),
            current: row.id === current,
            applications: Object.keys(payload.authorizations ?? {}).flatMap((clientId) => names.get(clientId) ?? []),
            lastUsed: payload.seen?.at ? { at: new Date(payload.seen.at), ip: payload.seen.ip, userAgent: payload.seen.userAgent } : undefined,
          };
        })
        .sort((a, b) => Number(b.current) - Number(a.current) || b.signedInAt.getTime() - a.signedInAt.getTime());
    },

    /** Deletes the account's session shown as `handle`; answers whether there was one. */
    async end(accountId: string, handle: string): Promise<boolean> {
      const row = (await rowsOf(accountId)).find((candidate) => handleOf(candidate.id) === handle);
      if (!row) return false;
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.oidcModel.deleteMany({
          where: { model: "Session", id: row.id, payload: { path: ["accountId"], equals: accountId } },
        });
        if (count) await events.record(tx, { type: "account.sessions-ended", accountId, reason: "account-page" });
        return count > 0;
      });
    },
  };
}
