/**
 * Checks client metadata with node-oidc-provider itself: the CLI's Provider, built exactly
 * as Tessera builds it (cli-provider.ts), validates the metadata as the adapter would hand
 * it over at sign-in, so a client the CLI accepts is one the provider will load, and a
 * refusal carries the provider's own message (docs/README.md#clients).
 */
import { clientSettingsMetadata } from "../clients/index.js";
import type { Database, Prisma } from "../db/index.js";
import type { Config } from "../config.js";
import type { Clock } from "../shared/index.js";
import { createCliProvider } from "./cli-provider.js";
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

export async function createClientValidator(config: Config, db: Database, clock: Clock): Promise<ClientValidator> {
  const provider = await createCliProvider(config, db, clock);
  const Client = provider.Client as unknown as {
    new (metadata: unknown): { grantTypes: string[] };
    validate(metadata: unknown): Promise<void>;
    needsSecret(metadata: unknown): boolean;
  };

  return {
    async validate(id, columns) {
      const payload = clientSettingsMetadata.fromRow({ id, metadata: columns.metadata as Prisma.JsonObject, ...columns.settings });
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
