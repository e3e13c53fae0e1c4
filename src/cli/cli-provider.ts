/**
 * The node-oidc-provider instance the operator's commands use: built exactly as Tessera
 * builds it (same configuration, keys, database adapter and localhost relaxation outside
 * production), so what a command validates or saves through it is what the running
 * provider accepts and finds. It never serves HTTP.
 */
import type Provider from "oidc-provider";
import { planClaims, type BillingService } from "../billing/index.js";
import type { Config } from "../config.js";
import type { Database } from "../db/index.js";
import {
  createAdapterFactory,
  createProvider,
  generateSigningKey,
  loadOrCreateAtRestKeys,
  readKeyMaterial,
  resourceServerLookup,
  type KeyMaterial,
} from "../oidc/index.js";
import { type Clock, createLogger } from "../shared/index.js";

type ProviderDeps = Parameters<typeof createProvider>[1];

export async function createCliProvider(config: Config, db: Database, clock: Clock): Promise<Provider> {
  // Commands never reach accounts or the sign-in policy: these stand in for them, and
  // would fail loudly should a future provider version start calling them here.
  const unreachable = new Proxy({}, { get: (_target, name) => { throw new Error(`the CLI's provider reached ${String(name)}`); } });
  const deps = {
    keys: (await readKeyMaterial(config.keysDir)) ?? (await temporaryKeys()),
    // Unlike the signing keys, the at-rest key must be the server's own (what the CLI
    // stores, the server reads back), so the CLI creates it when it runs first.
    adapter: createAdapterFactory(db.prisma, clock, await loadOrCreateAtRestKeys(config.keysDir)),
    resourceServer: resourceServerLookup(db.prisma),
    accounts: unreachable,
    policy: unreachable,
    // Validating client metadata needs the scopes: every contributed scope wired in
    // src/server.ts is listed here too (their values are never asked for).
    claimContributors: [planClaims(unreachable as BillingService)],
    secureCookies: config.issuer.startsWith("https://"),
    log: createLogger({ level: "silent", pretty: false }),
    trustProxy: config.trustProxy,
    allowImplicitOnLocalhost: config.env !== "production",
  } as unknown as ProviderDeps;
  return createProvider(config.issuer, deps);
}

/** Before Tessera's first start there are no keys yet; the CLI only needs their algorithms. */
async function temporaryKeys(): Promise<KeyMaterial> {
  return { jwks: { keys: await Promise.all(["RS256", "ES256"].map(generateSigningKey)) }, cookieKeys: ["cli-only"] };
}
