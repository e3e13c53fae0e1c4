/** Organisations, consents to them, and the sign-in history, in Prisma. */
import type { Tx } from "../confirmation/index.js";
import type { PrismaClient, Prisma } from "../db/index.js";
import type { Organisation, OrganisationConsentRecord, SignInRecord } from "./types.js";

/** Created by the migration that introduced organisations; clients join it by default. */
export const defaultOrganisationId = "00000000-0000-4000-8000-000000000000";

type OrganisationRow = Prisma.OrganisationGetPayload<object>;

export function toOrganisation(row: OrganisationRow): Organisation {
  return { id: row.id, slug: row.slug, name: row.name, requireConsent: row.requireConsent, privacyPolicyUrl: row.privacyPolicyUrl ?? undefined };
}

export function createOrganisationRepository(prisma: PrismaClient) {
  return {
    async findById(id: string): Promise<Organisation | undefined> {
      const row = await prisma.organisation.findUnique({ where: { id } });
      return row ? toOrganisation(row) : undefined;
    },

    async findBySlug(slug: string): Promise<Organisation | undefined> {
      const row = await prisma.organisation.findUnique({ where: { slug } });
      return row ? toOrganisation(row) : undefined;
    },

    async list(): Promise<Organisation[]> {
      return (await prisma.organisation.findMany({ orderBy: { slug: "asc" } })).map(toOrganisation);
    },

    async create(input: { slug: string; name: string; requireConsent: boolean; privacyPolicyUrl?: string }): Promise<Organisation> {
      return toOrganisation(await prisma.organisation.create({ data: input }));
    },

    async update(id: string, changes: Partial<{ name: string; requireConsent: boolean; privacyPolicyUrl: string | null }>): Promise<Organisation> {
      return toOrganisation(await prisma.organisation.update({ where: { id }, data: changes }));
    },

    async hasConsent(userId: string, organisationId: string): Promise<boolean> {
      const row = await prisma.organisationConsent.findUnique({ where: { userId_organisationId: { userId, organisationId } } });
      return Boolean(row && !row.withdrawnAt);
    },

    async clientIdsOf(organisationId: string): Promise<string[]> {
      return (await prisma.client.findMany({ where: { organisationId }, select: { id: true } })).map((client) => client.id);
    },

    async listConsents(userId: string): Promise<OrganisationConsentRecord[]> {
      const rows = await prisma.organisationConsent.findMany({
        where: { userId, withdrawnAt: null },
        include: { organisation: true },
        orderBy: { grantedAt: "asc" },
      });
      return rows.map((row) => ({ organisation: toOrganisation(row.organisation), grantedAt: row.grantedAt }));
    },

    async recordSignIn(userId: string, clientId: string, at: Date, db: Tx | PrismaClient = prisma): Promise<void> {
      await db.clientSignIn.upsert({
        where: { userId_clientId: { userId, clientId } },
        create: { userId, clientId, firstAt: at, lastAt: at },
        update: { lastAt: at, count: { increment: 1 } },
      });
    },

    async listSignIns(userId: string): Promise<SignInRecord[]> {
      const rows = await prisma.clientSignIn.findMany({ where: { userId }, include: { client: true }, orderBy: { lastAt: "desc" } });
      return rows.map((row) => ({
        clientId: row.clientId,
        clientName: ((row.client.metadata as { client_name?: string } | null)?.client_name ?? row.clientId),
        firstAt: row.firstAt,
        lastAt: row.lastAt,
        count: row.count,
      }));
    },
  };
}

export type OrganisationRepository = ReturnType<typeof createOrganisationRepository>;
