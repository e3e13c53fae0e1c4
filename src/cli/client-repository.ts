/**
 * The `client` table for the operator's commands: OIDC metadata in `metadata` (as the
 * provider reads it through src/oidc/adapter.ts), Tessera's settings in columns. The
 * secret is sealed on the way in and opened on the way out (src/oidc/client-secrets.ts).
 */
import { settingsOfRow, type ClientSettingValues } from "../clients/index.js";
import type { PrismaClient, Prisma } from "../db/index.js";
import type { ClientSecrets } from "../oidc/index.js";

export type ClientMetadata = Record<string, unknown>;

export interface ClientRecord {
  id: string;
  metadata: ClientMetadata;
  /** Tessera's settings, by column (src/clients/settings.ts). */
  settings: ClientSettingValues;
  organisationSlug: string;
  createdAt: Date;
  updatedAt: Date;
}

export type ClientColumns = Pick<ClientRecord, "metadata" | "settings">;

type Row = Prisma.ClientGetPayload<{ include: { organisation: true } }>;

function recordOf(row: Row, secrets: ClientSecrets): ClientRecord {
  return {
    id: row.id,
    metadata: secrets.open(row.id, row.metadata as ClientMetadata),
    settings: settingsOfRow(row),
    organisationSlug: row.organisation.slug,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createClientRepository(prisma: PrismaClient, secrets: ClientSecrets) {
  const include = { organisation: true } as const;
  const data = (id: string, columns: ClientColumns) => ({ ...columns.settings, metadata: secrets.seal(id, columns.metadata) as Prisma.InputJsonValue });
  const toRecord = (row: Row) => recordOf(row, secrets);
  return {
    async find(id: string): Promise<ClientRecord | undefined> {
      const row = await prisma.client.findUnique({ where: { id }, include });
      return row ? toRecord(row) : undefined;
    },

    async list(): Promise<ClientRecord[]> {
      return (await prisma.client.findMany({ include, orderBy: { id: "asc" } })).map(toRecord);
    },

    async create(id: string, columns: ClientColumns): Promise<ClientRecord> {
      return toRecord(await prisma.client.create({ data: { id, ...data(id, columns) }, include }));
    },

    /** `tx`: the transaction of a change recorded with it (a rotated secret). */
    async update(id: string, columns: ClientColumns, tx: Prisma.TransactionClient = prisma): Promise<ClientRecord> {
      return toRecord(await tx.client.update({ where: { id }, data: data(id, columns), include }));
    },

    transaction: <T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> => prisma.$transaction(work),

    /** Its sign-in history goes with it (cascade); tokens die with it, as the provider no longer finds the client. */
    async delete(id: string): Promise<boolean> {
      return (await prisma.client.deleteMany({ where: { id } })).count > 0;
    },
  };
}

export type ClientRepository = ReturnType<typeof createClientRepository>;
