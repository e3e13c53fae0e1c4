/**
 * node-oidc-provider's storage contract (docs/README.md#adapter) over Prisma.
 * - Every artefact but Client lives in `oidc_model`, keyed by (model, id), with the
 *   grantId, uid and userCode lookups indexed.
 * - Expiry is honoured on read, so an expired row is gone for the provider even before the
 *   purge job deletes it.
 * - Consuming is atomic: of two concurrent redemptions of one code only one succeeds; the
 *   other is refused and, as RFC 6749 §4.1.2 asks for a reused code, the grant is revoked.
 * - Rows whose id is a secret (tokens, codes, sessions) are keyed by its hash and hold no
 *   copy of it (stored-id.ts); the provider gets its id back from the value it presented.
 * - Clients come from the `client` table, their secret opened (client-secrets.ts) and their
 *   Tessera settings (src/clients/) merged into the metadata; of settings in metadata the
 *   provider saves, only registrable ones are stored.
 * - Clients are cached in each process (client-cache.ts); a client written here calls
 *   `onClientWrite` so this process forgets its copies before answering.
 * - A sign-in that ended (its Interaction destroyed) leaves, for a day, only the client it
 *   was for (ended-sign-ins.ts), so a page of it opened again can offer a way back.
 */
import { errors, type Adapter, type AdapterPayload } from "oidc-provider";
import { clientSettingsMetadata } from "../clients/index.js";
import type { PrismaClient, Prisma } from "../db/index.js";
import { currentRequestContext, type Clock } from "../shared/index.js";
import type { AtRestKeys } from "./at-rest-key.js";
import { clientSecrets, type ClientSecrets } from "./client-secrets.js";
import { endedSignInModel, endedSignInTtlSeconds } from "./ended-sign-ins.js";
import { grantArtefacts } from "./grant-artefacts.js";
import { hasSecretId, storedIds, type StoredIds } from "./stored-id.js";

/** Models whose consumption grants tokens: a second consumption is an attack. */
const singleUseGrantSources = new Set(["AuthorizationCode", "DeviceCode", "BackchannelAuthenticationRequest", "RefreshToken"]);

export function createAdapterFactory(prisma: PrismaClient, clock: Clock, keys: AtRestKeys, onClientWrite?: () => void) {
  const ids = storedIds(keys);
  const secrets = clientSecrets(keys);
  return (name: string): Adapter => (name === "Client" ? new ClientAdapter(prisma, secrets, onClientWrite) : new ModelAdapter(name, prisma, clock, ids));
}

class ModelAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    private readonly ids: StoredIds,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const data = {
      payload: this.withSeen(this.withoutSecretIds(payload)) as Prisma.InputJsonValue,
      grantId: payload.grantId ?? null,
      uid: payload.uid ?? null,
      userCode: payload.userCode ?? null,
      expiresAt: expiresIn ? new Date(this.clock.now().getTime() + expiresIn * 1000) : null,
    };
    const key = this.ids.keyOf(this.model, id);
    await this.prisma.oidcModel.upsert({
      where: { model_id: { model: this.model, id: key } },
      create: { model: this.model, id: key, ...data },
      update: data,
    });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const row = await this.prisma.oidcModel.findUnique({ where: { model_id: { model: this.model, id: this.ids.keyOf(this.model, id) } } });
    return this.present(row, id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.present(await this.prisma.oidcModel.findFirst({ where: { model: this.model, uid } }));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.present(await this.prisma.oidcModel.findFirst({ where: { model: this.model, userCode } }));
  }

  async consume(id: string): Promise<void> {
    const key = this.ids.keyOf(this.model, id);
    const { count } = await this.prisma.oidcModel.updateMany({
      where: { model: this.model, id: key, consumedAt: null },
      data: { consumedAt: this.clock.now() },
    });
    if (count === 0 && singleUseGrantSources.has(this.model)) {
      const row = await this.prisma.oidcModel.findUnique({ where: { model_id: { model: this.model, id: key } } });
      if (row?.grantId) await this.revokeByGrantId(row.grantId);
      throw new errors.InvalidGrant(`${this.model} already consumed`);
    }
  }

  async destroy(id: string): Promise<void> {
    if (this.model === "Interaction") return this.endSignIn(id);
    await this.prisma.oidcModel.deleteMany({ where: { model: this.model, id: this.ids.keyOf(this.model, id) } });
  }

  /** The Interaction becomes an ended sign-in: its row keeps only the client's id, for a day. */
  private async endSignIn(id: string): Promise<void> {
    const key = this.ids.keyOf(this.model, id);
    const row = await this.prisma.oidcModel.findUnique({ where: { model_id: { model: this.model, id: key } }, select: { payload: true } });
    const clientId = (row?.payload as { params?: { client_id?: unknown } } | undefined)?.params?.client_id;
    await this.prisma.oidcModel.updateMany({
      where: { model: this.model, id: key },
      data: {
        model: endedSignInModel,
        payload: typeof clientId === "string" ? { clientId } : {},
        grantId: null,
        uid: null,
        expiresAt: new Date(this.clock.now().getTime() + endedSignInTtlSeconds * 1000),
      },
    });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    // The grant's artefacts span several models, and the Grant itself is keyed by its id.
    // Deleting the Grant too matters when a racing request saves a token after this runs:
    // tokens are only honoured while their grant exists. Sign-ins in progress stay
    // (grant-artefacts.ts).
    await this.prisma.oidcModel.deleteMany({ where: grantArtefacts([grantId]) });
  }

  /**
   * The payload as stored: without the id where the id is the secret, and without the
   * session cookie's value that the provider copies into an Interaction (`session.cookie`,
   * which it never reads back).
   */
  private withoutSecretIds(payload: AdapterPayload): AdapterPayload {
    if (hasSecretId(this.model)) {
      const { jti: _jti, ...rest } = payload;
      return rest;
    }
    if (this.model === "Interaction" && payload.session) {
      const { cookie: _cookie, ...session } = payload.session as { cookie?: string };
      return { ...payload, session } as AdapterPayload;
    }
    return payload;
  }

  /**
   * A session remembers where it was last used — the browser's user agent, its address as
   * Tessera sees it (TRUST_PROXY honoured) and when — for the account page's list of
   * sessions. The provider saves a session whenever it changes it (a sign-in, an
   * authorization), so this is its last use for signing in anywhere.
   */
  private withSeen(payload: AdapterPayload): AdapterPayload {
    if (this.model !== "Session") return payload;
    const context = currentRequestContext();
    if (!context?.ip && !context?.userAgent) return payload;
    return { ...payload, seen: { ip: context.ip, userAgent: context.userAgent, at: this.clock.now().toISOString() } };
  }

  /** A row as the provider expects it, with the id it was found by (`presentedId`) back in. */
  private present(
    row: { id: string; payload: Prisma.JsonValue; expiresAt: Date | null; consumedAt: Date | null } | null,
    presentedId?: string,
  ): AdapterPayload | undefined {
    if (!row) return undefined;
    if (row.expiresAt && row.expiresAt <= this.clock.now()) return undefined;
    const payload = row.payload as AdapterPayload;
    const id = hasSecretId(this.model) ? { jti: presentedId ?? this.ids.idFor(this.model, row.id) } : undefined;
    return { ...payload, ...id, ...(row.consumedAt && { consumed: Math.floor(row.consumedAt.getTime() / 1000) }) };
  }
}

class ClientAdapter implements Adapter {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly secrets: ClientSecrets,
    private readonly onWrite?: () => void,
  ) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const row = await this.prisma.client.findUnique({ where: { id } });
    return row ? clientSettingsMetadata.fromRow({ ...row, metadata: this.secrets.open(id, row.metadata as Record<string, unknown>) as Prisma.JsonValue }) : undefined;
  }

  async upsert(id: string, payload: AdapterPayload): Promise<void> {
    const { metadata, settings } = clientSettingsMetadata.toRow(payload);
    const data = { metadata: this.secrets.seal(id, metadata as Record<string, unknown>) as Prisma.InputJsonValue, ...settings };
    await this.prisma.client.upsert({ where: { id }, create: { id, ...data }, update: data });
    this.onWrite?.();
  }

  async destroy(id: string): Promise<void> {
    await this.prisma.client.deleteMany({ where: { id } });
    this.onWrite?.();
  }

  async consume(): Promise<void> {
    throw new Error("Clients are not consumable");
  }

  async findByUid(): Promise<undefined> {
    throw new Error("Clients have no uid");
  }

  async findByUserCode(): Promise<undefined> {
    throw new Error("Clients have no user code");
  }

  async revokeByGrantId(): Promise<void> {
    throw new Error("Clients are not grant-bound");
  }
}
