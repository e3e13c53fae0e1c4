/**
 * The `client` table for the operator's commands: OIDC metadata in `metadata` (as the
 * provider reads it through src/oidc/adapter.ts), Tessera's settings in columns.
 */
import { settingsOfRow, type ClientSettingValues } from "../clients/index.js";
import type { PrismaClient, Prisma } from "../db/index.js";

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

function toRecord(row: Row): ClientRecord {
  return {
    id: row.id,
    metadata: row.metadata as ClientMetadata,
    settings: settingsOfRow(row),
    organisationSlug: row.organisation.slug,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createClientRepository(prisma: PrismaClient) {
  const include = { organisation: true } as const;
  const data = (columns: ClientColumns) => ({ ...columns.settings, metadata: columns.metadata as Prisma.InputJsonValue });
  return {
    async find(id: string): Promise<ClientRecord | undefined> {
      const row = await prisma.client.findUnique({ where: { id }, include });
      return row ? toRecord(row) : undefined;
    },

    async list(): Promise<ClientRecord[]> {
      return (await prisma.client.findMany({ include, orderBy: { id: "asc" } })).map(toRecord);
    },

    async create(id: string, columns: ClientColumns): Promise<ClientRecord> {
      return toRecord(await prisma.client.create({ data: { id, ...data(columns) }, include }));
    },

    async update(id: string, columns: ClientColumns): Promise<ClientRecord> {
      return toRecord(await prisma.client.update({ where: { id }, data: data(columns), include }));
    },

    /** Its sign-in history goes with it (cascade); tokens die with it, as the provider no longer finds the client. */
    async delete(id: string): Promise<boolean> {
      return (await prisma.client.deleteMany({ where: { id } })).count > 0;
    },
  };
}

export type ClientRepository = ReturnType<typeof createClientRepository>;
