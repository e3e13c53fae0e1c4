/**
 * The reference: node-oidc-provider as its documentation sets it up, with nothing of
 * Tessera's — one confidential client, an account with a name and an address, the same
 * grants and endpoints the benchmark calls. Run with `memory` (everything in a Map, the
 * library's ceiling) or `postgres` (a minimal adapter, one table keyed by
 * (model, id) on a fresh database of DATABASE_URL: the ceiling of a provider that persists
 * to the same database as Tessera).
 * Usage: forked by bench/hot-paths.ts.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Adapter, type AdapterPayload } from "oidc-provider";
import pg from "pg";
import { freshPostgresDatabase } from "../../test/support/database.js";
import { countStatements } from "./statement-counter.js";
import { answerStats, type Ready } from "./target.js";

const kind = process.argv[2] === "postgres" ? "postgres" : "memory";
const chains = Number(process.env.BENCH_CHAINS ?? 16);
const statements = countStatements();

/** One table, its lookups indexed, expiry honoured on read: what any persisting adapter does. */
async function postgresAdapter() {
  const database = await freshPostgresDatabase();
  if (database.target.kind !== "postgres") throw new Error("unreachable");
  const pool = new pg.Pool({ connectionString: database.target.url, max: 10 });
  await pool.query(`CREATE TABLE oidc (model text, id text, payload jsonb NOT NULL, grant_id text, uid text, user_code text, expires_at timestamptz, consumed_at timestamptz, PRIMARY KEY (model, id));
    CREATE INDEX ON oidc (grant_id); CREATE INDEX ON oidc (uid); CREATE INDEX ON oidc (user_code)`);
  type Row = { payload: AdapterPayload; consumed_at: Date | null };
  const present = (rows: Row[]) =>
    rows[0] ? { ...rows[0].payload, ...(rows[0].consumed_at && { consumed: Math.floor(rows[0].consumed_at.getTime() / 1000) }) } : undefined;
  const live = "(expires_at IS NULL OR expires_at > now())";
  const adapter = (model: string): Adapter => ({
    async upsert(id, payload, expiresIn) {
      await pool.query(
        `INSERT INTO oidc (model, id, payload, grant_id, uid, user_code, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (model, id) DO UPDATE SET payload = $3, grant_id = $4, uid = $5, user_code = $6, expires_at = $7`,
        [model, id, payload, payload.grantId ?? null, payload.uid ?? null, payload.userCode ?? null, expiresIn ? new Date(Date.now() + expiresIn * 1000) : null],
      );
    },
    find: async (id) => present((await pool.query<Row>(`SELECT payload, consumed_at FROM oidc WHERE model = $1 AND id = $2 AND ${live}`, [model, id])).rows),
    findByUid: async (uid) => present((await pool.query<Row>(`SELECT payload, consumed_at FROM oidc WHERE model = $1 AND uid = $2 AND ${live}`, [model, uid])).rows),
    findByUserCode: async (code) => present((await pool.query<Row>(`SELECT payload, consumed_at FROM oidc WHERE model = $1 AND user_code = $2 AND ${live}`, [model, code])).rows),
    async consume(id) {
      await pool.query("UPDATE oidc SET consumed_at = now() WHERE model = $1 AND id = $2", [model, id]);
    },
    async destroy(id) {
      await pool.query("DELETE FROM oidc WHERE model = $1 AND id = $2", [model, id]);
    },
    async revokeByGrantId(grantId) {
      await pool.query("DELETE FROM oidc WHERE grant_id = $1", [grantId]);
    },
  });
  return { adapter, database, pool };
}

/**
 * The library's memory adapter keeps at most 1,000 artefacts (an LRU): a run of token
 * requests would evict the grant and tokens the other scenarios use. This one keeps them all.
 */
function memoryAdapter() {
  const rows = new Map<string, AdapterPayload>();
  return (model: string): Adapter => ({
    upsert: async (id, payload) => void rows.set(`${model}:${id}`, payload),
    find: async (id) => rows.get(`${model}:${id}`),
    findByUid: async (uid) => [...rows.values()].find((payload) => payload.uid === uid),
    findByUserCode: async (code) => [...rows.values()].find((payload) => payload.userCode === code),
    consume: async (id) => {
      const payload = rows.get(`${model}:${id}`);
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    },
    destroy: async (id) => void rows.delete(`${model}:${id}`),
    revokeByGrantId: async (grantId) => {
      for (const [key, payload] of rows) if (payload.grantId === grantId) rows.delete(key);
    },
  });
}

const client = { client_id: "bench", client_secret: "bench-secret-bench-secret-bench-secret", redirect_uris: ["https://rp.example.test/cb"], grant_types: ["authorization_code", "refresh_token", "client_credentials"], scope: "openid profile email offline_access" };
const persisted = kind === "postgres" ? await postgresAdapter() : undefined;
if (persisted) await persisted.adapter("Client").upsert(client.client_id, client, 0);

const server = http.createServer();
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
const provider = new Provider(issuer, {
  ...(persisted ? { adapter: persisted.adapter } : { adapter: memoryAdapter(), clients: [client] }),
  claims: { openid: ["sub"], profile: ["name"], email: ["email", "email_verified"] },
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, name: "Ada Bench", email: "ada@example.test", email_verified: true }) }),
  features: { clientCredentials: { enabled: true }, introspection: { enabled: true }, revocation: { enabled: true }, devInteractions: { enabled: false } },
  rotateRefreshToken: true,
});
// eslint-disable-next-line @typescript-eslint/no-misused-promises -- Koa's callback settles every request itself.
server.on("request", provider.callback());

const bench = (await provider.Client.find(client.client_id))!;
const grant = new provider.Grant({ accountId: "ada", clientId: client.client_id });
grant.addOIDCScope("openid profile email offline_access");
const grantId = await grant.save();
const accessToken = await new provider.AccessToken({ accountId: "ada", client: bench, grantId, scope: "openid profile email", gty: "authorization_code" }).save();
const introspected = await new provider.ClientCredentials({ client: bench, scope: "" }).save();
const refreshTokens: string[] = [];
for (let i = 0; i < chains; i++) {
  const now = Math.floor(Date.now() / 1000);
  refreshTokens.push(await new provider.RefreshToken({ accountId: "ada", client: bench, grantId, scope: "openid profile email offline_access", gty: "authorization_code", iiat: now, rotations: 0, authTime: now }).save());
}

const ready: Ready = { type: "ready", issuer, client: { id: client.client_id, secret: client.client_secret }, accessToken, introspected, refreshTokens };
answerStats(statements);
process.send?.(ready);
process.once("disconnect", () => {
  const cleanUp = persisted ? persisted.pool.end().then(() => persisted.database.drop()) : Promise.resolve();
  void cleanUp.finally(() => process.exit(0));
});
