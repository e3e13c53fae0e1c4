/**
 * Reading the audit trail: the account page's recent activity, the operator's `audit list`,
 * and the retention purge. Newest first.
 */
import type { Prisma, PrismaClient } from "../../db/index.js";

export interface AuditRecord {
  id: string;
  type: string;
  accountId: string | null;
  clientId: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  operator: string | null;
  occurredAt: Date;
}

/** Names shown instead of ids, looked up when the records are read. */
export interface AuditNames {
  client(id: string): string | undefined;
  organisation(id: string): string | undefined;
}

export interface AuditFilter {
  accountId?: string;
  /** Failed sign-ins whose typed identifier was this (normalised) address, whether or not it names an account. */
  identifier?: string;
  types?: readonly string[];
  since?: Date;
  limit: number;
}

function where(filter: AuditFilter): Prisma.AuditRecordWhereInput {
  const who: Prisma.AuditRecordWhereInput[] = [
    ...(filter.accountId ? [{ accountId: filter.accountId }] : []),
    ...(filter.identifier ? [{ type: "account.sign-in-failed", detail: { path: ["identifier"], equals: filter.identifier } }] : []),
  ];
  return {
    ...(who.length && { OR: who }),
    ...(filter.types?.length && { type: { in: [...filter.types] } }),
    ...(filter.since && { occurredAt: { gte: filter.since } }),
  };
}

export function createAuditRepository(prisma: PrismaClient) {
  return {
    async list(filter: AuditFilter): Promise<AuditRecord[]> {
      const rows = await prisma.auditRecord.findMany({ where: where(filter), orderBy: [{ occurredAt: "desc" }, { sequence: "desc" }], take: filter.limit });
      return rows.map((row) => ({ ...row, detail: (row.detail ?? {}) as Record<string, unknown> }));
    },

    /** The client and organisation names the records mention, for describing them. */
    async names(records: readonly AuditRecord[]): Promise<AuditNames> {
      const clientIds = [...new Set(records.flatMap((record) => (record.clientId ? [record.clientId] : [])))];
      const organisationIds = [...new Set(records.flatMap((record) => (typeof record.detail.organisationId === "string" ? [record.detail.organisationId] : [])))];
      const [clients, organisations] = await Promise.all([
        clientIds.length ? prisma.client.findMany({ where: { id: { in: clientIds } }, select: { id: true, metadata: true } }) : [],
        organisationIds.length ? prisma.organisation.findMany({ where: { id: { in: organisationIds } }, select: { id: true, name: true } }) : [],
      ]);
      const clientNames = new Map(clients.map((client) => [client.id, (client.metadata as { client_name?: string }).client_name ?? client.id]));
      const organisationNames = new Map(organisations.map((organisation) => [organisation.id, organisation.name]));
      return { client: (id) => clientNames.get(id), organisation: (id) => organisationNames.get(id) };
    },

    /** Deletes the records older than `before`; answers how many. */
    async purge(before: Date): Promise<number> {
      return (await prisma.auditRecord.deleteMany({ where: { occurredAt: { lt: before } } })).count;
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
