/**
 * Checks client metadata with node-oidc-provider itself: a Provider built exactly as
 * Tessera builds it (same configuration, same keys, same localhost relaxation outside
 * production) validates the metadata as the adapter would hand it over at sign-in, so a
 * client the CLI accepts is one the provider will load, and a refusal carries the
 * provider's own message (docs/README.md#clients).
 */
import type { Database } from "../db/database.js";
import type { Config } from "../config.js";
import type { Prisma } from "../generated/prisma/client.js";
import { createAdapterFactory, createProvider } from "../oidc/index.js";
import { clientMetadataFromRow } from "../oidc/index.js";
import { generateSigningKey, readKeyMaterial, type KeyMaterial } from "../oidc/index.js";
import type { Clock } from "../shared/clock.js";
import { createLogger } from "../shared/log.js";
import type { ClientColumns, ClientMetadata } from "./client-repository.js";

export interface ClientValidator {
  /**
   * Resolves with the grant types the provider will allow (it reconciles them with the
   * response types) when it accepts the client; rejects with its error otherwise.
   */
  validate(id: string, columns: ClientColumns): Promise<{ grantTypes: string[] }>;
  /** Whether the provider expects a client_secret for this metadata (auth method, HMAC algs). */
  needsSecret(metadata: ClientMetadata): boolean;
}

export class InvalidClientMetadata extends Error {
  constructor(
    message: string,
    /** The metadata property the provider named, when it named one. */
    readonly property: string | undefined,
  ) {
    super(message);
    this.name = "InvalidClientMetadata";
  }
}

type ProviderDepsWithLog = Parameters<typeof createProvider>[1];

export async function createClientValidator(config: Config, db: Database, clock: Clock): Promise<ClientValidator> {
  // Validation never reaches accounts or the sign-in policy: these stand in for them, and
  // would fail loudly should a future provider version start calling them here.
  const unreachable = new Proxy({}, { get: (_target, name) => { throw new Error(`client validation reached ${String(name)}`); } });
  const deps = {
    keys: (await readKeyMaterial(config.keysDir)) ?? (await temporaryKeys()),
    adapter: createAdapterFactory(db.prisma, clock),
    accounts: unreachable,
    policy: unreachable,
    secureCookies: config.issuer.startsWith("https://"),
    log: createLogger({ level: "silent", pretty: false }),
    trustProxy: config.trustProxy,
    allowImplicitOnLocalhost: config.env !== "production",
  } as unknown as ProviderDepsWithLog;
  const provider = createProvider(config.issuer, deps);
  const Client = provider.Client as unknown as {
    new (metadata: unknown): { grantTypes: string[] };
    validate(metadata: unknown): Promise<void>;
    needsSecret(metadata: unknown): boolean;
  };

  return {
    async validate(id, columns) {
      const row = { id, ...columns, metadata: columns.metadata as Prisma.JsonObject };
      const payload = clientMetadataFromRow(row);
      try {
        await Client.validate(payload);
        return { grantTypes: [...new Client(payload).grantTypes] };
      } catch (error) {
        const description = (error as { error_description?: unknown }).error_description;
        if (typeof description !== "string") throw error;
        throw new InvalidClientMetadata(description, /^([a-z_]+)\b/.exec(description)?.[1]);
      }
    },
    needsSecret: (metadata) => Client.needsSecret(metadata),
  };
}

/** Before Tessera's first start there are no keys yet; validation only needs their algorithms. */
async function temporaryKeys(): Promise<KeyMaterial> {
  return { jwks: { keys: await Promise.all(["RS256", "ES256"].map(generateSigningKey)) }, cookieKeys: ["validation-only"] };
}
