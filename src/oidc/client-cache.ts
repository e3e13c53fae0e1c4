/**
 * Clients kept in the process: a token, introspection or userinfo request would otherwise
 * read its client from the database, open its sealed secret and have the provider hash the
 * metadata to find its prepared Client again — on every request, for data that changes when
 * an operator or the client itself changes it.
 * - Every write to the `client` table, by any writer in any process (the CLI, dynamic
 *   registration, SQL), sends a NOTIFY on `clientChangesChannel` (a statement trigger, see
 *   the client_change_notify migration); each process forgets every cached client when it
 *   arrives, milliseconds after the commit. Writes through this process's adapter forget at
 *   once, before the response.
 * - Notifications sent while a process's listening connection is down are lost; the
 *   connection calls back when it is up again (src/db/database.ts), which forgets
 *   everything too, and no entry is served longer than `ttlMs` in any case. So a changed
 *   client is seen by every process as soon as the notification arrives, and never later
 *   than `ttlMs` after the change.
 * - Only clients that exist are kept: an unknown id is looked up each time, so a client
 *   registered a moment ago is found.
 * - The lookup hook (`beforeLookup`, client-auth-throttle.ts) runs on every lookup, cached
 *   or not.
 */
import type Provider from "oidc-provider";

export const clientChangesChannel = "tessera_client_changed";

/** The longest a changed client can be served from a process that missed the notification. */
export const clientCacheTtlMs = 30_000;

type Client = NonNullable<Awaited<ReturnType<Provider["Client"]["find"]>>>;

export interface ClientCache {
  /** Forgets every cached client: one was written. */
  forget(): void;
  /** Makes the provider's client lookups go through the cache. */
  attach(provider: Provider, beforeLookup?: (id: string) => Promise<void>): void;
}

export function createClientCache(options: { ttlMs: number; now?: () => number }): ClientCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { client: Promise<Client | undefined>; until: number }>();
  return {
    forget: () => entries.clear(),
    attach(provider, beforeLookup) {
      const find = provider.Client.find.bind(provider.Client);
      provider.Client.find = async (id: string) => {
        await beforeLookup?.(id);
        const at = now();
        const cached = entries.get(id);
        if (cached && cached.until > at) return cached.client;
        // The promise is kept, so concurrent lookups of one client share one read; a
        // forget() while it is under way drops it with the rest.
        const client = find(id);
        entries.set(id, { client, until: at + options.ttlMs });
        const keepOnly = (found: boolean) => {
          if (!found && entries.get(id)?.client === client) entries.delete(id);
        };
        try {
          const found = await client;
          keepOnly(found !== undefined);
          return found;
        } catch (error) {
          keepOnly(false);
          throw error;
        }
      };
    },
  };
}
