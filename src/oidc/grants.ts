/**
 * The account page's "Connected applications": an account's grants, one entry per client,
 * and revoking them. node-oidc-provider keeps a Grant per (session, client) consent
 * (docs/README.md#grant), so one application can hold several; revoking it removes all of
 * them.
 * - Revoking deletes each Grant and every artefact it issued (access and refresh tokens,
 *   codes; grant-artefacts.ts) in one transaction: the tokens stop working at once, at
 *   userinfo and introspection alike (the adapter answers nothing for a deleted row).
 * - Only the account's own grants are listed or revoked; expired ones are neither.
 * - Tessera's own account client is not an application the user connected, so it is left
 *   out (its grant only lets the account pages know who is signed in).
 */
import type { PrismaClient, Prisma } from "../db/index.js";
import type { EventRecorder } from "../jobs/index.js";
import type { Clock } from "../shared/index.js";
import { accountClientId } from "./account-client.js";
import { grantArtefacts } from "./grant-artefacts.js";

export interface ConnectedApplication {
  clientId: string;
  name: string;
  /** The OIDC scopes granted (rejected ones taken out), in first-granted order. */
  scopes: string[];
  /** When the oldest of its grants was made. */
  since: Date;
}

interface GrantPayload {
  accountId?: string;
  clientId?: string;
  iat?: number;
  openid?: { scope?: string };
  rejected?: { openid?: { scope?: string } };
}

function grantedScopes(payload: GrantPayload): string[] {
  const rejected = new Set((payload.rejected?.openid?.scope ?? "").split(" ").filter((scope) => scope !== "openid"));
  return (payload.openid?.scope ?? "").split(" ").filter((scope) => scope && !rejected.has(scope));
}

function ofAccount(accountId: string, now: Date, clientId?: string): Prisma.OidcModelWhereInput {
  return {
    model: "Grant",
    AND: [
      { payload: { path: ["accountId"], equals: accountId } },
      ...(clientId ? [{ payload: { path: ["clientId"], equals: clientId } }] : []),
      { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    ],
  };
}

export function connectedApplications(prisma: PrismaClient, clock: Clock, events: EventRecorder) {
  async function clientNames(ids: string[]): Promise<Map<string, string>> {
    const clients = await prisma.client.findMany({ where: { id: { in: ids } }, select: { id: true, metadata: true } });
    return new Map(clients.map((client) => [client.id, (client.metadata as { client_name?: string }).client_name ?? client.id]));
  }

  return {
    async list(accountId: string): Promise<ConnectedApplication[]> {
      const rows = await prisma.oidcModel.findMany({ where: ofAccount(accountId, clock.now()), select: { payload: true } });
      const byClient = new Map<string, { scopes: Set<string>; since: number }>();
      for (const payload of rows.map((row) => row.payload as GrantPayload)) {
        if (!payload.clientId || payload.clientId === accountClientId) continue;
        const entry = byClient.get(payload.clientId) ?? { scopes: new Set<string>(), since: Infinity };
        for (const scope of grantedScopes(payload)) entry.scopes.add(scope);
        entry.since = Math.min(entry.since, payload.iat ?? 0);
        byClient.set(payload.clientId, entry);
      }
      const names = await clientNames([...byClient.keys()]);
      return [...byClient]
        .map(([clientId, entry]) => ({ clientId, name: names.get(clientId) ?? clientId, scopes: [...entry.scopes], since: new Date(entry.since * 1000) }))
        .sort((a, b) => a.since.getTime() - b.since.getTime() || a.name.localeCompare(b.name));
    },

    /**
     * Records the consent the user just gave on the consent page (the grant itself is the
     * provider's, saved through its adapter just before): the audit trail's entry, as for
     * an organisation's consent (ASVS 5.0 16.3.2).
     */
    async recordConsent(accountId: string, clientId: string, given: { scopes: string[]; claims: string[] }): Promise<void> {
      await prisma.$transaction((tx) => events.record(tx, { type: "account.application-consent-given", accountId, clientId, ...given }));
    },

    /** Revokes every grant of the account to the client; answers the client's name, or undefined if it had none. */
    async revoke(accountId: string, clientId: string): Promise<{ name: string } | undefined> {
      if (clientId === accountClientId) return undefined;
      const revoked = await prisma.$transaction(async (tx) => {
        const grants = await tx.oidcModel.findMany({ where: ofAccount(accountId, clock.now(), clientId), select: { id: true } });
        const ids = grants.map((grant) => grant.id);
        if (!ids.length) return false;
        await tx.oidcModel.deleteMany({ where: grantArtefacts(ids) });
        await events.record(tx, { type: "account.application-revoked", accountId, clientId });
        return true;
      });
      return revoked ? { name: (await clientNames([clientId])).get(clientId) ?? clientId } : undefined;
    },
  };
}

export type ConnectedApplications = ReturnType<typeof connectedApplications>;
