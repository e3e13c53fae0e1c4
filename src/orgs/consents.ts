/**
 * Giving and withdrawing consent to an organisation: the one writer of organisation_consent.
 * Each change records its domain event in the same transaction. Withdrawing keeps the row
 * (the record of what was agreed and when) and asks again at the next sign-in.
 */
import type { PrismaClient } from "../db/index.js";
import type { EventRecorder } from "../jobs/index.js";

export function createConsentService(deps: { prisma: PrismaClient; events: EventRecorder }) {
  const { prisma, events } = deps;
  return {
    async grantConsent(userId: string, organisationId: string, at: Date): Promise<void> {
      await prisma.$transaction(async (tx) => {
        await tx.organisationConsent.upsert({
          where: { userId_organisationId: { userId, organisationId } },
          create: { userId, organisationId, grantedAt: at },
          update: { grantedAt: at, withdrawnAt: null },
        });
        await events.record(tx, { type: "account.organisation-consent-given", accountId: userId, organisationId });
      });
    },

    /** Answers whether there was a consent to withdraw. */
    async withdrawConsent(userId: string, organisationId: string, at: Date): Promise<boolean> {
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.organisationConsent.updateMany({ where: { userId, organisationId, withdrawnAt: null }, data: { withdrawnAt: at } });
        if (count) await events.record(tx, { type: "account.organisation-consent-withdrawn", accountId: userId, organisationId });
        return count > 0;
      });
    },
  };
}

export type ConsentService = ReturnType<typeof createConsentService>;
