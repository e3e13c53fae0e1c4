/**
 * Push data in Prisma: who receives an account's updates, the streams, and the account
 * values a token-claims-change reports.
 */
import type { PrismaClient, Prisma } from "../db/index.js";
import type { PushedClaim } from "./event-types.js";

export type StreamStatus = "enabled" | "paused" | "disabled";

export interface Stream {
  id: string;
  clientId: string;
  endpoint: string | undefined;
  status: StreamStatus;
  statusReason: string | undefined;
  eventsRequested: string[];
  authorizationHeader: string | undefined;
}

export interface Recipient {
  clientId: string;
  /** The OIDC scopes the account granted this client. */
  scopes: Set<string>;
  status: StreamStatus;
  eventsRequested: string[];
}

type Db = PrismaClient | Prisma.TransactionClient;

const statuses: readonly StreamStatus[] = ["enabled", "paused", "disabled"];
const toStatus = (value: string | undefined): StreamStatus => statuses.find((status) => status === value) ?? "enabled";

interface GrantRow {
  client_id: string;
  scope: string | null;
}

export function createPushRepository(prisma: PrismaClient) {
  return {
    /**
     * The clients that learn of a change to this account: those with a push endpoint that
     * the account signed in to (sign-in history), still has an unexpired grant with, and
     * whose organisation it has not withdrawn consent from (or that needs none).
     */
    async recipients(accountId: string, now: Date, db: Db = prisma, options: { pushOnly: boolean } = { pushOnly: true }): Promise<Recipient[]> {
      const signIns = await db.clientSignIn.findMany({
        where: {
          userId: accountId,
          client: {
            ...(options.pushOnly && { pushEndpoint: { not: null } }),
            organisation: { OR: [{ requireConsent: false }, { consents: { some: { userId: accountId, withdrawnAt: null } } }] },
          },
        },
        select: { clientId: true, client: { select: { pushStream: { select: { status: true, eventsRequested: true } } } } },
      });
      if (!signIns.length) return [];
      // node-oidc-provider keeps each grant in its own table, the account and client inside
      // the payload (src/oidc/grants.ts reads them the same way).
      const grants = await db.$queryRaw<GrantRow[]>`
        SELECT payload->>'clientId' AS client_id, payload->'openid'->>'scope' AS scope
        FROM oidc_model
        WHERE model = 'Grant' AND payload->>'accountId' = ${accountId}
          AND (expires_at IS NULL OR expires_at > ${now}::timestamp)`;
      const scopes = new Map<string, Set<string>>();
      for (const grant of grants) {
        const set = scopes.get(grant.client_id) ?? new Set<string>();
        for (const scope of (grant.scope ?? "").split(" ").filter(Boolean)) set.add(scope);
        scopes.set(grant.client_id, set);
      }
      return signIns.flatMap((signIn) => {
        const granted = scopes.get(signIn.clientId);
        if (!granted) return [];
        const stream = signIn.client.pushStream;
        return [{ clientId: signIn.clientId, scopes: granted, status: toStatus(stream?.status), eventsRequested: stream?.eventsRequested ?? [] }];
      });
    },

    /** Of these clients, the ones with a push endpoint. */
    async withPushEndpoint(clientIds: string[]): Promise<string[]> {
      if (!clientIds.length) return [];
      const rows = await prisma.client.findMany({ where: { id: { in: clientIds }, pushEndpoint: { not: null } }, select: { id: true } });
      return rows.map((row) => row.id);
    },

    /** The current values of the claims a token-claims-change reports, or undefined for a deleted account. */
    async claims(accountId: string, names: readonly PushedClaim[]): Promise<Partial<Record<PushedClaim, string | boolean>> | undefined> {
      const user = await prisma.user.findUnique({ where: { id: accountId }, select: { name: true, emails: { where: { primary: true }, select: { address: true, verifiedAt: true } } } });
      if (!user) return undefined;
      const primary = user.emails[0];
      const values: Partial<Record<PushedClaim, string | boolean>> = { name: user.name, email: primary?.address, email_verified: primary ? primary.verifiedAt !== null : undefined };
      return Object.fromEntries(names.flatMap((name) => (values[name] === undefined ? [] : [[name, values[name]]])));
    },

    /** The client's stream; one is made (enabled, every event) the first time it is asked for. */
    async stream(clientId: string): Promise<Stream | undefined> {
      const client = await prisma.client.findUnique({ where: { id: clientId }, select: { pushEndpoint: true, pushStream: true } });
      if (!client) return undefined;
      // Read with its client on every delivery; written only the first time (an upsert with
      // nothing to update is a transaction of its own, on each delivery).
      const row = client.pushStream ?? (await prisma.pushStream.upsert({ where: { clientId }, create: { clientId }, update: {} }));
      return {
        id: row.id,
        clientId,
        endpoint: client.pushEndpoint ?? undefined,
        status: toStatus(row.status),
        statusReason: row.statusReason ?? undefined,
        eventsRequested: row.eventsRequested,
        authorizationHeader: row.authorizationHeader ?? undefined,
      };
    },

    async updateStream(clientId: string, changes: { endpoint?: string | null; eventsRequested?: string[]; authorizationHeader?: string | null; status?: StreamStatus; statusReason?: string | null }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        if (changes.endpoint !== undefined) await tx.client.update({ where: { id: clientId }, data: { pushEndpoint: changes.endpoint } });
        const { endpoint: _endpoint, ...stream } = changes;
        await tx.pushStream.upsert({ where: { clientId }, create: { clientId, ...stream }, update: stream });
      });
    },
  };
}

export type PushRepository = ReturnType<typeof createPushRepository>;
