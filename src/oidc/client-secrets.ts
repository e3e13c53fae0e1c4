/**
 * Client secrets at rest: encrypted, not hashed. node-oidc-provider needs the plain secret
 * for more than comparing it at the token endpoint — RFC 7592 reads answer it back, a
 * management update is checked against it, and HS* signatures and client_secret_jwt use it
 * as a key — so a one-way hash (its Client.prototype.compareClientSecret could be replaced,
 * panva/node-oidc-provider#631) would break those or mean forking the provider.
 * - AES-256-GCM under a subkey of the at-rest key in keys/ (at-rest-key.ts), a fresh 96-bit
 *   IV per sealing, the client id as additional data so a sealed secret copied to another
 *   client's row does not open there.
 * - Stored in place of the secret as `sealed:v1:<kid>:<iv>:<ciphertext>:<tag>` (base64url),
 *   naming the key so a later rotation can keep old ones readable.
 * - Sealed wherever a secret is written (dynamic registration through the adapter, the
 *   CLI's client commands, the demo client's seeding) and opened only where the provider
 *   loads a client. A secret still in plain text (written before this existed) is opened as
 *   is, and sealed by `sealPlainClientSecrets` at the next start.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { PrismaClient, Prisma } from "../db/index.js";
import { subkey, type AtRestKeys } from "./at-rest-key.js";

const prefix = "sealed:v1:";
const label = "client secret";

type Metadata = Record<string, unknown>;

export type ClientSecrets = ReturnType<typeof clientSecrets>;

export function clientSecrets(keys: AtRestKeys) {
  const aad = (clientId: string) => Buffer.from(`client_secret:${clientId}`);

  function seal(clientId: string, secret: string): string {
    if (secret.startsWith(prefix)) return secret;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", subkey(keys.current, label), iv).setAAD(aad(clientId));
    const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
    return `${prefix}${[keys.current.kid, iv, sealed, cipher.getAuthTag()].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(":")}`;
  }

  function open(clientId: string, stored: string): string {
    if (!stored.startsWith(prefix)) return stored;
    const [kid, iv, sealed, tag] = stored.slice(prefix.length).split(":");
    const key = kid !== undefined && keys.byKid(kid);
    if (!key || !iv || sealed === undefined || !tag) throw new Error(`the secret of client ${clientId} is sealed with a key not in at-rest-keys.json (${kid ?? "no key id"})`);
    const decipher = createDecipheriv("aes-256-gcm", subkey(key, label), Buffer.from(iv, "base64url")).setAAD(aad(clientId));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(sealed, "base64url")), decipher.final()]).toString("utf8");
  }

  const withSecret = <T extends Metadata>(metadata: T, clientId: string, change: (id: string, secret: string) => string): T =>
    typeof metadata.client_secret === "string" ? { ...metadata, client_secret: change(clientId, metadata.client_secret) } : metadata;

  return {
    /** The metadata as stored: its client_secret sealed. */
    seal: <T extends Metadata>(clientId: string, metadata: T) => withSecret(metadata, clientId, seal),
    /** The metadata as the provider needs it: its client_secret in plain text. */
    open: <T extends Metadata>(clientId: string, metadata: T) => withSecret(metadata, clientId, open),
    isSealed: (metadata: Metadata) => typeof metadata.client_secret !== "string" || metadata.client_secret.startsWith(prefix),
  };
}

/** Seals every client secret still stored in plain text; answers how many there were. */
export async function sealPlainClientSecrets(prisma: PrismaClient, secrets: ClientSecrets): Promise<number> {
  const rows = await prisma.client.findMany({ select: { id: true, metadata: true } });
  const plain = rows.filter((row) => !secrets.isSealed(row.metadata as Metadata));
  for (const row of plain) {
    await prisma.client.updateMany({
      where: { id: row.id, metadata: { equals: row.metadata as Prisma.InputJsonValue } },
      data: { metadata: secrets.seal(row.id, row.metadata as Metadata) as Prisma.InputJsonValue },
    });
  }
  return plain.length;
}
